"""The office's decisions on OCOP certificates, and what the public is told.

A certificate a producer enters is pending until the office checks it against the
decision document: verified, or rejected with a reason. A verified certificate can
later be revoked with a reason (the province revokes certificates that fail
re-assessment). Only verified, unexpired certificates count anywhere.
"""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, Value, When
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.certificates.models import OcopCertificate
from marketplace.core.office import is_office_user
from marketplace.core.page_cache import bump_generation

Status = OcopCertificate.Status

# A verified certificate is "expiring" this many days before its last valid day.
EXPIRING_DAYS = 60

# Sent after a decision commits, with the ids of the product pages whose certificates
# changed (every language), so badges and the search index follow at once.
certificate_status_changed = Signal()

ALLOWED = {
    Status.VERIFIED: {Status.PENDING, Status.REJECTED},
    Status.REJECTED: {Status.PENDING},
    Status.REVOKED: {Status.VERIFIED},
}


NO_SCAN_MESSAGE = _(
    "No scanned decision is uploaded: ask the producer for it, or say how you checked the"
    " certificate without it."
)


class CertificateStatusError(ValidationError):
    """A decision the certificate's current status does not allow, or one without a reason."""


def can_decide(user: AbstractBaseUser | None) -> bool:
    """Only the office (or a superuser) verifies, rejects and revokes."""
    return user is not None and is_office_user(user)


def allowed_decisions(certificate: OcopCertificate) -> list[str]:
    return [status for status, sources in ALLOWED.items() if certificate.status in sources]


def verify(
    certificate: OcopCertificate,
    user: AbstractBaseUser | None,
    *,
    show_document: bool = False,
    reason: str = "",
) -> OcopCertificate:
    """Record that the certificate matches its decision document.

    The office checks the scanned decision; without one it says how it checked instead
    (`reason`, e.g. against the province's published list), recorded with who and when.
    """
    return _decide(certificate, user, Status.VERIFIED, reason, show_document=show_document)


def reject(
    certificate: OcopCertificate, user: AbstractBaseUser | None, reason: str
) -> OcopCertificate:
    return _decide(certificate, user, Status.REJECTED, reason)


def revoke(
    certificate: OcopCertificate, user: AbstractBaseUser | None, reason: str
) -> OcopCertificate:
    """Withdraw a verified certificate: its badge disappears at once, search included."""
    return _decide(certificate, user, Status.REVOKED, reason)


def _decide(
    certificate: OcopCertificate,
    user: AbstractBaseUser | None,
    status: str,
    reason: str,
    *,
    show_document: bool | None = None,
) -> OcopCertificate:
    # user=None is the system itself (demo data, tests' factories), never a request.
    if user is not None and not can_decide(user):
        raise PermissionDenied
    reason = (reason or "").strip()
    if status in (Status.REJECTED, Status.REVOKED) and not reason:
        raise CertificateStatusError(_("Give the reason for this decision."), code="no_reason")
    with transaction.atomic():
        current = OcopCertificate.objects.select_for_update().get(pk=certificate.pk)
        if current.status not in ALLOWED[status]:
            raise CertificateStatusError(
                _("A certificate that is “%(current)s” cannot become “%(new)s”."),
                code="not_allowed",
                params={
                    "current": current.get_status_display(),
                    "new": Status(status).label,
                },
            )
        # The system (user=None: demo data, fixtures) verifies what it made itself.
        if status == Status.VERIFIED and user is not None and not current.document_id:
            if not reason:
                raise CertificateStatusError(NO_SCAN_MESSAGE, code="no_scan")
        decision = {
            "status": status,
            "status_reason": reason,
            "status_changed_at": timezone.now(),
            "status_changed_by": user,
        }
        if show_document is not None:
            decision["document_public"] = show_document
        # The copies in other languages share the decision while they state the same facts.
        copies = [
            copy
            for copy in OcopCertificate.objects.filter(translation_key=current.translation_key)
            if all(getattr(copy, f) == getattr(current, f) for f in current.CHECKED_FIELDS)
        ]
        OcopCertificate.objects.filter(pk__in=[copy.pk for copy in copies]).update(**decision)
        # An UPDATE sends no save signal: the badge and verification pages change now.
        bump_generation()
        page_ids = sorted({copy.page_id for copy in copies})
        transaction.on_commit(
            lambda: certificate_status_changed.send(sender=OcopCertificate, page_ids=page_ids)
        )
    certificate.refresh_from_db()
    return certificate


def validity(certificate: OcopCertificate, on: datetime.date | None = None) -> str:
    """By its dates alone, whatever its status: "expired", "expiring" (within
    EXPIRING_DAYS of its last valid day) or "valid"."""
    on = on or timezone.localdate()
    if certificate.is_expired(on):
        return "expired"
    if certificate.expiry_date - on <= datetime.timedelta(days=EXPIRING_DAYS):
        return "expiring"
    return "valid"


def validity_rank(on: datetime.date | None = None) -> Case:
    """An SQL expression ordering expired certificates first, then expiring ones."""
    on = on or timezone.localdate()
    return Case(
        When(expiry_date__lt=on, then=Value(0)),
        When(expiry_date__lte=on + datetime.timedelta(days=EXPIRING_DAYS), then=Value(1)),
        default=Value(2),
    )


def public_status(certificate: OcopCertificate, on: datetime.date | None = None) -> str:
    """What the verification page says: valid, expiring, expired, revoked, pending or rejected."""
    if certificate.status != Status.VERIFIED:
        return certificate.status
    return validity(certificate, on)
