"""OCOP certificates move here from products, keeping their rows, ids and content type.

products' 0005_move_ocop_certificates let go of the model without touching the table;
here the model is taken up as it was (on the same table, state only), then the table is
renamed to certificates_ocopcertificate (no other table has a foreign key to it), and
the content type row is renamed in place: permissions, revisions, the reference index
and anything else keyed by its id keep working.
"""

import django.core.validators
import django.db.models.deletion
import modelcluster.fields
import uuid
from django.conf import settings
from django.db import migrations, models

MODEL = "ocopcertificate"


def move_content_type(apps, schema_editor, old_label: str, new_label: str) -> None:
    """Give the model's content type row `new_label`, keeping its id.

    There may be no row yet: post_migrate then makes it, with the new label. (A fresh
    database mostly has the old one already, made by the data migrations that create
    permissions, such as base's 0004_roles_and_workflow.) A row with the new label too was
    made by post_migrate when the new code migrated another app first: the old row's id
    is the one the data refers to, so it stays, and takes over the new row's grants.
    """
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    types = ContentType.objects.using(db)
    old = types.filter(app_label=old_label, model=MODEL).values_list("pk", flat=True).first()
    if old is None:
        return
    new = types.filter(app_label=new_label, model=MODEL).values_list("pk", flat=True).first()
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


def forwards(apps, schema_editor) -> None:
    move_content_type(apps, schema_editor, "products", "certificates")


def backwards(apps, schema_editor) -> None:
    move_content_type(apps, schema_editor, "certificates", "products")


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("certificates", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("products", "0005_move_ocop_certificates"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The model as products had it, on the same table: state only.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="OcopCertificate",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("translation_key", models.UUIDField(default=uuid.uuid4, editable=False)),
                        ("sort_order", models.IntegerField(blank=True, editable=False, null=True)),
                        (
                            "stars",
                            models.PositiveSmallIntegerField(
                                choices=[(3, "3 stars"), (4, "4 stars"), (5, "5 stars")],
                                validators=[
                                    django.core.validators.MinValueValidator(3),
                                    django.core.validators.MaxValueValidator(5),
                                ],
                                verbose_name="stars",
                            ),
                        ),
                        (
                            "score",
                            models.PositiveSmallIntegerField(
                                blank=True,
                                help_text="Out of 100, if known.",
                                null=True,
                                validators=[django.core.validators.MaxValueValidator(100)],
                                verbose_name="evaluation score",
                            ),
                        ),
                        (
                            "decision_number",
                            models.CharField(
                                help_text="e.g. “1032/QĐ-UBND”.",
                                max_length=100,
                                verbose_name="decision number",
                            ),
                        ),
                        (
                            "product_group",
                            models.CharField(
                                blank=True,
                                help_text="As written on the certificate; older ones use the 2019 groups.",
                                max_length=200,
                                verbose_name="product group on the certificate",
                            ),
                        ),
                        (
                            "issuing_level",
                            models.CharField(
                                choices=[
                                    ("district", "District (before July 2025)"),
                                    ("province", "Province"),
                                    ("central", "Central"),
                                ],
                                max_length=10,
                                verbose_name="issuing level",
                            ),
                        ),
                        (
                            "issuing_body",
                            models.CharField(max_length=200, verbose_name="issuing body"),
                        ),
                        ("issue_date", models.DateField(verbose_name="issue date")),
                        (
                            "expiry_date",
                            models.DateField(
                                blank=True,
                                help_text="Leave empty for 36 months after issue.",
                                verbose_name="expiry date",
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("pending", "Awaiting verification"),
                                    ("verified", "Verified"),
                                    ("rejected", "Rejected"),
                                    ("revoked", "Revoked"),
                                ],
                                db_index=True,
                                default="pending",
                                max_length=10,
                                verbose_name="verification status",
                            ),
                        ),
                        ("status_reason", models.TextField(blank=True, verbose_name="reason")),
                        (
                            "status_changed_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="status changed at"
                            ),
                        ),
                        (
                            "document_public",
                            models.BooleanField(
                                default=False,
                                help_text="The office allows the scan to be shown on the public verification page.",
                                verbose_name="show the scanned decision publicly",
                            ),
                        ),
                        (
                            "document",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="wagtaildocs.document",
                                verbose_name="scanned certificate",
                            ),
                        ),
                        (
                            "locale",
                            models.ForeignKey(
                                editable=False,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="wagtailcore.locale",
                                verbose_name="locale",
                            ),
                        ),
                        (
                            "page",
                            modelcluster.fields.ParentalKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="ocop_certificates",
                                to="products.productpage",
                            ),
                        ),
                        (
                            "status_changed_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="status changed by",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "OCOP certificate",
                        "verbose_name_plural": "OCOP certificates",
                        "db_table": "products_ocopcertificate",
                        "ordering": ["sort_order"],
                        "abstract": False,
                        "unique_together": {("translation_key", "locale")},
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="ocopcertificate", table=None),
        migrations.RunPython(forwards, backwards),
    ]
