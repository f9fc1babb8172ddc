"""Form fields that choose an object (an image, a document, a page) accept only what the
user may choose.

A chooser offers the user only what they may choose, but the form behind it takes any id
that is posted: a crafted POST could put somebody else's private image into a gallery.
So every admin form built on ChooserScopeFormMixin narrows the queryset of each of its
choice fields, and of the fields of its inline rows, to what the user may choose. The
apps say what that is through the `construct_chooser_field_queryset` hook:
`fn(queryset, user) -> queryset`, returning the same queryset when it has no rule for
its model. StreamFields hold object ids too (an image block, a page link in rich text):
their objects are checked against the same rule when the form is cleaned. A field keeps
accepting the objects it already holds, so a form never fails on a value the user did
not touch.
"""

from collections import defaultdict

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.blocks import Block, BlockField

CHOOSER_FIELD_HOOK = "construct_chooser_field_queryset"

NOT_AVAILABLE = _("You may not use this item: choose another one.")


def choosable(queryset: QuerySet, user) -> QuerySet:
    """What of `queryset` the user may choose, by the apps' hooks."""
    for hook in hooks.get_hooks(CHOOSER_FIELD_HOOK):
        queryset = hook(queryset, user)
    return queryset


def _current_values(field: forms.ModelChoiceField, value) -> list:
    """The key(s) of the object(s) a field holds: instances or keys, one or a list."""
    key = field.to_field_name or "pk"
    values = value if isinstance(value, list | tuple) else [value]
    return [getattr(item, key, item) for item in values if item not in (None, "")]


def narrow_choice_fields(form: forms.BaseForm, user) -> None:
    """Narrow the choice fields of `form` and of its inline forms (at any depth)."""
    for name, field in form.fields.items():
        if not isinstance(field, forms.ModelChoiceField) or field.disabled:
            continue
        narrowed = choosable(field.queryset, user)
        if narrowed is field.queryset:
            continue
        current = _current_values(field, form.initial.get(name))
        kept = field.queryset.filter(**{f"{field.to_field_name or 'pk'}__in": current})
        field.queryset = narrowed | kept
        field.error_messages = {**field.error_messages, "invalid_choice": NOT_AVAILABLE}
    for formset in getattr(form, "formsets", {}).values():
        for child in formset.forms:
            narrow_choice_fields(child, user)


def _references(block: Block, value) -> dict[type, set[str]]:
    """The objects a StreamField value refers to, by model: {model: {pk, …}}."""
    found = defaultdict(set)
    if value is not None:
        for model, pk, _path, _content_path in block.extract_references(value):
            found[model].add(str(pk))
    return found


def refers_to_unchoosable(block: Block, value, initial, user) -> bool:
    """Whether a StreamField value newly refers to an object the user may not choose."""
    kept = _references(block, initial)
    for model, pks in _references(block, value).items():
        added = pks - kept[model]
        if not added:
            continue
        queryset = model._default_manager.filter(pk__in=added)
        narrowed = choosable(queryset, user)
        if narrowed is not queryset and narrowed.count() < len(added):
            return True
    return False


class ChooserScopeFormMixin:
    """For WagtailAdminModelForm subclasses: they know their user (`for_user`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None:
            narrow_choice_fields(self, self.for_user)

    def clean(self):
        cleaned_data = super().clean()
        if self.for_user is None:
            return cleaned_data
        for name, field in self.fields.items():
            if not isinstance(field, BlockField) or field.disabled or name not in cleaned_data:
                continue
            initial = self.initial.get(name)
            if refers_to_unchoosable(field.block, cleaned_data[name], initial, self.for_user):
                self.add_error(name, NOT_AVAILABLE)
        return cleaned_data
