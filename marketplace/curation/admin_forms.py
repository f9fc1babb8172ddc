"""The curation's admin forms."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.models import Locale, Page


def check_same_locale(page: Page | None, locale_id: int | None, field_name: str) -> None:
    """Refuse a page in another language than the entry: a Vietnamese collection shows
    Vietnamese pages (the chooser offers only those; a crafted form is refused too)."""
    if page is None or locale_id is None or page.locale_id == locale_id:
        return
    raise ValidationError(
        {
            field_name: _("Choose a page in the language of this entry (%(language)s).")
            % {"language": Locale.objects.get(pk=locale_id).get_display_name()}
        }
    )


# Inline rows that choose pages, and their page fields.
PAGE_ROWS = {"items": ("product", "producer")}


class SameLanguagePagesForm(WagtailAdminModelForm):
    """Refuses inline rows whose page is in another language than the entry.

    The rows cannot check it themselves: an unsaved row does not know its collection yet.
    """

    def clean(self):
        cleaned_data = super().clean()
        for name, fields in PAGE_ROWS.items():
            formset = self.formsets.get(name)
            for row in formset.forms if formset is not None else []:
                if not row.is_valid() or row.cleaned_data.get("DELETE"):
                    continue
                for field in fields:
                    try:
                        check_same_locale(
                            row.cleaned_data.get(field), self.instance.locale_id, field
                        )
                    except ValidationError as error:
                        row.add_error(None, error)
        return cleaned_data
