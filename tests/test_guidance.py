"""Guidance inside the admin (issue 14): the producer's onboarding checklist, the guides
for producers and the office, and the office acting for a producer."""

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.models import ModelLogEntry, PageLogEntry

from marketplace.core.models import CustomImage
from marketplace.guidance import acting
from marketplace.guidance.checklist import onboarding_checklist
from products.models import ProductPage
from tests.factories import make_image, make_product
from tests.inquiry_payment_helpers import ACCOUNT_HOLDER, ACCOUNT_NUMBER, BANK_BIN
from tests.producer_accounts_helpers import edit_form_data, edit_url, is_denied, upload_image
from tests.public_pages_fixtures import translate_page

pytest_plugins = ["tests.producer_accounts_fixtures"]

DASHBOARD = "/admin/"
PRODUCER_GUIDE = "/admin/guide/producers/"
OFFICE_GUIDE = "/admin/guide/office/"
ACT_FOR = "/admin/act-for/"


def done_keys(checklist) -> set[str]:
    return {item.key for item in checklist.items if item.done}


# The checklist


@pytest.mark.django_db
def test_a_new_producer_has_only_its_first_product_done(producer_a):
    checklist = onboarding_checklist(producer_a.page)
    assert [item.key for item in checklist.items] == [
        "profile",
        "photos",
        "product",
        "certificate",
        "payments",
        "english",
    ]
    # make_producer gives a phone but no summary, no logo; no certificate, no bank account.
    assert done_keys(checklist) == {"product"}
    assert (checklist.done_count, checklist.total) == (1, 6)


@pytest.mark.django_db
def test_a_producer_that_did_everything_has_six_of_six(producer_a):
    page = producer_a.page
    page.summary = "Hợp tác xã làm nước mắm ở Điện Dương."
    page.logo = make_image("Logo")
    page.bank_bin, page.bank_account_number = BANK_BIN, ACCOUNT_NUMBER
    page.bank_account_holder = ACCOUNT_HOLDER
    page.save_revision().publish()
    certified = make_product(page, stars=4)
    translate_page(page, title="Fish sauce cooperative A")
    translate_page(producer_a.product)
    translate_page(certified)

    checklist = onboarding_checklist(page)
    assert checklist.complete
    assert (checklist.done_count, checklist.total) == (6, 6)


@pytest.mark.django_db
def test_the_checklist_follows_the_producers_latest_draft(producer_a):
    page = producer_a.page
    page.summary = "Nước mắm truyền thống."
    page.save_revision()  # submitted, not yet approved: the producer did its part
    assert "profile" in done_keys(onboarding_checklist(page))


@pytest.mark.django_db
def test_a_missing_photo_or_translation_points_at_the_page_to_fix(producer_a):
    page = producer_a.page
    page.logo = make_image("Logo")
    page.save_revision().publish()
    translate_page(page, title="Cooperative A")
    bare = make_product(page)
    bare.gallery_images.all().delete()
    items = {item.key: item for item in onboarding_checklist(page).items}
    assert not items["photos"].done
    assert items["photos"].url == edit_url(bare)
    # Both products are live and untranslated: the first one is offered.
    assert not items["english"].done
    assert items["english"].url.endswith("#translation")


@pytest.mark.django_db
def test_a_producer_without_product_is_sent_to_add_one(site):
    from tests.factories import make_producer

    producer = make_producer(site.producers)
    items = {item.key: item for item in onboarding_checklist(producer).items}
    assert not items["product"].done
    assert items["product"].url == reverse(
        "wagtailadmin_pages:add", args=("products", "productpage", producer.pk)
    )


# The dashboard


@pytest.mark.django_db
def test_the_producers_dashboard_shows_its_own_checklist(producer_a, producer_b):
    response = producer_a.client.get(DASHBOARD)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="onboarding-checklist' in html or "onboarding-checklist" in html
    assert "1 of 6 done" in html
    assert html.count("data-checklist-item=") == 6
    assert edit_url(producer_a.page) in html
    assert edit_url(producer_b.page) not in html


