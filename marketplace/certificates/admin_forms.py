"""The office's decision forms: verify, reject with a reason, revoke with a reason.

A form only collects what the decision needs; marketplace.certificates.decisions decides
whether it is allowed, so a forged decision is refused there, with its message.
"""

from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext_lazy as _

from marketplace.certificates import decisions
from marketplace.certificates.models import OcopCertificate

Status = OcopCertificate.Status
MAX_REASON_LENGTH = 2000


class DecisionForm(forms.Form):
    decision: str
    submit_label = ""

    def __init__(self, *args, certificate: OcopCertificate, **kwargs) -> None:
        kwargs.setdefault("prefix", self.decision)
        super().__init__(*args, **kwargs)
        self.certificate = certificate

    def decide(self, user: AbstractBaseUser) -> OcopCertificate:
        raise NotImplementedError


class VerifyForm(DecisionForm):
    decision = Status.VERIFIED
    submit_label = _("Verify")

    show_document = forms.BooleanField(
        label=_("Show the scanned decision publicly"),
        required=False,
        help_text=_("On the certificate's public verification page."),
    )

    reason = forms.CharField(
        label=_("How did you check it without the scanned decision?"),
        max_length=MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For example: “Checked against the province's published list of OCOP decisions"
            " (Decision 1234/QĐ-UBND, 12/03/2024); no scan.” It is recorded with your name"
            " and the date."
        ),
        error_messages={"required": decisions.NO_SCAN_MESSAGE},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["show_document"].initial = self.certificate.document_public
        if self.certificate.document_id:
            del self.fields["reason"]  # the scan is the check
        else:
            del self.fields["show_document"]  # nothing to show

    def decide(self, user: AbstractBaseUser) -> OcopCertificate:
        show = bool(self.cleaned_data.get("show_document"))
        reason = self.cleaned_data.get("reason", "")
        return decisions.verify(self.certificate, user, show_document=show, reason=reason)


class ReasonForm(DecisionForm):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason for this decision.")},
    )


class RejectForm(ReasonForm):
    decision = Status.REJECTED
    submit_label = _("Reject")

    def decide(self, user: AbstractBaseUser) -> OcopCertificate:
        return decisions.reject(self.certificate, user, self.cleaned_data["reason"])


class RevokeForm(ReasonForm):
    decision = Status.REVOKED
    submit_label = _("Revoke")

    def decide(self, user: AbstractBaseUser) -> OcopCertificate:
        return decisions.revoke(self.certificate, user, self.cleaned_data["reason"])


DECISION_FORMS: dict[str, type[DecisionForm]] = {
    form.decision: form for form in (VerifyForm, RejectForm, RevokeForm)
}
