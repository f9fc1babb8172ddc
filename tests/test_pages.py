"""The public pages render, in Vietnamese and English, with what shoppers need to see."""

import datetime
import json
import re

import pytest
from django.contrib import messages
from django.contrib.messages.storage.base import Message
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from marketplace.base.models import HomePageFeaturedProducer, HomePageFeaturedProduct, SiteFooter
from marketplace.base.templatetags.site_tags import (
    month_names,
    responsive_picture,
    vnd,
    zalo_url,
)
from marketplace.base.views import server_error
from products.models import ProductCertification, ProductImage, ProductPage
from tests.factories import (
    category,
    en,
    make_craft_village,
    make_image,
    make_locality,
    make_producer,
    make_product,
    vi,
)
from tests.public_pages_fixtures import (
    ISSUED,
    translate_page,
    translate_snippet,
    url_of,
)

# Valid for 36 months: long over.
EXPIRED = datetime.date(2021, 1, 5)


@pytest.fixture
def village(db):
    return make_craft_village()


@pytest.fixture
def producer(site, village):
    return make_producer(
        site.producers,
        "HTX Gốm Thanh Hà",
        craft_village=village,
        locality=village.locality,
        phone="0905 123 456",
        zalo_phone="0905 123 456",
        email="gom@example.vn",
        founded_year=1998,
    )


@pytest.fixture
def product(producer):
    return make_product(
        producer,
        "Bình gốm",
        stars=4,
        certificate_issued=ISSUED,
        price_vnd=1250000,
        unit="cái",
    )


@pytest.fixture
def english(site, producer, product, village):
    """English translations of the locality, the village, the producer and the product."""
    locality = translate_snippet(village.locality, name="Dien Duong")
    english_village = translate_snippet(village, name="Thanh Ha pottery village", locality=locality)
    english_producer = translate_page(
        producer,
        display_name="Thanh Ha Pottery Cooperative",
        locality=locality,
        craft_village=english_village,
    )
    english_product = translate_page(
        product, title="Pottery vase", slug="pottery-vase", category=category("thuc-pham", en())
    )
    return english_producer, english_product


def language_link(response, code: str) -> str:
    match = re.search(rf'<a href="([^"]*)" hreflang="{code}" lang="{code}"', response.text)
    assert match, f"no {code} link in the language switcher"
    return match.group(1)


# Formatting -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "amount, shown",
    [(120000, "120.000 ₫"), (1250000, "1.250.000 ₫"), (500, "500 ₫"), (None, ""), ("x", "")],
)
def test_prices_are_written_in_vietnamese_dong(amount, shown):
    with translation.override("vi"):
        assert vnd(amount) == shown


@pytest.mark.parametrize(
    "amount, shown",
    [(120000, "₫120,000"), (1250000, "₫1,250,000"), (500, "₫500"), (None, ""), ("x", "")],
)
def test_english_pages_write_prices_the_english_way(amount, shown):
    # "127.000 ₫" reads as 127 to an English reader.
    with translation.override("en"):
        assert vnd(amount) == shown


def test_english_pages_show_prices_the_english_way(client, product, english):
    _producer, english_product = english
    english_page = client.get(english_product.url).text
    assert "₫1,250,000" in english_page
    assert "1.250.000" not in english_page
    assert "1.250.000 ₫" in client.get(product.url).text


def test_zalo_links_use_the_international_digits():
    assert zalo_url("+84905123456") == "https://zalo.me/84905123456"
    assert zalo_url("") == ""


def test_season_months_are_named_in_the_active_language():
    with translation.override("en"):
        assert month_names([5, 6, 13]) == "May, June"


# Home page ----------------------------------------------------------------------------


def test_home_page_shows_featured_latest_and_categories(site, client, producer, product):
    HomePageFeaturedProduct.objects.create(page=site.home, product=product)
    HomePageFeaturedProducer.objects.create(page=site.home, producer=producer)
    newest = make_product(producer, "Đĩa gốm")
    site.home.hero_image = make_image("Chợ", size=(1300, 800), description="Quầy hàng OCOP")
    site.home.save_revision().publish()

    response = client.get("/vi/")

    assert response.status_code == 200
    assert 'id="featured-products-heading"' in response.text
    assert 'id="featured-producers-heading"' in response.text
    assert product.url in response.text and newest.url in response.text
    assert producer.url in response.text
    assert response.text.count('href="/vi/san-pham/danh-muc/') == 6
    hero_sizes = r'<picture><source sizes="[^"]+" srcset="[^"]+ 640w, [^"]+ 1200w"'
    assert re.search(hero_sizes, response.text)
    assert 'alt="Quầy hàng OCOP"' in response.text


