"""Time `manage.py catalogue import` of 5 000 products (and 100 producers) on a fresh database.

    .venv/bin/python bench/catalogue_import.py                 # a temporary SQLite file
    DATABASE_URL=postgres://user@host/db .venv/bin/python bench/catalogue_import.py
    ELASTICSEARCH_URL=http://127.0.0.1:9200 .venv/bin/python bench/catalogue_import.py

Issue 5's target: 5 000 product rows with ~100 producers import in under 2 minutes on
the 2-core machine, Django's start-up included. Every product has an OCOP certificate;
a third are seasonal. Then checks what was written, re-imports the file (everything
must be unchanged) and times that too.

Options: --products N (5000), --producers N (100), --keep (keep database and file).
With DATABASE_URL a temporary database is created beside the given one (as
bench/load_demo.py does) and dropped afterwards. With ELASTICSEARCH_URL the catalogue
search index is updated too, under a temporary index prefix.
"""

import argparse
import datetime
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 120
TARGET_PRODUCTS = 5000
LOCALITIES = [("dien-duong", "Điện Dương"), ("dien-ngoc", "Điện Ngọc"), ("dien-nam", "Điện Nam")]
CATEGORIES = ["thuc-pham", "do-uong", "duoc-lieu", "thu-cong-my-nghe"]
WORDS = "Nước mắm Bánh tráng Chiếu cói Gốm Thanh Hà Rượu Trà thảo mộc Mật ong Nón lá".split()


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=TARGET_PRODUCTS)
    parser.add_argument("--producers", type=int, default=100)
    parser.add_argument("--keep", action="store_true")
    return parser.parse_args()


def setup(scratch: Path) -> tuple[str, object]:
    """A fresh database (SQLite in `scratch`, or beside DATABASE_URL's PostgreSQL)."""
    sys.path.insert(0, str(BASE_DIR))
    from bench.common import scratch_database

    url, drop = scratch_database(scratch)
    os.environ.update(
        DATABASE_URL=url,
        MEDIA_ROOT=str(scratch / "media"),
        DEBUG="0",
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="marketplace.settings.dev",
        ELASTICSEARCH_INDEX_PREFIX=f"bench-import-{os.getpid()}",
    )
    import django

    django.setup()
    return url, drop


def prepare_database() -> None:
    from django.core.management import call_command
    from wagtail.models import Locale

    from marketplace.base.structure import ensure_site_structure
    from producers.models import Locality

    call_command("migrate", verbosity=0)
    ensure_site_structure()
    vi = Locale.objects.get(language_code="vi")
    for order, (slug, name) in enumerate(LOCALITIES):
        Locality.objects.get_or_create(
            slug=slug, locale=vi, defaults={"name": name, "kind": "ward", "display_order": order}
        )
    if os.environ.get("ELASTICSEARCH_URL"):
        call_command("search_index", "rebuild", verbosity=0)


def write_file(path: Path, producers: int, products: int) -> None:
    from openpyxl import Workbook

    from marketplace.office.bulk.columns import COLUMNS

    rng = random.Random(2026)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "producers"
    sheet.append([column.name for column in COLUMNS["producers"]])
    for n in range(1, producers + 1):
        row = {
            "external_id": f"P{n:04d}",
            "title": f"HTX {rng.choice(WORDS)} {n}",
            "legal_form": "cooperative",
            "locality": rng.choice(LOCALITIES)[0],
            "address": f"Thôn {n % 9 + 1}",
            "phone": f"0905 {n:03d} 456",
        }
        sheet.append([row.get(column.name) for column in COLUMNS["producers"]])
    sheet = workbook.create_sheet("products")
    sheet.append([column.name for column in COLUMNS["products"]])
    for n in range(1, products + 1):
        stars = rng.choice((3, 4, 5))
        seasonal = n % 3 == 0
        row = {
            "external_id": f"SP{n:05d}",
            "producer_external_id": f"P{n % producers + 1:04d}",
            "title": f"{rng.choice(WORDS)} {rng.choice(WORDS)} số {n}",
            "category": rng.choice(CATEGORIES),
            "short_description": f"Sản phẩm OCOP số {n} của Điện Bàn.",
            "price_vnd": rng.randrange(20, 900) * 1000,
            "unit": "hộp",
            "availability": "seasonal" if seasonal else "in_stock",
            "season_months": "6, 7, 8" if seasonal else None,
            "ocop_stars": stars,
            "ocop_decision_number": f"{n}/QĐ-UBND",
            "ocop_issuing_level": "central" if stars == 5 else "province",
            "ocop_issuing_body": "UBND tỉnh Quảng Nam",
            "ocop_issue_date": datetime.date(2024, 1 + n % 12, 1 + n % 28),
        }
        sheet.append([row.get(column.name) for column in COLUMNS["products"]])
    workbook.save(path)


