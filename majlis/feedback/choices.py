from django.db import models
from django.utils.translation import gettext_lazy as _


class Stars(models.IntegerChoices):
    ONE = 1, _("Very dissatisfied")
    TWO = 2, _("Dissatisfied")
    THREE = 3, _("Neutral")
    FOUR = 4, _("Satisfied")
    FIVE = 5, _("Very satisfied")
