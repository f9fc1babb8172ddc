"""The demo loader: a believable sample town, loaded fast and only once."""

import hashlib
import io
from collections import Counter

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone
from PIL import Image as PILImage
from taggit.models import Tag
from wagtail.models import Page, ReferenceIndex, Revision, Site
from wagtail.search.models import IndexEntry

from marketplace.base.models import HomePage, SiteFooter
from marketplace.certificates import ocop
from marketplace.certificates.models import OcopCertificate
from marketplace.core.fields import normalise_vietnamese_phone
from marketplace.core.models import CustomImage
from marketplace.core.page_writer import missing_from_wagtail_indexes
from marketplace.core.text import strip_diacritics
from marketplace.demo import catalogue, data
from marketplace.demo.images import ImageJob, render
from marketplace.demo.loader import _product_jobs, _rendered
from marketplace.demo.management.commands.ensure_demo_admin import PRODUCER_EMAIL
from producers.models import CraftVillage, Locality, ProducerPage
from products.models import (
    ProductCategory,
    ProductCertification,
    ProductImage,
    ProductPage,
    ProductTag,
)
from search import service
from search.models import ProductSearchEntry
from search.query import ProductQuery

PRODUCTS = 30
OCOP_GROUPS = {
    "thuc-pham",
    "do-uong",
    "duoc-lieu",
    "thu-cong-my-nghe",
    "sinh-vat-canh",
    "du-lich-cong-dong",
}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo loaded once for this module, in a transaction rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", products=PRODUCTS, verbosity=0, renditions=False)
        yield
        transaction.set_rollback(True)
    # Wagtail caches site root paths: drop what pointed at the rolled-back pages.
    cache.clear()


@pytest.fixture
def loaded(demo, db):
    """Per test: the module's demo, with the test's own changes rolled back after it."""


def vi_products():
    return ProductPage.objects.filter(locale__language_code="vi")


def en_products():
    return ProductPage.objects.filter(locale__language_code="en")


def table_counts() -> dict[str, int]:
    models = [Page, Revision, CustomImage, ProductImage, OcopCertificate, ProductCertification]
    models += [ProductTag, Tag, Locality, CraftVillage, ProductCategory, IndexEntry]
    counts = {model.__name__: model.objects.count() for model in models}
    counts["featured"] = sum(
        home.featured_products.count() + home.featured_producers.count()
        for home in HomePage.objects.all()
    )
    return counts


def test_the_town_has_its_localities_villages_and_producers(loaded):
    for language in ("vi", "en"):
        assert Locality.objects.filter(locale__language_code=language).count() == 20
        assert CraftVillage.objects.filter(locale__language_code=language).count() >= 6
        assert ProducerPage.objects.filter(locale__language_code=language).count() >= 40
    names = set(Locality.objects.values_list("name", flat=True))
    assert {"Vĩnh Điện", "Điện Dương", "Điện Phương", "Điện Quang"} <= names
    assert ProducerPage.objects.values("legal_form").distinct().count() == 4
    assert ProducerPage.objects.exclude(craft_village=None).exists()


def test_products_exist_in_vietnamese_and_english(loaded):
    assert vi_products().count() == PRODUCTS
    assert en_products().count() == PRODUCTS
    english = en_products().first().locale
    for product in vi_products():
        translation = product.get_translation(english)
        assert translation.category.locale_id == translation.locale_id
        assert translation.get_parent().specific.translation_key == (
            product.get_parent().specific.translation_key
        )


def test_every_product_has_its_own_pictures(loaded):
    products = list(vi_products().order_by("path")[:2])
    for product in vi_products():
        assert product.gallery_images.exists()
    files = []
    for product in products:
        image = product.gallery_images.first().image
        with image.file.open("rb") as handle:
            content = handle.read()
        assert hashlib.sha1(content).hexdigest() == image.file_hash
        assert (image.width, image.height) == (800, 600)
        assert image.description and image.description_en
        files.append(content)
    assert files[0] != files[1]


