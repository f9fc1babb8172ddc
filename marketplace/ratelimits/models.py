"""One counter of requests per key (a scope and a visitor), in a window of time.

A row is the window that runs for its key: `count` requests so far, until `expires_at`.
A request after that starts a new window in the same row. marketplace.ratelimits.counter
changes rows with single UPDATE statements only, so that concurrent requests on any
number of processes never lose a count.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RateCounter(models.Model):
    # e.g. "inquiries:submit:ip:<hash>": no address or session id is stored in clear.
    key = models.CharField(max_length=200, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("rate counter")
        verbose_name_plural = _("rate counters")

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"
