"""Facts that are not language: one value for every translation of a page or snippet.

Price, availability, pictures, certificates, coordinates and payment settings are facts;
titles and descriptions are language. A model names its facts in `shared_fields` and
the inline rows that hold facts in `shared_child_relations`; an inline model names its
own facts in `shared_fields` (its other fields are text, kept per language). Inline
rows are matched across languages by translation key, or by `translation_match_field`
for rows that have none (a gallery's image).

The object in the default locale (Vietnamese) is the source of its facts:

- saving it hands its facts to every translation, in the same transaction;
- saving a translation (publishing its revision, wagtail-localize's sync, any direct
  save) first takes the facts from the source, and so does loading a translation's
  revision (the editor and previews show the source's facts).

So a translation never holds facts of its own, whatever path wrote it, and readers
(pages, search records, inquiries) read any language's row and get the same facts.
"""

from collections import defaultdict
from collections.abc import Iterable
from typing import Any, ClassVar

from django.db import models
from django.dispatch import Signal
from wagtail.models import Locale, Page, TranslatableMixin
from wagtail_localize.fields import SynchronizedField

# Sent after a source's facts were copied to translations: sender is the model, with
# `source` and `translations` (those whose facts changed). The search listens.
shared_facts_changed = Signal()


class SharedFactsMixin:
    """For translatable models (pages or snippets) whose facts all languages share.

    Put it before `Page` (or the model base) in the bases.
    """

    shared_fields: ClassVar[tuple[str, ...]] = ()
    shared_child_relations: ClassVar[tuple[str, ...]] = ()

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        writes_facts = _writes_shared_facts(type(self), update_fields)
        source = facts_source(self) if writes_facts else None
        if source is not None:
            copy_shared_facts(source, self)
        super().save(*args, **kwargs)
        if writes_facts and source is None:
            share_facts(self)

    def with_content_json(self, content):
        """A revision of a translation, with the source's facts as they are now."""
        page = super().with_content_json(content)
        source = facts_source(page)
        if source is not None:
            copy_shared_facts(source, page)
        return page


def not_overridable(names: Iterable[str]) -> list[SynchronizedField]:
    """For `override_translatable_fields`: wagtail-localize's translation editor shows these
    facts and lets nobody change them (sort_order it leaves alone anyway)."""
    return [SynchronizedField(name, overridable=False) for name in names if name != "sort_order"]


def _writes_shared_facts(model: type, update_fields: Iterable[str] | None) -> bool:
    if update_fields is None:
        return True
    names = {*model.shared_fields, *model.shared_child_relations}
    return not names.isdisjoint(update_fields)


def facts_source(instance: models.Model) -> models.Model | None:
    """The translation in the default locale whose facts `instance` shares, or None when
    `instance` is that translation (or has none: then it is its own source)."""
    default = Locale.get_default()
    if instance.locale_id == default.pk or instance.translation_key is None:
        return None
    return (
        type(instance)
        ._default_manager.filter(translation_key=instance.translation_key, locale=default)
        .first()
    )


def translations_of(source: models.Model) -> models.QuerySet:
    return (
        type(source)
        ._default_manager.filter(translation_key=source.translation_key)
        .exclude(pk=source.pk)
    )


def share_facts(source: models.Model) -> list[models.Model]:
    """Copy `source`'s facts to each of its translations that differs; returns those."""
    changed_translations = []
    for translation in translations_of(source):
        changed = copy_shared_facts(source, translation)
        if changed:
            _save_facts(translation, changed)
            changed_translations.append(translation)
    if changed_translations:
        shared_facts_changed.send(
            sender=type(source), source=source, translations=changed_translations
        )
    return changed_translations


def _save_facts(translation: models.Model, names: list[str]) -> None:
    """Save only these facts, without taking them from the source again."""
    options: dict[str, Any] = {"update_fields": names}
    if isinstance(translation, Page):
        options["clean"] = False  # the source was validated; the text is not ours to check
    super(SharedFactsMixin, translation).save(**options)


def copy_shared_facts(source: models.Model, target: models.Model) -> list[str]:
    """Set `target`'s facts (in memory) from `source`; returns the names that changed."""
    model = type(target)
    changed = []
    for name in model.shared_fields:
        field = model._meta.get_field(name)
        value = translated_value(field, getattr(source, field.attname), target.locale_id)
        if getattr(target, field.attname) != value:
            setattr(target, field.attname, value)
            changed.append(name)
    for relation in model.shared_child_relations:
        if _copy_child_facts(source, target, relation):
            changed.append(relation)
    return changed


def translated_value(field: models.Field, value: Any, locale_id: int) -> Any:
    """A foreign key to a translatable snippet points at the snippet's translation in
    `locale_id` (the source's own when it has none yet); other values stay as they are."""
    related = field.related_model if field.is_relation else None
    if value is None or related is None or not issubclass(related, TranslatableMixin):
        return value
    if issubclass(related, Page):
        return value
    translated = related._default_manager.filter(
        translation_key=models.Subquery(
            related._default_manager.filter(pk=value).values("translation_key")[:1]
        ),
        locale_id=locale_id,
    ).values_list("pk", flat=True)
    return translated.first() or value


def _match_key(row: models.Model) -> Any:
    if isinstance(row, TranslatableMixin):
        return row.translation_key
    field = row._meta.get_field(type(row).translation_match_field)
    return getattr(row, field.attname)


def _facts_of(rows: list[models.Model], fields: list[models.Field]) -> list[tuple]:
    return [(row.pk, *(getattr(row, field.attname) for field in fields)) for row in rows]


def _new_row(source_row: models.Model, target: models.Model) -> models.Model:
    """A copy of another language's row for `target`: its text stays until translated."""
    model = type(source_row)
    row = model(
        **{
            field.attname: getattr(source_row, field.attname)
            for field in model._meta.concrete_fields
            if not field.primary_key
        }
    )
    if isinstance(row, TranslatableMixin):
        row.locale_id = target.locale_id
    return row


def _copy_child_facts(source: models.Model, target: models.Model, relation: str) -> bool:
    """Give `target` the source's inline rows: the same rows with the same facts, each
    keeping its own text where it has a counterpart. True when anything changed."""
    model = target._meta.get_field(relation).related_model
    fields = [model._meta.get_field(name) for name in model.shared_fields]
    current = list(getattr(target, relation).all())
    before = _facts_of(current, fields)
    unmatched = defaultdict(list)
    for row in current:
        unmatched[_match_key(row)].append(row)
    rows = []
    for source_row in getattr(source, relation).all():
        candidates = unmatched[_match_key(source_row)]
        row = candidates.pop(0) if candidates else _new_row(source_row, target)
        for field in fields:
            value = getattr(source_row, field.attname)
            setattr(row, field.attname, translated_value(field, value, target.locale_id))
        rows.append(row)
    if _facts_of(rows, fields) == before:
        return False
    setattr(target, relation, rows)
    return True
