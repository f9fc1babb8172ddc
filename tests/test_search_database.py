"""The catalogue search behaviour suite: the same tests run against every backend."""

import pytest
from django.utils import timezone

from producers.models import ProducerPage
from products.models import ProductPage
from search.query import PRICE_RANGES, ProductQuery

pytest_plugins = ["tests.search_fixtures"]


def search(backend, q: str = "", **fields):
    return backend.search_products(ProductQuery(q=q, **fields))


def titles(results) -> list[str]:
    return [hit.title for hit in results.hits]


def keys_of(results, catalogue) -> set[str]:
    by_id = {page.pk: key for key, page in catalogue.items() if isinstance(page, ProductPage)}
    return {by_id[hit.page_id] for hit in results.hits}


@pytest.mark.parametrize(
    ("q", "expected", "excluded"),
    [
        ("bánh tráng", {"banh_trang_me", "banh_trang_phoi", "tour_banh_trang"}, {"banh_coi"}),
        ("banh trang", {"banh_trang_me", "banh_trang_phoi", "tour_banh_trang"}, {"chieu_coi"}),
        ("nước mắm", {"nuoc_mam", "nuoc_mam_nhi"}, {"mi_quang", "tra_sen"}),
        ("nuoc mam", {"nuoc_mam", "nuoc_mam_nhi"}, {"mi_quang"}),
        ("gom", {"binh_gom", "am_tra_gom", "tour_gom"}, {"tuong_go", "hop_go"}),
        ("gốm", {"binh_gom", "am_tra_gom", "tour_gom"}, {"tuong_go"}),
        ("gỗ", {"tuong_go", "hop_go"}, {"binh_gom"}),
        ("mì Quảng", {"mi_quang", "mi_quang_ga"}, {"banh_it"}),
        ("MI QUANG", {"mi_quang", "mi_quang_ga"}, set()),
        ("chiếu cói", {"chieu_coi", "banh_coi", "banh_may"}, {"binh_gom"}),
        ("trà gốm", {"am_tra_gom"}, {"hop_go", "tra_sen", "binh_gom"}),
        ("Cửa Đại", {"nuoc_mam", "nuoc_mam_nhi", "mam_nem", "mam_ruoc"}, set()),
        ("kim bong", {"tuong_go", "hop_go"}, {"binh_gom"}),
        ("Làng gốm Thanh Hà", {"binh_gom", "am_tra_gom"}, {"tour_gom"}),
    ],
)
def test_matches_with_and_without_diacritics(backend, catalogue, q, expected, excluded):
    found = keys_of(search(backend, q, page_size=100), catalogue)
    assert expected <= found
    assert not excluded & found


def test_exact_diacritics_rank_first(backend, catalogue):
    hits = titles(search(backend, "bánh", page_size=100))
    exact = [i for i, title in enumerate(hits) if "bánh" in title.lower().split()]
    assert exact == list(range(len(exact))) and len(exact) >= 3
    assert hits.index("Bành cói đan tay") > max(exact)
    assert hits.index("Banh mây đan tay") > max(exact)


def test_title_matches_rank_before_text_matches(backend):
    hits = titles(search(backend, "nước mắm"))
    assert set(hits[:2]) == {"Nước mắm cá cơm Cửa Đại", "Nước mắm nhĩ 40 độ đạm"}


def test_english_queries_search_english_pages(backend, catalogue):
    results = search(backend, "fish sauce", language="en")
    assert keys_of(results, catalogue) == {"nuoc_mam_en"}
    assert results.hits[0].url.startswith("/en/")
    assert keys_of(search(backend, "rice paper", language="en"), catalogue) == {"banh_trang_me_en"}
    assert search(backend, "fish sauce").total == 0


def test_browsing_lists_every_product_of_the_language(backend, catalogue):
    vi_total = ProductPage.objects.live().filter(locale__language_code="vi").count()
    assert search(backend, "").total == vi_total == 28
    assert search(backend, "", language="en").total == 6


@pytest.mark.parametrize(
    "q", ['"*:\\{}', "' OR 1=1 --", "%", "_", "🙂🙂", "bánh tráng 🙂", "a" * 200]
)
def test_any_characters_are_plain_text(backend, q):
    results = search(backend, q)
    assert results.total >= 0
    assert results.page == 1


def test_symbols_only_find_nothing(backend):
    assert search(backend, "%").total == 0
    assert search(backend, "*").total == 0


def test_did_you_mean_on_zero_results(backend):
    results = search(backend, "banh trangg")
    assert results.total == 0
    assert results.did_you_mean == "bánh tráng"
    assert search(backend, "bánh tráng").did_you_mean == ""


def _facet(results, name) -> dict[str, int]:
    return {value.value: value.count for value in results.facets[name]}


def _live_vi():
    return ProductPage.objects.live().filter(locale__language_code="vi")


def _producer_of(product) -> ProducerPage:
    return ProducerPage.objects.get(pk=product.get_parent().pk)


def test_facet_counts_match_the_database(backend):
    results = search(backend, "")
    products = list(_live_vi().select_related("category", "category__parent"))
    categories, localities, stars, availability = {}, {}, {}, {}
    today = timezone.localdate()
    for product in products:
        for slug in {product.category.slug, getattr(product.category.parent, "slug", None)} - {
            None
        }:
            categories[slug] = categories.get(slug, 0) + 1
        locality = _producer_of(product).locality.slug
        localities[locality] = localities.get(locality, 0) + 1
        certificate = product.valid_ocop_certificate(today)
        if certificate:
            stars[str(certificate.stars)] = stars.get(str(certificate.stars), 0) + 1
        availability[product.availability] = availability.get(product.availability, 0) + 1
    assert _facet(results, "category") == categories
    assert _facet(results, "locality") == localities
    assert _facet(results, "stars") == stars
    assert _facet(results, "availability") == availability
    for key, low, high in PRICE_RANGES:
        expected = sum(
            1
            for p in products
            if not p.price_on_request
            and p.price_vnd >= low
            and (high is None or p.price_vnd < high)
        )
        assert _facet(results, "price").get(key, 0) == expected


