"""The catalogue's sorts and price ranges: one definition for the product listing
(products.queries, products.filters) and the search (search.query, its backends).

The listing filters product pages and the search filters its own entries (or
Elasticsearch documents), so the conditions here take the name of the price field;
what a sort or a price range means, its key in URLs and its label are defined once.
Plain values and Q objects only: no model is imported.
"""

from collections.abc import Iterable

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext

from marketplace.core.money import vnd

# The sorts, named as the `sort` query parameter takes them.
SORTS = ("relevance", "price_asc", "price_desc", "newest", "stars")
# Without words to match, "relevance" means nothing: listings sort by the newest, first
# in their list so that a form without a sort shows it chosen.
DEFAULT_LISTING_SORT = "newest"
LISTING_SORTS = (DEFAULT_LISTING_SORT, "price_asc", "price_desc", "stars")

# Price ranges in đồng: (key, lowest included, highest excluded or None).
PRICE_RANGES = (
    ("under-50k", 0, 50_000),
    ("50k-100k", 50_000, 100_000),
    ("100k-200k", 100_000, 200_000),
    ("200k-500k", 200_000, 500_000),
    ("500k-up", 500_000, None),
)
PRICE_RANGE_KEYS = tuple(key for key, _low, _high in PRICE_RANGES)


def sort_labels() -> dict[str, str]:
    """Each sort's label, in the active language."""
    return {
        "relevance": gettext("Best match"),
        "price_asc": gettext("Price: low to high"),
        "price_desc": gettext("Price: high to low"),
        "newest": gettext("Newest"),
        "stars": gettext("Most OCOP stars"),
    }


def sort_choices(sorts: Iterable[str] = SORTS) -> list[tuple[str, str]]:
    labels = sort_labels()
    return [(sort, labels[sort]) for sort in sorts]


def price_range_label(low: int, high: int | None) -> str:
    if high is None:
        return gettext("From %(low)s") % {"low": vnd(low)}
    if low == 0:
        return gettext("Under %(high)s") % {"high": vnd(high)}
    return gettext("%(low)s – %(high)s") % {"low": vnd(low), "high": vnd(high)}


def price_range_labels() -> dict[str, str]:
    """Each price range's label, in the active language, in their order."""
    return {key: price_range_label(low, high) for key, low, high in PRICE_RANGES}


def price_range_condition(key: str, field: str) -> Q:
    """Prices in the range `key` (nothing for an unknown key); "on request" is in none."""
    for range_key, low, high in PRICE_RANGES:
        if range_key == key:
            condition = Q(**{f"{field}__gte": low})
            return condition & Q(**{f"{field}__lt": high}) if high is not None else condition
    return Q(pk__in=[])


def price_range_of(price: int | None) -> str | None:
    """The range `price` falls in, as price_range_condition() selects it; None on request."""
    if price is None:
        return None
    for key, low, high in PRICE_RANGES:
        if low <= price and (high is None or price < high):
            return key
    return None


def within_price_bounds(price: int | None, low: int | None, high: int | None) -> bool:
    """price_bounds_condition() for one price: a price on request is outside any bound."""
    if low is None and high is None:
        return True
    return price is not None and (low is None or price >= low) and (high is None or price <= high)


def price_ranges_condition(keys: Iterable[str], field: str) -> Q:
    """Prices in any of the ranges (OR within the facet); no keys: every price."""
    condition = Q()
    for key in keys:
        condition |= price_range_condition(key, field)
    return condition


def price_bounds_condition(field: str, low: int | None = None, high: int | None = None) -> Q:
    """Prices from `low` to `high`, both included; a missing bound does not limit."""
    condition = Q()
    if low is not None:
        condition &= Q(**{f"{field}__gte": low})
    if high is not None:
        condition &= Q(**{f"{field}__lte": high})
    return condition


def price_range_counts(rows: QuerySet, field: str) -> dict[str, int]:
    """How many rows fall in each price range: one aggregate query."""
    return rows.aggregate(
        **{key: Count("pk", filter=price_range_condition(key, field)) for key in PRICE_RANGE_KEYS}
    )
