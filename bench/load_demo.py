"""Time `load_demo --products 20000` on a fresh database and check what it made (pages,
pictures, certificates, the page tree, and every index: the catalogue search entries,
Wagtail's search and reference indexes).

    .venv/bin/python bench/load_demo.py                 # a temporary SQLite file
    DATABASE_URL=postgres://user@host/db .venv/bin/python bench/load_demo.py

With DATABASE_URL, a temporary database is created next to the given one (the role
needs CREATEDB) and dropped afterwards. Pictures go to a temporary MEDIA_ROOT.
Options: --products N (default 20000), --workers N, --keep (keep database and media).
"""

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench.common import scratch_database  # noqa: E402

TIME_LIMIT = 600  # seconds for 20 000 products, on SQLite and on PostgreSQL


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the database and media")
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="chocop-bench-"))
    url, drop_database = scratch_database(scratch)
    os.environ.update(
        DATABASE_URL=url,
        MEDIA_ROOT=str(scratch / "media"),
        DEBUG="0",  # no query log
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="marketplace.settings.dev",
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    engine = connections["default"].vendor
    print(f"Database: {engine}; media: {scratch / 'media'}")
    try:
        call_command("migrate", verbosity=0)
        started, cpu = time.monotonic(), time.process_time()
        # The loader alone: renditions of 20 000 products are `make_renditions`' work.
        call_command("load_demo", products=args.products, workers=args.workers, renditions=False)
        seconds = time.monotonic() - started
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu_seconds = time.process_time() - cpu + children.ru_utime + children.ru_stime
        print(
            f"{args.products} products in {seconds:.1f} s: "
            f"{args.products / seconds:.0f} products/s "
            f"(CPU {cpu_seconds:.0f} s, load average {os.getloadavg()[0]:.1f})"
        )
        problems = check(args.products)
        for problem in problems:
            print(f"FAILED: {problem}")
        if not problems:
            print("Checks passed: counts, pictures, certificates, page tree, indexes.")
        if seconds > TIME_LIMIT * args.products / 20_000:
            print(f"SLOW: over the budget of {TIME_LIMIT} s per 20 000 products")
        return 1 if problems else 0
    finally:
        connections.close_all()
        if not args.keep:
            if drop_database:
                drop_database()
            shutil.rmtree(scratch, ignore_errors=True)
        else:
            print(f"Kept {url} and {scratch}")


def check(products: int) -> list[str]:
    from wagtail.models import Page

    from marketplace.certificates.models import OcopCertificate
    from marketplace.core.models import CustomImage
    from marketplace.core.page_writer import missing_from_wagtail_indexes
    from producers.models import ProducerPage
    from products.models import ProductPage
    from search.models import ProductSearchEntry

    problems = []
    for language in ("vi", "en"):
        count = ProductPage.objects.filter(locale__language_code=language).count()
        if count != products:
            problems.append(f"{count} {language} products, expected {products}")
        count = ProducerPage.objects.filter(locale__language_code=language).count()
        if count < 40:
            problems.append(f"only {count} {language} producers")
    if ProductPage.objects.filter(gallery_images=None).exists():
        problems.append("products without pictures")
    if not OcopCertificate.objects.exists():
        problems.append("no OCOP certificates")
    if any(Page.find_problems()):
        problems.append(f"page tree problems: {Page.find_problems()}")
    entries = ProductSearchEntry.objects.count()
    if entries != 2 * products:
        problems.append(f"{entries} catalogue search entries, expected {2 * products}")
    for model in (ProductPage, ProducerPage, CustomImage):
        if missing := missing_from_wagtail_indexes(model):
            problems.append(f"{len(missing)} {model.__name__} missing from Wagtail's indexes")
    return problems


if __name__ == "__main__":
    sys.exit(main())
