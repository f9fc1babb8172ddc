"""The database search backend: search entries matched, counted and ranked in Python.

Entries are rebuilt from search.catalogue.product_records, the same records the
Elasticsearch backend indexes; each process searches them as rows it holds in memory
(search.backends.entry_table) and reads a result page's hits from the database.
`DatabaseBackend` is the SearchBackend interface over the functions below;
search.service also answers from it when Elasticsearch fails, and takes promoted
products' hits from its entries.
"""

import datetime
import heapq
import itertools
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from operator import attrgetter

from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone, translation

from marketplace.core.page_cache import bump_generation, current_generation
from marketplace.core.text import WORD, fold, normalise
from products.facets import within_price_bounds
from search.backends.base import Progress, SearchBackend
from search.backends.entry_table import Row, entries_changed, kept, padded, rows_of
from search.backends.shared import (
    PRODUCT_SUGGESTIONS,
    facet_values,
    max_edits,
    producer_hits,
    query_words,
)
from search.catalogue import ProductRecord, indexable_products, product_records
from search.models import OcopWindow, ProductSearchEntry, pipe_joined
from search.query import (
    FACETS,
    MAX_SUGGESTIONS,
    ProducerHit,
    ProductHit,
    ProductQuery,
    ProductResults,
    Suggestion,
)
from search.ranking import PRODUCER_RANKING, RANKING
from search.thumbnails import thumbnail_urls

BATCH_SIZE = 200


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
    _entries_changed()


# Matching ----------------------------------------------------------------------------


def matching_text(rows: list[Row], folded: list[str]) -> list[Row]:
    """Rows whose text has every (folded) query word, with its diacritics or without: a
    word as written is in the folded text folded.

    Whole words: Vietnamese words are syllables, and "go" (gỗ) must not find "gốm".
    """
    for plain in padded(folded):
        rows = [row for row in rows if plain in row.text_folded]
    return rows


def _valid_stars(day: datetime.date) -> Subquery:
    return Subquery(
        OcopWindow.objects.filter(entry=OuterRef("pk"), valid_from__lte=day, valid_until__gte=day)
        .order_by("-stars")
        .values("stars")[:1]
    )


def _facet_tests(query: ProductQuery) -> dict[str, Callable[[Row], bool]]:
    """Each selected facet's test: any of its selected values (OR within the facet)."""
    categories, certifications = set(query.category), set(query.certification)
    tests = {
        "category": lambda row: not categories.isdisjoint(row.categories),
        "stars": lambda row: row.valid_stars in query.stars,
        "locality": lambda row: row.locality_slug in query.locality,
        "craft_village": lambda row: row.craft_village_slug in query.craft_village,
        "certification": lambda row: not certifications.isdisjoint(row.certifications),
        "availability": lambda row: row.availability in query.availability,
        "price": lambda row: row.price_range in query.price,
    }
    return {name: tests[name] for name in FACETS if getattr(query, name)}


# Ranking and sorting ------------------------------------------------------------------


@dataclass(frozen=True)
class QueryTerms:
    """A query's words as the rows hold words (entry_table.padded)."""

    written: tuple[bytes, ...]
    folded: tuple[bytes, ...]
    phrase: bytes  # the folded words, one after the other
    distinct: int  # folded words, each counted once

    @classmethod
    def of(cls, q: str) -> "QueryTerms | None":
        """The terms of the words of `q`, or None when it has none."""
        words, folded = query_words(q)
        if not words:
            return None
        return cls(padded(words), padded(folded), padded([" ".join(folded)])[0], len(set(folded)))


def relevance(entry: Row, terms: QueryTerms | None) -> float:
    """The entry's score for the query's words, from the weights in search.ranking.RANKING."""
    if terms is None:
        return entry.standing
    score = 0
    if all(word in entry.title_normalised for word in terms.written):
        score += RANKING["title_exact"]
    if terms.phrase in entry.title_folded:
        score += RANKING["title_phrase"]
    if all(word in entry.title_folded for word in terms.folded):
        score += RANKING["title_folded"]
        # The share of the title the query covers, as Elasticsearch's BM25 prefers
        # short titles: "Tinh bột nghệ" is more about "nghệ" than "Tượng gỗ mỹ nghệ".
        title_words = entry.title_folded.split()
        score += RANKING["title_focus"] * terms.distinct / len(title_words)
    if entry.has_words_as_written(terms.written):
        score += RANKING["text_exact"]
    score += (entry.valid_stars or 0) * RANKING["per_star"]
    if entry.availability == "in_stock":
        score += RANKING["in_stock"]
    if entry.featured:
        score += RANKING["featured"]
    return score


