"""What both backends do alike: the query's words, typo allowance, facet labels and
order, producer hits.

Kept here, not in either backend, so that the two never import each other.
"""

from collections.abc import Iterable, Mapping

from django.utils.translation import ngettext, override

from marketplace.core.text import WORD, fold, normalise
from products.facets import price_range_labels
from search.labels import snippet_names
from search.query import (
    MAX_SUGGESTIONS,
    FacetValue,
    ProducerHit,
    ProductQuery,
)
from search.thumbnails import thumbnail_urls

# Products leave room in the suggestions for producers, villages and categories.
PRODUCT_SUGGESTIONS = MAX_SUGGESTIONS - 3


# Words --------------------------------------------------------------------------------


def query_words(q: str) -> tuple[list[str], list[str]]:
    """The query's words, normalised and folded; punctuation and symbols are dropped."""
    words = WORD.findall(normalise(q))
    return words, [fold(word) for word in words]


def max_edits(word: str) -> int:
    """Typos forgiven in a word, as Elasticsearch's AUTO fuzziness: 0 up to 2 letters,
    1 up to 5, then 2."""
    return 0 if len(word) <= 2 else 1 if len(word) <= 5 else 2


# Facets -------------------------------------------------------------------------------


def _named(model, slugs: Iterable[str], language: str) -> dict[str, str]:
    """Names of translatable snippets by slug, in `language`, else in any language."""
    names = snippet_names(model, language)
    return {slug: names[slug] for slug in slugs if slug in names}


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
    return price_range_labels()


def facet_values(name: str, counts: Mapping[str, int], query: ProductQuery) -> list[FacetValue]:
    """A facet's values, counted and labelled (call inside translation.override): the
    price ranges in their order, stars from the most, the others by count then label.
    Selected values are listed even when nothing has them."""
    selected = {str(value) for value in getattr(query, name)}
    values = set(counts) | selected
    labels = facet_labels(name, values, query.language)
    if name == "price":
        order = [key for key in labels if counts.get(key) or key in selected]
    elif name == "stars":
        order = sorted(values, reverse=True)
    else:
        order = sorted(values, key=lambda v: (-counts.get(v, 0), labels.get(v, v)))
    return [FacetValue(v, labels.get(v, v), counts.get(v, 0), v in selected) for v in order]


# Producers ----------------------------------------------------------------------------


def producer_hits(sources: list[dict], language: str) -> list[ProducerHit]:
    """Hits from producer documents' fields (Elasticsearch's ProducerDocument; the
    database backend builds the same fields from producer records)."""
    from producers.models import legal_form_label

    logos = thumbnail_urls(source["logo_id"] for source in sources)
    with override(language):
        return [
            ProducerHit(
                page_id=source["page_id"],
                name=source["display_name"],
                url=source["url"],
                legal_form=legal_form_label(source["legal_form"]),
                locality=source.get("locality_name") or "",
                craft_village=source.get("craft_village_name") or "",
                product_count=source["product_count"],
                logo=logos.get(source["logo_id"], ""),
            )
            for source in sources
        ]
