"""The rows of the office's search reports (their views are in admin_views): what people
look for, what they do not find, and what they find but do not open.

Each report groups the query log (search.models.SearchQueryLog) by query and language
over a period, 30 days unless the office picks dates. Searches without words (filters
only) are left out. Clicks are known only for searches made on the search page: API
searches count as searches but not in click-through rates or "no click".
"""

import datetime

from django.db.models import Avg, Count, F, FloatField, Max, Q, QuerySet, Sum
from django.db.models.functions import Cast, NullIf
from django.utils import timezone

REPORT_DAYS = 30
PAGE_SEARCH = Q(search_id__isnull=False)  # made on the search page, so clicks are counted
CLICKABLE = PAGE_SEARCH & Q(result_count__gt=0)  # ... and it showed something to open


def default_start() -> datetime.date:
    """The first day of the default period: the last REPORT_DAYS days, today included."""
    return timezone.localdate() - datetime.timedelta(days=REPORT_DAYS - 1)


# The rows of each report, from the log rows of a period. --------------------------------


def _by_query(logs: QuerySet) -> QuerySet:
    return logs.exclude(query="").values("query", "language")


def top_queries(logs: QuerySet) -> QuerySet:
    """Per query: searches, average results, clicks, and the click-through rate in percent:
    of the searches on the search page that found something, those in which someone opened
    a result (None when there were none)."""
    return _by_query(logs).annotate(
        searches=Count("pk"),
        average_results=Avg("result_count"),
        click_count=Sum("clicks", filter=PAGE_SEARCH, default=0),
        searches_with_results=Count("pk", filter=CLICKABLE),
        clicked_searches=Count("pk", filter=CLICKABLE & Q(clicks__gt=0)),
        click_through_rate=Cast("clicked_searches", FloatField())
        * 100
        / NullIf(F("searches_with_results"), 0),
    )


def zero_result_queries(logs: QuerySet) -> QuerySet:
    """Per query that found nothing: searches, and when it was last searched."""
    return _by_query(logs.filter(result_count=0)).annotate(
        searches=Count("pk"), last_searched=Max("created_at")
    )


def no_click_queries(logs: QuerySet) -> QuerySet:
    """Per query: searches on the search page that found products and in which nobody
    opened a result, out of all such searches, with their average results."""
    return (
        _by_query(logs.filter(CLICKABLE))
        .annotate(
            searches_without_click=Count("pk", filter=Q(clicks=0)),
            searches_with_results=Count("pk"),
            average_results=Avg("result_count"),
        )
        .filter(searches_without_click__gt=0)
    )
