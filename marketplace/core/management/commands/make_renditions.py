"""Make the renditions every live page and snippet shows and that do not exist yet."""

import time

from django.core.management.base import BaseCommand

from marketplace.core.renditions_ahead import make_all


class Command(BaseCommand):
    help = (
        "Make the image renditions the site shows that are missing (after an upgrade, or "
        "a new spec in marketplace/core/rendition_specs.py), so that no visitor waits "
        "for one. Safe to run again: existing renditions are kept."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        made, images = make_all()
        if options["verbosity"] > 0:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{made} missing renditions made ({images} image checks) "
                    f"in {time.monotonic() - started:.1f} s."
                )
            )
