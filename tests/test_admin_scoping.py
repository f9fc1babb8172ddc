"""A producer sees and uses only their own things in the admin; the office sees everything.

Producer B has a private image and document, an unpublished product and a submitted
rename of a live one; producer A must find none of them (titles, ids, B's email) in the
admin API, the choosers, bulk actions, usage pages, reports and their filters, nor get
them into its own pages by a crafted POST.
"""

import json
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from wagtail.admin.panels import get_edit_handler
from wagtail.models import Page
from wagtail.test.utils.form_data import nested_form_data, streamfield

from marketplace.core.chooser_scope import NOT_AVAILABLE, ChooserScopeFormMixin
from producers.models import ProducerPage
from products.models import ProductImage, ProductPage
from tests.factories import make_document, make_image, make_product
from tests.producer_accounts_helpers import edit_form_data, edit_url, is_denied

pytest_plugins = ["tests.producer_accounts_fixtures"]

B_EMAIL = "b@example.com"


@dataclass
class Things:
    image: object
    document: object
    draft: ProductPage
    # A live product whose title the producer changed and submitted: a draft title too.
    renamed: ProductPage
    draft_title: str
    new_title: str


def own_things(producer, name: str) -> Things:
    collection = producer.account.collection
    draft_title = f"Bản nháp bí mật {name}"
    new_title = f"Tên mới chưa duyệt {name}"
    renamed = producer.product
    data = edit_form_data(producer.client, renamed, title=new_title, **{"action-submit": "1"})
    assert producer.client.post(edit_url(renamed), data).status_code == 302
    return Things(
        image=make_image(f"Ảnh riêng {name}", collection=collection),
        document=make_document(f"Tài liệu riêng {name}", collection=collection),
        draft=make_product(producer.page, draft_title, publish=False),
        renamed=renamed,
        draft_title=draft_title,
        new_title=new_title,
    )


@pytest.fixture
def a_things(producer_a) -> Things:
    return own_things(producer_a, "của A")


@pytest.fixture
def b_things(producer_b) -> Things:
    return own_things(producer_b, "của B")


def text(response) -> str:
    """The response as text; JSON (choosers, the API) with its non-ASCII letters unescaped."""
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode()


def secrets(things: Things) -> list[str]:
    return [things.image.title, things.document.title, things.draft_title, things.new_title]


def assert_sees_none(response, things: Things) -> None:
    assert response.status_code in (200, 404) or is_denied(response), response.status_code
    for secret in [*secrets(things), B_EMAIL]:
        assert secret not in text(response)


# The admin API


@pytest.mark.parametrize("kind", ["images", "documents"])
def test_admin_api_lists_and_fetches_only_own_media(
    producer_a, a_things, b_things, office_client, kind
):
    own, other = getattr(a_things, kind[:-1]), getattr(b_things, kind[:-1])
    listing = f"/admin/api/main/{kind}/"

    listed = [item["id"] for item in producer_a.client.get(listing).json()["items"]]
    assert own.pk in listed
    assert other.pk not in listed
    assert producer_a.client.get(f"{listing}{own.pk}/").status_code == 200
    assert producer_a.client.get(f"{listing}{other.pk}/").status_code == 404
    assert producer_a.client.get(f"{listing}?search={other.title}").json()["items"] == []

    office_listed = [item["id"] for item in office_client.get(listing).json()["items"]]
    assert {own.pk, other.pk} <= set(office_listed)
    assert office_client.get(f"{listing}{other.pk}/").status_code == 200


# Choosers, bulk actions and usage pages that name images, documents and pages


