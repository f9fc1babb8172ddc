"""The database search backend: search entries filtered and counted in SQL, ranked in Python.

Entries are rebuilt from marketplace.base.templatetags.site_tags import vnd as _vnd
from search.catalogue.product_records, the same records the
Elasticsearch backend indexes.
"""

import datetime
import difflib
from collections import Counter
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from marketplace.base.templatetags.site_tags import vnd as _vnd
from search.catalogue import ProductRecord, indexable_products, product_records
from search.models import OcopWindow, ProductSearchEntry, pipe_joined
from search.ranking import RANKING
from search.service import (
    FACETS,
    MAX_SUGGESTIONS,
    PRICE_RANGES,
    FacetValue,
    ProductHit,
    ProductQuery,
    ProductResults,
    Suggestion,
)
from search.text import WORD, fold, normalise

NAME = "database"
BATCH_SIZE = 200
THUMBNAIL_FILTER = "fill-400x300"
# Products leave room in the suggestions for producers, villages and categories.
PRODUCT_SUGGESTIONS = MAX_SUGGESTIONS - 3


# Indexing ---------------------------------------------------------------------------


def _padded_words(text: str) -> str:
    """ " a b " from the words of already normalised text: " word" then matches a word start."""
    return f" {' '.join(WORD.findall(text))} "


def _entry(record: ProductRecord) -> ProductSearchEntry:
    return ProductSearchEntry(
        page_id=record.page_id,
        language=record.language,
        title=record.title,
        url=record.url,
        title_normalised=_padded_words(record.title_normalised),
        title_folded=_padded_words(record.title_folded),
        text_normalised=_padded_words(record.text_normalised),
        text_folded=_padded_words(record.text_folded),
        producer_name=record.producer_name,
        category_slugs=pipe_joined(record.category_slugs),
        locality_slug=record.locality_slug,
        locality_name=record.locality_name,
        craft_village_slug=record.craft_village_slug,
        craft_village_name=record.craft_village_name,
        certification_kinds=pipe_joined(record.certification_kinds),
        availability=record.availability,
        price=record.price,
        unit=record.unit,
        image_id=record.image_id,
        featured=record.featured,
        published_at=record.published_at,
    )


def _write(records: list[ProductRecord], page_ids: Iterable[int]) -> None:
    with transaction.atomic():
        ProductSearchEntry.objects.filter(page_id__in=list(page_ids)).delete()
        ProductSearchEntry.objects.bulk_create([_entry(r) for r in records])
        OcopWindow.objects.bulk_create(
            OcopWindow(
                entry_id=r.page_id,
                stars=w.stars,
                valid_from=w.valid_from,
                valid_until=w.valid_until,
            )
            for r in records
            for w in r.ocop
        )


def update_entries(page_ids: Iterable[int]) -> None:
    """Rewrite the entries of these products; products no longer live lose theirs."""
    page_ids = list(page_ids)
    for start in range(0, len(page_ids), BATCH_SIZE):
        batch = page_ids[start : start + BATCH_SIZE]
        records = list(product_records(indexable_products().filter(pk__in=batch)))
        _write(records, batch)


def delete_entries(page_ids: Iterable[int]) -> None:
    ProductSearchEntry.objects.filter(page_id__in=list(page_ids)).delete()


def rebuild_entries() -> int:
    """Rebuild every entry; returns how many products are indexed."""
    ProductSearchEntry.objects.all().delete()
    ids = list(indexable_products().values_list("pk", flat=True))
    update_entries(ids)
    return len(ids)


# Matching ----------------------------------------------------------------------------


def query_words(q: str) -> tuple[list[str], list[str]]:
    """The query's words, normalised and folded; punctuation and symbols are dropped."""
    words = WORD.findall(normalise(q))
    return words, [fold(word) for word in words]


