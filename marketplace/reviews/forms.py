"""The consumer's review form."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from marketplace.reviews.models import MAX_NAME_LENGTH, MAX_TEXT_LENGTH
from marketplace.reviews.names import validate_shown_name
from marketplace.reviews.photos import ReviewPhotoField, clean_copy

RATING_CHOICES = [
    (5, _("5 stars: excellent")),
    (4, _("4 stars: good")),
    (3, _("3 stars: average")),
    (2, _("2 stars: poor")),
    (1, _("1 star: very poor")),
]


class ReviewForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Your rating"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose from 1 to 5 stars."),
            "invalid_choice": _("Choose from 1 to 5 stars."),
        },
    )
    text = forms.CharField(
        label=_("Your review"),
        required=False,
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=ngettext_lazy(
            "Optional, up to %(count)d character: what you liked, how it arrived, how you used it.",
            "Optional, up to %(count)d characters: what you liked, how it arrived, how you "
            "used it.",
            "count",
        )
        % {"count": MAX_TEXT_LENGTH},
    )
    shown_name = forms.CharField(
        label=_("Name shown with your review"),
        max_length=MAX_NAME_LENGTH,
        help_text=_("Your first name only: your full name, phone and email are never shown."),
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    photo = ReviewPhotoField(label=_("Photo"), required=False)

    def __init__(self, *args, full_name: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.full_name = full_name

    def clean_shown_name(self) -> str:
        return validate_shown_name(self.cleaned_data["shown_name"], self.full_name)

    def clean_photo(self):
        """A copy without metadata (see photos.clean_copy), or None without a photo."""
        upload = self.cleaned_data.get("photo")
        return clean_copy(upload) if upload else None
