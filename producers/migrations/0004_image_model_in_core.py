"""The image fields point at core.CustomImage (see core 0001): state only, as the table
and the foreign keys in the database do not change."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("producers", "0003_share_facts_across_translations"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="craftvillage",
                    name="image",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="core.customimage",
                        verbose_name="image",
                    ),
                ),
                migrations.AlterField(
                    model_name="producerpage",
                    name="cover_image",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="core.customimage",
                        verbose_name="cover image",
                    ),
                ),
                migrations.AlterField(
                    model_name="producerpage",
                    name="logo",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="core.customimage",
                        verbose_name="logo",
                    ),
                ),
            ],
        ),
    ]
