"""The home page blocks the office controls: hero slides, the producer of the month and a
highlighted craft village. Date windows, order, automatic drop-out, the office's warnings,
who may edit them, and both languages."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.test.utils.form_data import querydict_from_html

from marketplace.curation.models import (
    CraftVillageHighlight,
    FeaturedCollection,
    HeroSlide,
    ProducerOfTheMonth,
)
from products.models import ProductPage
from tests.factories import (
    en,
    make_craft_village,
    make_image,
    make_producer,
    make_product,
    vi,
)
from tests.producer_accounts_helpers import is_denied
from tests.public_pages_fixtures import translate_page, translate_snippet
from tests.test_curation import add_form_data as collection_form_data
from tests.test_curation import admin_url as collection_admin_url
from tests.test_curation import make_collection

pytest_plugins = ["tests.producer_accounts_fixtures"]

TIME_ZONE = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
JUNE_1 = datetime.date(2026, 6, 1)
JUNE_30 = datetime.date(2026, 6, 30)
JULY_1 = datetime.date(2026, 7, 1)
DAY = datetime.timedelta(days=1)
SNIPPETS = ["heroslide", "producerofthemonth", "craftvillagehighlight"]


def on_day(day: datetime.date, hour: int = 9):
    """Travel to a time of day in Điện Bàn: dates are local dates."""
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(hour), TIME_ZONE))


def admin_url(model_name: str, action: str, *args) -> str:
    return reverse(f"wagtailsnippets_curation_{model_name}:{action}", args=args)


def make_slide(title: str, page, starts_on=JUNE_1, ends_on=None, **fields) -> HeroSlide:
    return HeroSlide.objects.create(
        title=title,
        link_page=page,
        locale=fields.pop("locale", None) or vi(),
        starts_on=starts_on,
        ends_on=ends_on,
        **fields,
    )


def make_producer_of_the_month(producer, month=JUNE_1, **fields) -> ProducerOfTheMonth:
    return ProducerOfTheMonth.objects.create(
        producer=producer, month=month, locale=fields.pop("locale", None) or vi(), **fields
    )


def make_highlight(village, starts_on=JUNE_1, ends_on=None, **fields) -> CraftVillageHighlight:
    return CraftVillageHighlight.objects.create(
        craft_village=village,
        starts_on=starts_on,
        ends_on=ends_on,
        locale=fields.pop("locale", None) or vi(),
        **fields,
    )


def hero(html: str) -> str:
    return html[html.index('<section class="hero">') :].split("</section>")[0]


def section(html: str, heading_id: str) -> str:
    start = html.rindex("<section", 0, html.index(f'id="{heading_id}"'))
    return html[start:].split("</section>")[0]


@pytest.fixture
def village(db):
    return make_craft_village()


@pytest.fixture
def producer(site, village):
    return make_producer(
        site.producers, "HTX Gốm Thanh Hà", craft_village=village, summary="Gốm đỏ bên sông."
    )


@pytest.fixture
def product(producer):
    return make_product(producer, "Bình gốm", stars=4)


# Date windows ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "day, shown",
    [(JUNE_1 - DAY, False), (JUNE_1, True), (JUNE_30, True), (JUNE_30 + DAY, False)],
    ids=["before start", "start day", "end day", "after end"],
)
def test_a_hero_slide_is_shown_from_its_start_day_to_its_end_day(client, product, day, shown):
    make_slide("Quà Tết OCOP", product, starts_on=JUNE_1, ends_on=JUNE_30, text="Quà biếu.")

    with on_day(day, hour=23):
        html = client.get("/vi/").text

    assert ("Quà Tết OCOP" in hero(html)) is shown
    assert ("Quà biếu." in hero(html)) is shown


def test_the_home_pages_own_hero_shows_when_no_slide_is(client, site, product):
    site.home.hero_text = "Sản phẩm OCOP của Điện Bàn."
    site.home.save_revision().publish()
    make_slide("Sắp tới", product, starts_on=JULY_1)

    with on_day(JUNE_30):
        html = hero(client.get("/vi/").text)

    assert "Sản phẩm OCOP của Điện Bàn." in html
    assert "Sắp tới" not in html


@pytest.mark.parametrize(
    "day, shown", [(JUNE_1, "HTX Tháng Sáu"), (JUNE_30, "HTX Tháng Sáu"), (JULY_1, "HTX Tháng Bảy")]
)
def test_the_home_page_shows_the_producer_of_the_current_month(client, site, day, shown):
    june = make_producer(site.producers, "HTX Tháng Sáu")
    july = make_producer(site.producers, "HTX Tháng Bảy")
    make_producer_of_the_month(june, JUNE_1, note="Gốm đẹp.")
    make_producer_of_the_month(july, datetime.date(2026, 7, 20))

    with on_day(day):
        html = section(client.get("/vi/").text, "producer-of-the-month-heading")

    (other,) = {"HTX Tháng Sáu", "HTX Tháng Bảy"} - {shown}
    assert shown in html
    assert other not in html


def test_no_producer_of_the_month_section_without_one(client, producer):
    make_producer_of_the_month(producer, JUNE_1)

    with on_day(JULY_1):
        html = client.get("/vi/").text

    assert "producer-of-the-month-heading" not in html


def test_the_month_is_stored_as_its_first_day_and_is_unique(producer):
    entry = make_producer_of_the_month(producer, datetime.date(2026, 6, 17))
    assert entry.month == JUNE_1

    other = ProducerOfTheMonth(producer=producer, month=JUNE_30, locale=vi())
    with pytest.raises(ValidationError) as error:
        other.full_clean()
    assert "month" in error.value.message_dict


@pytest.mark.parametrize(
    "day, shown",
    [
        (JUNE_1 - DAY, None),
        (JUNE_1, "Làng gốm Thanh Hà"),
        (datetime.date(2026, 6, 24), "Làng gốm Thanh Hà"),
        # Overlapping highlights: the one started last wins.
        (datetime.date(2026, 6, 25), "Làng chiếu Bàn Thạch"),
        (datetime.date(2026, 7, 31), "Làng chiếu Bàn Thạch"),
        (datetime.date(2026, 8, 1), None),
    ],
)
def test_the_highlighted_craft_village_follows_its_dates(client, site, village, day, shown):
    mats = make_craft_village("Làng chiếu Bàn Thạch", "chieu-ban-thach")
    make_highlight(village, JUNE_1, JUNE_30, note="Nghề gốm năm trăm năm.")
    make_highlight(mats, datetime.date(2026, 6, 25), datetime.date(2026, 7, 31))

    with on_day(day):
        html = client.get("/vi/").text

    if shown is None:
        assert "craft-village-highlight-heading" not in html
        return
    block = section(html, "craft-village-highlight-heading")
    (other,) = {"Làng gốm Thanh Hà", "Làng chiếu Bàn Thạch"} - {shown}
    assert shown in block
    assert other not in block
    if shown == "Làng gốm Thanh Hà":
        assert f'href="{village.get_url()}"' in block
        assert "Nghề gốm năm trăm năm." in block


# Ordering -------------------------------------------------------------------------------


def test_slides_come_in_the_offices_order_first_one_in_the_hero(client, site, producer):
    pages = [make_product(producer, f"Sản phẩm {n}") for n in range(4)]
    make_slide("Slide ba", pages[0], sort_order=3)
    make_slide("Slide một", pages[1], sort_order=1, image=make_image("Tết"), button_label="Xem quà")
    make_slide("Slide hai sau", pages[2], sort_order=2, starts_on=JUNE_1 + DAY)
    make_slide("Slide hai trước", pages[3], sort_order=2)

    with on_day(JUNE_30):
        html = client.get("/vi/").text

    first = hero(html)
    assert '<h2 id="hero-slide-heading">Slide một</h2>' in first
    assert f'href="{pages[1].url}" aria-describedby="hero-slide-heading">Xem quà</a>' in first
    assert 'alt="Tết' in first
    others = section(html, "more-highlights-heading")
    titles = ["Slide hai trước", "Slide hai sau", "Slide ba"]
    assert [others.index(title) for title in titles] == sorted(
        others.index(title) for title in titles
    )
    assert "Slide một" not in others


def test_a_slide_without_a_button_label_says_find_out_more(client, product):
    make_slide("Quà Tết OCOP", product)

    with on_day(JUNE_30):
        vietnamese, english = (hero(client.get(url).text) for url in ("/vi/", "/en/"))

    assert 'aria-describedby="hero-slide-heading">Find out more</a>' in english
    assert "Find out more" not in vietnamese


# Drop-out -------------------------------------------------------------------------------


def test_slides_linking_to_unpublished_or_deleted_pages_drop_out(client, site, producer):
    draft = make_product(producer, "Chén gốm", publish=False)
    withdrawn = make_product(producer, "Đĩa gốm")
    withdrawn.unpublish()
    deleted = make_product(producer, "Lọ hoa")
    shown = make_product(producer, "Bình gốm")
    make_slide("Slide nháp", draft, sort_order=1)
    make_slide("Slide gỡ", withdrawn, sort_order=2)
    make_slide("Slide xoá", deleted, sort_order=3)
    make_slide("Slide thật", shown, sort_order=4)
    deleted.delete()

    with on_day(JUNE_30):
        html = client.get("/vi/").text

    assert "Slide thật" in hero(html)
    for title in ("Slide nháp", "Slide gỡ", "Slide xoá"):
        assert title not in html
    assert "more-highlights-heading" not in html
    assert HeroSlide.objects.get(title="Slide xoá").link_page is None


def test_an_unpublished_producer_of_the_month_drops_out(client, producer):
    make_producer_of_the_month(producer, JUNE_1, note="Gốm đẹp.")
    producer.unpublish()

    with on_day(JUNE_30):
        html = client.get("/vi/").text

    assert "producer-of-the-month-heading" not in html
    assert "Gốm đẹp." not in html


def test_sold_out_collection_items_drop_out_of_the_home_page(client, producer, product):
    sold_out = make_product(producer, "Lọ hoa", availability=ProductPage.Availability.OUT_OF_STOCK)
    collection = make_collection("Quà Tết OCOP", "qua-tet", [sold_out, product])

    html = section(client.get("/vi/").text, f"collection-{collection.pk}-heading")

    assert product.url in html
    assert sold_out.url not in html


# The office's warnings ------------------------------------------------------------------


@pytest.fixture
def dropped_everywhere(site, producer, product):
    """One hidden item of each kind, and hidden items nobody needs to hear about."""
    sold_out = make_product(producer, "Lọ hoa", availability=ProductPage.Availability.OUT_OF_STOCK)
    draft = make_product(producer, "Chén gốm", publish=False)
    hidden_producer = make_producer(site.producers, "HTX Chưa công bố", publish=False)
    with on_day(JUNE_30):
        collection = make_collection("Quà Tết OCOP", "qua-tet", [product, sold_out])
        # Ended: no longer the office's concern.
        make_collection("Tết năm ngoái", "tet-cu", [draft], starts_on=JUNE_1, ends_on=JUNE_1)
    slide = make_slide("Slide nháp", draft)
    make_slide("Slide cũ", draft, ends_on=JUNE_1)
    producer_entry = make_producer_of_the_month(hidden_producer, JUNE_1)
    make_producer_of_the_month(hidden_producer, datetime.date(2026, 5, 1))
    return collection, slide, producer_entry, sold_out, draft, hidden_producer


def test_the_office_dashboard_lists_every_hidden_item_with_edit_links(
    office_client, dropped_everywhere
):
    collection, slide, producer_entry, sold_out, draft, hidden_producer = dropped_everywhere

    with on_day(JUNE_30):
        html = office_client.get(reverse("wagtailadmin_home")).text

    panel = html[html.index('id="curation-dropped-items-content"') :].split("</table>")[0]
    assert "3 curated items are hidden from the public" in panel
    rows = panel.split("<tr>")[2:]
    assert len(rows) == 3
    expected = [
        (collection, "Quà Tết OCOP", sold_out, "Out of stock"),
        (slide, "Slide nháp", draft, "Not published"),
        (producer_entry, "HTX Chưa công bố", hidden_producer, "Not published"),
    ]
    for row, (entry, name, page, reason) in zip(rows, expected, strict=True):
        model_name = entry._meta.model_name
        assert f'href="{admin_url(model_name, "edit", entry.pk)}"' in row
        assert name in row
        assert f'href="{reverse("wagtailadmin_pages:edit", args=[page.pk])}">{page.title}' in row
        assert reason in row
    assert "Tết năm ngoái" not in panel
    assert "Slide cũ" not in panel


def test_no_dashboard_warning_when_everything_is_shown(office_client, product):
    make_collection("Quà Tết OCOP", "qua-tet", [product])
    make_slide("Quà Tết", product)

    html = office_client.get(reverse("wagtailadmin_home")).text

    assert "curation-dropped-items" not in html


def test_producers_do_not_see_the_dashboard_warning(producer_a, dropped_everywhere):
    with on_day(JUNE_30):
        html = producer_a.client.get(reverse("wagtailadmin_home")).text

    assert "curation-dropped-items" not in html


def test_the_edit_views_warn_about_a_hidden_slide_and_producer(office_client, dropped_everywhere):
    _, slide, producer_entry, *_ = dropped_everywhere

    slide_form = office_client.get(admin_url("heroslide", "edit", slide.pk)).text
    producer_form = office_client.get(
        admin_url("producerofthemonth", "edit", producer_entry.pk)
    ).text
    slides = office_client.get(admin_url("heroslide", "list")).text

    assert "until its page is published" in slide_form
    assert "Chén gốm: Not published" in slide_form
    assert "until their page is published" in producer_form
    assert "HTX Chưa công bố: Not published" in producer_form
    assert '<span class="w-status w-status--label">Chén gốm: Not published</span>' in slides


# Permissions ----------------------------------------------------------------------------


def test_the_office_sees_and_opens_the_home_page_blocks(office_client, producer, product, village):
    entries = {
        "heroslide": make_slide("Quà Tết", product),
        "producerofthemonth": make_producer_of_the_month(producer),
        "craftvillagehighlight": make_highlight(village),
    }
    dashboard = office_client.get(reverse("wagtailadmin_home")).text

    for model_name, entry in entries.items():
        assert admin_url(model_name, "list") in dashboard
        for url in (
            admin_url(model_name, "list"),
            admin_url(model_name, "add"),
            admin_url(model_name, "edit", entry.pk),
        ):
            assert office_client.get(url).status_code == 200, url


def test_producers_cannot_see_add_or_edit_the_home_page_blocks(producer_a, village):
    entries = {
        "heroslide": make_slide("Quà Tết", producer_a.product),
        "producerofthemonth": make_producer_of_the_month(producer_a.page),
        "craftvillagehighlight": make_highlight(village),
    }
    dashboard = producer_a.client.get(reverse("wagtailadmin_home"))
    assert dashboard.status_code == 200

    for model_name, entry in entries.items():
        assert admin_url(model_name, "list") not in dashboard.text
        for url in (
            admin_url(model_name, "list"),
            admin_url(model_name, "add"),
            admin_url(model_name, "edit", entry.pk),
            admin_url(model_name, "delete", entry.pk),
        ):
            assert is_denied(producer_a.client.get(url)), url
        assert is_denied(producer_a.client.post(admin_url(model_name, "delete", entry.pk)))
        assert is_denied(producer_a.client.post(admin_url(model_name, "add"), {}))
        assert type(entry).objects.filter(pk=entry.pk).exists()
    assert admin_url("featuredcollection", "list") not in dashboard.text


def add_form_data(client, model_name: str, **fields) -> dict:
    """The admin's add form as it renders, with `fields` filled in."""
    html = client.get(admin_url(model_name, "add")).text
    form = querydict_from_html(html, form_id="w-editor-form")
    form.update(fields)
    return form


