from django.core.management.base import BaseCommand, CommandError

from marketplace.core.page_cache import bump_generation
from marketplace.demo.loader import BATCH_SIZE, DemoDataError, load_demo
from search.completeness import IncompleteSearch, require_complete

MAX_PRODUCTS = 100_000


class Command(BaseCommand):
    help = (
        "Load the sample catalogue of Điện Bàn (localities, craft villages, producers and "
        "products in Vietnamese and English). Safe to run again: what exists is skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--products", type=int, default=200, help="How many products (default 200)."
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=BATCH_SIZE,
            help=f"Products per transaction (default {BATCH_SIZE}).",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="Processes drawing pictures; 0 draws them in this process "
            "(default: 2 for large loads).",
        )
        parser.add_argument(
            "--no-renditions",
            action="store_false",
            dest="renditions",
            help="Do not make the images' renditions now: visitors' requests make them "
            "(`make_renditions` makes them later). For large loads.",
        )

    def handle(
        self,
        *args,
        products: int,
        batch_size: int,
        workers: int | None,
        renditions: bool,
        **options,
    ):
        if not 0 <= products <= MAX_PRODUCTS:
            raise CommandError(f"--products must be between 0 and {MAX_PRODUCTS}.")
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        if workers is not None and workers < 0:
            raise CommandError("--workers cannot be negative.")
        verbose = options["verbosity"] > 0
        try:
            result = load_demo(
                products,
                batch_size=batch_size,
                workers=workers,
                renditions=renditions,
                log=self.stdout.write if verbose else lambda message: None,
            )
        except DemoDataError as error:
            raise CommandError(error) from error
        # Rows were bulk-written (some without save signals): no kept page is current.
        bump_generation()
        if verbose:
            self.report(result)
        try:
            require_complete(result.search)
        except IncompleteSearch as error:
            raise CommandError(f"The demo data is loaded. {error}") from error

    def report(self, result) -> None:
        created = ", ".join(f"{count} {name}" for name, count in result.created.items() if count)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready in {result.seconds:.1f} s"
                + (f"; created {created}." if created else "; nothing to add.")
            )
        )
        for check in result.search:
            self.stdout.write(f"Catalogue search. {check.describe()}.")
        self.stdout.write(
            "Wagtail's admin search and reference index hold every demo page and image"
            + (
                f" ({result.wagtail_indexes_completed} added from an earlier load)."
                if result.wagtail_indexes_completed
                else "."
            )
        )
