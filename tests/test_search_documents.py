"""The Elasticsearch documents (search.backends.elasticsearch.documents) and the records
they are made from."""

import pytest
from django.core.management import CommandError, call_command
from elasticsearch_dsl import Document

from marketplace.core.text import normalise
from products.models import ProductPage, ProductTag
from search.backends.elasticsearch import connection, indexing
from search.backends.elasticsearch.documents import (
    ProducerDocument,
    ProductDocument,
    SuggestionDocument,
    place_suggestions,
    producer_suggestion,
    product_suggestion,
)
from search.catalogue import (
    RecordBuilder,
    indexable_producers,
    indexable_products,
    producer_records,
    product_records,
)
from search.models import ProductSearchEntry
from tests.factories import make_producer, make_product

pytest_plugins = ["tests.search_fixtures"]


def contains(actual, expected) -> bool:
    """Whether `actual` has everything `expected` has (Elasticsearch adds defaults)."""
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(
            key in actual and contains(actual[key], value) for key, value in expected.items()
        )
    if isinstance(expected, list):
        return len(actual) == len(expected) and all(map(contains, actual, expected))
    if isinstance(expected, str):  # e.g. "category" comes back as "CATEGORY"
        return isinstance(actual, str) and actual.lower() == expected.lower()
    return actual == expected


@pytest.mark.elasticsearch
def test_indices_are_created_from_the_document_classes(catalogue_index, db) -> None:
    client = connection.get_client(indexing=True)
    for (kind, language), document in [
        ((kind, language), document)
        for kind, document in indexing.KINDS.items()
        for language in connection.languages()
    ]:
        (mapping,) = client.indices.get_mapping(index=connection.alias(kind, language)).values()
        expected = document._doc_type.mapping.to_dict()
        assert expected["dynamic"] == "strict"
        assert contains(mapping["mappings"], expected), (kind, language)
        assert mapping["mappings"]["properties"].keys() == expected["properties"].keys()


@pytest.mark.elasticsearch
def test_loading_settings_are_undone_after_a_rebuild(catalogue_index, db) -> None:
    client = connection.get_client(indexing=True)
    for settings in client.indices.get_settings(index=connection.alias("products", "vi")).values():
        index = settings["settings"]["index"]
        assert "refresh_interval" not in index
        assert index.get("translog", {}).get("durability", "request") == "request"


def validated(document: type[Document], source: dict) -> dict:
    """The source, checked by the Document class: every field, and valid values."""
    assert source.keys() == document._doc_type.mapping.to_dict()["properties"].keys()
    instance = document(**source)
    instance.full_clean()
    return instance.to_dict(skip_empty=False)


def test_sources_are_the_document_fields(catalogue, db) -> None:
    products = list(product_records(indexable_products()))
    producers = list(producer_records(indexable_producers()))
    assert products and producers
    for record in products:
        validated(ProductDocument, ProductDocument.source(record))
        validated(SuggestionDocument, SuggestionDocument.source(product_suggestion(record)))
    for record in producers:
        validated(ProducerDocument, ProducerDocument.source(record))
        validated(SuggestionDocument, SuggestionDocument.source(producer_suggestion(record)))
    for _id, suggestion in place_suggestions("vi"):
        validated(SuggestionDocument, SuggestionDocument.source(suggestion))


def test_product_source(catalogue, db) -> None:
    product = catalogue["nuoc_mam"]
    (record,) = product_records(indexable_products().filter(pk=product.pk))
    source = ProductDocument.source(record)
    assert (source["page_id"], source["title"], source["url"]) == (
        product.pk,
        "Nước mắm cá cơm Cửa Đại",
        product.url,
    )
    assert source["category_slugs"] == ["nuoc-cham", "thuc-pham"]
    assert source["craft_village_slug"] is None  # no village: no empty keyword
    assert [period["stars"] for period in source["ocop"]] == [5]
    suggestion = SuggestionDocument.source(product_suggestion(record))
    assert suggestion["suggest"]["input"][:2] == ["nuoc mam ca com cua dai", "mam ca com cua dai"]


def test_records_have_the_page_urls(catalogue, db) -> None:
    records = {r.page_id: r for r in product_records(indexable_products())}
    records |= {r.page_id: r for r in producer_records(indexable_producers())}
    pages = [*ProductPage.objects.live(), *indexable_producers()]
    assert len(pages) == len(records)
    for page in pages:
        assert records[page.pk].url == page.url


def test_url_of_a_unicode_slug(site, db) -> None:
    producer = make_producer(site.producers, "HTX Bánh ít", slug="htx-bánh-ít")
    product = make_product(producer, "Bánh ít lá gai", slug="bánh-ít-lá-gai")
    (record,) = product_records(indexable_products().filter(pk=product.pk))
    assert record.url == product.url and "%C3%AD" in record.url


def test_text_is_the_normalised_text_of_the_product(site, db) -> None:
    """The text is folded part by part; it must equal the whole text normalised."""
    producer = make_producer(site.producers, "HTX  Nón lá\tPhú Gia")
    product = make_product(
        producer, "Nón LÁ bài thơ", short_description="Nón lá  Huế,  chằm tay.", ingredients=""
    )
    product.tags.add("quà tặng", "THỦ CÔNG")
    product.save_revision().publish()
    (record,) = product_records(indexable_products().filter(pk=product.pk))
    parts = [
        product.title,
        producer.display_name,
        product.category.name,
        producer.locality.name,
        product.short_description,
        *ProductTag.objects.filter(content_object=product)
        .order_by("pk")
        .values_list("tag__name", flat=True),
    ]
    assert record.text_normalised == normalise(" ".join(parts))
    assert record.title_folded == "non la bai tho"


def test_records_are_built_in_batches_with_a_fixed_number_of_queries(
    catalogue, db, django_assert_max_num_queries
) -> None:
    products = indexable_products()
    # Site root paths (2, then cached), categories, featured products (home pages and
    # collections), 6 per batch, and the empty batch that ends.
    with django_assert_max_num_queries(12):
        records = list(product_records(products, RecordBuilder()))
    assert [r.page_id for r in records] == sorted(products.values_list("pk", flat=True))
    assert list(product_records(products, batch_size=7)) == records


def test_rebuild_command_without_elasticsearch_rebuilds_the_database_entries(
    catalogue, db, settings, capsys
) -> None:
    settings.ELASTICSEARCH_URL = ""
    ProductSearchEntry.objects.all().delete()
    call_command("search_index", "rebuild")
    assert ProductSearchEntry.objects.count() == indexable_products().count()
    assert "Database: " in capsys.readouterr().out
    with pytest.raises(CommandError, match="ELASTICSEARCH_URL"):
        call_command("search_index", "status")
