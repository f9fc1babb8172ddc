"""Producers in the catalogue search: their Elasticsearch index, `search_producers()` on
both backends, and the producer strip above the results of the search page."""

import re

import pytest
from django.core.management import call_command

from search import service
from search.backends.database import DatabaseBackend
from search.backends.elasticsearch import connection, indexing
from search.backends.elasticsearch.backend import ElasticsearchBackend
from search.query import ProductQuery
from tests.factories import make_producer, make_product

pytest_plugins = ["tests.search_fixtures", "tests.search_indexing_fixtures"]


@pytest.fixture(params=["database", pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)])
def backend(request, catalogue, db):
    """Each backend, its index holding the fixed catalogue (tests/search_catalogue.py)."""
    if request.param == "elasticsearch":
        request.getfixturevalue("catalogue_index")
        return ElasticsearchBackend()
    return DatabaseBackend()


def names(backend, q: str, language: str = "vi", limit: int = 20) -> list[str]:
    return [hit.name for hit in backend.search_producers(q, language, limit)]


# search_producers() on both backends ------------------------------------------------


@pytest.mark.parametrize("q", ["gốm Thanh Hà", "gom thanh ha", "GỐM THANH HÀ", "htx gom"])
def test_finds_producers_with_and_without_diacritics(backend, q) -> None:
    assert names(backend, q)[0] == "HTX Gốm Thanh Hà"


def test_every_word_must_match(backend) -> None:
    assert names(backend, "gốm kim bồng") == []
    # Whole words: "go" (gỗ) is not "gom" (gốm).
    assert "HTX Gốm Thanh Hà" not in names(backend, "go")


def test_places_match_and_names_rank_first(backend) -> None:
    found = names(backend, "Điện Minh")
    # The locality of three producers; one has it in its name.
    assert found[0] == "HTX Dược liệu Điện Minh"
    assert set(found) == {"HTX Dược liệu Điện Minh", "Cơ sở mì Quảng Bà Mua", "Cơ sở mộc Kim Bồng"}
    # A craft village's name finds its producers.
    assert names(backend, "lang chieu coi") == ["HTX Chiếu cói Bàn Thạch"]


def test_hits_describe_the_producer(backend, catalogue) -> None:
    (hit,) = backend.search_producers("gốm thanh hà", "vi", 1)
    producer = catalogue["producer_gom"]
    assert (hit.page_id, hit.url, hit.product_count) == (producer.pk, producer.url, 2)
    assert (hit.locality, hit.craft_village) == ("Điện Phương", "Làng gốm Thanh Hà")
    assert hit.legal_form and hit.logo == ""


def test_searches_the_language_asked(backend, catalogue) -> None:
    (hit,) = backend.search_producers("gom thanh ha", "en", 4)
    assert hit.url == catalogue["producer_gom_en"].url and hit.url.startswith("/en/")
    assert names(backend, "mộc kim bồng", "en") == []  # never translated


def test_limit_and_queries_without_words(backend) -> None:
    assert len(names(backend, "điện", limit=3)) == 3
    assert names(backend, "!!! ***") == []
    assert names(backend, "") == []


@pytest.mark.elasticsearch
def test_both_backends_give_the_same_answers(catalogue, catalogue_index, db) -> None:
    for q in ["htx", "điện", "dien phuong", "co so", "gốm", "bánh tráng", "kim bong", "tra"]:
        for language in ("vi", "en"):
            by_database = DatabaseBackend().search_producers(q, language, 20)
            assert ElasticsearchBackend().search_producers(q, language, 20) == by_database, q


def test_service_falls_back_to_the_database(catalogue, db, settings, closed_url) -> None:
    settings.ELASTICSEARCH_URL = closed_url
    assert [hit.name for hit in service.search_producers("gom thanh ha", "vi")] == [
        "HTX Gốm Thanh Hà"
    ]
    assert len(service.search_producers("điện", "vi")) == service.MAX_PRODUCERS
    assert service.search_producers("  ", "vi") == []


@pytest.mark.parametrize("q", ["gom thanh ha", "điện", "bánh tráng", "!!!", ""])
def test_search_page_answers_as_products_and_producers_apart(backend, q) -> None:
    query = ProductQuery(q=q)
    results, producers = backend.search_page(query, 3)

    assert results == backend.search_products(query)
    assert producers == backend.search_producers(q, "vi", 3)
    assert backend.search_page(query, 0)[1] == []


@pytest.mark.elasticsearch
def test_elasticsearch_answers_a_search_page_in_one_request(
    catalogue, catalogue_index, db, monkeypatch
) -> None:
    client = connection.get_client()
    asked = []

    def counted(method):
        ask = getattr(client, method)

        def call(**kwargs):
            asked.append(method)
            return ask(**kwargs)

        return call

    for method in ("search", "msearch"):
        monkeypatch.setattr(client, method, counted(method))
    results, producers = ElasticsearchBackend().search_page(ProductQuery(q="gom thanh ha"), 4)

    assert asked == ["msearch"]
    assert [hit.name for hit in producers] == ["HTX Gốm Thanh Hà"] and results.total


