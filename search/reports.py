"""The office's search report: what people look for, and what they do not find."""

import datetime

from django.db.models import Avg, Count, QuerySet
from django.utils import timezone

from search.models import SearchQueryLog

OFFICE_GROUP = "Agriculture office"
REPORT_DAYS = 30
REPORT_ROWS = 50


def can_view_report(user) -> bool:
    return user.is_active and (user.is_superuser or user.groups.filter(name=OFFICE_GROUP).exists())


def _recent(days: int) -> QuerySet:
    since = timezone.now() - datetime.timedelta(days=days)
    return SearchQueryLog.objects.filter(created_at__gte=since).exclude(query="")


def top_queries(days: int = REPORT_DAYS, limit: int = REPORT_ROWS) -> list[dict]:
    """The most frequent queries: query, language, searches, average results."""
    return list(
        _recent(days)
        .values("query", "language")
        .annotate(searches=Count("pk"), results=Avg("result_count"))
        .order_by("-searches", "query")[:limit]
    )


def zero_result_queries(days: int = REPORT_DAYS, limit: int = REPORT_ROWS) -> list[dict]:
    """Queries that found nothing: what the catalogue or the search is missing."""
    return list(
        _recent(days)
        .filter(result_count=0)
        .values("query", "language")
        .annotate(searches=Count("pk"))
        .order_by("-searches", "query")[:limit]
    )
