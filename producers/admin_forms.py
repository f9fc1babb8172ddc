from django import forms
from django.utils.translation import gettext_lazy as _


class ProducerAccountForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("The producer logs in with this address."),
    )
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
