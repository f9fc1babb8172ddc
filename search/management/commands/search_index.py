"""Manage the Elasticsearch indices of the catalogue search.

manage.py search_index rebuild   # new indices, then an atomic alias swap
manage.py search_index status    # documents per index against the database
"""

import logging
import time

from django.core.management.base import BaseCommand, CommandError
from elasticsearch import ApiError, TransportError

from search import es, indexing

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Rebuild the catalogue search indices in Elasticsearch, or show their status."

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["rebuild", "status"])

    def handle(self, *args, action: str, **options) -> None:
        if not es.is_configured():
            raise CommandError("ELASTICSEARCH_URL is not set.")
        try:
            if action == "rebuild":
                self.rebuild()
            else:
                self.status()
        except (ApiError, TransportError) as error:
            raise CommandError(f"Elasticsearch: {error}") from error

    def rebuild(self) -> None:
        # One log line per bulk request would bury the progress bar.
        logging.getLogger("elastic_transport").setLevel(logging.WARNING)
        started = time.monotonic()
        count = indexing.rebuild(progress=self.show_progress)
        elapsed = time.monotonic() - started
        self.stdout.write("")
        rate = count / elapsed if elapsed else 0
        self.stdout.write(
            self.style.SUCCESS(f"Indexed {count} products in {elapsed:.1f} s ({rate:.0f}/s).")
        )

    def show_progress(self, done: int, total: int) -> None:
        filled = BAR_WIDTH * done // total if total else BAR_WIDTH
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        self.stdout.write(f"\r[{bar}] {done}/{total}", ending="")
        self.stdout.flush()

    def status(self) -> None:
        for row in indexing.status():
            behind = ", ".join(row.indices) or "(missing)"
            documents = "-" if row.documents is None else row.documents
            marker = "" if row.documents == row.database else "  OUT OF DATE"
            self.stdout.write(
                f"{row.alias} -> {behind}: {documents} documents, {row.database} in the database"
                f"{marker}"
            )
