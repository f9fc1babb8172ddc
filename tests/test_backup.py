"""scripts/backup and scripts/restore: a small catalogue backed up, restored into an empty
PostgreSQL database and new media folders, and the refusals that protect a live site."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from marketplace.base.backup import BackupError, backup, restore
from products.models import ProductPage
from tests.factories import make_document, make_producer, make_product
from tests.worker_process import database_url

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def admin_connection() -> psycopg.Connection:
    database = connection.settings_dict
    return psycopg.connect(
        dbname="postgres",
        user=database["USER"],
        password=database["PASSWORD"],
        host=database["HOST"] or "127.0.0.1",
        port=database["PORT"] or 5432,
        autocommit=True,
    )


@pytest.fixture
def empty_database() -> str:
    """A new, empty PostgreSQL database's name, dropped after the test."""
    name = f"chocop_restore_{uuid.uuid4().hex[:10]}"
    with admin_connection() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield name
    with admin_connection() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def script(
    name: str, *arguments: str, run_first: str = "", **environment: str
) -> subprocess.CompletedProcess[str]:
    """scripts/<name> with these arguments and environment; `run_first`: manage.py
    commands (joined by &&) run before it, in the same environment."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "marketplace.settings.dev",
        "DEBUG": "0",
        "ELASTICSEARCH_URL": "",
        **environment,
    }
    command = [str(REPO / "scripts" / name), *arguments]
    if run_first:
        first = " && ".join(f"{PYTHON} manage.py {step.strip()}" for step in run_first.split("&&"))
        command = ["bash", "-c", f'{first} && "$0" "$@"', *command]
    return subprocess.run(
        command,
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def catalogue(site) -> ProductPage:
    producer = make_producer(site.producers, name="HTX Gốm Thanh Hà")
    product = make_product(producer, title="Bình gốm Thanh Hà", stars=4)
    product.scan = make_document(title="Quyết định công nhận OCOP")
    return product


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_comes_back_whole_in_an_empty_database(
    postgresql, catalogue, settings, tmp_path, empty_database
):
    folder = tmp_path / "backup"
    manifest = backup(folder)
    assert manifest["counts"]["products.ProductPage"] == ProductPage.objects.count() > 0
    in_folders = {
        part: sum(1 for file in Path(root).rglob("*") if file.is_file())
        for part, root in (
            ("media.tar.gz", settings.MEDIA_ROOT),
            ("private.tar.gz", settings.PRIVATE_MEDIA_ROOT),
        )
    }
    assert manifest["files"] == in_folders
    image = catalogue.gallery_images.first().image
    media, private = tmp_path / "media", tmp_path / "private"

    restored = script(
        "restore",
        str(folder),
        DATABASE_URL=database_url(empty_database),
        VAR_DIR=str(tmp_path / "var"),
        MEDIA_ROOT=str(media),
        PRIVATE_MEDIA_ROOT=str(private),
    )

    assert restored.returncode == 0, restored.stderr
    counts = ", ".join(f"{label} {count}" for label, count in manifest["counts"].items())
    assert f"Restored: {counts}" in restored.stdout
    with psycopg.connect(database_url(empty_database)) as restored_db:
        titles = restored_db.execute(
            "SELECT title FROM wagtailcore_page p JOIN products_productpage x "
            "ON x.page_ptr_id = p.id"
        ).fetchall()
        entries = restored_db.execute("SELECT count(*) FROM search_productsearchentry").fetchone()[
            0
        ]
    assert titles == [("Bình gốm Thanh Hà",)]
    assert entries > 0  # the search's entries rebuilt from the restored pages
    assert (media / image.file.name).read_bytes() == Path(image.file.path).read_bytes()
    scan = catalogue.scan.file
    assert (private / scan.name).read_bytes() == Path(scan.path).read_bytes() == b"%PDF-1.4 scan"
    assert json.loads((folder / "manifest.json").read_text())["counts"] == manifest["counts"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_restore_refuses_a_database_with_data_and_a_changed_part(postgresql, catalogue, tmp_path):
    folder = tmp_path / "backup"
    backup(folder)
    before = ProductPage.objects.count()

    with pytest.raises(BackupError, match=r"holds data.*--replace"):
        restore(folder)
    assert ProductPage.objects.count() == before

    with (folder / "media.tar.gz").open("ab") as archive:
        archive.write(b"\0")
    with pytest.raises(BackupError, match=r"media\.tar\.gz is missing or not the file backed up"):
        restore(folder, replace=True)
    assert ProductPage.objects.count() == before

    with pytest.raises(BackupError, match="not empty"):
        backup(folder)


def test_the_scripts_say_what_is_wrong(tmp_path):
    refused = script("restore", str(tmp_path / "nowhere"))
    assert refused.returncode == 1
    assert "no readable manifest" in refused.stderr


def test_the_embedded_sqlite_database_of_make_run_comes_back_too(tmp_path):
    """`make run`'s default: SQLite under VAR_DIR, backed up with SQLite's online backup."""
    made = script(
        "backup",
        str(tmp_path / "backup"),
        VAR_DIR=str(tmp_path / "site"),
        DATABASE_URL="",
        run_first="migrate --verbosity 0 && load_demo --products 4 --no-renditions",
    )
    assert made.returncode == 0, made.stderr
    assert (tmp_path / "backup" / "database.sqlite3").is_file()
    counts = made.stdout.split("Backed up: ", 1)[1].split(";")[0]
    assert "products.ProductPage 0" not in counts

    restored = script(
        "restore", str(tmp_path / "backup"), VAR_DIR=str(tmp_path / "new"), DATABASE_URL=""
    )

    assert restored.returncode == 0, restored.stderr
    assert f"Restored: {counts};" in restored.stdout
    originals = tmp_path / "new" / "media" / "original_images"
    assert sorted(p.name for p in originals.iterdir()) == sorted(
        p.name for p in (tmp_path / "site" / "media" / "original_images").iterdir()
    )