def sort_key(query: ProductQuery) -> Callable[[Row], tuple]:
    """The order of query.sort; like Elasticsearch, relevance then the page id break ties.

    The same tie-breaks as Elasticsearch's sort_clause(), so a visitor paging through
    results while the site falls back to the database sees no product twice.
    """
    terms = QueryTerms.of(query.q)

    def least_relevant(row: Row) -> float:
        return -relevance(row, terms)

    if query.sort == "price_asc":
        return lambda r: (r.price is None, r.price or 0, least_relevant(r), r.pk)
    if query.sort == "price_desc":
        return lambda r: (r.price is None, -(r.price or 0), least_relevant(r), r.pk)
    if query.sort == "newest":
        # Elasticsearch sorts newest by date, then page id only.
        return lambda r: (-r.published, r.pk)
    if query.sort == "stars":
        return lambda r: (r.valid_stars is None, -(r.valid_stars or 0), least_relevant(r), r.pk)
    return lambda r: (least_relevant(r), r.pk)


# Facets --------------------------------------------------------------------------------

COUNTED_FIELD = {
    "locality": "locality_slug",
    "craft_village": "craft_village_slug",
    "availability": "availability",
}


def _counts(name: str, rows: list[Row]) -> Counter:
    """How many of the rows have each of the facet's values."""
    if name == "category":
        return Counter(itertools.chain.from_iterable(row.categories for row in rows))
    if name == "certification":
        return Counter(itertools.chain.from_iterable(row.certifications for row in rows))
    if name == "price":
        return Counter(row.price_range for row in rows if row.price_range)
    if name == "stars":
        return Counter(str(row.valid_stars) for row in rows if row.valid_stars is not None)
    return Counter(value for value in map(attrgetter(COUNTED_FIELD[name]), rows) if value)


def facet_pass(rows: list[Row], query: ProductQuery) -> tuple[list[Row], dict[str, Counter]]:
    """The rows every selected facet lets through, and each facet's counts over the rows
    the OTHER facets let through (a value's count is what choosing it would show): one
    pass over the rows, whatever the number of facets selected."""
    tests = _facet_tests(query)
    if not tests:
        return rows, {name: _counts(name, rows) for name in FACETS}
    matching: list[Row] = []
    turned_away_by: dict[str, list[Row]] = defaultdict(list)  # by that facet alone
    for row in rows:
        failed = [name for name, test in tests.items() if not test(row)]
        if not failed:
            matching.append(row)
        elif len(failed) == 1:
            turned_away_by[failed[0]].append(row)
    counts = {name: _counts(name, matching + turned_away_by[name]) for name in FACETS}
    return matching, counts


# Hits -----------------------------------------------------------------------------------


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
            availability=e.availability,
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


def product_suggestions(page_ids: list[int]) -> list[Suggestion]:
    """These products as suggestions, in the given order."""
    if not page_ids:
        return []
    entries = ProductSearchEntry.objects.filter(pk__in=page_ids).values_list("pk", "title", "url")
    by_id = {pk: Suggestion(title, "product", url) for pk, title, url in entries}
    return [by_id[pk] for pk in page_ids if pk in by_id]


# Did you mean --------------------------------------------------------------------------

MAX_CORRECTED_WORDS = 6  # longer queries get no suggestion
CANDIDATES_PER_WORD = 6  # the closest, most frequent title words a query word may become
BEAM_WIDTH = 24  # partial corrections kept while correcting word after word
SPELLING_SAMPLE = 50  # titles asked how they spell a correction


