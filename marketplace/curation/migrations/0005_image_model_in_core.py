"""The image fields point at core.CustomImage (see core 0001): state only, as the table
and the foreign keys in the database do not change."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("curation", "0004_home_page_blocks_office_permissions"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="featuredcollection",
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
                    model_name="heroslide",
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
            ],
        ),
    ]
