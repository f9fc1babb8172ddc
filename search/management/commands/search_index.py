"""Manage the indices of the catalogue search.

manage.py search_index rebuild   # Elasticsearch: new indices, then an atomic alias swap;
                                 # updates made meanwhile, by any process, are kept
manage.py search_index rebuild --database   # the database backend's entries too
manage.py search_index status    # documents per index against the database
manage.py search_index retry     # the page updates Elasticsearch missed
manage.py search_index complete  # rebuild whichever index does not hold every product
manage.py search_index featured  # daily: products whose featured collection began or ended
"""

import logging
import time

from django.core.management.base import BaseCommand, CommandError
from elasticsearch import ApiError, TransportError

from marketplace.core.page_cache import bump_generation
from search import featured
from search.backends import database_backend, elasticsearch_backend
from search.backends.elasticsearch import connection, indexing
from search.completeness import IncompleteSearch, complete_indexes, require_complete

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Rebuild the catalogue search indices, show their status, or retry failed updates."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "action", choices=["rebuild", "status", "retry", "featured", "complete"]
        )
        parser.add_argument(
            "--database",
            action="store_true",
            help="rebuild: also rebuild the database backend's search entries (the only "
            "index rebuilt when ELASTICSEARCH_URL is not set)",
        )

    def handle(self, *args, action: str, database: bool = False, **options) -> None:
        self.run(action, database)
        if action != "status":
            # Search answers kept in the page cache came from the index as it was.
            bump_generation()

    def run(self, action: str, database: bool) -> None:
        if action == "complete":
            self.complete()
            return
        if action == "featured":
            # Both indexes at once, through the usual update task.
            count = featured.refresh_featured()
            self.stdout.write(f"Re-indexed {count} products whose featured state changed.")
            return
        if action == "rebuild" and (database or not connection.is_configured()):
            self.rebuild_database()
        if not connection.is_configured():
            if action == "rebuild":
                return
            raise CommandError("ELASTICSEARCH_URL is not set.")
        # One log line per bulk request would bury the progress bar.
        logging.getLogger("elastic_transport").setLevel(logging.WARNING)
        try:
            getattr(self, action)()
        except (ApiError, TransportError) as error:
            raise CommandError(f"Elasticsearch: {error}") from error

    def complete(self) -> None:
        """Both indexes (Elasticsearch's when configured), rebuilt where incomplete."""
        logging.getLogger("elastic_transport").setLevel(logging.WARNING)
        checks = complete_indexes()
        for check in checks:
            self.stdout.write(f"{check.describe()}.")
        try:
            require_complete(checks)
        except IncompleteSearch as error:
            raise CommandError(str(error)) from error

    def rebuild_database(self) -> None:
        started = time.monotonic()
        count = database_backend().rebuild()
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(f"Database: {count} products in {elapsed:.1f} s."), ending="\n"
        )

    def rebuild(self) -> None:
        started = time.monotonic()
        count = elasticsearch_backend().rebuild(progress=self.show_progress)
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
        pending = indexing.pending_count()
        if pending:
            self.stdout.write(f"{pending} page updates pending: run `search_index retry`.")
        running = indexing.running_rebuild()
        if running:
            self.stdout.write(f"A rebuild is running: {running}.")

    def retry(self) -> None:
        retried = indexing.retry_pending()
        self.stdout.write(self.style.SUCCESS(f"Updated {retried} pending pages."))
