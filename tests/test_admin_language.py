"""The admin's own words in the admin user's language: the workflow's, task's and roles'
names stored in the database, Wagtail's yes/no cells, and the moderation emails, each in
its recipient's admin language and linking to the site's public address."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from wagtail.admin.paginator import WagtailPaginator
from wagtail.models import Task, Workflow, WorkflowState
from wagtail.snippets.widgets import AdminSnippetChooser
from wagtail.users.models import UserProfile
from wagtail_localize.models import Translation
from wagtail_localize.views.report import TranslationsReportFilterSet

from marketplace.base.admin_names import ProducerGroupName, TranslatedName, translated
from marketplace.core.office import OFFICE_GROUP
from producers.accounts import create_producer_account
from producers.models import Locality
from tests.factories import make_producer, make_product
from tests.producer_accounts_helpers import edit_form_data, edit_url
from tests.site_address_helpers import PUBLIC_ADDRESS, other_hosts_in

WORKFLOW = "OCOP listing approval"
TASK = "Office review"


# Names kept in the database


def test_the_office_workflow_and_task_have_their_stable_names(db):
    workflow = Workflow.objects.get(active=True)
    task = workflow.tasks.get().specific

    assert isinstance(workflow.name, TranslatedName)
    assert workflow.name == WORKFLOW
    assert task.name == TASK
    assert isinstance(task.name, TranslatedName)
    assert Workflow.objects.filter(name=WORKFLOW).exists()


def test_a_name_shows_in_the_active_language_but_saves_in_english(db):
    workflow = Workflow.objects.get(name=WORKFLOW)
    with translation.override("vi"):
        shown, expected = f"{workflow.name}", translation.gettext(WORKFLOW)
        workflow.save()
    with translation.override("en"):
        assert f"{workflow.name}" == WORKFLOW
        assert str(workflow) == WORKFLOW
    # Saved as the stable name, whatever language was active.
    assert Workflow.objects.filter(pk=workflow.pk, name=WORKFLOW).exists()
    # JSON (the admin's data for its scripts) gets the stable name, never an error.
    assert json.dumps({"name": workflow.name}) == json.dumps({"name": WORKFLOW})
    assert shown == expected


def test_a_name_saved_from_a_form_in_another_language_is_recognised(db):
    with translation.override("vi"):
        vietnamese = str(translated(WORKFLOW))
    Workflow.objects.filter(name=WORKFLOW).update(name=vietnamese)

    assert Workflow.objects.get(name=vietnamese).name == WORKFLOW


def test_names_the_office_typed_stay_as_typed(db):
    Task.objects.filter(name=TASK).update(name="Kiểm tra nhãn mác")

    task = Task.objects.get(name="Kiểm tra nhãn mác")

    assert type(task.name) is str


def test_role_names_are_translated_and_producer_groups_keep_the_producer(site):
    page = make_producer(site.producers, "HTX Gốm Thanh Hà")
    account = create_producer_account(page, "gom@example.com")

    group = Group.objects.get(pk=account.group.pk)
    office = Group.objects.get(name=OFFICE_GROUP)

    assert isinstance(group.name, ProducerGroupName)
    assert isinstance(office.name, TranslatedName)
    with translation.override("en"):
        assert f"{group.name}" == f"Producer: HTX Gốm Thanh Hà (#{page.pk})"
        assert f"{office.name}" == OFFICE_GROUP
    with translation.override("vi"):
        assert "HTX Gốm Thanh Hà" in f"{group.name}"
    assert office.name == OFFICE_GROUP


# Wagtail's yes/no cells


@pytest.mark.parametrize(("value", "label"), [(True, "Yes"), (False, "No"), (None, "Unknown")])
def test_boolean_cells_say_yes_or_no_in_words(value, label):
    column = type("Column", (), {"classname": ""})()
    with translation.override("en"):
        html = render_to_string(
            "wagtailadmin/tables/boolean_cell.html", {"value": value, "column": column}
        )

    assert label in html
    assert "True" not in html and "False" not in html and "None" not in html


# Moderation emails


@pytest.fixture
def submitted(site, public_address):
    """A producer (Vietnamese admin, the default) submits a product for approval; the
    office's user has English as admin language."""
    producer = make_producer(site.producers, "HTX Nước mắm Điện Dương")
    product = make_product(producer, "Nước mắm nhĩ cá cơm")
    account = create_producer_account(producer, "nhi@example.com")
    office = get_user_model().objects.create_user(
        "office@example.com", "office@example.com", first_name="Lan"
    )
    office.groups.add(Group.objects.get(name=OFFICE_GROUP))
    profile = UserProfile.get_for_user(office)
    profile.preferred_language = "en"
    profile.save()

    producer_client = mail_client(account.user)
    data = edit_form_data(producer_client, product, **{"action-submit": "1"})
    assert producer_client.post(edit_url(product), data).status_code == 302
    return product, account.user, office