def test_facet_labels_follow_the_language(backend):
    vi_labels = {v.value: v.label for v in search(backend, "").facets["category"]}
    en_labels = {v.value: v.label for v in search(backend, "", language="en").facets["category"]}
    assert vi_labels["thuc-pham"] == "Thực phẩm"
    assert en_labels["thuc-pham"] != "Thực phẩm"
    prices = {v.value: v.label for v in search(backend, "").facets["price"]}
    assert "50.000 ₫" in prices["under-50k"]


def test_or_within_a_facet_and_across_facets(backend, catalogue):
    drinks = search(backend, "", category=("do-uong",)).total
    herbs = search(backend, "", category=("duoc-lieu",)).total
    both = search(backend, "", category=("do-uong", "duoc-lieu"))
    assert both.total == drinks + herbs == 6
    crafts_4 = search(backend, "", category=("thu-cong-my-nghe",), stars=(4,))
    assert keys_of(crafts_4, catalogue) == {"binh_gom", "tuong_go"}
    # A facet's own selection does not narrow its counts; the others' do.
    assert _facet(crafts_4, "category")["do-uong"] == 2  # drinks with 4 stars
    assert _facet(crafts_4, "stars") == {"4": 2, "3": 2}
    selected = [v.value for v in crafts_4.facets["category"] if v.selected]
    assert selected == ["thu-cong-my-nghe"]


def test_a_group_includes_its_sub_categories(backend, catalogue):
    food = keys_of(search(backend, "", category=("thuc-pham",), page_size=100), catalogue)
    assert {"nuoc_mam", "mam_nem", "banh_it"} <= food
    assert keys_of(search(backend, "", category=("nuoc-cham",)), catalogue) == {
        "nuoc_mam",
        "nuoc_mam_nhi",
        "mam_nem",
        "mam_ruoc",
    }


def test_only_valid_certificates_count_as_stars(backend, catalogue):
    ruoc = search(backend, "mắm ruốc")
    assert ruoc.hits[0].stars is None
    assert "mam_ruoc" not in keys_of(search(backend, "", stars=(4,), page_size=100), catalogue)


def test_certification_locality_village_and_availability_filters(backend, catalogue):
    assert keys_of(search(backend, "", certification=("organic",)), catalogue) == {
        "tinh_dau_sa",
        "tinh_bot_nghe",
    }
    village = search(backend, "", craft_village=("moc-kim-bong",))
    assert keys_of(village, catalogue) == {"tuong_go", "hop_go"}
    seasonal = search(backend, "", availability=("seasonal",))
    assert keys_of(seasonal, catalogue) == {"banh_it", "mai_vang"}
    assert search(backend, "", locality=("dien-hong",)).total == 6


def test_price_ranges_and_bounds(backend):
    cheap = search(backend, "", price=("under-50k",), page_size=100)
    assert cheap.hits and all(hit.price < 50_000 for hit in cheap.hits)
    bounded = search(backend, "", price_min=100_000, price_max=200_000, page_size=100)
    assert bounded.hits and all(100_000 <= hit.price <= 200_000 for hit in bounded.hits)


@pytest.mark.parametrize("sort", ["price_asc", "price_desc", "newest", "stars", "relevance"])
def test_sorts_are_stable_across_pages(backend, sort):
    everything = search(backend, "", sort=sort, page_size=100)
    paged = []
    for page in range(1, 7):
        paged += search(backend, "", sort=sort, page=page, page_size=5).hits
    assert [h.page_id for h in paged] == [h.page_id for h in everything.hits]
    prices = [hit.price for hit in everything.hits]
    if sort == "price_asc":
        known = [p for p in prices if p is not None]
        assert known == sorted(known) and prices[-2:] == [None, None]
    if sort == "price_desc":
        known = [p for p in prices if p is not None]
        assert known == sorted(known, reverse=True) and prices[-2:] == [None, None]
    if sort == "stars":
        stars = [hit.stars or 0 for hit in everything.hits]
        assert stars == sorted(stars, reverse=True)


def test_pages_beyond_the_last_show_the_last(backend):
    results = search(backend, "", page=999, page_size=10)
    assert (results.page, results.pages, len(results.hits)) == (3, 3, 8)
    assert search(backend, "", page=0).page == 1


def test_suggestions(backend):
    suggestions = backend.suggest("banh", "vi")
    assert 1 <= len(suggestions) <= 8
    assert {"product", "producer"} <= {s.type for s in suggestions}
    assert all(s.url for s in suggestions)
    village = backend.suggest("kim", "vi")
    assert [s.text for s in village if s.type == "craft_village"] == ["Làng mộc Kim Bồng"]
    category = backend.suggest("thu", "vi")
    assert any(s.type == "category" and s.text == "Thực phẩm" for s in category)
    assert backend.suggest("🙂", "vi") == []
    herbal = backend.suggest("herbal", "en")
    assert [s.text for s in herbal if s.type == "product"] == ["Herbal tea bags"]


def test_query_objects_are_hashable_values():
    assert ProductQuery(q="a") == ProductQuery(q="a")


def test_a_search_costs_a_fixed_number_of_queries(backend, django_assert_max_num_queries):
    search(backend, "", page_size=5)  # renditions created once
    search(backend, "", page_size=30)
    with django_assert_max_num_queries(20):
        results = search(backend, "", page_size=30)
    assert len(results.hits) == 28