@dataclass
class Vocabulary:
    """The words of one language's product titles: what a correction is made of."""

    titles: list[list[str]] = field(default_factory=list)  # distinct titles' words, numbered
    folded_titles: list[list[str]] = field(default_factory=list)
    postings: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    frequencies: Counter = field(default_factory=Counter)  # folded word → products
    pairs: set[tuple[str, str]] = field(default_factory=set)  # folded words next to each other
    by_initial: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))


def build_vocabulary(language: str) -> Vocabulary:
    """The vocabulary of the language's search entries: one query, grouped by title."""
    rows = (
        ProductSearchEntry.objects.filter(language=language)
        .values_list("title_normalised", "title_folded")
        .annotate(products=Count("pk"))
        .order_by()
    )
    return vocabulary_of(rows)


def vocabulary_of(rows: Iterable[tuple[str, str, int]]) -> Vocabulary:
    """The vocabulary of (normalised title, folded title, how many products) rows."""
    known = Vocabulary()
    for number, (normalised, folded, products) in enumerate(rows):
        words, folded_words = normalised.split(), folded.split()
        known.titles.append(words)
        known.folded_titles.append(folded_words)
        for word in set(folded_words):
            known.postings[word].add(number)
            known.frequencies[word] += products
        known.pairs.update(itertools.pairwise(folded_words))
    for word in known.postings:
        known.by_initial[word[0]].append(word)
    return known


def vocabulary(language: str) -> Vocabulary:
    """The language's vocabulary, built again once its entries changed."""
    return kept("vocabulary", language, build_vocabulary)


def _entries_changed() -> None:
    """The entries changed (in this transaction): processes read them again, and the
    search answers kept in the page cache are dropped."""
    entries_changed()
    bump_generation()


def edit_distance(a: str, b: str) -> int:
    """Letters inserted, deleted, replaced, or swapped with the next ("mma"/"mam": 1)."""
    before, previous = [], list(range(len(b) + 1))
    for i, letter in enumerate(a, 1):
        current = [i]
        for j, other in enumerate(b, 1):
            edits = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (letter != other))
            if i > 1 and j > 1 and letter == b[j - 2] and a[i - 2] == other:
                edits = min(edits, before[j - 2] + 1)
            current.append(edits)
        before, previous = previous, current
    return previous[-1]


def word_candidates(word: str, known: Vocabulary) -> list[tuple[int, str]]:
    """(edits, title word) within max_edits of `word`, fewest edits then most frequent
    first. The first letter must match, as in the Elasticsearch backend (prefix_length 1)."""
    limit = max_edits(word)
    found = []
    for candidate in known.by_initial.get(word[0], ()):
        if abs(len(candidate) - len(word)) <= limit:
            edits = edit_distance(word, candidate)
            if edits <= limit:
                found.append((edits, candidate))
    found.sort(key=lambda pair: (pair[0], -known.frequencies[pair[1]]))
    return found[:CANDIDATES_PER_WORD]


def _corrections(folded: list[str], known: Vocabulary) -> list[tuple[int, tuple, set[int]]]:
    """(edits, title words, titles having them all) for the query's words, one word at a
    time: only the BEAM_WIDTH fewest edits, then most titles, go on to the next word."""
    beam: list[tuple[int, tuple, set[int] | None]] = [(0, (), None)]
    for word in folded:
        extended = []
        for edits, words, titles in beam:
            for word_edits, candidate in word_candidates(word, known):
                if candidate in words:  # "gỗ gốm" is no typo of "gỗ gỗ"
                    continue
                having = known.postings[candidate]
                common = having if titles is None else titles & having
                if common:
                    extended.append((edits + word_edits, (*words, candidate), common))
        extended.sort(key=lambda partial: (partial[0], -len(partial[2])))
        beam = extended[:BEAM_WIDTH]
    return beam


def _spelling(words: tuple[str, ...], titles: set[int], known: Vocabulary) -> str:
    """The words as the titles having them spell them most often ("bánh", not "bành")."""
    spellings = Counter()
    for number in heapq.nsmallest(SPELLING_SAMPLE, titles):
        folded, spelt = known.folded_titles[number], known.titles[number]
        spellings[" ".join(spelt[folded.index(word)] for word in words)] += 1
    return spellings.most_common(1)[0][0]