def mail_client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def messages_to(email: str) -> list:
    return [message for message in mail.outbox if email in message.to]


def test_submission_emails_the_office_in_its_language_with_the_public_address(submitted):
    product, _producer, _office = submitted

    [message] = messages_to("office@example.com")

    assert f'The page "{product.title}" has been submitted' in message.subject
    assert TASK in message.subject
    assert f"{PUBLIC_ADDRESS}/admin/pages/{product.pk}/" in message.body
    assert not other_hosts_in(message.body)


@pytest.mark.parametrize(
    ("action", "vietnamese"), [("approve", "đã được duyệt"), ("reject", "yêu cầu sửa")]
)
def test_the_decision_emails_the_producer_in_vietnamese(submitted, action, vietnamese):
    product, producer, office = submitted
    mail.outbox.clear()
    state = WorkflowState.objects.get(base_content_type__isnull=False, object_id=str(product.pk))
    task_state = state.current_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[product.pk, action, task_state.pk])

    response = mail_client(office).post(url, {"comment": "Ghi rõ hạn sử dụng."})

    assert response.status_code in (200, 302)
    [message] = messages_to(producer.email)
    assert vietnamese in (message.subject + message.body).lower()
    assert "has been" not in message.subject + message.body
    assert PUBLIC_ADDRESS in message.body
    assert not other_hosts_in(message.body)


# The admin's language for the whole request


def test_permission_denied_says_so_in_the_users_language_not_the_browsers(site):
    page = make_producer(site.producers, "HTX Gốm Thanh Hà")
    account = create_producer_account(page, "gom@example.com")
    client = mail_client(account.user)

    response = client.get("/admin/collections/", HTTP_ACCEPT_LANGUAGE="en", follow=True)

    text = response.content.decode()
    with translation.override("vi"):
        denied = translation.gettext("Sorry, you do not have permission to access this area.")
    assert denied in text
    assert "Sorry, you do not have permission" not in text


def test_history_shows_workflow_names_through_the_translating_formatter(submitted):
    from wagtail.log_actions import registry
    from wagtail.models import PageLogEntry

    from marketplace.base.admin_names import TranslatedNamesLogFormatter

    product, _producer, _office = submitted
    entry = PageLogEntry.objects.get(page=product, action="wagtail.workflow.start")
    formatter = registry.get_formatter(entry)

    assert isinstance(formatter, TranslatedNamesLogFormatter)
    with translation.override("vi"):
        message = formatter.format_message(entry)
    assert message.startswith("Đã bắt đầu quy trình")
    assert translation.gettext(TASK) in message or TASK in message


def test_menu_labels_follow_each_users_language_whoever_opened_the_admin_first(site):
    """Wagtail and wagtail-localize translate some menu labels once, when the menu is first
    built: an English admin opening it first must not leave them English for others."""
    from wagtail.admin.menu import help_menu, reports_menu

    for menu in (help_menu, reports_menu):
        menu.__dict__.pop("registered_menu_items", None)  # built again, by the next request
    office = get_user_model().objects.create_user("office-en", "en@example.com", "x")
    office.groups.add(Group.objects.get(name=OFFICE_GROUP))
    profile = UserProfile.get_for_user(office)
    profile.preferred_language = "en"
    profile.save()
    english = mail_client(office).get("/admin/").content.decode()
    profile.preferred_language = "vi"
    profile.save()

    vietnamese = mail_client(office).get("/admin/").content.decode()

    # The sidebar's menu is JSON in the page: non-ASCII letters escaped.
    translations, whats_new = '"label": "Translations"', "What's new in Wagtail"
    assert translations in english and whats_new in english
    assert translations not in vietnamese and whats_new not in vietnamese
    assert json.dumps("Bản dịch") in vietnamese
    assert json.dumps("Có gì mới trong Wagtail")[:-1] in vietnamese


def test_snippet_chooser_buttons_follow_the_language_not_the_first_request():
    with translation.override("en"):
        widget = AdminSnippetChooser(Locality)
        assert str(widget.choose_one_text) == "Choose locality"
    with translation.override("vi"):
        name = str(Locality._meta.verbose_name)
        assert str(widget.choose_one_text) == f"Chọn {name}"
        assert str(widget.link_to_chosen_text) == f"Sửa {name} này"


@pytest.mark.django_db
def test_listing_counts_name_an_untranslated_model_in_the_users_language():
    paginator = WagtailPaginator(Translation.objects.all(), 20)
    with translation.override("vi"):
        assert paginator.items_count_label == "0 bản dịch"


@pytest.mark.django_db  # the filter set lists the translatable content types
def test_the_translations_report_filters_say_language():
    form = TranslationsReportFilterSet().form
    with translation.override("vi"):
        labels = [str(form.fields[name].label) for name in ("source_locale", "target_locale")]
    assert labels == ["Ngôn ngữ nguồn", "Ngôn ngữ đích"]
