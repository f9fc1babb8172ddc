"""The two roles (Producers, Agriculture office) and the office's approval workflow."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PRODUCERS = "Producers"
OFFICE = "Agriculture office"
WORKFLOW = "Agriculture office approval"

OFFICE_PAGE_PERMISSIONS = [
    "add_page",
    "change_page",
    "publish_page",
    "bulk_delete_page",
    "lock_page",
    "unlock_page",
]
# Wagtail checks image permissions on wagtailimages.Image even with a custom image model.
MEDIA_PERMISSIONS = {
    "wagtailimages": ["add_image", "change_image", "choose_image", "delete_image"],
    "wagtaildocs": ["add_document", "change_document", "choose_document", "delete_document"],
}
# Wagtail's own groups: ours replace them (they may edit and publish every page).
WAGTAIL_DEFAULT_GROUPS = ["Editors", "Moderators"]
OFFICE_MODEL_PERMISSIONS = {
    "producers": ["locality", "craftvillage"],
    "products": ["productcategory"],
}
PRODUCER_VIEW_PERMISSIONS = {
    "producers": ["view_locality", "view_craftvillage"],
    "products": ["view_productcategory"],
}


def ensure_permissions(apps):
    # Permissions are created after migrate; data migrations on a fresh database need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def perms(Permission, app_label, codenames):
    return list(
        Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    )


def create_roles(apps, schema_editor):
    ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    Task = apps.get_model("wagtailcore", "Task")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    ContentType = apps.get_model("contenttypes", "ContentType")

    admin_access = perms(Permission, "wagtailadmin", ["access_admin"])
    producers, _ = Group.objects.get_or_create(name=PRODUCERS)
    producers.permissions.add(*admin_access)
    for app_label, codenames in PRODUCER_VIEW_PERMISSIONS.items():
        producers.permissions.add(*perms(Permission, app_label, codenames))

    office, _ = Group.objects.get_or_create(name=OFFICE)
    office.permissions.add(*admin_access)
    office.permissions.add(*perms(Permission, "wagtailcore", ["add_locale", "change_locale"]))
    office.permissions.add(*perms(Permission, "wagtail_localize", ["submit_translation"]))
    office.permissions.add(*perms(Permission, "auth", ["add_user", "change_user", "view_user"]))
    for app_label, models in OFFICE_MODEL_PERMISSIONS.items():
        codenames = [
            f"{action}_{model}"
            for model in models
            for action in ("add", "change", "delete", "view")
        ]
        office.permissions.add(*perms(Permission, app_label, codenames))

    root_page = Page.objects.get(depth=1)
    for permission in perms(Permission, "wagtailcore", OFFICE_PAGE_PERMISSIONS):
        GroupPagePermission.objects.get_or_create(
            group=office, page=root_page, permission=permission
        )
    root_collection = Collection.objects.get(depth=1)
    for app_label, codenames in MEDIA_PERMISSIONS.items():
        for permission in perms(Permission, app_label, codenames):
            GroupCollectionPermission.objects.get_or_create(
                group=office, collection=root_collection, permission=permission
            )

    # wagtailimages/wagtaildocs gave every admin group "choose" on the root collection;
    # producers may choose only the media of their own collection.
    GroupCollectionPermission.objects.filter(group=producers).delete()
    Group.objects.filter(name__in=WAGTAIL_DEFAULT_GROUPS, user__isnull=True).delete()

    # Every change by a producer waits for the office's approval.
    task_type = ContentType.objects.get_for_model(GroupApprovalTask)
    task = GroupApprovalTask.objects.filter(name="Agriculture office review").first()
    if task is None:
        task = GroupApprovalTask.objects.create(
            name="Agriculture office review", content_type=task_type, active=True
        )
    task.groups.set([office])
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW, defaults={"active": True})
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowTask.objects.get_or_create(
        workflow=workflow, task=Task.objects.get(pk=task.pk), sort_order=0
    )
    WorkflowPage.objects.update_or_create(page=root_page, defaults={"workflow": workflow})
    Workflow.objects.filter(name="Moderators approval").update(active=False)


def remove_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=[PRODUCERS, OFFICE]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("base", "0003_initial"),
        ("producers", "0001_initial"),
        ("products", "0001_initial"),
        # After Wagtail's own permission migrations, which this one corrects.
        ("wagtailcore", "0098_apitoken"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