def test_all_six_product_groups_have_products(loaded):
    groups = {
        product.category.parent.slug if product.category.parent else product.category.slug
        for product in vi_products().select_related("category__parent")
    }
    assert groups == OCOP_GROUPS


def test_producers_are_in_town_with_vietnamese_phone_numbers(loaded):
    for producer in ProducerPage.objects.all():
        assert 15.83 <= float(producer.latitude) <= 15.95
        assert 108.17 <= float(producer.longitude) <= 108.33
        assert normalise_vietnamese_phone(producer.phone) == producer.phone
        if producer.zalo_phone:
            assert normalise_vietnamese_phone(producer.zalo_phone) == producer.zalo_phone
        if producer.whatsapp_phone:
            assert normalise_vietnamese_phone(producer.whatsapp_phone) == producer.whatsapp_phone
        assert producer.story.raw_data[0]["type"] == "paragraph"


def test_a_few_producers_chat_on_whatsapp(loaded):
    producers = list(ProducerPage.objects.filter(locale__language_code="vi"))
    on_whatsapp = [producer for producer in producers if producer.whatsapp_phone]
    assert 0 < len(on_whatsapp) < len(producers) / 2


def test_producers_have_payment_settings_for_the_tracking_page(loaded):
    producers = list(ProducerPage.objects.filter(locale__language_code="vi"))
    with_bank = [producer for producer in producers if producer.has_bank_details]
    cash = [producer for producer in producers if producer.accepts_cash_on_delivery]
    card = [producer for producer in producers if producer.accepts_card_payment]
    assert len(cash) > 0.7 * len(producers)
    assert 0.3 * len(producers) < len(with_bank) < 0.7 * len(producers)
    assert 0 < len(card) < 0.3 * len(producers)
    for producer in producers:
        assert (
            producer.accepts_cash_on_delivery
            or producer.has_bank_details
            or (producer.accepts_card_payment)
        )
    for producer in with_bank:
        assert producer.bank is not None  # a real NAPAS BIN
        assert producer.bank_account_number.startswith(data.DEMO_ACCOUNT_PREFIX)
        holder = producer.bank_account_holder
        assert producer.clean_bank_details() == {}
        assert producer.bank_account_holder == holder  # already as banks print it
    # Translations pay into the same account as the Vietnamese page.
    english = ProducerPage.objects.filter(locale__language_code="en")
    fields = ["translation_key", "accepts_card_payment", "bank_bin", "bank_account_number"]
    assert set(english.values_list(*fields)) == {
        tuple(getattr(producer, name) for name in fields) for producer in producers
    }


def test_certificates_follow_the_ocop_rules(loaded):
    certificates = OcopCertificate.objects.all()
    assert certificates.exists()
    for certificate in certificates:
        errors = ocop.certificate_errors(
            stars=certificate.stars,
            score=certificate.score,
            issuing_level=certificate.issuing_level,
            issue_date=certificate.issue_date,
            expiry_date=certificate.expiry_date,
        )
        assert errors == {}
        assert certificate.expiry_date == ocop.default_expiry(certificate.issue_date)
        assert certificate.locale_id == certificate.page.locale_id
    assert any(certificate.is_expired() for certificate in certificates)
    assert any(certificate.is_valid() for certificate in certificates)
    # The English rows are translations of the Vietnamese ones.
    keys = Counter(certificates.values_list("translation_key", flat=True))
    assert set(keys.values()) == {2}


def test_a_second_run_changes_nothing(loaded):
    before = table_counts()
    call_command("load_demo", products=PRODUCTS, verbosity=0, renditions=False)
    assert table_counts() == before


def test_a_bigger_run_adds_only_the_missing_products(loaded):
    first = set(vi_products().values_list("translation_key", flat=True))
    call_command("load_demo", products=PRODUCTS + 5, verbosity=0, renditions=False)
    assert vi_products().count() == en_products().count() == PRODUCTS + 5
    assert first < set(vi_products().values_list("translation_key", flat=True))
    assert Page.find_problems() == ([], [], [], [], [])