def test_the_office_adds_a_slide_in_the_admin(office_client, product):
    form = add_form_data(
        office_client,
        "heroslide",
        title="Quà Tết OCOP",
        text="Quà biếu.",
        link_page=str(product.pk),
        starts_on="2026-01-10",
        ends_on="2026-02-20",
        sort_order="1",
    )

    response = office_client.post(admin_url("heroslide", "add"), form)

    assert response.status_code == 302
    slide = HeroSlide.objects.get()
    assert (slide.link_page_id, slide.locale, slide.ends_on) == (
        product.pk,
        vi(),
        datetime.date(2026, 2, 20),
    )


def test_a_second_producer_for_the_same_month_is_refused_in_the_admin(office_client, producer):
    make_producer_of_the_month(producer, JUNE_1)
    form = add_form_data(
        office_client, "producerofthemonth", producer=str(producer.pk), month="2026-06-15"
    )

    response = office_client.post(admin_url("producerofthemonth", "add"), form)

    assert response.status_code == 200
    assert "month" in response.context["form"].errors
    assert ProducerOfTheMonth.objects.count() == 1


def test_a_collection_slug_taken_in_the_language_is_refused_in_the_admin(office_client):
    make_collection("Quà Tết OCOP", "qua-tet")
    form = collection_form_data(
        office_client, title="Quà Tết khác", slug="qua-tet", starts_on="2026-01-10"
    )

    response = office_client.post(collection_admin_url("add"), form)

    assert response.status_code == 200
    assert "slug" in response.context["form"].errors
    assert FeaturedCollection.objects.count() == 1