def admin_urls(things: Things, producer) -> dict[str, str]:
    image, document, draft = things.image.pk, things.document.pk, things.draft.pk
    return {
        "image chooser": "/admin/images/chooser/",
        "image chooser search": "/admin/images/chooser/results/?q=riêng",
        "image chosen": f"/admin/images/chooser/{image}/",
        "document chooser": "/admin/documents/chooser/",
        "document chosen": f"/admin/documents/chooser/{document}/",
        "image usage": f"/admin/images/usage/{image}/",
        "document usage": f"/admin/documents/usage/{document}/",
        "image bulk tags": f"/admin/bulk/core/customimage/add_tags/?id={image}",
        "image bulk collection": f"/admin/bulk/core/customimage/add_to_collection/?id={image}",
        "image bulk delete": f"/admin/bulk/core/customimage/delete/?id={image}",
        "document bulk tags": f"/admin/bulk/wagtaildocs/document/add_tags/?id={document}",
        "page bulk move": f"/admin/bulk/wagtailcore/page/move/?id={draft}",
        "page bulk delete": f"/admin/bulk/wagtailcore/page/delete/?id={draft}",
        "page bulk publish": f"/admin/bulk/wagtailcore/page/publish/?id={draft}",
        "page bulk all": f"/admin/bulk/wagtailcore/page/move/?id=all&childOf={producer.page.pk}",
        "page chooser": f"/admin/choose-page/{producer.page.pk}/",
        "page chooser under a draft": f"/admin/choose-page/{draft}/",
        "page chooser move destination": (
            f"/admin/choose-page/{producer.page.pk}/?user_perms=move_to"
        ),
        "page chooser search": "/admin/choose-page/search/?q=nháp",
        "page chooser search renamed": "/admin/choose-page/search/?q=duyệt",
        "page chooser chosen": (
            f"/admin/choose-page/chosen-multiple/?id={draft}&id={things.renamed.pk}"
        ),
        "page types usage": "/admin/reports/page-types-usage/",
        "pages of a type": "/admin/pages/usage/products/productpage/",
        "pages of a type, searched": "/admin/pages/usage/products/productpage/?q=nháp",
    }


ADMIN_VIEWS = [
    "image chooser",
    "image chooser search",
    "image chosen",
    "document chooser",
    "document chosen",
    "image usage",
    "document usage",
    "image bulk tags",
    "image bulk collection",
    "image bulk delete",
    "document bulk tags",
    "page bulk move",
    "page bulk delete",
    "page bulk publish",
    "page bulk all",
    "page chooser",
    "page chooser under a draft",
    "page chooser move destination",
    "page chooser search",
    "page chooser search renamed",
    "page chooser chosen",
    "page types usage",
    "pages of a type",
    "pages of a type, searched",
]


@pytest.mark.parametrize("view", ADMIN_VIEWS)
def test_admin_views_name_nothing_of_another_producer(producer_a, producer_b, b_things, view):
    response = producer_a.client.get(admin_urls(b_things, producer_b)[view])

    assert_sees_none(response, b_things)


def test_the_office_sees_every_producers_things(producer_b, b_things, office_client):
    seen = {
        name: text(office_client.get(url)) for name, url in admin_urls(b_things, producer_b).items()
    }

    assert b_things.image.title in seen["image chooser"]
    assert b_things.document.title in seen["document chooser"]
    assert b_things.image.title in seen["image bulk tags"]
    assert b_things.draft_title in seen["page bulk move"]
    assert b_things.draft_title in seen["page chooser"]
    assert b_things.draft_title in seen["page chooser search"]
    assert b_things.new_title in seen["page chooser chosen"]
    assert b_things.draft_title in seen["page types usage"]
    assert B_EMAIL in seen["pages of a type"]


def test_producer_still_finds_their_own_things(producer_a, a_things):
    chooser = text(producer_a.client.get(f"/admin/choose-page/{producer_a.page.pk}/"))
    search = text(producer_a.client.get("/admin/choose-page/search/?q=nháp"))
    chosen = text(
        producer_a.client.get(f"/admin/choose-page/chosen-multiple/?id={a_things.draft.pk}")
    )
    bulk = text(
        producer_a.client.get(f"/admin/bulk/core/customimage/add_tags/?id={a_things.image.pk}")
    )
    types = text(producer_a.client.get("/admin/reports/page-types-usage/"))

    assert a_things.draft_title in chooser
    assert a_things.new_title in chooser
    assert a_things.draft_title in search
    assert a_things.draft_title in chosen
    assert a_things.image.title in bulk
    assert a_things.draft_title in types


def test_page_chooser_shows_another_producers_live_pages(producer_a, producer_b):
    # A live page's title is public: it may be linked to.
    response = producer_a.client.get(f"/admin/choose-page/{producer_b.page.pk}/")

    assert producer_b.product.title in text(response)


# User filters of listings and reports


def user_choices(response) -> set[str]:
    """The users offered by the user filters of a listing or report."""
    form = response.context["filters"].form
    return {
        user.email
        for field in form.fields.values()
        if getattr(field, "queryset", None) is not None and field.queryset.model is get_user_model()
        for user in field.queryset
    }


