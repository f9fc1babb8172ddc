"""The date range a report covers: whole local days, by default the last twelve months."""

import datetime
from dataclasses import dataclass

from django.utils import timezone


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # included

    @property
    def start_at(self) -> datetime.datetime:
        return local_midnight(self.start)

    @property
    def end_before(self) -> datetime.datetime:
        return local_midnight(self.end + datetime.timedelta(days=1))

    def months(self) -> list[datetime.date]:
        """The first day of every month the period touches, in order."""
        months = []
        month = self.start.replace(day=1)
        while month <= self.end:
            months.append(month)
            month = (month + datetime.timedelta(days=32)).replace(day=1)
        return months


def local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def default_period(today: datetime.date | None = None) -> Period:
    """This month and the eleven before it."""
    today = today or timezone.localdate()
    month = today.replace(day=1)
    for _ in range(11):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    return Period(month, today)


def make_period(start: datetime.date | None, end: datetime.date | None) -> Period:
    """The period between two optional dates: twelve months up to `end` (today) by default."""
    end = end or timezone.localdate()
    start = start or default_period(end).start
    if start > end:
        start, end = end, start
    return Period(start, end)
