"""OCOP certificates (the recognition decisions on a product's page, and the office's
verification of them), and the record of the expiry reminders sent about them."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable, TranslatableMixin

from marketplace.certificates import ocop
from marketplace.core.shared_facts import not_overridable

# Labels are built lazily so each request sees them in its own language.
_stars_label = lazy(lambda stars: gettext("%(n)s stars") % {"n": stars}, str)


class OcopCertificateQuerySet(models.QuerySet):
    def verified(self) -> "OcopCertificateQuerySet":
        return self.filter(status=OcopCertificate.Status.VERIFIED)

    def valid(self, on: datetime.date | None = None) -> "OcopCertificateQuerySet":
        """Certificates that count on a date (today): verified by the office and unexpired."""
        on = on or timezone.localdate()
        return self.verified().filter(issue_date__lte=on, expiry_date__gte=on)

    def with_public_scan(self) -> "OcopCertificateQuerySet":
        """Certificates whose scan anyone may see (the rule of OcopCertificate.scan_is_public)."""
        return self.verified().filter(document_public=True, document__isnull=False)


class OcopCertificate(TranslatableMixin, Orderable):
    """An OCOP recognition decision for the product (valid 36 months from signing).

    The producer enters it; the office verifies it against the decision
    (see marketplace/certificates/decisions.py). Only verified, unexpired certificates
    count.
    """

    class IssuingLevel(models.TextChoices):
        DISTRICT = "district", _("District (before July 2025)")
        PROVINCE = "province", _("Province")
        CENTRAL = "central", _("Central")

    # The level as shown next to the issuing body, where the choice's own bracket would
    # nest inside the body's: "UBND thị xã Điện Bàn – district level, until June 2025".
    LEVEL_LABELS = {
        "district": _("district level, until June 2025"),
        "province": _("province level"),
        "central": _("central level"),
    }

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting verification")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")
        REVOKED = "revoked", _("Revoked")

    # What the office checks against the decision: changing any of these after a
    # decision sends the certificate back for verification.
    CHECKED_FIELDS = (
        "stars",
        "decision_number",
        "issuing_level",
        "issue_date",
        "expiry_date",
        "document_id",
    )
    # What the public sees of certificates: verified ones (valid or expired) and revoked
    # ones, said plainly; pending and rejected claims are the office's business.
    PUBLIC_STATUSES = (Status.VERIFIED, Status.REVOKED)

    # The office's decision: never taken from a page revision (see keep_office_decision).
    DECISION_FIELDS = (
        "status",
        "status_reason",
        "status_changed_at",
        "status_changed_by_id",
        "document_public",
    )

    # A string: certificates sit above products, which never import this model.
    page = ParentalKey(
        "products.ProductPage", related_name="ocop_certificates", on_delete=models.CASCADE
    )
    stars = models.PositiveSmallIntegerField(
        _("stars"),
        choices=[(n, _stars_label(n)) for n in ocop.CERTIFIED_STARS],
        validators=[MinValueValidator(3), MaxValueValidator(5)],
        help_text=_("As rated on the certificate: 3, 4 or 5 stars."),
    )
    score = models.PositiveSmallIntegerField(
        _("evaluation score"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_("Out of 100, if known."),
    )
    decision_number = models.CharField(
        _("decision number"),
        max_length=100,
        help_text=_("As printed at the top of the decision, e.g. “1032/QĐ-UBND”."),
    )
    product_group = models.CharField(
        _("product group on the certificate"),
        max_length=200,
        blank=True,
        help_text=_("As written on the certificate; older ones use the 2019 groups."),
    )
    product_subgroup = models.CharField(
        _("product sub-group (Decision 148/2023)"),
        max_length=5,
        blank=True,
        choices=ocop.PRODUCT_SUBGROUPS,
        help_text=_(
            "The sub-group of Decision 148/2023, e.g. “1.5 Tea”. Leave empty for a "
            "certificate under the 2019 criteria."
        ),
    )
    issuing_level = models.CharField(
        _("issuing level"),
        max_length=10,
        choices=IssuingLevel.choices,
        help_text=_(
            "Before 24 February 2023: the province (5 stars: central). From then until "
            "June 2025 the district certified 3 stars; since July 2025: province or central."
        ),
    )
    issuing_body = models.CharField(
        _("issuing body"),
        max_length=200,
        help_text=_("As named on the decision, e.g. “People’s Committee of Quảng Nam province”."),
    )
    issue_date = models.DateField(
        _("issue date"), help_text=_("The date the decision was signed, e.g. 15/03/2024.")
    )
    expiry_date = models.DateField(
        _("expiry date"), blank=True, help_text=_("Leave empty for 36 months after issue.")
    )
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("scanned certificate"),
        null=True,
        blank=True,
        help_text=_(
            "A scan or clear photo of the whole decision (PDF or image): the office checks the "
            "certificate against it."
        ),
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("verification status"),
        max_length=10,
        choices=Status.choices,
        default=Status.PENDING,
        db_index=True,
    )
    status_reason = models.TextField(_("reason"), blank=True)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("status changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    document_public = models.BooleanField(
        _("show the scanned decision publicly"),
        default=False,
        help_text=_("The office allows the scan to be shown on the public verification page."),
    )

    objects = OcopCertificateQuerySet.as_manager()

    # The decision's facts are the same in every language (the office's decision too, see
    # keep_office_decision); the product group and issuing body as written are text.
    shared_fields = (
        "sort_order",
        "stars",
        "score",
        "decision_number",
        "issuing_level",
        "issue_date",
        "expiry_date",
        "document",
        "product_subgroup",
    )
    override_translatable_fields = not_overridable(shared_fields)

    # The producer edits the facts; the status is the office's, outside the editor.
    panels = [
        FieldRowPanel([FieldPanel("stars"), FieldPanel("score")]),
        FieldPanel("decision_number"),
        FieldRowPanel([FieldPanel("product_subgroup"), FieldPanel("product_group")]),
        FieldRowPanel([FieldPanel("issuing_level"), FieldPanel("issuing_body")]),
        FieldRowPanel([FieldPanel("issue_date"), FieldPanel("expiry_date")]),
        FieldPanel("document"),
    ]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("OCOP certificate")
        verbose_name_plural = _("OCOP certificates")

    def __str__(self) -> str:
        return f"OCOP {self.stars}★ {self.decision_number}"

    def clean(self) -> None:
        if self.issue_date and not self.expiry_date:
            self.expiry_date = ocop.default_expiry(self.issue_date)
        errors = ocop.certificate_errors(
            stars=self.stars,
            score=self.score,
            issuing_level=self.issuing_level,
            issue_date=self.issue_date,
            expiry_date=self.expiry_date,
            product_subgroup=self.product_subgroup,
            ocop_group=self._product_ocop_group(),
        )
        if errors:
            raise ValidationError(errors)

    def _product_ocop_group(self) -> int | None:
        """The OCOP group of the product's category, when the page and category are known."""
        try:
            return self.page.ocop_group if self.page.category_id else None
        except (models.ObjectDoesNotExist, AttributeError):
            return None

    @property
    def issuing_level_label(self) -> str:
        """The level for a sentence or a bracket (see LEVEL_LABELS)."""
        return str(self.LEVEL_LABELS.get(self.issuing_level, self.get_issuing_level_display()))

    def save(self, *args, **kwargs):
        if self.issue_date and not self.expiry_date:
            self.expiry_date = ocop.default_expiry(self.issue_date)
        self.keep_office_decision()
        super().save(*args, **kwargs)

    def keep_office_decision(self) -> None:
        """Take the status from the database, never from the page revision being saved.

        Publishing a page rewrites its certificate rows from the revision, which holds
        whatever status the row had when the revision was made. So the decision comes
        from this row as stored (or its other-language copy), and holds only while the
        checked facts are unchanged; anything else is pending.
        """
        recorded = OcopCertificate.objects.filter(
            models.Q(pk=self.pk) | models.Q(translation_key=self.translation_key)
        ).values("pk", *self.CHECKED_FIELDS, *self.DECISION_FIELDS)
        rows = sorted(recorded, key=lambda row: row["pk"] != self.pk)
        decision = dict.fromkeys(self.DECISION_FIELDS)
        decision.update(status=self.Status.PENDING, status_reason="", document_public=False)
        if rows and all(rows[0][name] == getattr(self, name) for name in self.CHECKED_FIELDS):
            decision = {name: rows[0][name] for name in self.DECISION_FIELDS}
        for name, value in decision.items():
            setattr(self, name, value)

    def in_validity_period(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.issue_date <= on <= self.expiry_date

    def is_valid(self, on: datetime.date | None = None) -> bool:
        """Counts for badges, facets and search: verified and unexpired."""
        return self.status == self.Status.VERIFIED and self.in_validity_period(on)

    def is_expired(self, on: datetime.date | None = None) -> bool:
        return (on or timezone.localdate()) > self.expiry_date

    @property
    def is_public(self) -> bool:
        """Shown on public pages (see PUBLIC_STATUSES): verified, or revoked."""
        return self.status in self.PUBLIC_STATUSES

    @property
    def scan_is_public(self) -> bool:
        """Public pages show (and anyone downloads) the scan only of a verified certificate
        the office allowed it for; a rejected or revoked one's is its producer's and the
        office's only (see marketplace.certificates.documents)."""
        return (
            self.document_id is not None
            and self.document_public
            and self.status == self.Status.VERIFIED
        )


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