def test_a_half_deleted_producer_is_reported_not_crashed_on(loaded):
    ProducerPage.objects.filter(locale__language_code="en").first().delete()
    with pytest.raises(CommandError, match="without their English page"):
        call_command("load_demo", products=PRODUCTS, verbosity=0, renditions=False)


def test_bulk_created_pages_pass_the_editors_validation(loaded):
    for page in [*ProducerPage.objects.all()[:10], *ProductPage.objects.all()]:
        page.full_clean()
    for row in [*OcopCertificate.objects.all(), *ProductCertification.objects.all()]:
        row.full_clean(exclude=["page"])


def test_the_page_tree_is_consistent(loaded):
    assert Page.find_problems() == ([], [], [], [], [])
    producer = ProducerPage.objects.filter(locale__language_code="vi").first()
    assert producer.numchild == producer.get_children().count()
    assert producer.get_children().type(ProductPage).count() == producer.numchild
    product = producer.get_children().first().specific
    assert product.url_path == f"{producer.url_path}{product.slug}/"


def test_bulk_created_pages_open_in_the_admin_editor(loaded, client):
    admin = get_user_model().objects.create_superuser("editor", "e@example.invalid", "pw")
    client.force_login(admin)
    for page in (vi_products().first(), en_products().first(), ProducerPage.objects.first()):
        response = client.get(f"/admin/pages/{page.pk}/edit/")
        assert response.status_code == 200, page


def test_product_pages_render_in_both_languages(loaded, client):
    for product in (vi_products().first(), en_products().first()):
        response = client.get(product.url)
        assert response.status_code == 200, product.url
        assert product.title in response.content.decode()
    producer = ProducerPage.objects.filter(locale__language_code="en").first()
    assert client.get(producer.url).status_code == 200


def test_home_pages_feature_products_and_producers(loaded):
    for home in HomePage.objects.all():
        assert home.featured_producers.count() >= 4
        assert home.featured_products.exists()
        for featured in home.featured_products.all():
            assert featured.product.locale_id == home.locale_id


def test_every_demo_product_is_found_by_its_title(loaded):
    """The catalogue search holds every product: with and without diacritics, in both
    languages, each product is in the top 3 for its own title."""
    assert ProductSearchEntry.objects.count() == ProductPage.objects.live().count()
    misses = []
    for product in ProductPage.objects.live().select_related("locale"):
        language = product.locale.language_code
        for q in (product.title, strip_diacritics(product.title)):
            query = ProductQuery(q=q, language=language, page_size=3)
            if product.pk not in [hit.page_id for hit in service.search_products(query).hits]:
                misses.append((language, q))
    assert misses == []


def test_the_admin_search_and_reference_index_hold_every_demo_object(loaded):
    product = vi_products().first()
    assert product in ProductPage.objects.search(product.title)
    image = product.gallery_images.first().image
    assert image in CustomImage.objects.search(image.title)
    for model in (ProductPage, ProducerPage, CustomImage):
        assert missing_from_wagtail_indexes(model) == [], model
    # Usage counts: an image is used by the product pages that show it.
    assert image.get_usage().count() == 2  # its product, in Vietnamese and English


def test_a_run_repairs_indexes_an_earlier_load_left_incomplete(loaded, capsys):
    product = vi_products().first()
    ProductSearchEntry.objects.filter(page__in=vi_products()[:5]).delete()
    as_product = {"content_type": ContentType.objects.get_for_model(ProductPage)}
    IndexEntry.objects.filter(object_id=str(product.pk), **as_product).delete()
    ReferenceIndex.objects.filter(object_id=str(product.pk), **as_product).delete()

    call_command("load_demo", products=PRODUCTS, renditions=False)

    out = capsys.readouterr().out
    assert ProductSearchEntry.objects.count() == ProductPage.objects.live().count()
    assert missing_from_wagtail_indexes(ProductPage) == []
    assert f"Database search entries: {2 * PRODUCTS} of {2 * PRODUCTS} products (rebuilt)" in out
    assert "(1 added from an earlier load)" in out