def test_english_home_shows_english_translations_of_featured_pages(
    site, client, producer, product, english
):
    english_producer, english_product = english
    # Translating the home page copies its featured items: they point at Vietnamese pages.
    HomePageFeaturedProduct.objects.create(page=site.home_en, product=product)
    HomePageFeaturedProducer.objects.create(page=site.home_en, producer=producer)
    draft = make_product(producer, "Bản nháp", publish=False)
    HomePageFeaturedProduct.objects.create(page=site.home_en, product=draft)

    response = client.get("/en/")

    assert response.status_code == 200
    assert 'lang="en"' in response.text
    assert english_product.url in response.text
    assert english_producer.url in response.text
    assert product.url not in response.text
    assert draft.url not in response.text
    assert 'href="/en/products/category/thuc-pham/"' in response.text


# Product page -------------------------------------------------------------------------


def test_product_page_shows_price_certificate_producer_and_links(site, client, producer, product):
    other = make_product(producer, "Đĩa gốm")
    product.minimum_order_quantity = 10
    product.availability = ProductPage.Availability.SEASONAL
    product.season_months = [5, 6]
    product.lead_time_days = 3
    product.traceability_code = "DB-0001"
    product.save_revision().publish()

    response = client.get(product.url)

    assert response.status_code == 200
    html = response.text
    assert "1.250.000 ₫" in html and "/ cái" in html
    assert "10 × cái" in html
    assert "DB-0001" in html
    assert 'aria-label="Sản phẩm OCOP 4 sao"' in html
    assert ISSUED.strftime("%d/%m/%Y") in html  # the Vietnamese short date format
    assert 'href="tel:+84905123456"' in html
    assert 'href="https://zalo.me/84905123456"' in html
    assert 'href="mailto:gom@example.vn"' in html
    for route in ("qr_png", "qr_svg"):
        assert f'href="{product.url}{product.reverse_subpage(route)}"' in html
    assert other.url in html
    # Home › Products › Category › Product, as an ordered list in a labelled nav.
    breadcrumbs = re.search(r'<nav class="breadcrumbs" aria-label="[^"]+">(.*?)</nav>', html, re.S)
    assert breadcrumbs
    assert re.findall(r"<li>(?:<a[^>]*>|<span[^>]*>)([^<]+)<", breadcrumbs.group(1)) == [
        "Chợ OCOP Điện Bàn",
        "Sản phẩm",
        "Thực phẩm",
        "Bình gốm",
    ]
    assert "<ol>" in breadcrumbs.group(1)


def test_product_page_months_are_in_english_on_the_english_site(site, client, english):
    _english_producer, english_product = english
    # Set on the Vietnamese page: the season is a fact every translation shares.
    product = english_product.get_translation(vi())
    product.availability = ProductPage.Availability.SEASONAL
    product.season_months = [5, 6]
    product.save_revision().publish()

    response = client.get(english_product.url)

    assert response.status_code == 200
    assert "in season: May, June" in response.text
    assert f"{ISSUED.day} {ISSUED:%b %Y}" in response.text  # the English short date format


def test_gallery_is_responsive_and_lazy_after_the_first_image(site, client, producer):
    product = make_product(producer, "Nước mắm")
    ProductImage.objects.create(page=product, image=make_image("Chai"), sort_order=1)
    ProductImage.objects.create(page=product, image=make_image("Nhãn"), sort_order=2)

    html = client.get(product.url).text
    gallery = re.search(r'<ul class="gallery".*?</ul>', html, re.S).group(0)
    images = re.findall(r"<img [^>]*>", gallery)

    assert len(images) == 3
    assert 'loading="lazy"' not in images[0]
    assert all('loading="lazy"' in image for image in images[1:])
    assert 'type="image/webp"' in gallery


def test_responsive_pictures_never_repeat_a_width(db):
    large, small = make_image(size=(1200, 900)), make_image(size=(64, 48))
    spec = "format-{webp,jpeg}|max-{480x480,960x960}"

    large_html = str(responsive_picture(large, spec, alt="Bình", sizes="50vw"))
    small_html = str(responsive_picture(small, spec, alt="Bình", sizes="50vw"))

    assert re.findall(r" (\d+)w", large_html) == ["480", "960", "480", "960"]
    assert re.findall(r" (\d+)w", small_html) == []  # one candidate per format
    assert small_html.count("<source") == 1 and 'alt="Bình"' in small_html
    assert 'sizes="50vw"' in large_html and "sizes" not in small_html


def test_expired_certificate_is_marked_expired_and_gives_no_badge(site, client, producer):
    product = make_product(
        producer, "Mắm cũ", stars=4, certificate_issued=datetime.date(2021, 1, 5)
    )

    response = client.get(product.url)

    assert response.status_code == 200
    assert "Hết hiệu lực" in response.text
    assert "OCOP ★" not in response.text
    assert 'class="ocop-badge"' not in response.text


