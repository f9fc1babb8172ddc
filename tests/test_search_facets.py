"""Facet counts and pagination of the catalogue search, on both backends.

Expected counts come from plain ORM queries over the fixed catalogue of
tests/search_catalogue.py, not from search/ code. The rule: OR within a facet, AND across
facets, and each facet counts the products matching every OTHER facet's selection, not
its own. A facet lists the values some product has, plus its selected values (even at 0).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace

import pytest
from django.db.models import Max
from django.utils import timezone
from wagtail.models import Page

import search.query
from marketplace.certificates.models import OcopCertificate
from producers.models import ProducerPage
from products.models import ProductCertification, ProductPage
from search.backends.database import DatabaseBackend
from search.backends.elasticsearch.backend import ElasticsearchBackend
from search.models import SearchQueryLog
from search.query import ProductQuery

pytest_plugins = ["tests.search_fixtures"]

API = "/api/search/products"

# The price facet's ranges in đồng, written out again: lowest included, highest excluded.
PRICE_RANGES = {
    "under-50k": (0, 50_000),
    "50k-100k": (50_000, 100_000),
    "100k-200k": (100_000, 200_000),
    "200k-500k": (200_000, 500_000),
    "500k-up": (500_000, None),
}


@pytest.fixture(params=["database", pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)])
def backend(request, catalogue, db, settings):
    """Each backend, also behind the service and the API (search_fixtures has the database's)."""
    if request.param == "elasticsearch":
        request.getfixturevalue("catalogue_index")
        return ElasticsearchBackend()
    settings.ELASTICSEARCH_URL = ""
    return DatabaseBackend()


# What the models say. ---------------------------------------------------------------------


@dataclass(frozen=True)
class Product:
    page_id: int
    slug: str
    price: int | None
    values: dict[str, frozenset[str]]  # facet name: the values this product has


def _price_keys(price: int | None) -> frozenset[str]:
    if price is None:
        return frozenset()
    return frozenset(
        key
        for key, (low, high) in PRICE_RANGES.items()
        if low <= price and (high is None or price < high)
    )


def catalogue_products(language: str) -> list[Product]:
    """Every live product of the language, with its facet values read from the models."""
    today = timezone.localdate()
    stars = dict(
        OcopCertificate.objects.filter(issue_date__lte=today, expiry_date__gte=today)
        .values("page")
        .annotate(best=Max("stars"))
        .values_list("page", "best")
    )
    kinds = defaultdict(set)
    for page_id, kind in ProductCertification.objects.values_list("page", "kind"):
        kinds[page_id].add(kind)
    producers = {
        producer.path: producer
        for producer in ProducerPage.objects.select_related("locality", "craft_village")
    }
    products = []
    for product in (
        ProductPage.objects.live()
        .filter(locale__language_code=language)
        .select_related("category__parent")
    ):
        producer = producers[product.path[: -Page.steplen]]
        category = product.category
        price = None if product.price_on_request else product.price_vnd
        values = {
            "category": {category.slug} | ({category.parent.slug} if category.parent else set()),
            "stars": {str(stars[product.pk])} if product.pk in stars else set(),
            "locality": {producer.locality.slug} if producer.locality else set(),
            "craft_village": {producer.craft_village.slug} if producer.craft_village else set(),
            "certification": kinds[product.pk],
            "availability": {product.availability},
            "price": _price_keys(price),
        }
        products.append(
            Product(
                product.pk,
                product.slug,
                price,
                {name: frozenset(v) for name, v in values.items()},
            )
        )
    return products


@dataclass(frozen=True)
class Case:
    id: str
    selection: dict[str, tuple] = field(default_factory=dict)  # ProductQuery facet fields
    q: str = ""
    text_matches: frozenset[str] = frozenset()  # slugs the text alone finds
    language: str = "vi"
    price_min: int | None = None
    price_max: int | None = None

    def query(self, **fields) -> ProductQuery:
        return ProductQuery(
            q=self.q,
            language=self.language,
            price_min=self.price_min,
            price_max=self.price_max,
            page_size=100,
            **self.selection,
            **fields,
        )

    def selected(self, name: str) -> set[str]:
        return {str(value) for value in self.selection.get(name, ())}

    def in_base(self, product: Product) -> bool:
        """Whether the text and the price bounds (which every facet obeys) keep it."""
        if self.q and product.slug not in self.text_matches:
            return False
        if self.price_min is None and self.price_max is None:
            return True
        return (
            product.price is not None
            and product.price >= (self.price_min or 0)
            and (self.price_max is None or product.price <= self.price_max)
        )

    def selects(self, product: Product, ignoring: str = "") -> bool:
        return all(
            product.values[name] & self.selected(name)
            for name in self.selection
            if name != ignoring
        )


CASES = [
    Case("no-selection"),
    Case("one-category", {"category": ("thu-cong-my-nghe",)}),
    Case("two-categories-or", {"category": ("do-uong", "duoc-lieu")}),
    Case("group-and-stars-and", {"category": ("thuc-pham",), "stars": (4,)}),
    Case(
        "locality-and-availability",
        {"locality": ("dien-minh", "dien-phuong"), "availability": ("in_stock",)},
    ),
    Case("two-certifications", {"certification": ("vietgap", "haccp")}),
    Case(
        "village-and-certification-nothing-left",
        {"craft_village": ("gom-thanh-ha", "moc-kim-bong"), "certification": ("organic",)},
    ),
    Case("price-ranges", {"price": ("50k-100k", "100k-200k")}),
    Case("price-range-and-stars", {"price": ("under-50k",), "stars": (3, 5)}),
    Case(
        "price-bounds-and-category",
        {"category": ("thu-cong-my-nghe",)},
        price_min=100_000,
        price_max=400_000,
    ),
    Case(
        "text-and-stars",
        {"stars": (3,)},
        q="gốm",
        text_matches=frozenset({"binh-gom", "am-tra-gom", "tour-gom"}),
    ),
    Case(
        "text-and-category",
        {"category": ("do-uong",), "availability": ("in_stock", "made_to_order")},
        q="trà",
        text_matches=frozenset({"tra-sen", "tra-thao-moc", "ruou-nep", "am-tra-gom", "hop-go"}),
    ),
    Case("english-category", {"category": ("thuc-pham",)}, language="en"),
]


def expected_facet(case: Case, products: list[Product], name: str) -> dict[str, int]:
    counts = Counter(
        value
        for product in products
        if case.in_base(product) and case.selects(product, ignoring=name)
        for value in product.values[name]
    )
    return {value: counts[value] for value in set(counts) | case.selected(name)}


def returned_facet(results, name: str) -> dict[str, int]:
    return {value.value: value.count for value in results.facets[name]}


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_facet_counts_match_the_models(backend, case):
    products = catalogue_products(case.language)
    if case.q:  # the premise: what the text alone finds
        found = backend.search_products(ProductQuery(q=case.q, page_size=100))
        by_id = {product.page_id: product.slug for product in products}
        assert {by_id[hit.page_id] for hit in found.hits} == case.text_matches

    results = backend.search_products(case.query())

    matching = {p.page_id for p in products if case.in_base(p) and case.selects(p)}
    assert {hit.page_id for hit in results.hits} == matching
    assert results.total == len(matching)
    assert set(results.facets) == set(search.query.FACETS)
    for name in search.query.FACETS:
        assert returned_facet(results, name) == expected_facet(case, products, name), name
        selected = {value.value for value in results.facets[name] if value.selected}
        assert selected == case.selected(name), name


def test_the_cases_cover_every_facet_and_the_ranges_are_the_search_ones():
    assert {name for case in CASES for name in case.selection} == set(search.query.FACETS)
    assert [(key, (low, high)) for key, low, high in search.query.PRICE_RANGES] == list(
        PRICE_RANGES.items()
    )


@pytest.mark.parametrize("q", ["%", "🙂"])
def test_a_query_without_words_lists_every_facet_empty(backend, q):
    results = backend.search_products(ProductQuery(q=q))
    assert results.total == 0
    assert results.facets == {name: [] for name in search.query.FACETS}


# Pagination. --------------------------------------------------------------------------------


def walk(backend, query: ProductQuery) -> list:
    """Every page of the query's results, following `pages` from page 1 (at most 50)."""
    pages = [backend.search_products(query)]
    while pages[-1].page < pages[-1].pages and len(pages) < 50:
        pages.append(backend.search_products(replace(query, page=len(pages) + 1)))
    return pages


def hit_ids(pages: list) -> list[int]:
    return [hit.page_id for page in pages for hit in page.hits]


BROWSES = {
    "everything": {},
    "crafts": {"category": ("thu-cong-my-nghe", "sinh-vat-canh")},
    "text": {"q": "bánh"},
}


@pytest.mark.parametrize("sort", search.query.SORTS)
@pytest.mark.parametrize("browse", list(BROWSES))
def test_walking_every_page_yields_each_product_once(backend, sort, browse):
    query = ProductQuery(sort=sort, page_size=4, **BROWSES[browse])
    everything = backend.search_products(replace(query, page_size=100))
    pages = walk(backend, query)
    ids = hit_ids(pages)

    assert len(ids) == len(set(ids)) == everything.total
    assert ids == [hit.page_id for hit in everything.hits]  # the same order, page by page
    assert hit_ids(walk(backend, query)) == ids  # and again
    assert [page.page for page in pages] == list(range(1, len(pages) + 1))
    assert {(page.total, page.pages) for page in pages} == {(everything.total, len(pages))}
    assert all(len(page.hits) == 4 for page in pages[:-1]) and 1 <= len(pages[-1].hits) <= 4
    if browse == "everything":
        live = ProductPage.objects.live().filter(locale__language_code="vi")
        assert set(ids) == set(live.values_list("pk", flat=True))

    past_the_end = backend.search_products(replace(query, page=len(pages) + 5))
    assert past_the_end.page == past_the_end.pages == len(pages)
    assert [hit.page_id for hit in past_the_end.hits] == [hit.page_id for hit in pages[-1].hits]


def test_hits_say_when_a_product_is_not_in_stock(backend):
    """Result cards label out-of-stock, seasonal and made-to-order products."""
    hits = backend.search_products(ProductQuery(page_size=100)).hits
    pages = ProductPage.objects.in_bulk([hit.page_id for hit in hits])
    assert {hit.availability for hit in hits} == set(ProductPage.Availability.values)
    for hit in hits:
        assert hit.availability == pages[hit.page_id].availability, hit.title


def test_no_results_is_one_empty_page(backend):
    results = backend.search_products(ProductQuery(q="xyzxyz qqq", page=3))
    assert (results.total, results.page, results.pages, results.hits) == (0, 1, 1, [])


@pytest.mark.parametrize("sort", search.query.SORTS)
def test_api_pages_cover_the_catalogue_once(backend, client, sort):
    pages = []
    for page in (1, 2, 3):
        response = client.get(API, {"sort": sort, "page": page})
        assert response.status_code == 200
        pages.append(response.json())
    first, second, past_the_end = pages
    live = ProductPage.objects.live().filter(locale__language_code="vi")
    assert (first["total"], first["pages"]) == (live.count(), 2)
    assert (len(first["results"]), len(second["results"])) == (search.query.PAGE_SIZE, 4)
    urls = [r["url"] for r in first["results"] + second["results"]]
    assert sorted(urls) == sorted(page.url for page in live)
    assert past_the_end["page"] == 2
    assert past_the_end["results"] == second["results"]
    assert set(SearchQueryLog.objects.values_list("backend", flat=True)) == {backend.name}
