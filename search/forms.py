"""GET parameters → ProductQuery. Unknown facet values are dropped; bad numbers are errors."""

from django.conf import settings
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from search.labels import snippet_names
from search.query import MAX_QUERY_LENGTH, PRICE_RANGES, SORTS, ProductQuery

MAX_NUMBER = 10**12
MAX_DIGITS = len(str(MAX_NUMBER))


class QueryError(ValueError):
    """A parameter the search cannot use; the message is for the person asking."""


def _known_values(name: str) -> set[str]:
    from producers.models import CraftVillage, Locality
    from products.models import ProductCategory, ProductCertification, ProductPage

    snippets = {"category": ProductCategory, "locality": Locality, "craft_village": CraftVillage}
    if name in snippets:
        return set(snippet_names(snippets[name], settings.LANGUAGE_CODE))
    if name == "certification":
        return set(ProductCertification.Kind.values)
    if name == "availability":
        return set(ProductPage.Availability.values)
    return {key for key, _low, _high in PRICE_RANGES}


def _selected(params: QueryDict, name: str) -> tuple[str, ...]:
    values = [v for v in dict.fromkeys(params.getlist(name)) if v]
    if not values:
        return ()
    known = _known_values(name)
    return tuple(v for v in values if v in known)


def _stars(params: QueryDict) -> tuple[int, ...]:
    return tuple(int(v) for v in dict.fromkeys(params.getlist("stars")) if v in {"3", "4", "5"})


def _number(params: QueryDict, name: str, minimum: int, message: str) -> int | None:
    raw = params.get(name, "").strip()
    if not raw:
        return None
    # The upper bound keeps numbers within what every database column holds; the length
    # is checked first, as Python refuses to convert thousands of digits.
    if not raw.isdecimal() or len(raw) > MAX_DIGITS or not minimum <= int(raw) <= MAX_NUMBER:
        raise QueryError(message)
    return int(raw)


def language_of(params: QueryDict, default: str) -> str:
    language = params.get("lang", "").strip() or default
    if language not in dict(settings.LANGUAGES):
        raise QueryError(_("Unknown language: use “vi” or “en”."))
    return language


def parse_query(params: QueryDict, language: str, strict: bool = True) -> ProductQuery:
    """The ProductQuery the parameters ask for.

    strict (the API): a query over MAX_QUERY_LENGTH characters or a bad number raises
    QueryError. Not strict (the HTML page): the query is truncated and bad numbers are
    ignored, so a hand-edited address still shows results.
    """
    q = params.get("q", "").strip()
    if len(q) > MAX_QUERY_LENGTH:
        if strict:
            raise QueryError(
                _("The search text is too long: at most %(max)d characters.")
                % {"max": MAX_QUERY_LENGTH}
            )
        q = q[:MAX_QUERY_LENGTH]
    numbers = {
        "price_min": (0, _("The lowest price must be a whole number of đồng.")),
        "price_max": (0, _("The highest price must be a whole number of đồng.")),
        "page": (1, _("The page must be a whole number from 1.")),
    }
    parsed = {}
    for name, (minimum, message) in numbers.items():
        try:
            parsed[name] = _number(params, name, minimum, str(message))
        except QueryError:
            if strict:
                raise
            parsed[name] = None
    sort = params.get("sort", "").strip() or "relevance"
    if sort not in SORTS:
        if strict:
            raise QueryError(_("Unknown sort: use one of %(sorts)s.") % {"sorts": ", ".join(SORTS)})
        sort = "relevance"
    return ProductQuery(
        q=q,
        language=language,
        category=_selected(params, "category"),
        stars=_stars(params),
        locality=_selected(params, "locality"),
        craft_village=_selected(params, "craft_village"),
        certification=_selected(params, "certification"),
        availability=_selected(params, "availability"),
        price=_selected(params, "price"),
        price_min=parsed["price_min"],
        price_max=parsed["price_max"],
        sort=sort,
        page=parsed["page"] or 1,
    )