def _text_filter(q: str) -> Q | None:
    """Every query word must be a word of the text, with its diacritics or folded.

    Whole words: Vietnamese words are syllables, and "go" (gỗ) must not find "gốm".

    None when the query has no words (only symbols): nothing matches.
    """
    words, folded = query_words(q)
    if not words:
        return None
    condition = Q()
    for word, folded_word in zip(words, folded, strict=True):
        condition &= Q(text_normalised__contains=f" {word} ") | Q(
            text_folded__contains=f" {folded_word} "
        )
    return condition


def _valid_stars(day: datetime.date) -> Subquery:
    return Subquery(
        OcopWindow.objects.filter(entry=OuterRef("pk"), valid_from__lte=day, valid_until__gte=day)
        .order_by("-stars")
        .values("stars")[:1]
    )


def _any_of(field: str, values: Iterable[str], piped: bool = False) -> Q:
    condition = Q()
    for value in values:
        condition |= Q(**{f"{field}__contains": f"|{value}|"}) if piped else Q(**{field: value})
    return condition


def _price_condition(key: str) -> Q:
    for range_key, low, high in PRICE_RANGES:
        if range_key == key:
            condition = Q(price__gte=low)
            return condition & Q(price__lt=high) if high is not None else condition
    return Q(pk__in=[])


def _facet_conditions(query: ProductQuery) -> dict[str, Q]:
    """Each selected facet's condition: OR within the facet."""
    selected = {
        "category": _any_of("category_slugs", query.category, piped=True),
        "stars": Q(valid_stars__in=query.stars),
        "locality": _any_of("locality_slug", query.locality),
        "craft_village": _any_of("craft_village_slug", query.craft_village),
        "certification": _any_of("certification_kinds", query.certification, piped=True),
        "availability": _any_of("availability", query.availability),
        "price": Q(),
    }
    for key in query.price:
        selected["price"] |= _price_condition(key)
    return {name: selected[name] for name in FACETS if getattr(query, name)}


def _base_queryset(query: ProductQuery) -> QuerySet | None:
    entries = ProductSearchEntry.objects.filter(language=query.language).annotate(
        valid_stars=_valid_stars(timezone.localdate())
    )
    if query.q.strip():
        condition = _text_filter(query.q)
        if condition is None:
            return None
        entries = entries.filter(condition)
    if query.price_min is not None:
        entries = entries.filter(price__gte=query.price_min)
    if query.price_max is not None:
        entries = entries.filter(price__lte=query.price_max)
    return entries


# Ranking and sorting ------------------------------------------------------------------


def _contains_all(padded: str, words: list[str]) -> bool:
    return all(f" {word} " in padded for word in words)


def relevance(entry: ProductSearchEntry, words: list[str], folded: list[str]) -> int:
    """The entry's score for the query's words, from the weights in search.ranking.RANKING."""
    score = 0
    if words:
        if _contains_all(entry.title_normalised, words):
            score += RANKING["title_exact"]
        if f" {' '.join(folded)} " in entry.title_folded:
            score += RANKING["title_phrase"]
        if _contains_all(entry.title_folded, folded):
            score += RANKING["title_folded"]
        if _contains_all(entry.text_normalised, words):
            score += RANKING["text_exact"]
    score += (entry.valid_stars or 0) * RANKING["per_star"]
    if entry.availability == "in_stock":
        score += RANKING["in_stock"]
    if entry.featured:
        score += RANKING["featured"]
    return score


def _sorted(entries: list[ProductSearchEntry], query: ProductQuery) -> list[ProductSearchEntry]:
    """Sorted by query.sort; the page id breaks ties so pages never overlap."""
    entries = sorted(entries, key=lambda e: e.pk)
    epoch = datetime.datetime.min.replace(tzinfo=datetime.UTC)
    if query.sort == "price_asc":
        return sorted(entries, key=lambda e: (e.price is None, e.price or 0))
    if query.sort == "price_desc":
        return sorted(entries, key=lambda e: (e.price is None, -(e.price or 0)))
    if query.sort == "newest":
        return sorted(entries, key=lambda e: e.published_at or epoch, reverse=True)
    if query.sort == "stars":
        return sorted(entries, key=lambda e: -(e.valid_stars or 0))
    words, folded = query_words(query.q)
    return sorted(entries, key=lambda e: -relevance(e, words, folded))


