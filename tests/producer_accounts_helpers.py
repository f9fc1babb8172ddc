"""Helpers for the producer-account tests: logged-in admin clients and edit-form data."""

from django.test import Client
from django.urls import reverse
from wagtail.test.utils.form_data import querydict_from_html
from wagtail.users.models import UserProfile

from producers.models import ProducerPage
from products.models import ProductPage
from tests.factories import jpeg_upload


def admin_client(user) -> Client:
    """A client logged in as `user`, with the admin in English so messages can be asserted
    whatever catalogue is installed."""
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    client = Client()
    client.force_login(user)
    return client


def edit_url(page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def is_denied(response) -> bool:
    """Wagtail answers 403, or redirects to the dashboard with a "permission denied" message."""
    if response.status_code == 403:
        return True
    return response.status_code == 302 and response.url == reverse("wagtailadmin_home")


# The editor renders StreamFields with JavaScript, so their inputs are not in the HTML.
STREAM_FIELDS = {ProducerPage: ["story"], ProductPage: ["body"]}


def edit_form_data(client: Client, page, **changes) -> dict[str, list[str]]:
    """What the admin edit form of `page` posts as it stands, with `changes` applied.

    Read from the real edit form, so the data always matches the panels.
    """
    response = client.get(edit_url(page))
    if response.status_code != 200:
        raise AssertionError(f"Cannot open the edit view of {page}: {response.status_code}")
    form = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    data = {key: form.getlist(key) for key in form if "__prefix__" not in key}
    for name in STREAM_FIELDS[type(page)]:
        if getattr(page, name):
            raise ValueError("Only pages with empty StreamFields are supported.")
        data[f"{name}-count"] = ["0"]
    for key, value in changes.items():
        data[key] = value if isinstance(value, list) else [value]
    return data


def upload_image(client, collection, title: str = "Chai nước mắm"):
    """Upload a small JPEG through the admin's image form into `collection`."""
    return client.post(
        reverse("wagtailimages:add"),
        {
            "title": title,
            "description": f"{title} trên bàn gỗ",
            "file": jpeg_upload(),
            "collection": collection.pk,
        },
    )