def time_import(path: Path) -> tuple[float, float, str]:
    """Seconds `manage.py catalogue import` takes, Django's start-up included, and the
    CPU seconds it used (on a busy machine these tell more than the wall clock)."""
    cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "manage.py", "catalogue", "import", str(path)],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
    )
    seconds = time.monotonic() - started
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_seconds = used.ru_utime + used.ru_stime - cpu.ru_utime - cpu.ru_stime
    if result.returncode:
        print(result.stderr[-3000:])
        raise SystemExit(f"The import failed (exit status {result.returncode}).")
    return seconds, cpu_seconds, result.stdout.strip().splitlines()[0]


def check(producers: int, products: int) -> list[str]:
    from wagtail.models import Page

    from marketplace.certificates.models import OcopCertificate
    from producers.models import ProducerPage
    from products.models import ProductPage
    from search.models import ProductSearchEntry

    problems = []
    live = ProductPage.objects.live().count()
    if live != products:
        problems.append(f"{live} live products, expected {products}")
    if ProducerPage.objects.live().count() != producers:
        problems.append("producers missing")
    if OcopCertificate.objects.exclude(status="pending").exists():
        problems.append("imported certificates must be pending")
    if OcopCertificate.objects.count() != products:
        problems.append("certificates missing")
    if ProductSearchEntry.objects.count() != products:
        problems.append(f"{ProductSearchEntry.objects.count()} search entries, expected {products}")
    if any(Page.find_problems()):
        problems.append("page tree problems")
    return problems


def drop_indices() -> None:
    """The bench's own indices (its unique prefix), named one by one: ES refuses wildcards."""
    from search.backends.elasticsearch import connection

    client = connection.get_client(indexing=True)
    prefix = os.environ["ELASTICSEARCH_INDEX_PREFIX"]
    names = list(client.indices.get(index=f"{prefix}-*", ignore_unavailable=True))
    if names:
        client.indices.delete(index=",".join(names))


def main() -> int:
    args = parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="chocop-bench-import-"))
    url, drop = setup(scratch)
    from django.db import connections

    try:
        prepare_database()
        path = scratch / "catalogue.xlsx"
        write_file(path, args.producers, args.products)
        connections.close_all()
        seconds, cpu, summary = time_import(path)
        problems = check(args.producers, args.products)
        again, again_cpu, unchanged = time_import(path)
        target = TARGET_SECONDS * args.products / TARGET_PRODUCTS
        print(f"Database: {connections['default'].vendor}; file: {path}")
        print(f"import of {args.products} products, {args.producers} producers: {summary}")
        print(
            f"  {seconds:.1f} s (CPU {cpu:.1f} s), {args.products / seconds:.0f} products/s;"
            f" target {target:.0f} s: {'PASS' if seconds <= target else 'FAIL'}"
        )
        print(f"re-import of the same file: {unchanged} in {again:.1f} s (CPU {again_cpu:.1f} s)")
        print(f"load average (1, 5, 15 min): {' '.join(f'{v:.1f}' for v in os.getloadavg())}")
        for problem in problems:
            print(f"FAILED: {problem}")
        return 0 if seconds <= target and not problems else 1
    finally:
        connections.close_all()
        if os.environ.get("ELASTICSEARCH_URL") and not args.keep:
            drop_indices()
        if args.keep:
            print(f"Kept {url} and {scratch}")
        else:
            if drop:
                drop()
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