def test_the_site_says_it_is_sample_data(loaded):
    footer = SiteFooter.for_site(Site.objects.get(is_default_site=True))
    assert footer.is_sample_data
    assert footer.address and footer.phone


# --- The catalogue itself (no database) ---------------------------------------------


def test_product_specs_do_not_depend_on_the_order_they_are_made_in():
    assert catalogue.producer_count(PRODUCTS) == len(data.PRODUCERS)
    assert catalogue.producer_count(20_000) > len(data.PRODUCERS)
    spec = catalogue.product_spec(12_345)
    catalogue._identities.cache_clear()
    catalogue.producer_spec.cache_clear()
    catalogue.product_spec(30)
    assert catalogue.product_spec(12_345) == spec


def test_large_catalogues_keep_names_unique_and_phones_valid():
    producers = [catalogue.producer_spec(i) for i in range(catalogue.producer_count(20_000))]
    assert (
        len({p.slug_vi for p in producers}) == len({p.slug_en for p in producers}) == len(producers)
    )
    for producer in producers[:: max(1, len(producers) // 100)]:
        assert normalise_vietnamese_phone(producer.phone) == producer.phone
    specs = [catalogue.product_spec(i) for i in range(0, 20_000, 7)]
    slugs = Counter((spec.producer.index, spec.slug_vi) for spec in specs)
    assert max(slugs.values()) == 1
    assert all(len(spec.short_description_vi) <= 300 for spec in specs)
    assert {spec.availability for spec in specs} == {
        "in_stock",
        "seasonal",
        "made_to_order",
        "out_of_stock",
    }


def test_pictures_are_drawn_the_same_in_worker_processes():
    specs = [catalogue.product_spec(i) for i in range(3)]
    [(_, here)] = _rendered([specs], _product_jobs, workers=0)
    [(_, there)] = _rendered([specs], _product_jobs, workers=2)
    assert here == there


def test_vietnamese_names_are_drawn_without_diacritics():
    # Pillow's built-in font has no glyphs for ư, ạ, ờ…: the text is folded to ASCII first.
    assert strip_diacritics("Nước mắm Điện Bàn, Hội An") == "Nuoc mam Dien Ban, Hoi An"
    job = ImageJob("product", "Nước mắm", "Điện Bàn", (0, 0, 0), (9, 9, 9), "seed")
    with PILImage.open(io.BytesIO(render(job))) as picture:
        assert (picture.format, picture.size) == ("JPEG", (800, 600))


# --- ensure_demo_admin ----------------------------------------------------------------


def test_demo_admin_refuses_to_run_without_debug(db):
    assert not settings.DEBUG
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("ensure_demo_admin")


def test_demo_admin_creates_the_accounts_once(db, settings, capsys):
    settings.DEBUG = True
    settings.PUBLIC_BASE_URL = "http://127.0.0.1:8001"  # as `make run PORT=8001` sets it
    call_command("ensure_demo_admin")
    call_command("ensure_demo_admin")
    users = get_user_model().objects
    assert users.get(username="admin").is_superuser
    assert users.get(username="office").groups.filter(name="Agriculture office").exists()
    # And a producer's login when the demo has producers (this module's demo may be loaded).
    assert users.exclude(username=PRODUCER_EMAIL).count() == 2
    has_producer_login = users.filter(username=PRODUCER_EMAIL).exists()
    assert has_producer_login == ProducerPage.objects.filter(live=True).exists()
    output = capsys.readouterr().out
    assert output.count("Log in at http://127.0.0.1:8001/admin/") == 2
    assert "admin / cho-ocop-demo" in output


def test_certificate_dates_are_not_in_the_future():
    issued = [catalogue.product_spec(i).ocop for i in range(500)]
    assert max(cert.issue_date for cert in issued if cert) <= timezone.localdate()