@pytest.mark.elasticsearch
def test_a_search_page_whose_producers_fail_answers_from_the_database(
    catalogue, catalogue_index, db, monkeypatch
) -> None:
    """An error in one of msearch's searches (here: no producers index) is raised as the
    search alone would raise it, so the service asks the database for both."""
    real_alias = connection.alias
    monkeypatch.setattr(
        connection,
        "alias",
        lambda kind, language: (
            "no-such-index" if kind == "producers" else real_alias(kind, language)
        ),
    )
    results, producers = service.search_page(ProductQuery(q="gom thanh ha"))

    assert results.backend == "database"
    assert [hit.name for hit in producers] == ["HTX Gốm Thanh Hà"]


def test_a_search_page_past_the_end_shows_the_producers_with_its_last_page(catalogue, db, settings):
    settings.ELASTICSEARCH_URL = ""
    results, producers = service.search_page(ProductQuery(q="gom thanh ha", page=9))

    assert results.page == results.pages == 1
    assert [hit.name for hit in producers] == ["HTX Gốm Thanh Hà"]


# The search page ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "engine", ["database", pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)]
)
def test_search_page_shows_matching_producers(client, catalogue, db, settings, request, engine):
    if engine == "elasticsearch":
        request.getfixturevalue("catalogue_index")  # sets ELASTICSEARCH_URL for the module
    else:
        settings.ELASTICSEARCH_URL = ""
    html = client.get("/vi/tim-kiem/", {"q": "gom thanh ha"}).content.decode()
    assert 'class="search-producers"' in html
    # Through the click counter, which redirects to the producer's page.
    link = f'&amp;target={catalogue["producer_gom"].pk}" rel="nofollow">HTX Gốm Thanh Hà</a>'
    assert link in html
    assert "2 products" in html or "2 sản phẩm" in html


def test_search_page_strip_only_on_the_first_page_of_a_search(client, catalogue, db, settings):
    settings.ELASTICSEARCH_URL = ""
    first = client.get("/vi/tim-kiem/", {"q": "điện"}).content.decode()
    assert first.count('class="card producer-card"') == service.MAX_PRODUCERS
    assert (
        'class="search-producers"'
        not in client.get("/vi/tim-kiem/", {"q": "điện", "page": "2"}).content.decode()
    )
    assert 'class="search-producers"' not in client.get("/vi/tim-kiem/").content.decode()
    assert (
        'class="search-producers"'
        not in client.get("/vi/tim-kiem/", {"q": "xyzzy"}).content.decode()
    )


# The producers index follows the pages ------------------------------------------------


@pytest.fixture
def indexed(site, es_settings):
    """An empty catalogue indexed: aliases exist, so page changes reach them."""
    indexing.rebuild()
    return site


def producer_documents(language: str = "vi") -> dict[str, dict]:
    """The indexed producers named "… Nón lá …" (the module's catalogue may be there too)."""
    client = connection.get_client(indexing=True)
    client.indices.refresh(index=f"{connection.index_prefix()}-*")
    response = client.search(index=connection.alias("producers", language), size=100)
    sources = [hit["_source"] for hit in response["hits"]["hits"]]
    return {source["display_name"]: source for source in sources if "Nón lá" in source["name"]}


def suggestions(prefix: str) -> list[str]:
    return [s.text for s in ElasticsearchBackend().suggest(prefix, "vi") if s.type == "producer"]


@pytest.mark.elasticsearch
def test_index_follows_publish_rename_and_unpublish(
    indexed, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        producer = make_producer(indexed.producers, "HTX Nón lá Phú Gia")
    assert list(producer_documents()) == ["HTX Nón lá Phú Gia"]
    assert suggestions("non la") == ["HTX Nón lá Phú Gia"]

    producer.display_name = producer.title = "HTX Nón lá Điện Phương"
    with django_capture_on_commit_callbacks(execute=True):
        producer.save_revision().publish()
    assert list(producer_documents()) == ["HTX Nón lá Điện Phương"]
    assert names(ElasticsearchBackend(), "phu gia") == []
    assert names(ElasticsearchBackend(), "non la dien phuong") == ["HTX Nón lá Điện Phương"]
    assert suggestions("non la") == ["HTX Nón lá Điện Phương"]

    with django_capture_on_commit_callbacks(execute=True):
        producer.unpublish()
    assert producer_documents() == {}
    assert suggestions("non la") == []


@pytest.mark.elasticsearch
def test_products_published_and_deleted_change_the_count(
    indexed, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        producer = make_producer(indexed.producers, "HTX Nón lá Phú Gia")
        kept = make_product(producer, "Nón lá bài thơ")
        gone = make_product(producer, "Nón lá trẻ em")
    assert producer_documents()["HTX Nón lá Phú Gia"]["product_count"] == 2
    with django_capture_on_commit_callbacks(execute=True):
        gone.delete()
    assert producer_documents()["HTX Nón lá Phú Gia"]["product_count"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        producer.delete()
    assert producer_documents() == {}
    assert kept.pk not in {
        hit.page_id for hit in ElasticsearchBackend().search_products(ProductQuery(q="non la")).hits
    }


@pytest.mark.elasticsearch
def test_rebuild_indexes_producers_and_status_lists_them(indexed, capsys) -> None:
    make_producer(indexed.producers, "HTX Nón lá Phú Gia")
    call_command("search_index", "rebuild")
    assert list(producer_documents()) == ["HTX Nón lá Phú Gia"]
    call_command("search_index", "status")
    (line,) = [
        line
        for line in capsys.readouterr().out.splitlines()
        if line.startswith(f"{connection.alias('producers', 'vi')} -> ")
    ]
    assert re.search(r": (\d+) documents, \1 in the database$", line)
