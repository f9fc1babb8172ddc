"""The database backend's rows, held in each process: read again when, and only when,
the entries or the day changed."""

import datetime

import time_machine
from django.db.models import Count
from django.utils import timezone

from producers.models import ProducerIndexPage
from products.models import ProductPage
from search.backends import entry_table
from search.backends.database import DatabaseBackend
from search.models import OcopWindow
from search.query import ProductQuery
from tests.factories import make_producer

pytest_plugins = ["tests.search_fixtures"]


def search(**fields):
    return DatabaseBackend().search_products(ProductQuery(**fields))


def test_a_price_edited_in_place_shows_in_the_next_search(
    catalogue, db, django_capture_on_commit_callbacks, django_assert_num_queries
):
    page = ProductPage.objects.get(pk=catalogue["binh_gom"].pk)
    assert search(sort="price_asc").hits[0].page_id != page.pk
    with django_assert_num_queries(1):  # kept: the entries' version only
        entry_table.rows_of("vi")
    page.price_vnd = 1_000
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    # As many entries as before: the version written with them says they changed.
    first = search(sort="price_asc").hits[0]
    assert (first.page_id, first.price) == (page.pk, 1_000)
    assert search(price=("under-50k",)).facets["price"][0].count >= 1


def test_a_deleted_product_leaves_the_next_search(catalogue, db):
    before = search(page_size=100)
    page = ProductPage.objects.get(pk=catalogue["binh_gom"].pk)
    page.delete()  # its entry goes with it, before any task runs
    after = search(page_size=100)
    assert after.total == before.total - 1
    assert page.pk not in [hit.page_id for hit in after.hits]


def test_stars_stop_counting_the_day_after_the_certificate_ends(catalogue, db):
    window = (
        OcopWindow.objects.filter(entry__language="vi")
        .annotate(windows=Count("entry__ocop_windows"))
        .filter(windows=1)
        .select_related("entry")
        .first()
    )
    last_day = timezone.make_aware(datetime.datetime.combine(window.valid_until, datetime.time(23)))

    def stars_of_its_page(when: datetime.datetime) -> tuple:
        with time_machine.travel(when, tick=False):
            (row,) = [row for row in entry_table.rows_of("vi") if row.pk == window.entry_id]
            chosen = search(stars=(window.stars,), page_size=100)
            return row.valid_stars, window.entry_id in [hit.page_id for hit in chosen.hits]

    assert stars_of_its_page(last_day) == (window.stars, True)
    # No entry was written: the day alone makes the rows read again.
    assert stars_of_its_page(last_day + datetime.timedelta(hours=2)) == (None, False)


def test_a_producer_published_since_is_suggested_at_once(catalogue, db):
    def producers_suggested(q: str) -> list[str]:
        suggestions = DatabaseBackend().suggest(q, "vi")
        return [s.text for s in suggestions if s.type == "producer"]

    assert producers_suggested("thu") == []  # and the suggestions' places are kept
    index = ProducerIndexPage.objects.get(locale__language_code="vi")
    make_producer(index, "HTX Thu Bồn xanh")  # no product: no entry written
    assert producers_suggested("thu") == ["HTX Thu Bồn xanh"]


def test_a_row_holds_each_text_word_once_and_knows_how_it_was_written():
    folded, accented = entry_table.text_words(
        " htx nước mắm nước ocop mam ", " htx nuoc mam nuoc ocop mam "
    )
    # Without diacritics as written first, then the rest folded; each word once.
    assert folded == b" htx ocop mam | nuoc "
    assert accented == " nước mắm ".encode()
    row = entry_table.Row(
        pk=1,
        title_normalised=" nước mắm ".encode(),
        title_folded=b" nuoc mam ",
        text_folded=folded,
        text_accented=accented,
        categories=(),
        certifications=(),
        locality_slug="",
        craft_village_slug="",
        availability="in_stock",
        price=None,
        price_range=None,
        featured=False,
        published=0,
        valid_stars=None,
        standing=0.0,
    )

    def written(*words):
        return row.has_words_as_written(entry_table.padded(list(words)))

    assert written("nước", "mắm") and written("htx", "mắm") and written("mam")
    # "nuoc" is in the text only as "nước"; "nướ" is no word of it.
    assert not written("nuoc") and not written("nướ") and not written("nước", "gốm")
