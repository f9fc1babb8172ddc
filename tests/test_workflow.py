"""Producers' changes go live only after the agriculture office approves them."""

from django.test import Client
from django.urls import reverse
from wagtail.models import WorkflowState

from products.models import ProductPage
from tests.producer_accounts_helpers import edit_form_data, edit_url

pytest_plugins = ["tests.producer_accounts_fixtures"]


def public_html(page) -> str:
    response = Client().get(page.get_url())
    assert response.status_code == 200
    return response.content.decode()


def live_title(page) -> str:
    return ProductPage.objects.get(pk=page.pk).title


def edit(client: Client, page, action: str, **changes):
    data = edit_form_data(client, page, **changes, **{f"action-{action}": "1"})
    return client.post(edit_url(page), data)


def approve(client: Client, page):
    task_state = page.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    return client.post(url, {"comment": "Đã kiểm tra."})


def test_producer_change_waits_for_the_office_approval(producer_a, office_client):
    product = producer_a.product
    old_title = product.title

    response = edit(producer_a.client, product, "submit", title="Nước mắm nhĩ 40 độ đạm")

    assert response.status_code == 302
    product.refresh_from_db()
    assert product.workflow_in_progress
    assert live_title(product) == old_title
    assert old_title in public_html(product)
    assert "Nước mắm nhĩ 40 độ đạm" not in public_html(product)

    response = approve(office_client, product)

    assert response.status_code == 302
    product.refresh_from_db()
    assert not product.workflow_in_progress
    assert live_title(product) == "Nước mắm nhĩ 40 độ đạm"
    assert "Nước mắm nhĩ 40 độ đạm" in public_html(product)


def test_producer_cannot_approve_their_own_change(producer_a):
    product = producer_a.product
    edit(producer_a.client, product, "submit", title="Tự duyệt")
    product.refresh_from_db()

    approve(producer_a.client, product)

    product.refresh_from_db()
    assert product.workflow_in_progress
    assert live_title(product) != "Tự duyệt"


def test_office_publishes_directly(producer_a, office_client):
    product = producer_a.product

    response = edit(office_client, product, "publish", title="Sửa bởi phòng Kinh tế")

    assert response.status_code == 302
    assert live_title(product) == "Sửa bởi phòng Kinh tế"
    assert not WorkflowState.objects.filter(object_id=str(product.pk)).exists()
    assert "Sửa bởi phòng Kinh tế" in public_html(product)


def test_producer_cannot_publish_directly(producer_a):
    product = producer_a.product
    old_title = product.title

    # Without publish permission the admin falls back to saving a draft.
    edit(producer_a.client, product, "publish", title="Xuất bản trộm")

    product.refresh_from_db()
    assert live_title(product) == old_title
    assert product.has_unpublished_changes
    assert product.get_latest_revision_as_object().title == "Xuất bản trộm"
    assert "Xuất bản trộm" not in public_html(product)


def test_producer_does_not_see_the_publish_button(producer_a, office_client):
    producer_html = producer_a.client.get(edit_url(producer_a.product)).content.decode()
    office_html = office_client.get(edit_url(producer_a.product)).content.decode()

    assert 'name="action-publish"' not in producer_html
    assert 'name="action-submit"' in producer_html
    assert 'name="action-publish"' in office_html
