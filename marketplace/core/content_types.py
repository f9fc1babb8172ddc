"""Keeping a model's content type when the model moves to another app (for migrations).

Content types are referenced by id from permissions, tags, revisions, the reference index
and log entries: renaming the row's app label in place keeps every one of them.
"""

from collections.abc import Iterable


def move_content_types(apps, from_label: str, to_label: str, models: Iterable[str]) -> None:
    """Relabel the content types of `models` (lower-case names) from one app to another.

    Use in a RunPython operation of the migration that moves the models. A fresh database
    may have neither row yet (Django creates them after migrating); if both exist, the
    old one is kept, being the one that everything refers to.
    """
    content_types = apps.get_model("contenttypes", "ContentType")
    for model in models:
        old = content_types.objects.filter(app_label=from_label, model=model).first()
        if old is None:
            continue
        content_types.objects.filter(app_label=to_label, model=model).delete()
        old.app_label = to_label
        old.save(update_fields=["app_label"])


def content_types_mover(from_label: str, to_label: str, models: Iterable[str]):
    """RunPython functions (forwards, backwards) moving `models`' content types."""
    models = tuple(models)

    def forwards(apps, schema_editor) -> None:
        move_content_types(apps, from_label, to_label, models)

    def backwards(apps, schema_editor) -> None:
        move_content_types(apps, to_label, from_label, models)

    return forwards, backwards