def test_product_card_badge_follows_the_valid_certificate(site, client, producer):
    make_product(producer, "Mắm cũ", stars=5, certificate_issued=EXPIRED)
    make_product(producer, "Mắm mới", stars=3, certificate_issued=ISSUED)

    html = client.get(site.products.url).text

    assert html.count('class="ocop-badge"') == 1
    assert 'aria-label="Sản phẩm OCOP 3 sao"' in html


def labels(html: str) -> list[str]:
    return re.findall(r'<span class="availability-label[^"]*">([^<]*)</span>', html)


def test_cards_and_product_pages_say_when_a_product_is_not_in_stock(site, client, producer):
    Availability = ProductPage.Availability
    out = make_product(producer, "Bánh tráng", availability=Availability.OUT_OF_STOCK)
    make_product(producer, "Rau má", availability=Availability.SEASONAL, season_months=[1, 2])
    make_product(producer, "Chiếu cói", availability=Availability.MADE_TO_ORDER)
    in_stock = make_product(producer, "Nước mắm", availability=Availability.IN_STOCK)

    assert sorted(labels(client.get(site.products.url).text)) == [
        "Hết hàng",
        "Theo mùa",
        "Đặt làm theo yêu cầu",
    ]

    # The product page's own summary (other products of the producer have cards below).
    def summary(page) -> str:
        html = client.get(page.url).text
        return html.split('class="product__summary"', 1)[1].split('class="facts"', 1)[0]

    assert labels(summary(out)) == ["Hết hàng"]
    assert labels(summary(in_stock)) == []
    with translation.override("en"):
        html = render_to_string(
            "products/includes/availability_label.html", {"availability": "out_of_stock"}
        )
    assert labels(html) == ["Out of stock"]


def test_price_on_request_and_other_certifications(site, client, producer):
    product = make_product(producer, "Chiếu cói", price_vnd=None, price_on_request=True)
    ProductCertification.objects.create(
        page=product, locale=product.locale, kind=ProductCertification.Kind.VIETGAP, number="VG-1"
    )

    html = client.get(product.url).text

    assert "Giá liên hệ" in html
    assert "VietGAP" in html and "VG-1" in html


def test_story_blocks_render(site, client, producer):
    image, second = make_image("Lò gốm"), make_image("Bàn xoay")
    body = [
        {"type": "paragraph", "value": "<p>Làm bằng tay.</p>"},
        {"type": "image", "value": {"image": image.pk, "caption": "Lò nung"}},
        {
            "type": "gallery",
            "value": {
                "images": [{"image": image.pk, "caption": ""}, {"image": second.pk, "caption": ""}]
            },
        },
        {"type": "quote", "value": {"text": "Đất là hồn.", "attribution": "Nghệ nhân"}},
    ]
    product = make_product(producer, "Bình", body=json.dumps(body))

    html = client.get(product.url).text

    assert "<p>Làm bằng tay.</p>" in html
    assert "<figcaption>Lò nung</figcaption>" in html
    assert 'class="story-gallery"' in html
    assert "<blockquote><p>Đất là hồn.</p></blockquote>" in html
    assert f'alt="{image.description}"' in html


def test_english_product_page_uses_english_alt_text(site, client, english):
    _producer, english_product = english
    image = english_product.gallery_images.first().image
    image.description_en = "A blue vase"
    image.save()

    assert 'alt="A blue vase"' in client.get(english_product.url).text


# Language switcher --------------------------------------------------------------------


def test_language_switcher_links_to_the_english_product(site, client, product, english):
    _english_producer, english_product = english

    response = client.get(product.url)

    assert language_link(response, "en") == english_product.url
    assert english_product.url.startswith("/en/producers/")
    assert 'hreflang="vi" lang="vi" aria-current="true"' in response.text
    english_page = client.get(english_product.url)
    assert language_link(english_page, "vi") == product.url


def test_language_switcher_goes_home_when_there_is_no_translation(site, client, product):
    assert language_link(client.get(product.url), "en") == "/en/"


def test_language_switcher_keeps_the_sub_route(site, client):
    response = client.get(site.products.url + "danh-muc/do-uong/")

    assert language_link(response, "en") == url_of(site.products_en) + "category/do-uong/"


# Producers and craft villages ----------------------------------------------------------


def test_producer_page(site, client, producer, product, village):
    response = client.get(producer.url)

    assert response.status_code == 200
    html = response.text
    assert "<h1>HTX Gốm Thanh Hà</h1>" in html
    assert "Hợp tác xã" in html and "1998" in html
    assert f'href="{site.producers.url}lang-nghe/{village.slug}/"' in html
    assert product.url in html
    assert 'href="https://zalo.me/84905123456"' in html


