"""The database backend's "did you mean": corrections made of the catalogue's title words.

Cases over the fixed catalogue (tests/search_catalogue.py) go through the backend as a
shopper's search does; the ranking rules are shown on small vocabularies of a few titles.
"""

import pytest

from marketplace.core.text import fold, normalise
from producers.models import ProducerPage
from products.models import ProductPage
from search.backends.database import (
    DatabaseBackend,
    correction,
    did_you_mean,
    edit_distance,
    vocabulary,
    vocabulary_of,
)
from search.backends.shared import max_edits
from search.query import ProductQuery
from tests.factories import make_product

pytest_plugins = ["tests.search_fixtures"]


def search(q: str, language: str = "vi", **fields):
    return DatabaseBackend().search_products(ProductQuery(q=q, language=language, **fields))


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("banh trangg", "bánh tráng"),
        ("bánh trán", "bánh tráng"),
        ("nuoc mamm", "nước mắm"),
        ("nuoc mma", "nước mắm"),  # two letters swapped: one typo
        ("NUOC MAMM", "nước mắm"),
        ("chieu coii", "chiếu cói"),
        ("tra senn", "trà sen"),
        ("tinh bot nghee", "tinh bột nghệ"),
        ("mi quang gaa", "mì quảng gà"),
        ("homestey", "homestay"),
        # No title word is within a typo of "phê": the old suggestion was "cái hoa".
        ("cà phê", ""),
        # Two real words that no title has together are no typo.
        ("gỗ gốm", ""),
        ("sầu riêng", ""),
        ("xyzzy", ""),
    ],
)
def test_suggestions_on_the_catalogue(catalogue, db, q, expected):
    results = search(q)
    assert (results.total, results.did_you_mean) == (0, expected)
    if expected:
        assert search(expected).total > 0


def test_english_titles_make_english_suggestions(catalogue, db):
    assert search("fish sause", "en").did_you_mean == "fish sauce"
    assert search("rice papper", "en").did_you_mean == "rice paper"
    assert search("banh trangg", "en").did_you_mean == ""


def test_never_the_query_itself(catalogue, db):
    # Nothing found because of a filter: the words are right, there is nothing to correct.
    results = search("bánh tráng", category=("sinh-vat-canh",))
    assert (results.total, results.did_you_mean) == (0, "")
    assert did_you_mean("banh trang", "vi") == ""
    assert did_you_mean("bánh tráng", "vi") == ""
    assert did_you_mean("%", "vi") == did_you_mean("", "vi") == ""


def test_a_query_that_matches_needs_no_suggestion(
    catalogue, db, django_capture_on_commit_callbacks
):
    producer = ProducerPage.objects.get(pk=catalogue["producer_tra"].pk)
    with django_capture_on_commit_callbacks(execute=True):
        make_product(producer, "Cà phê rang xay")
    assert (search("ca phe").total, search("ca phe").did_you_mean) == (1, "")
    assert search("ca phee").did_you_mean == "cà phê"


def test_the_vocabulary_is_cached_until_entries_change(
    catalogue, db, django_assert_num_queries, django_capture_on_commit_callbacks
):
    assert did_you_mean("banh trangg cuon", "vi") == ""
    # The entries' version, no more: the vocabulary is kept.
    with django_assert_num_queries(1):
        vocabulary("vi")
    # A title edited in place: the entries' version changes, the vocabulary is new.
    product = ProductPage.objects.get(pk=catalogue["banh_trang_phoi"].pk)
    product.title = "Bánh tráng cuốn phơi sương"
    with django_capture_on_commit_callbacks(execute=True):
        product.save_revision().publish()
    assert did_you_mean("banh trangg cuon", "vi") == "bánh tráng cuốn"


def known(*titles: str):
    """The vocabulary of these titles, one product each, as the entries store them."""
    return vocabulary_of((f" {normalise(t)} ", f" {fold(t)} ", 1) for t in titles)


def correct(q: str, *titles: str) -> str:
    return correction(fold(q).split(), known(*titles))


def test_fewest_edits_first():
    # "trong" is two typos from "trangg", "tráng" one: fewer edits beat more titles.
    titles = ("Bánh tráng nướng", "Bánh trong", "Bánh trong hạt", "Bánh trong lá")
    assert correct("banh trangg", *titles) == "bánh tráng"
    assert correct("banh trongg", *titles) == "bánh trong"


def test_words_next_to_each_other_before_more_titles():
    # "mắm" and "mía" are one typo from "mma"; only "nước mắm" is a phrase of a title.
    titles = ("Nước mắm nhĩ", "Mía ép nước cốt", "Mía lau nấu nước")
    assert correct("nuoc mma", *titles) == "nước mắm"
    # Both phrases: the one in more titles.
    titles = ("Nước mắm nhĩ", "Nước mía ép", "Nước mía sầu riêng")
    assert correct("nuoc mma", *titles) == "nước mía"


def test_spelt_as_most_titles_spell_it():
    titles = ("Bánh tráng mè", "Bánh tráng phơi", "Bành tráng cói")
    assert correct("banh trangg", *titles) == "bánh tráng"
    assert correct("bành trangg", *titles) == "bánh tráng"


def test_the_words_must_share_a_title():
    assert correct("tra gomm", "Trà sen", "Bình gốm") == ""
    assert correct("tra gomm", "Trà sen", "Ấm trà gốm") == "trà gốm"


def test_short_words_are_not_corrected():
    assert correct("ga", "Mì Quảng gà") == ""  # already a word
    assert correct("gz", "Mì Quảng gà") == ""  # two letters: no typo forgiven


def test_edit_distance_and_allowed_typos():
    assert edit_distance("mma", "mam") == 1  # swapped neighbours
    assert edit_distance("trangg", "trang") == 1
    assert edit_distance("gom", "go") == 1
    assert edit_distance("banh", "banh") == 0
    assert edit_distance("sause", "sauce") == 1
    assert edit_distance("abc", "") == 3
    assert [max_edits(w) for w in ("ga", "mam", "trang", "trangg")] == [0, 1, 1, 2]
