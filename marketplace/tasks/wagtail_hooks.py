from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from marketplace.core.office import OfficeMenuItem
from marketplace.tasks.admin_views import TaskListView


@hooks.register("register_admin_urls")
def register_task_urls():
    return [path("tasks/", TaskListView.as_view(), name="tasks_list")]


@hooks.register("register_settings_menu_item")
def register_task_menu_item():
    return OfficeMenuItem(_("Background tasks"), reverse("tasks_list"), icon_name="cogs", order=950)
