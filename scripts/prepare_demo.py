#!/usr/bin/env python
"""`make run`'s set-up, in one process so Django starts once: migrate, load the demo
data when there are no producers yet (or else make sure the catalogue search holds every
product, e.g. after ELASTICSEARCH_URL was set, and that every rendition the pages show
exists), and make sure the demo accounts exist."""

import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def main() -> int:
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.dev")
    # The demo's pages index themselves as they are written, in this process: the site
    # opens with every search and reference entry in place, not a queue for the worker.
    os.environ["TASKS_BACKEND"] = "immediate"
    import django

    django.setup()
    from django.core.management import CommandError, call_command

    from producers.models import ProducerPage
    from search.completeness import IncompleteSearch

    try:
        call_command("migrate", interactive=False)
        try:
            if not ProducerPage.objects.exists():
                call_command("load_demo")
            else:
                call_command("search_index", "complete")
                # An older demo database: the renditions its pages show, made now.
                call_command("make_renditions")
        except CommandError as error:
            if not isinstance(error.__cause__, IncompleteSearch):
                raise
            # Elasticsearch down, say: the site still starts and searches the database.
            print(
                f"warning: {error} Searches use the database until it is complete: "
                "run `manage.py search_index complete` then.",
                file=sys.stderr,
            )
        call_command("ensure_demo_admin")
    except CommandError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