def correction(folded: list[str], known: Vocabulary) -> str:
    """The query's folded words corrected into title words, spelt as in the titles, or "".

    Each word becomes a title word within a typo or two (maybe itself), and the words
    together must be in one title, so that the correction finds something. Fewest
    edits first, then words next to each other in titles ("nuoc mma": "nước mắm"),
    then the most titles. Never the query itself, with or without diacritics.
    """

    def rank(candidate: tuple) -> tuple:
        edits, words, titles = candidate
        phrase = all(pair in known.pairs for pair in itertools.pairwise(words))
        return (edits, not phrase, -len(titles))

    corrections = sorted((c for c in _corrections(folded, known) if c[0]), key=rank)
    if not corrections:
        return ""
    _edits, words, titles = corrections[0]
    return _spelling(words, titles, known)


def did_you_mean(q: str, language: str) -> str:
    """A correction of `q` from the words of the language's product titles, or ""."""
    _, folded = query_words(q)
    if not folded or len(folded) > MAX_CORRECTED_WORDS:
        return ""
    return correction(folded, vocabulary(language))


def producer_records(language: str) -> list[tuple[dict, int, object]]:
    """(row, live products, record) of each of the language's indexable producers."""
    from search.catalogue import (
        PRODUCER_FIELDS,
        RecordBuilder,
        indexable_producers,
        live_product_counts,
    )

    rows = list(
        indexable_producers().filter(locale__language_code=language).values(*PRODUCER_FIELDS)
    )
    counts = live_product_counts([row["path"] for row in rows])
    builder = RecordBuilder()
    return [
        (row, counts.get(row["path"], 0), builder.producer_record(row, counts.get(row["path"], 0)))
        for row in rows
    ]


# Suggestions ---------------------------------------------------------------------------


def named_places(language: str) -> list[tuple[str, Suggestion]]:
    """(" " + folded name, suggestion) of the language's live producers, craft villages and
    categories, in the order suggestions list them."""
    from producers.models import CraftVillage, ProducerPage
    from products.models import ProductCategory, ProductIndexPage
    from search.catalogue import PageUrls

    named = []
    # Every producer's address from its url_path: Page.url reads the site roots each time
    # (a query per producer with the database cache).
    page_url = PageUrls()
    producers = ProducerPage.objects.live().public().filter(locale__language_code=language)
    for display_name, url_path in producers.values_list("display_name", "url_path"):
        named.append(Suggestion(display_name, "producer", page_url(url_path)))
    for village in CraftVillage.objects.filter(locale__language_code=language):
        named.append(Suggestion(village.name, "craft_village", village.get_url()))
    # With its locale: reverse_subpage builds the address in the index page's language.
    index = (
        ProductIndexPage.objects.live()
        .filter(locale__language_code=language)
        .select_related("locale")
        .first()
    )
    index_url = index.url if index is not None else ""
    for category in ProductCategory.objects.filter(locale__language_code=language):
        url = ""
        if index_url:
            url = index_url + index.reverse_subpage("category", kwargs={"slug": category.slug})
        named.append(Suggestion(category.name, "category", url))
    return [(f" {fold(suggestion.text)}", suggestion) for suggestion in named]


# Producers -----------------------------------------------------------------------------


def producer_score(row: dict, words: list[str], folded: list[str]) -> int | None:
    """The producer's score for the query's words, or None when one of them is missing.

    `row` has search.catalogue.PRODUCER_FIELDS; weights are search.ranking's.
    """
    from search.catalogue import producer_text

    weights = PRODUCER_RANKING
    (name_exact, name_folded), (text_exact, text_folded) = producer_text(row)
    if not set(WORD.findall(text_folded)).issuperset(folded):
        return None
    folded_name = WORD.findall(name_folded)
    return (
        weights["name_exact"] * set(WORD.findall(name_exact)).issuperset(words)
        + weights["name_folded"] * set(folded_name).issuperset(folded)
        + weights["name_phrase"] * (f" {' '.join(folded)} " in f" {' '.join(folded_name)} ")
        + weights["text_exact"] * set(WORD.findall(text_exact)).issuperset(words)
    )