# Both languages -------------------------------------------------------------------------


@pytest.fixture
def home_blocks(site, village, producer, product):
    slide = make_slide("Quà Tết OCOP", product, text="Quà biếu Tết.", button_label="Xem quà")
    entry = make_producer_of_the_month(producer, JUNE_1, note="Gốm đỏ trăm năm.")
    highlight = make_highlight(village, note="Làng nghề bên sông Thu Bồn.")
    return slide, entry, highlight


def test_the_vietnamese_home_page_shows_every_block(client, home_blocks, product, producer):
    with on_day(JUNE_30):
        html = client.get("/vi/").text

    assert "Quà Tết OCOP" in hero(html)
    assert f'href="{product.url}"' in hero(html)
    potm = section(html, "producer-of-the-month-heading")
    assert "Gốm đỏ trăm năm." in potm
    assert f'href="{producer.url}"' in potm
    village = section(html, "craft-village-highlight-heading")
    assert "Làng gốm Thanh Hà" in village
    assert "Làng nghề bên sông Thu Bồn." in village


def test_the_english_home_page_shows_the_translations(
    client, home_blocks, product, producer, village
):
    slide, entry, highlight = home_blocks
    translate_snippet(slide, title="OCOP Tet gifts", text="Gifts.", button_label="See gifts")
    translate_snippet(entry, note="A century of red pottery.")
    translate_snippet(highlight, note="A craft village on the Thu Bon river.")
    english_village = translate_snippet(village, name="Thanh Ha pottery village")
    english_producer = translate_page(producer, display_name="Thanh Ha Pottery")
    english_product = translate_page(product, title="Pottery vase", slug="pottery-vase")

    with on_day(JUNE_30):
        html = client.get("/en/").text

    first = hero(html)
    assert "OCOP Tet gifts" in first
    assert f'href="{english_product.url}" aria-describedby="hero-slide-heading">See gifts' in first
    potm = section(html, "producer-of-the-month-heading")
    assert "A century of red pottery." in potm
    assert f'href="{english_producer.url}"' in potm
    assert "Thanh Ha Pottery" in potm
    block = section(html, "craft-village-highlight-heading")
    assert "Thanh Ha pottery village" in block
    assert "A craft village on the Thu Bon river." in block
    assert english_village.get_url() in block
    for vietnamese in ("Quà Tết OCOP", "Gốm đỏ trăm năm.", "Làng nghề bên sông"):
        assert vietnamese not in html
    assert en().pk == english_village.locale_id


def test_untranslated_blocks_show_in_vietnamese_on_the_english_home(client, home_blocks, product):
    with on_day(JUNE_30):
        response = client.get("/en/")

    assert response.status_code == 200
    assert "Quà Tết OCOP" in hero(response.text)
    assert f'href="{product.url}"' in hero(response.text)
    assert "Gốm đỏ trăm năm." in response.text
    assert "Làng gốm Thanh Hà" in response.text


def test_the_home_page_makes_a_fixed_number_of_queries(
    client, home_blocks, producer, django_assert_max_num_queries, no_page_cache
):
    def add_slides(count: int) -> None:
        for _ in range(count):
            page = make_product(producer)
            make_slide(page.title, page, image=make_image(page.title), sort_order=1)

    with on_day(JUNE_30):
        add_slides(2)
        client.get("/vi/")  # renditions and settings are made on the first view
        with CaptureQueriesContext(connection) as queries:
            client.get("/vi/")
        # Counted now: the captured queries are read from the connection's log.
        count = len(queries)
        add_slides(5)
        client.get("/vi/")
        with django_assert_max_num_queries(count):
            assert client.get("/vi/").status_code == 200
