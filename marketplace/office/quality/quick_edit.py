"""Quick edits of price and availability from "My products": one form, many rows.

Decision: price and availability are facts, not claims, so they are published at once,
without the office's approval, for producers too (a cooperative that sold out says so
today). They go through Wagtail's revisions (history, audit log, search, English
translation): see marketplace.core.fact_updates, which also keeps a draft waiting for
approval pending. Everything else (text, photos, certificates) still goes through the
editor and its moderation.

Every row is checked (the user may edit the product, the model's own rules hold for
each version of the page) before anything is written; then all rows are written in one
transaction, or none.
"""

from dataclasses import dataclass, field

from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from marketplace.core.fact_updates import update_facts, versions, with_facts
from marketplace.inquiries.admin_forms import VndAmountField, format_vnd_input
from marketplace.office.quality.my_products import FACTS, shown_facts
from products.models import MAX_PRICE_VND, ProductPage

# The hidden input listing the products a posted form edits.
ROW_IDS = "product"
# More rows than a listing page shows is no honest form.
MAX_ROWS = 200

NOT_YOURS = _("You may not edit this product: it is not one of yours, or no longer exists.")
LOCKED = _("This product is locked by another user: try again later.")
TOO_MANY = _("Too many products at once: save at most %(max)s.")
BAD_IDS = _("The form was not sent correctly: reload the page and try again.")


class GroupedAmountInput(forms.TextInput):
    """Shows 120000 as "120.000", as people write it (VndAmountField reads both)."""

    def format_value(self, value):
        if isinstance(value, int):
            return format_vnd_input(value)
        return super().format_value(value)


class QuickEditForm(forms.Form):
    """One product's row. Its fields are the model's (labels, limits)."""

    price_vnd = VndAmountField(
        label=_("Price (VND)"),
        required=False,
        min_value=1,
        max_value=MAX_PRICE_VND,
        widget=GroupedAmountInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "size": 12}
        ),
    )
    price_on_request = forms.BooleanField(label=_("Price on request"), required=False)
    availability = forms.ChoiceField(
        label=_("Availability"), choices=ProductPage.Availability.choices
    )

    def __init__(self, *args, product: ProductPage, **kwargs):
        self.product = product
        super().__init__(
            *args, prefix=row_prefix(product.pk), initial=shown_facts(product), **kwargs
        )

    def changed_facts(self) -> dict:
        """The facts the user changed on this row (validated)."""
        facts = {name: self.cleaned_data[name] for name in FACTS if name in self.changed_data}
        if facts.get("availability", ProductPage.Availability.SEASONAL) != (
            ProductPage.Availability.SEASONAL
        ):
            facts["season_months"] = []  # as the editor's validation clears them
        return facts


def row_prefix(page_id: int) -> str:
    return f"product-{page_id}"


def posted_ids(data: QueryDict) -> list[int]:
    """The product ids a form posted; ValidationError when they are not ids."""
    values = data.getlist(ROW_IDS)
    if len(values) > MAX_ROWS:
        raise ValidationError(TOO_MANY, params={"max": MAX_ROWS})
    try:
        ids = [int(value) for value in values]
    except ValueError:
        raise ValidationError(BAD_IDS) from None
    if len(set(ids)) != len(ids):
        raise ValidationError(BAD_IDS)
    return ids


def fact_errors(product: ProductPage, facts: dict) -> dict[str, list[str]]:
    """The model's own validation of the new facts, on the live page and on its draft.

    Only the facts (and the fields their rules read) are validated: the rest of a
    version is the editor's business."""
    checked = {*FACTS, "season_months"}
    exclude = [f.name for f in ProductPage._meta.get_fields() if f.name not in checked]
    errors: dict[str, list[str]] = {}
    for version in versions(product):
        try:
            with_facts(version, facts).full_clean(
                exclude=exclude, validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                for message in messages:
                    if message not in errors.setdefault(name, []):
                        errors[name].append(message)
    return errors


def may_edit(product: ProductPage, user: AbstractBaseUser) -> str | None:
    """Why the user may not change this product's facts, or None."""
    if not product.permissions_for_user(user).can_edit():
        return str(NOT_YOURS)
    if product.locked and product.locked_by_id != user.pk:
        return str(LOCKED)
    return None


@dataclass
class QuickEdit:
    """A posted quick-edit form: its rows, and what is wrong with the whole."""

    forms: dict[int, QuickEditForm] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def changed(self) -> list[QuickEditForm]:
        return [form for form in self.forms.values() if form.changed_facts()]

    def is_valid(self) -> bool:
        return not self.errors and all(form.is_valid() for form in self.forms.values())


def read_quick_edit(data: QueryDict, products, user: AbstractBaseUser) -> QuickEdit:
    """Bind and check every posted row against `products` (those the user may see)."""
    edit = QuickEdit()
    try:
        ids = posted_ids(data)
    except ValidationError as error:
        edit.errors.extend(error.messages)
        return edit
    found = {product.pk: product for product in products.filter(pk__in=ids)}
    if len(found) != len(ids):
        edit.errors.append(str(NOT_YOURS))
        return edit
    for page_id in ids:
        product = found[page_id]
        form = QuickEditForm(data, product=product)
        edit.forms[page_id] = form
        if not form.is_valid() or not form.changed_facts():
            continue
        refusal = may_edit(product, user)
        if refusal:
            form.add_error(None, refusal)
            continue
        for name, messages in fact_errors(product, form.changed_facts()).items():
            target = name if name in form.fields else None
            for message in messages:
                form.add_error(None if name == NON_FIELD_ERRORS else target, message)
    return edit


def save_quick_edit(edit: QuickEdit, user: AbstractBaseUser) -> int:
    """Write every changed row, all or none. Returns how many products changed."""
    changed = edit.changed
    with transaction.atomic():
        for form in changed:
            update_facts(form.product, form.changed_facts(), user)
    return len(changed)
