"""QR codes of product pages: the public downloads and the admin links to them."""

import io
import re
import xml.etree.ElementTree as ET

import pytest
import zxingcpp
from django.contrib.auth import get_user_model
from django.http import Http404
from django.urls import reverse
from PIL import Image, ImageDraw

from marketplace.core.qr import qr_png, qr_svg
from products.qr import product_qr_response
from tests.factories import en, make_producer, make_product

SVG = "{http://www.w3.org/2000/svg}"
# SvgPathImage draws every dark module as one unit square: "M4,4H5V5H4z".
MODULE = re.compile(r"M(\d+),(\d+)H\d+V\d+H\d+z")


def qr_url(page, fmt: str) -> str:
    """Where the product page serves its QR code in `fmt` (see ProductPage's routes)."""
    return page.url + page.reverse_subpage(f"qr_{fmt}")


def decode_png(content: bytes) -> list[str]:
    return [barcode.text for barcode in zxingcpp.read_barcodes(Image.open(io.BytesIO(content)))]


def decode_svg(svg: str, scale: int = 8) -> list[str]:
    """Rasterise the QR code's path (cairosvg is not available) and decode it."""
    root = ET.fromstring(svg)
    [path] = root.iter(f"{SVG}path")
    size = int(root.get("viewBox").split()[2])
    image = Image.new("L", (size * scale, size * scale), 255)
    draw = ImageDraw.Draw(image)
    for x, y in MODULE.findall(path.get("d")):
        left, top = int(x) * scale, int(y) * scale
        draw.rectangle([left, top, left + scale - 1, top + scale - 1], fill=0)
    return [barcode.text for barcode in zxingcpp.read_barcodes(image)]


@pytest.fixture
def producer(site):
    return make_producer(site.producers)


@pytest.fixture
def product(producer):
    return make_product(producer, title="Bánh tráng Đại Lộc")


def test_qr_png_and_svg_encode_the_data():
    assert decode_png(qr_png("https://example.com/vi/san-pham/")) == [
        "https://example.com/vi/san-pham/"
    ]
    assert decode_svg(qr_svg("Nước mắm")) == ["Nước mắm"]


def test_png_of_a_product_encodes_its_public_url(client, product, public_address):
    response = client.get(qr_url(product, "png"))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == f'attachment; filename="qr-{product.slug}.png"'
    # The public address, not the host the request came to (testserver).
    assert decode_png(response.content) == [
        f"{public_address}/vi/nha-san-xuat/{product.get_parent().slug}/{product.slug}/"
    ]


def test_png_has_a_quiet_border(client, product):
    image = Image.open(io.BytesIO(client.get(qr_url(product, "png")).content)).convert("L")
    box_size = 10
    width, height = image.size
    border = 4 * box_size
    for x in range(width):
        for y in (*range(border), *range(height - border, height)):
            assert image.getpixel((x, y)) == 255
            assert image.getpixel((y, x)) == 255


def test_svg_of_a_product_is_a_path_encoding_its_url(client, product, public_address):
    response = client.get(qr_url(product, "svg"))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Content-Disposition"] == f'attachment; filename="qr-{product.slug}.svg"'
    svg = response.content.decode()
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.find(f"{SVG}path").get("d")
    assert decode_svg(svg) == [public_address + product.url]


def test_english_product_encodes_its_english_url(client, producer, product, public_address):
    producer.copy_for_translation(en()).save_revision().publish()
    english = product.copy_for_translation(en())
    english.save_revision().publish()

    response = client.get(qr_url(english, "png"))
    [url] = decode_png(response.content)
    assert url == english.get_full_url()
    assert url.startswith(f"{public_address}/en/producers/")


def test_unpublished_products_have_no_qr_code(client, product):
    urls = [qr_url(product, "png"), qr_url(product, "svg")]
    assert [client.get(url).status_code for url in urls] == [200, 200]

    product.unpublish()
    assert [client.get(url).status_code for url in urls] == [404, 404]


def test_unknown_qr_format_is_not_found(rf, product):
    with pytest.raises(Http404):
        product_qr_response(product, rf.get(product.url), "gif")


# Admin


@pytest.fixture
def admin_client(client, site):
    user = get_user_model().objects.create_superuser("admin", "admin@example.com", "password")
    client.force_login(user)
    return client


def qr_links(html: str) -> list[str]:
    return re.findall(r'href="([^"]*/qr[.-](?:png|svg)/?)"', html)


def test_product_edit_page_links_to_the_qr_codes(admin_client, product):
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[product.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Mã QR (PNG)" in html
    assert "Mã QR (SVG)" in html
    assert qr_links(html) == [qr_url(product, "png"), qr_url(product, "svg")]


def test_qr_links_point_to_the_live_url_while_a_new_slug_is_a_draft(admin_client, product):
    live_urls = [qr_url(product, "png"), qr_url(product, "svg")]
    product.slug = "ten-moi"
    product.save_revision()

    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[product.pk]))
    assert qr_links(response.content.decode()) == live_urls


def test_draft_products_and_other_pages_have_no_qr_links(admin_client, producer):
    draft = make_product(producer, publish=False, live=False)
    for page in (draft, producer):
        response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
        assert response.status_code == 200
        assert "Mã QR (PNG)" not in response.content.decode()


def test_page_listing_links_to_the_qr_codes(admin_client, producer, product):
    response = admin_client.get(reverse("wagtailadmin_explore", args=[producer.pk]))

    assert response.status_code == 200
    assert qr_url(product, "png") in qr_links(response.content.decode())
