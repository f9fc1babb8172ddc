"""The interface of a catalogue search backend: what search.service and the indexing
callers ask of the database backend and of the Elasticsearch one alike."""

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from typing import ClassVar

from search.query import MAX_QUERY_LENGTH, ProducerHit, ProductQuery, ProductResults, Suggestion

Progress = Callable[[int, int], None]  # (done, total)


class SearchBackend(ABC):
    """Searches one index of the catalogue and keeps it in step with the pages.

    Both backends index the records of search.catalogue and answer the same types
    (search.query), ranked alike (search.ranking).
    """

    # Names the backend in the query log and the X-Search-Backend header.
    name: ClassVar[str]
    # Failures after which search.service answers from the database backend instead.
    unavailable_errors: ClassVar[tuple[type[Exception], ...]] = ()

    # State

    def check(self) -> str:
        """Raise one of `unavailable_errors` when the backend cannot answer now; else say
        briefly how it is (the readiness check shows it). The database answers whenever
        the site does."""
        return "ok"

    # Searching

    @abstractmethod
    def search_products(self, query: ProductQuery) -> ProductResults:
        """One page of the products matching `query`, its facets, and a "did you mean"
        correction when nothing matched."""

    @abstractmethod
    def suggest(self, q: str, language: str) -> list[Suggestion]:
        """Up to MAX_SUGGESTIONS products, producers, craft villages and categories
        whose name starts like `q`."""

    @abstractmethod
    def search_producers(self, q: str, language: str, limit: int) -> list[ProducerHit]:
        """Up to `limit` live producers in `language` with every word of `q`, best first."""

    def search_page(
        self, query: ProductQuery, producers: int
    ) -> tuple[ProductResults, list[ProducerHit]]:
        """What a search page shows: search_products(query) and, when `producers` > 0,
        up to that many producers matching its words. One request where a backend can."""
        results = self.search_products(query)
        if producers < 1:
            return results, []
        return results, self.search_producers(query.q[:MAX_QUERY_LENGTH], query.language, producers)

    # Indexing

    @abstractmethod
    def update(self, page_ids: Iterable[int]) -> None:
        """Index these pages as they are now; pages no longer indexable leave the index."""

    @abstractmethod
    def delete(self, page_ids: Iterable[int]) -> None:
        """Remove these pages from the index."""

    @abstractmethod
    def rebuild(self, progress: Progress | None = None) -> int:
        """Index every indexable page again; returns the number of products indexed."""
