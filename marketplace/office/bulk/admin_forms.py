from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from marketplace.office.bulk.reading import PRODUCERS, PRODUCTS

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_(
            "An .xlsx workbook with a “producers” and/or a “products” sheet, "
            "or a .csv file of one of them."
        ),
    )
    kind = forms.ChoiceField(
        label=_("A CSV file holds"),
        required=False,
        choices=[
            ("", _("recognise by its columns")),
            (PRODUCERS, _("producers")),
            (PRODUCTS, _("products")),
        ],
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("The file is larger than %(size)s MB.") % {"size": MAX_UPLOAD_BYTES // 2**20}
            )
        return upload


class ApplyForm(forms.Form):
    pending = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.CharField(required=False, widget=forms.HiddenInput)