# Facets --------------------------------------------------------------------------------


def _price_label(low: int, high: int | None) -> str:
    if high is None:
        return gettext("From %(low)s") % {"low": _vnd(low)}
    if low == 0:
        return gettext("Under %(high)s") % {"high": _vnd(high)}
    return gettext("%(low)s – %(high)s") % {"low": _vnd(low), "high": _vnd(high)}


def _named(model, slugs: Iterable[str], language: str) -> dict[str, str]:
    """Names of translatable snippets by slug, in `language`, else in any language."""
    names = {}
    for item in model.objects.filter(slug__in=set(slugs)).select_related("locale"):
        if item.locale.language_code == language or item.slug not in names:
            names[item.slug] = item.name
    return names


def facet_labels(name: str, values: Iterable[str], language: str) -> dict[str, str]:
    """Labels of a facet's values in `language` (call inside translation.override)."""
    from producers.models import CraftVillage, Locality
    from products.models import ProductCategory, ProductCertification, ProductPage

    values = list(values)
    if name == "category":
        return _named(ProductCategory, values, language)
    if name == "locality":
        return _named(Locality, values, language)
    if name == "craft_village":
        return _named(CraftVillage, values, language)
    if name == "certification":
        return {v: str(ProductCertification.Kind(v).label) for v in values}
    if name == "availability":
        return {v: str(ProductPage.Availability(v).label) for v in values}
    if name == "stars":
        return {
            v: ngettext("%(stars)d star", "%(stars)d stars", int(v)) % {"stars": int(v)}
            for v in values
        }
    return {key: _price_label(low, high) for key, low, high in PRICE_RANGES}


def _counts(name: str, entries: QuerySet) -> Counter:
    if name in ("category", "certification"):
        field = "category_slugs" if name == "category" else "certification_kinds"
        counts = Counter()
        for piped in entries.values_list(field, flat=True):
            counts.update(value for value in piped.split("|") if value)
        return counts
    if name == "price":
        return Counter(
            entries.aggregate(
                **{key: Count("pk", filter=_price_condition(key)) for key, _, _ in PRICE_RANGES}
            )
        )
    field = {
        "stars": "valid_stars",
        "locality": "locality_slug",
        "craft_village": "craft_village_slug",
        "availability": "availability",
    }[name]
    rows = entries.order_by().values(field).annotate(n=Count("pk"))
    return Counter({str(row[field]): row["n"] for row in rows if row[field] not in (None, "")})


def _facets(
    base: QuerySet, conditions: dict[str, Q], query: ProductQuery
) -> dict[str, list[FacetValue]]:
    """Every facet's counts with the OTHER facets' selections applied."""
    facets = {}
    for name in FACETS:
        others = Q()
        for other, condition in conditions.items():
            if other != name:
                others &= condition
        counts = _counts(name, base.filter(others))
        selected = {str(value) for value in getattr(query, name)}
        values = set(counts) | selected
        labels = facet_labels(name, values, query.language)
        if name == "price":
            order = [key for key in labels if counts[key] or key in selected]
        elif name == "stars":
            order = sorted(values, reverse=True)
        else:
            order = sorted(values, key=lambda v: (-counts[v], labels.get(v, v)))
        facets[name] = [
            FacetValue(value, labels.get(value, value), counts[value], value in selected)
            for value in order
        ]
    return facets


# Search ---------------------------------------------------------------------------------


def thumbnail_urls(image_ids: Iterable[int]) -> dict[int, str]:
    from marketplace.base.models import CustomImage

    images = CustomImage.objects.filter(pk__in=set(image_ids)).prefetch_renditions(THUMBNAIL_FILTER)
    return {image.pk: image.get_rendition(THUMBNAIL_FILTER).url for image in images}


