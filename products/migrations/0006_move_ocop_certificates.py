"""OCOP certificates move to marketplace.certificates: products lets go of the model.

Only the migration state changes here; the table and its rows stay as they are, and
certificates' 0002_ocop_certificate_model takes the model up (and renames the table).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("products", "0005_image_model_in_core"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="OcopCertificate")],
            database_operations=[],
        ),
    ]
