"""The image model has moved to core (see core 0001): the site shell's state forgets it.

State only: the tables base_customimage and base_customrendition now belong to core.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("base", "0006_private_documents"),
        ("core", "0001_initial"),
        ("curation", "0005_image_model_in_core"),
        ("producers", "0004_image_model_in_core"),
        ("products", "0005_image_model_in_core"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="homepage",
                    name="hero_image",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="core.customimage",
                        verbose_name="hero image",
                    ),
                ),
                migrations.DeleteModel(name="CustomRendition"),
                migrations.DeleteModel(name="CustomImage"),
            ],
        ),
    ]