def hits_for(entries: list[ProductSearchEntry]) -> list[ProductHit]:
    thumbnails = thumbnail_urls(e.image_id for e in entries if e.image_id)
    return [
        ProductHit(
            page_id=e.pk,
            title=e.title,
            url=e.url,
            price=e.price,
            unit=e.unit,
            stars=e.valid_stars,
            producer=e.producer_name,
            locality=e.locality_name,
            thumbnail=thumbnails.get(e.image_id, ""),
        )
        for e in entries
    ]


def entries_by_id(page_ids: list[int], language: str) -> list[ProductSearchEntry]:
    """Entries of these pages in `language`, in the given order (for promoted results)."""
    entries = ProductSearchEntry.objects.filter(pk__in=page_ids, language=language).annotate(
        valid_stars=_valid_stars(timezone.localdate())
    )
    by_id = {e.pk: e for e in entries}
    return [by_id[pk] for pk in page_ids if pk in by_id]


def did_you_mean(q: str, language: str) -> str:
    """The title word or phrase closest to `q` once folded, or ""."""
    target = fold(q)
    if not target:
        return ""
    candidates = {}
    for title in ProductSearchEntry.objects.filter(language=language).values_list(
        "title", flat=True
    ):
        words = WORD.findall(normalise(title))
        for size in (1, 2, 3):
            for start in range(len(words) - size + 1):
                phrase = " ".join(words[start : start + size])
                candidates.setdefault(fold(phrase), phrase)
    matches = difflib.get_close_matches(target, candidates, n=1, cutoff=0.6)
    return candidates[matches[0]] if matches and matches[0] != target else ""


def search_products(query: ProductQuery) -> ProductResults:
    base = _base_queryset(query)
    if base is None:
        return ProductResults(hits=[], total=0, page=1, pages=1, facets={}, backend=NAME)
    conditions = _facet_conditions(query)
    matching = base
    for condition in conditions.values():
        matching = matching.filter(condition)
    with translation.override(query.language):
        facets = _facets(base, conditions, query)
    entries = _sorted(list(matching.defer("text_folded")), query)
    total = len(entries)
    pages = max(1, -(-total // query.page_size))
    page = min(max(1, query.page), pages)
    start = (page - 1) * query.page_size
    return ProductResults(
        hits=hits_for(entries[start : start + query.page_size]),
        total=total,
        page=page,
        pages=pages,
        facets=facets,
        did_you_mean="" if total or not query.q.strip() else did_you_mean(query.q, query.language),
        backend=NAME,
    )


# Suggestions ---------------------------------------------------------------------------


def _starts_a_word(name: str, prefix: str) -> bool:
    return f" {prefix}" in f" {fold(name)}"


def suggest(q: str, language: str) -> list[Suggestion]:
    """Products, producers, craft villages and categories whose folded name has a word
    starting with the folded query."""
    from producers.models import CraftVillage, ProducerPage
    from products.models import ProductCategory

    prefix = fold(q)
    if not WORD.search(prefix):
        return []
    suggestions = []
    for title, url in ProductSearchEntry.objects.filter(
        language=language, title_folded__contains=f" {prefix}"
    ).values_list("title", "url")[:PRODUCT_SUGGESTIONS]:
        suggestions.append(Suggestion(title, "product", url))
    producers = ProducerPage.objects.live().public().filter(locale__language_code=language)
    for producer in producers.only("display_name", "url_path", "title"):
        if _starts_a_word(producer.display_name, prefix):
            suggestions.append(Suggestion(producer.display_name, "producer", producer.url or ""))
    villages = CraftVillage.objects.filter(locale__language_code=language)
    for village in villages:
        if _starts_a_word(village.name, prefix):
            suggestions.append(Suggestion(village.name, "craft_village", village.get_url()))
    for category in ProductCategory.objects.filter(locale__language_code=language):
        if _starts_a_word(category.name, prefix):
            suggestions.append(Suggestion(category.name, "category", _category_url(category)))
    return suggestions[:MAX_SUGGESTIONS]


def _category_url(category) -> str:
    from products.models import ProductIndexPage

    index = ProductIndexPage.objects.live().filter(locale=category.locale_id).first()
    return f"{index.url}category/{category.slug}/" if index and index.url else ""
