"""Keeping a model's content type when the model moves to another app (for migrations).

Content types are referenced by id from permissions, tags, revisions, the reference index
and log entries: renaming the row's app label in place keeps every one of them.
"""

from collections.abc import Callable, Iterable

from django.conf import settings


def move_content_type(apps, schema_editor, model: str, old_label: str, new_label: str) -> None:
    """Give `model`'s content type row `new_label`, keeping its id.

    There may be no row yet: post_migrate then makes it, with the new label. (A fresh
    database mostly has the old one already, made by the data migrations that create
    permissions, such as base's 0004_roles_and_workflow.) A row with the new label too was
    made by post_migrate when the new code migrated another app first: the old row's id
    is the one the data refers to, so it stays, and takes over the new row's grants.
    """
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    types = ContentType.objects.using(db)
    old = types.filter(app_label=old_label, model=model).values_list("pk", flat=True).first()
    if old is None:
        return
    new = types.filter(app_label=new_label, model=model).values_list("pk", flat=True).first()
    if new is not None:
        merge_permissions(apps, schema_editor, source=new, target=old)
        delete_by_id(schema_editor, ContentType, [new])
    types.filter(pk=old).update(app_label=new_label)


def merge_permissions(apps, schema_editor, source: int, target: int) -> None:
    """Hand the permissions of content type `source` over to content type `target`: the
    groups and users granted one of them get `target`'s permission of the same codename."""
    Permission = apps.get_model("auth", "Permission")
    db = schema_editor.connection.alias
    permissions = Permission.objects.using(db)
    grants = [
        (apps.get_model("auth", "Group").permissions.through, "group_id"),
        (apps.get_model(settings.AUTH_USER_MODEL).user_permissions.through, "user_id"),
    ]
    kept = dict(permissions.filter(content_type_id=target).values_list("codename", "pk"))
    merged = []
    for pk, codename in permissions.filter(content_type_id=source).values_list("pk", "codename"):
        if codename not in kept:
            permissions.filter(pk=pk).update(content_type_id=target)
            continue
        for through, owner in grants:
            rows = through.objects.using(db)
            granted = rows.filter(permission_id=kept[codename]).values_list(owner, flat=True)
            rows.filter(permission_id=pk).exclude(**{f"{owner}__in": granted}).update(
                permission_id=kept[codename]
            )
            rows.filter(permission_id=pk).delete()
        merged.append(pk)
    delete_by_id(schema_editor, Permission, merged)


def delete_by_id(schema_editor, model, ids: list[int]) -> None:
    """Delete rows whose dependants are gone already, in SQL: Django's deletion collector
    trips over historical models re-rendered on the way back ("Must be a Permission
    instance")."""
    if ids:
        table = schema_editor.quote_name(model._meta.db_table)
        placeholders = ", ".join(["%s"] * len(ids))
        schema_editor.execute(f"DELETE FROM {table} WHERE id IN ({placeholders})", ids)


def content_types_mover(
    old_label: str, new_label: str, models: Iterable[str]
) -> tuple[Callable, Callable]:
    """RunPython functions (forwards, backwards) moving `models`' (lower-case names)
    content types from one app label to another."""
    models = tuple(models)

    def forwards(apps, schema_editor) -> None:
        for model in models:
            move_content_type(apps, schema_editor, model, old_label, new_label)

    def backwards(apps, schema_editor) -> None:
        for model in models:
            move_content_type(apps, schema_editor, model, new_label, old_label)

    return forwards, backwards