def filter_urls(producer) -> dict[str, str]:
    return {
        "workflow report": reverse("wagtailadmin_reports:workflow"),
        "site history": reverse("wagtailadmin_reports:site_history"),
        "page listing": reverse("wagtailadmin_explore", args=[producer.page.pk]),
        "pages of a type": "/admin/pages/usage/products/productpage/",
    }


@pytest.mark.parametrize(
    "view", ["workflow report", "site history", "page listing", "pages of a type"]
)
def test_user_filters_list_only_the_producer_and_their_pages_people(
    producer_a, producer_b, a_things, b_things, office_client, view
):
    url = filter_urls(producer_a)[view]
    response = producer_a.client.get(url)
    office_response = office_client.get(url)

    assert B_EMAIL not in text(response)
    assert user_choices(response) == {producer_a.account.user.email}
    assert {B_EMAIL, producer_a.account.user.email} <= user_choices(office_response)


@pytest.mark.parametrize("kind", ["images", "documents"])
def test_the_tag_filter_offers_only_the_producers_own_tags(
    producer_a, producer_b, a_things, b_things, office_client, kind
):
    things = {"images": (a_things.image, b_things.image)}
    things["documents"] = (a_things.document, b_things.document)
    own, other = things[kind]
    own.tags.add("nước mắm")
    other.tags.add("bí mật của B")
    url = reverse({"images": "wagtailimages:index", "documents": "wagtaildocs:index"}[kind])

    offered = tag_choices(producer_a.client.get(url))

    assert offered == {"nước mắm"}
    assert {"nước mắm", "bí mật của B"} <= tag_choices(office_client.get(url))


def test_the_image_chooser_offers_only_the_producers_own_tags(
    producer_a, producer_b, a_things, b_things, office_client
):
    a_things.image.tags.add("nước mắm")
    b_things.image.tags.add("bí mật của B")
    url = reverse("wagtailimages_chooser:choose")

    offered = {tag.name for tag in producer_a.client.get(url).context["popular_tags"]}

    assert offered == {"nước mắm"}
    assert "bí mật của B" in {tag.name for tag in office_client.get(url).context["popular_tags"]}


def tag_choices(response) -> set[str]:
    field = response.context["filters"].form.fields.get("tag")
    return {value for value, _label in field.choices} if field else set()


def test_a_user_filter_does_not_accept_another_producer(producer_a, producer_b, b_things):
    url = reverse("wagtailadmin_reports:workflow")
    response = producer_a.client.get(url, {"requested_by": producer_b.account.user.pk})

    assert B_EMAIL not in text(response)
    assert "requested_by" in response.context["filters"].form.errors


# Crafted form posts naming another producer's image or document


def rows(product: ProductPage) -> list[tuple[int, int]]:
    return list(ProductImage.objects.filter(page=product).values_list("pk", "image_id"))


def post_edit(producer, page, **changes):
    data = edit_form_data(producer.client, page, **changes)
    return producer.client.post(edit_url(page), data)


def refusal() -> str:
    """The field error as the producers' admin shows it (their profile says English)."""
    with translation.override("en"):
        return str(NOT_AVAILABLE)


def assert_refused(response, page, revision_id: int) -> None:
    assert response.status_code == 200
    assert refusal() in text(response)
    page.refresh_from_db()
    assert page.latest_revision_id == revision_id


def test_gallery_post_naming_another_producers_image_is_refused(producer_a, producer_b, b_things):
    product = producer_a.product
    before, revision_id = rows(product), product.latest_revision_id

    response = post_edit(producer_a, product, **{"gallery_images-0-image": b_things.image.pk})

    assert_refused(response, product, revision_id)
    form = response.context["form"].formsets["gallery_images"].forms[0]
    assert form.errors["image"] == [str(NOT_AVAILABLE)]
    assert rows(product) == before


def test_new_gallery_row_naming_another_producers_image_is_refused(
    producer_a, producer_b, b_things
):
    product = producer_a.product
    before, revision_id = rows(product), product.latest_revision_id
    new_row = {
        "gallery_images-TOTAL_FORMS": "2",
        "gallery_images-1-image": str(b_things.image.pk),
        "gallery_images-1-caption": "",
        "gallery_images-1-id": "",
        "gallery_images-1-ORDER": "2",
        "gallery_images-1-DELETE": "",
        "action-submit": "1",
    }

    response = post_edit(producer_a, product, **new_row)

    assert_refused(response, product, revision_id)
    assert rows(product) == before
    assert not ProductImage.objects.filter(image=b_things.image).exists()