def test_english_producer_page(site, client, english):
    english_producer, english_product = english

    response = client.get(english_producer.url)

    assert response.status_code == 200
    assert "Thanh Ha Pottery Cooperative" in response.text
    assert english_product.url in response.text
    assert "Thanh Ha pottery village" in response.text


def test_craft_village_pages(site, client, producer, product, village):
    village.history = "Hơn 500 năm tuổi."
    village.main_crafts = "Gốm"
    village.save()
    make_producer(
        site.producers, "Hộ khác", craft_village=make_craft_village("Làng khác", "lang-khac")
    )

    listing = client.get(site.producers.url + "lang-nghe/")
    detail = client.get(site.producers.url + f"lang-nghe/{village.slug}/")

    assert listing.status_code == 200
    assert "Làng gốm Thanh Hà" in listing.text and "Làng khác" in listing.text
    assert detail.status_code == 200
    assert "<h1>Làng gốm Thanh Hà</h1>" in detail.text
    assert "Hơn 500 năm tuổi." in detail.text
    assert producer.url in detail.text and product.url in detail.text
    assert "Hộ khác" not in detail.text


def test_unknown_craft_village_is_404(site, client):
    assert client.get(site.producers.url + "lang-nghe/khong-co/").status_code == 404


def test_english_craft_village_pages(site, client, english):
    producers_en = url_of(site.producers_en)

    listing = client.get(producers_en + "craft-villages/")
    detail = client.get(producers_en + "craft-villages/gom-thanh-ha/")

    assert "Thanh Ha pottery village" in listing.text
    assert detail.status_code == 200
    assert "Thanh Ha Pottery Cooperative" in detail.text


# Shell, messages and errors -------------------------------------------------------------


def test_shell_has_landmarks_skip_link_and_navigation(site, client):
    html = client.get("/vi/").text

    assert '<html lang="vi">' in html
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html and "<header" in html and "<footer" in html
    assert "<title>" in html and html.index("<title>") < html.index("</head>")
    for url in ("/vi/san-pham/", "/vi/nha-san-xuat/", "/vi/nha-san-xuat/lang-nghe/"):
        assert f'href="{url}"' in html


def test_sample_data_notice(site, client):
    assert 'class="sample-notice"' not in client.get("/vi/").text
    footer = SiteFooter.for_site(site.home.get_site())
    footer.is_sample_data = True
    footer.phone = "0235 3867 123"
    footer.save()

    html = client.get("/vi/").text

    assert 'class="sample-notice"' in html
    assert 'href="tel:02353867123"' in html


def test_messages_are_shown():
    html = render_to_string(
        "includes/messages.html", {"messages": [Message(messages.SUCCESS, "Đã lưu.")]}
    )

    assert '<li class="message message--success">Đã lưu.</li>' in html


@pytest.mark.parametrize("language, text", [("vi", 'lang="vi"'), ("en", "Page not found")])
def test_404_page_is_friendly_in_the_active_language(site, client, language, text):
    response = client.get(f"/{language}/khong-co-trang-nay/")

    assert response.status_code == 404
    assert text in response.text
    assert f'<html lang="{language}">' in response.text


def test_500_page_needs_no_database():
    # No `db` fixture: any query would raise.
    response = server_error(RequestFactory().get("/en/somewhere/"))

    assert response.status_code == 500
    assert '<html lang="en">' in response.content.decode()
    assert "Something went wrong" in response.content.decode()


def test_locality_translation_is_used_for_english_cards(site, client, english):
    html = client.get(url_of(site.products_en)).text

    assert "Dien Duong" in html
    assert make_locality().name not in html


# Previews ---------------------------------------------------------------------------


def test_preview_of_a_new_product_renders(site, producer):
    product = ProductPage(
        title="Sản phẩm mới",
        slug="san-pham-moi",
        category=category(),
        short_description="Chưa đăng.",
        price_vnd=50000,
        unit="hộp",
        locale=producer.locale,
    )
    product.gallery_images.add(ProductImage(image=make_image("Mới")))
    # What Wagtail's "preview on create" sets on a page that is not saved yet.
    product.depth = producer.depth + 1
    product.path = ProductPage._get_path(producer.path, product.depth, producer.numchild + 1)
    product.set_url_path(producer)

    response = product.make_preview_request()

    assert response.status_code == 200
    assert "Sản phẩm mới" in response.content.decode()
    assert "50.000 ₫" in response.content.decode()


def test_preview_shows_the_draft_not_the_live_gallery(site, producer, product):
    draft = ProductPage.objects.get(pk=product.pk)
    draft.title = "Bình gốm (bản nháp)"
    draft.gallery_images.add(ProductImage(image=make_image("Ảnh nháp", description="Ảnh nháp")))

    html = draft.make_preview_request().content.decode()

    assert "Bình gốm (bản nháp)" in html
    assert 'alt="Ảnh nháp"' in html
