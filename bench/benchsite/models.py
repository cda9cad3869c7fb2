from django.db import models


class BenchRow(models.Model):
    """The P2 baseline's row: what "a minimal Django view doing one insert" inserts."""

    phone = models.CharField(max_length=20)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "benchsite"

    def __str__(self) -> str:
        return self.phone
