"""Only the Agriculture office may add, change and delete the home page blocks."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

OFFICE = "Agriculture office"
MODELS = ("heroslide", "producerofthemonth", "craftvillagehighlight")
CODENAMES = [
    f"{action}_{model}" for model in MODELS for action in ("add", "change", "delete", "view")
]


def grant_office(apps, schema_editor):
    # Permissions are created after migrate; on a fresh database they do not exist yet.
    app_config = apps.get_app_config("curation")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    office = Group.objects.get(name=OFFICE)
    office.permissions.add(
        *Permission.objects.filter(content_type__app_label="curation", codename__in=CODENAMES)
    )


def revoke_office(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for office in Group.objects.filter(name=OFFICE):
        office.permissions.remove(
            *Permission.objects.filter(content_type__app_label="curation", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [("curation", "0003_home_page_blocks")]

    operations = [migrations.RunPython(grant_office, revoke_office)]
