"""Strings that Django 6.1 puts on our pages but for which it ships no Arabic translation yet.

Marking them here keeps them in our own catalogue (LOCALE_PATHS wins over Django's), so an Arabic
admin page has no English left on it. Remove an entry once Django's catalogue covers it.
"""

from django.utils.translation import gettext_noop

DJANGO_STRINGS = (
    gettext_noop("- Select an option -"),  # django.db.models.fields.BLANK_CHOICE_LABEL
    gettext_noop("Run"),  # admin/actions.html
    # The labels of a password hash's summary on the admin user page.
    gettext_noop("algorithm"),
    gettext_noop("iterations"),
    gettext_noop("salt"),
    gettext_noop("hash"),
    # django-tasks-db's model names.
    gettext_noop("Task Result"),
    gettext_noop("Task Results"),
)