@pytest.mark.django_db
def test_the_office_dashboard_has_no_checklist_unless_acting(office_client, producer_a):
    assert "data-checklist-item=" not in office_client.get(DASHBOARD).content.decode()
    office_client.post(ACT_FOR, {"action": "start", "producer": producer_a.page.pk})
    html = office_client.get(DASHBOARD).content.decode()
    assert "data-checklist-item=" in html
    assert "You are acting for HTX Nước mắm A" in html


# The guides


@pytest.mark.django_db
def test_a_producer_reads_its_guide_not_the_offices(producer_a):
    response = producer_a.client.get(PRODUCER_GUIDE)
    html = response.content.decode()
    assert response.status_code == 200
    for anchor in ("first", "product", "certificates", "inquiries", "payments", "translation"):
        assert f'id="{anchor}"' in html
    assert is_denied(producer_a.client.get(OFFICE_GUIDE))
    dashboard = producer_a.client.get(DASHBOARD).content.decode()
    assert PRODUCER_GUIDE in dashboard
    assert OFFICE_GUIDE not in dashboard


@pytest.mark.django_db
def test_the_office_reads_both_guides(office_client):
    response = office_client.get(OFFICE_GUIDE)
    html = response.content.decode()
    assert response.status_code == 200
    for anchor in ("certificates", "moderation", "curation", "reports", "import", "acting"):
        assert f'id="{anchor}"' in html
    assert PRODUCER_GUIDE in html
    assert office_client.get(PRODUCER_GUIDE).status_code == 200


@pytest.mark.django_db
def test_the_guide_is_in_the_admin_users_language(producer_a):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(producer_a.account.user)
    profile.preferred_language = "vi"
    profile.save()
    response = producer_a.client.get(PRODUCER_GUIDE)
    assert response.status_code == 200
    assert 'lang="vi"' in response.content.decode()


# Acting for a producer


