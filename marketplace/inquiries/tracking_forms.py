"""Forms of the tracking pages: cancelling a request, and finding one again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.inquiries.lookup import normalise_phone, normalise_reference

MAX_DETAILS = 500


class CancelReason(forms.Form):
    """Why the consumer cancels: a reason from a short list, details optional but for
    "another reason". The producer reads it as the note of the cancellation."""

    REASONS = [
        ("elsewhere", _("I found the products elsewhere")),
        ("changed_mind", _("I no longer need them")),
        ("mistake", _("I made a mistake in my request")),
        ("no_answer", _("The producer has not answered")),
        ("other", _("Another reason")),
    ]

    reason = forms.ChoiceField(
        label=_("Why do you cancel?"),
        choices=REASONS,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose why you cancel."),
            "invalid_choice": _("Choose one of the reasons in the list."),
        },
    )
    details = forms.CharField(
        label=_("Anything to add for the producer (optional)"),
        max_length=MAX_DETAILS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": _("Keep it under %(limit_value)d characters (now %(show_value)d)."),
        },
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "cancel-%s")
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == "other" and not cleaned.get("details", "").strip():
            self.add_error("details", _("Tell the producer your reason."))
        return cleaned

    def note(self) -> str:
        """The reason as the producer and the consumer read it on the timeline."""
        label = str(dict(self.REASONS)[self.cleaned_data["reason"]])
        details = self.cleaned_data["details"].strip()
        return f"{label}: {details}" if details else label


class FindRequest(forms.Form):
    reference = forms.CharField(
        label=_("Reference"),
        max_length=40,
        help_text=_("As in the confirmation page or email, e.g. DB-2026-000123."),
        error_messages={"required": _("Enter the reference of your request.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=40,
        help_text=_("The one you gave in the request, e.g. 0905 123 456 or +44 7700 900123."),
        error_messages={"required": _("Enter the phone number you gave in your request.")},
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "find-%s")
        super().__init__(*args, **kwargs)

    def clean_reference(self) -> str:
        reference = normalise_reference(self.cleaned_data["reference"])
        if reference is None:
            raise forms.ValidationError(
                _("Enter the reference as it is written, e.g. DB-2026-000123."), code="invalid"
            )
        return reference

    def clean_phone(self) -> str:
        phone = normalise_phone(self.cleaned_data["phone"])
        if phone is None:
            raise forms.ValidationError(
                _(
                    "Enter a phone number, e.g. 0905 123 456, or a foreign one with its "
                    "country code, e.g. +44 7700 900123."
                ),
                code="invalid",
            )
        return phone
