"""External ids: the office's own identifiers for producers and products in spreadsheets."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExternalId(models.Model):
    """Links an id from a spreadsheet to a page, in all its languages.

    The page is named by its translation key: its translations share it, and the
    importer edits the one in the default language.
    """

    class Kind(models.TextChoices):
        PRODUCER = "producers", _("Producer")
        PRODUCT = "products", _("Product")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    external_id = models.CharField(_("external id"), max_length=100)
    translation_key = models.UUIDField(_("page translation key"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("external id")
        verbose_name_plural = _("external ids")
        constraints = [
            models.UniqueConstraint(fields=["kind", "external_id"], name="bulk_unique_external_id"),
            models.UniqueConstraint(
                fields=["kind", "translation_key"], name="bulk_one_id_per_page"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.external_id}"


class PendingImport(models.Model):
    """An uploaded file between its dry run and the office's go-ahead, then its import by
    the task worker (marketplace/office/bulk/applying.py): its state, the rows written so
    far and, once finished, the report."""

    class State(models.TextChoices):
        CHECKED = "checked", _("Checked, not applied")
        QUEUED = "queued", _("Waiting for the task worker")
        RUNNING = "running", _("Being imported")
        DONE = "done", _("Finished")

    filename = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=20, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.CHECKED
    )
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    # What the report page shows: written, summary and problems (applying.report_data).
    result = models.JSONField(_("result"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    content = models.BinaryField(_("content"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("pending import")
        verbose_name_plural = _("pending imports")

    def __str__(self) -> str:
        return self.filename
