"""What a catalogue search asks and what it answers, the same for both backends.

Views and the API build a `ProductQuery`; search.service hands it to a backend
(search.backends.base.SearchBackend), which answers `ProductResults` of `ProductHit`s
and `FacetValue`s, `Suggestion`s and `ProducerHit`s. Plain values only: this module
imports no other module of the search. The sorts and price ranges are the catalogue's
(products.facets): the product listing sorts and filters by the same ones.
"""

from dataclasses import dataclass, field

# Re-exported: the backends, the API and the benchmarks name them as the search's.
from products.facets import PRICE_RANGES as PRICE_RANGES
from products.facets import SORTS as SORTS

# The facets, named as the query parameters that select their values.
FACETS = (
    "category",
    "stars",
    "locality",
    "craft_village",
    "certification",
    "availability",
    "price",
)
PAGE_SIZE = 24
MAX_QUERY_LENGTH = 200
MAX_SUGGESTIONS = 8


@dataclass(frozen=True)
class ProductQuery:
    """A validated search: free text plus facet selections (OR within a facet, AND across)."""

    q: str = ""
    language: str = "vi"
    category: tuple[str, ...] = ()  # category slugs (a group includes its sub-categories)
    stars: tuple[int, ...] = ()  # 3, 4, 5: valid, verified certificates only
    locality: tuple[str, ...] = ()  # locality slugs
    craft_village: tuple[str, ...] = ()  # craft village slugs
    certification: tuple[str, ...] = ()  # ProductCertification.Kind values
    availability: tuple[str, ...] = ()  # ProductPage.Availability values
    price: tuple[str, ...] = ()  # price range keys, see PRICE_RANGES
    price_min: int | None = None
    price_max: int | None = None
    sort: str = "relevance"
    page: int = 1
    page_size: int = PAGE_SIZE


@dataclass(frozen=True)
class FacetValue:
    value: str  # what the query parameter takes
    label: str  # in the query's language
    count: int
    selected: bool = False


@dataclass(frozen=True)
class ProductHit:
    page_id: int
    title: str
    url: str  # the product's public path
    price: int | None  # đồng; None when on request
    unit: str
    stars: int | None  # valid, verified OCOP stars
    producer: str
    locality: str
    thumbnail: str  # URL of a small rendition, or ""
    availability: str = ""  # a ProductPage.Availability value


@dataclass
class ProductResults:
    hits: list[ProductHit]
    total: int
    page: int
    pages: int
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    did_you_mean: str = ""  # a corrected query when nothing matched
    backend: str = ""  # "elasticsearch" or "database"
    duration_ms: int = 0  # time taken by search_products(), for the query log


@dataclass(frozen=True)
class Suggestion:
    text: str
    type: str  # "product", "producer", "craft_village" or "category"
    url: str


@dataclass(frozen=True)
class ProducerHit:
    """A producer shown above the product results (search.service.search_producers)."""

    page_id: int
    name: str  # the display name
    url: str
    legal_form: str  # in the query's language
    locality: str
    craft_village: str
    product_count: int  # live products
    logo: str  # URL of a small rendition of the logo, or ""