def test_certificate_post_naming_another_producers_document_is_refused(
    producer_a, producer_b, b_things
):
    product = producer_a.product
    revision_id = product.latest_revision_id
    certificate = {
        "ocop_certificates-TOTAL_FORMS": "1",
        "ocop_certificates-0-stars": "4",
        "ocop_certificates-0-decision_number": "12/QĐ-UBND",
        "ocop_certificates-0-issuing_level": "province",
        "ocop_certificates-0-issuing_body": "UBND tỉnh Quảng Nam",
        "ocop_certificates-0-issue_date": "2024-03-01",
        "ocop_certificates-0-document": str(b_things.document.pk),
        "ocop_certificates-0-id": "",
        "ocop_certificates-0-ORDER": "1",
        "ocop_certificates-0-DELETE": "",
    }

    response = post_edit(producer_a, product, **certificate)

    assert_refused(response, product, revision_id)
    form = response.context["form"].formsets["ocop_certificates"].forms[0]
    assert form.errors["document"] == [str(NOT_AVAILABLE)]
    assert not product.ocop_certificates.exists()


def test_producer_page_post_naming_another_producers_image_is_refused(
    producer_a, producer_b, b_things
):
    page = producer_a.page
    revision_id = page.latest_revision_id

    response = post_edit(producer_a, page, logo=str(b_things.image.pk))

    assert_refused(response, page, revision_id)
    assert response.context["form"].errors["logo"] == [str(NOT_AVAILABLE)]
    assert ProducerPage.objects.get(pk=page.pk).logo_id is None


def story_image(image) -> dict[str, list[str]]:
    """The description's form data: one image block showing `image`."""
    data = nested_form_data({"body": streamfield([("image", {"image": image.pk, "caption": ""})])})
    return {key: [str(value)] for key, value in data.items()}


def test_description_block_naming_another_producers_image_is_refused(
    producer_a, producer_b, b_things
):
    product = producer_a.product
    revision_id = product.latest_revision_id

    response = post_edit(producer_a, product, **story_image(b_things.image))

    assert_refused(response, product, revision_id)
    assert response.context["form"].errors["body"] == [str(NOT_AVAILABLE)]


def test_description_block_may_show_the_producers_own_image(producer_a):
    product = producer_a.product
    own = make_image("Ảnh của A", collection=producer_a.account.collection)

    response = post_edit(producer_a, product, **story_image(own))

    assert response.status_code == 302
    latest = Page.objects.get(pk=product.pk).specific.get_latest_revision_as_object()
    assert latest.body[0].value["image"] == own


def test_producer_may_use_their_own_image_and_keep_the_one_they_have(producer_a):
    product = producer_a.product
    own = make_image("Ảnh của A", collection=producer_a.account.collection)
    # The factory's picture is outside A's collection: saving must keep it.
    kept = rows(product)[0]
    new_row = {
        "gallery_images-TOTAL_FORMS": "2",
        "gallery_images-1-image": str(own.pk),
        "gallery_images-1-caption": "",
        "gallery_images-1-id": "",
        "gallery_images-1-ORDER": "2",
        "gallery_images-1-DELETE": "",
    }

    response = post_edit(producer_a, product, **new_row)

    assert response.status_code == 302
    latest = Page.objects.get(pk=product.pk).specific.get_latest_revision_as_object()
    assert [row.image_id for row in latest.gallery_images.all()] == [kept[1], own.pk]


def test_the_office_may_use_any_producers_image(producer_a, producer_b, b_things, office_client):
    page = producer_a.page

    data = edit_form_data(office_client, page, logo=str(b_things.image.pk))
    response = office_client.post(edit_url(page), data)

    assert response.status_code == 302
    assert Page.objects.get(pk=page.pk).specific.get_latest_revision_as_object().logo_id == (
        b_things.image.pk
    )


def producer_editable_page_models() -> set[type[Page]]:
    models, todo = set(), [ProducerPage]
    while todo:
        model = todo.pop()
        if model not in models:
            models.add(model)
            todo.extend(model.allowed_subpage_models())
    return models


@pytest.mark.parametrize("model", sorted(producer_editable_page_models(), key=str))
def test_every_page_type_a_producer_edits_scopes_its_choosers(model):
    # A new page type under producers must use a form with the mixin (e.g. SharedFactsPageForm).
    assert issubclass(get_edit_handler(model).get_form_class(), ChooserScopeFormMixin)
