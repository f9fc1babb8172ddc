"""The image fields point at core.CustomImage (see core 0001): state only, as the table
and the foreign keys in the database do not change."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("products", "0004_share_facts_across_translations"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="productimage",
                    name="image",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="core.customimage",
                        verbose_name="image",
                    ),
                ),
            ],
        ),
    ]