def save_draft(client, page, **changes):
    data = edit_form_data(client, page, **changes)
    response = client.post(edit_url(page), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return PageLogEntry.objects.filter(page=page).order_by("-pk").first()


@pytest.mark.django_db
def test_office_acting_for_a_producer_edits_on_its_behalf(office_client, producer_a):
    response = office_client.post(ACT_FOR, {"action": "start", "producer": producer_a.page.pk})
    assert response.status_code == 302
    product = producer_a.product
    entry = save_draft(office_client, product, short_description="Nước mắm cá cơm ủ chượp.")
    assert entry.action == "wagtail.edit"
    assert entry.data[acting.DATA_KEY] == {"id": producer_a.page.pk, "name": "HTX Nước mắm A"}

    history = office_client.get(reverse("wagtailadmin_pages:history", args=[product.pk]))
    assert "on behalf of HTX Nước mắm A" in history.content.decode()


@pytest.mark.django_db
def test_without_acting_the_offices_edits_are_its_own(office_client, producer_a):
    entry = save_draft(office_client, producer_a.product, short_description="Mô tả mới.")
    assert acting.DATA_KEY not in (entry.data or {})
    history = office_client.get(reverse("wagtailadmin_pages:history", args=[producer_a.product.pk]))
    assert "on behalf of" not in history.content.decode()


@pytest.mark.django_db
def test_acting_for_one_producer_marks_nothing_on_anothers_page(
    office_client, producer_a, producer_b
):
    office_client.post(ACT_FOR, {"action": "start", "producer": producer_a.page.pk})
    editor = office_client.get(edit_url(producer_b.product)).content.decode()
    assert "this page is not theirs" in editor
    entry = save_draft(office_client, producer_b.product, short_description="Gốm mới.")
    assert acting.DATA_KEY not in (entry.data or {})


@pytest.mark.django_db
def test_stopping_ends_the_marks(office_client, producer_a):
    office_client.post(ACT_FOR, {"action": "start", "producer": producer_a.page.pk})
    # The sidebar's labels are JSON in the page.
    assert (
        "Acting for HTX N\\u01b0\\u1edbc m\\u1eafm A"
        in office_client.get(DASHBOARD).content.decode()
    )
    office_client.post(ACT_FOR, {"action": "stop"})
    entry = save_draft(office_client, producer_a.product, short_description="Mô tả mới.")
    assert acting.DATA_KEY not in (entry.data or {})


@pytest.mark.django_db
def test_a_producer_cannot_act_for_anybody(producer_a, producer_b):
    client = producer_a.client
    assert is_denied(client.get(ACT_FOR))
    assert is_denied(client.post(ACT_FOR, {"action": "start", "producer": producer_b.page.pk}))
    # Even a session that says so is ignored.
    session = client.session
    session[acting.SESSION_KEY] = producer_a.page.pk
    session.save()
    entry = save_draft(client, producer_a.product, short_description="Mô tả của chúng tôi.")
    assert acting.DATA_KEY not in (entry.data or {})


@pytest.mark.django_db
def test_an_unknown_producer_is_refused_with_a_message(office_client):
    response = office_client.post(ACT_FOR, {"action": "start", "producer": "999999"})
    assert response.status_code == 200
    assert "Choose a producer from the list." in response.content.decode()
    assert acting.SESSION_KEY not in office_client.session


def edit_image(client, image, title: str) -> ModelLogEntry:
    response = client.post(
        reverse("wagtailimages:edit", args=[image.pk]),
        {"title": title, "description": title, "collection": image.collection_id},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return ModelLogEntry.objects.for_instance(image).order_by("-pk").first()


@pytest.mark.django_db
def test_acting_marks_the_producers_photos_and_nobody_elses(office_client, producer_a, producer_b):
    own = make_image("Ảnh của A", collection=producer_a.account.collection)
    other = make_image("Ảnh của B", collection=producer_b.account.collection)
    office_client.post(ACT_FOR, {"action": "start", "producer": producer_a.page.pk})

    entry = edit_image(office_client, own, "Chai nước mắm A")
    assert entry.action == "wagtail.edit"
    assert entry.data[acting.DATA_KEY] == {"id": producer_a.page.pk, "name": "HTX Nước mắm A"}
    assert acting.DATA_KEY not in (edit_image(office_client, other, "Bình gốm B").data or {})

    # Wagtail has no history screen for an image; the site history, where superusers read
    # image entries, shows the entry's message.
    with translation.override("en"):
        assert entry.message == "Edited, on behalf of HTX Nước mắm A"


@pytest.mark.django_db
def test_a_photo_uploaded_while_acting_is_marked(office_client, producer_a):
    office_client.post(ACT_FOR, {"action": "start", "producer": producer_a.page.pk})
    response = upload_image(office_client, producer_a.account.collection)
    assert response.status_code == 302
    image = CustomImage.objects.get(title="Chai nước mắm")
    entry = ModelLogEntry.objects.for_instance(image).get(action="wagtail.create")
    assert entry.data[acting.DATA_KEY]["id"] == producer_a.page.pk


@pytest.mark.django_db
def test_the_producer_listing_offers_act_for_this_producer(office_client, producer_a, site):
    response = office_client.get(reverse("wagtailadmin_pages:edit", args=[producer_a.page.pk]))
    assert f"{ACT_FOR}?producer={producer_a.page.pk}" in response.content.decode()
    assert isinstance(producer_a.product, ProductPage)


# Help on the hard fields


@pytest.mark.django_db
def test_the_product_editor_explains_the_hard_fields_with_examples(producer_a):
    html = producer_a.client.get(edit_url(producer_a.product)).content.decode()
    for help_text in (
        "What one price buys, e.g.",  # unit
        "Tick it when the price depends on the order",  # price on request
        "The fewest units sold at once",  # minimum quantity
        "Seasonal: sold in some months only",  # availability
        "the months it is available, e.g.",  # seasons
        "what it is and where it comes from",  # short description
        "As printed at the top of the decision",  # certificate: decision number
        "The date the decision was signed",  # certificate: date
        "Before 24 February 2023: the province",  # certificate: issuing level
        "3, 4 or 5 stars",  # certificate: stars
        "A scan or clear photo of the whole decision",  # certificate: scan
    ):
        assert help_text in html, help_text