# The backend -----------------------------------------------------------------------------


class DatabaseBackend(SearchBackend):
    """Search entries (search.models.ProductSearchEntry) in the site's own database."""

    name = "database"

    def update(self, page_ids: Iterable[int]) -> None:
        """Rewrite the entries of these products; products no longer live lose theirs."""
        page_ids = list(page_ids)
        for start in range(0, len(page_ids), BATCH_SIZE):
            batch = page_ids[start : start + BATCH_SIZE]
            records = list(product_records(indexable_products().filter(pk__in=batch)))
            _write(records, batch)

    def delete(self, page_ids: Iterable[int]) -> None:
        ProductSearchEntry.objects.filter(page_id__in=list(page_ids)).delete()
        _entries_changed()

    def rebuild(self, progress: Progress | None = None) -> int:
        """Rebuild every entry; returns how many products are indexed.

        In one transaction: searches meanwhile see the old entries, never a partial set.
        """
        with transaction.atomic():
            ProductSearchEntry.objects.all().delete()
            _entries_changed()
            ids = list(indexable_products().values_list("pk", flat=True))
            self.update(ids)
        return len(ids)

    def hits_by_id(self, page_ids: list[int], language: str) -> list[ProductHit]:
        """Hits of these pages in `language`, in the given order (promoted products)."""
        return hits_for(entries_by_id(page_ids, language))

    def search_products(self, query: ProductQuery) -> ProductResults:
        rows = rows_of(query.language)
        if query.q.strip():
            words, folded = query_words(query.q)
            if not words:  # only symbols: nothing matches, the same shape as Elasticsearch
                facets = {name: [] for name in FACETS}
                return ProductResults(
                    hits=[], total=0, page=1, pages=1, facets=facets, backend=self.name
                )
            rows = matching_text(rows, folded)
        if query.price_min is not None or query.price_max is not None:
            low, high = query.price_min, query.price_max
            rows = [row for row in rows if within_price_bounds(row.price, low, high)]
        matching, counts = facet_pass(rows, query)
        with translation.override(query.language):
            facets = {name: facet_values(name, counts[name], query) for name in FACETS}
        total = len(matching)
        pages = max(1, -(-total // query.page_size))
        page = min(max(1, query.page), pages)
        start = (page - 1) * query.page_size
        shown = heapq.nsmallest(start + query.page_size, matching, key=sort_key(query))[start:]
        corrected = "" if total or not query.q.strip() else did_you_mean(query.q, query.language)
        return ProductResults(
            hits=hits_for(entries_by_id([row.pk for row in shown], query.language)),
            total=total,
            page=page,
            pages=pages,
            facets=facets,
            did_you_mean=corrected,
            backend=self.name,
        )

    def suggest(self, q: str, language: str) -> list[Suggestion]:
        """Products, producers, craft villages and categories whose folded name has a word
        starting with the folded query."""
        prefix = fold(q)
        if not WORD.search(prefix):
            return []
        start = f" {prefix}"
        title_start = start.encode()
        products = (row.pk for row in rows_of(language) if title_start in row.title_folded)
        suggestions = product_suggestions(list(itertools.islice(products, PRODUCT_SUGGESTIONS)))
        # Producers and places are not entries: kept until a public page changes.
        places = kept("places", language, named_places, version=current_generation())
        suggestions += [suggestion for folded, suggestion in places if start in folded]
        return suggestions[:MAX_SUGGESTIONS]

    def search_producers(self, q: str, language: str, limit: int) -> list[ProducerHit]:
        """Live producers in `language` with every word of `q`, ranked as in Elasticsearch."""
        words = WORD.findall(normalise(q))
        folded = [fold(word) for word in words]
        if not words:
            return []
        # Producers are not entries: kept until a public page changes, as places are.
        producers = kept("producers", language, producer_records, version=current_generation())
        scored = []
        for row, count, record in producers:
            score = producer_score(row, words, folded)
            if score is not None:
                scored.append((score, count, row["pk"], record))
        scored.sort(key=lambda item: (-item[0], -item[1], item[2]))
        return producer_hits([vars(record) for *_rank, record in scored[:limit]], language)
