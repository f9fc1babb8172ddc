"""The office's workflow and task get stable English names, which are also msgids:
marketplace.base.admin_names shows them in the admin user's language. Admin users without
a preferred language get the site's (marketplace.base.admin_language)."""

from django.conf import settings
from django.db import migrations

RENAMES = {
    "Workflow": [("Agriculture office approval", "OCOP listing approval")],
    "Task": [("Agriculture office review", "Office review")],
}


def rename(apps, pairs_index: int) -> None:
    for model_name, pairs in RENAMES.items():
        model = apps.get_model("wagtailcore", model_name)
        for pair in pairs:
            old, new = pair if pairs_index == 0 else pair[::-1]
            model.objects.filter(name=old).update(name=new)


def forwards(apps, schema_editor):
    rename(apps, 0)
    UserProfile = apps.get_model("wagtailusers", "UserProfile")
    UserProfile.objects.filter(preferred_language="").update(
        preferred_language=settings.LANGUAGE_CODE
    )


def backwards(apps, schema_editor):
    rename(apps, 1)


class Migration(migrations.Migration):
    dependencies = [
        ("base", "0008_office_name_from_settings"),
        ("wagtailusers", "0015_userprofile_keyboard_shortcuts"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
