from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CertificateReminder(models.Model):
    """One expiry reminder sent about a certificate: the record that it is never sent twice.

    Keyed by the certificate's translation key (shared by its copies in every language and
    kept across page revisions) and its expiry date, so a renewed certificate with a new
    expiry date is reminded of again. See marketplace/certificates/reminders.py.
    """

    class Threshold(models.IntegerChoices):
        SIXTY_DAYS = 60, _("60 days before expiry")
        THIRTY_DAYS = 30, _("30 days before expiry")
        EXPIRY_DAY = 0, _("on the expiry day")

    translation_key = models.UUIDField(_("certificate key"))
    threshold = models.PositiveSmallIntegerField(_("reminder"), choices=Threshold.choices)
    expiry_date = models.DateField(_("expiry date"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    recipients = models.TextField(_("recipients"), blank=True)

    class Meta:
        verbose_name = _("certificate expiry reminder")
        verbose_name_plural = _("certificate expiry reminders")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["translation_key", "threshold", "expiry_date"],
                name="certificates_reminder_sent_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.translation_key} {self.get_threshold_display()} ({self.expiry_date})"
