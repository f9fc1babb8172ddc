"""OCOP certificates move here from products, keeping their rows, ids and content type.

products' 0006_move_ocop_certificates let go of the model without touching the table;
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

from marketplace.core.content_types import content_types_mover


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("certificates", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("products", "0006_move_ocop_certificates"),
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
        migrations.RunPython(*content_types_mover("products", "certificates", ["ocopcertificate"])),
    ]
