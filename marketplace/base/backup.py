"""Backups of the site and their restore: the database and the files, in one folder.

A backup folder holds `database.dump` (PostgreSQL's custom format, from `pg_dump`) or
`database.sqlite3` (SQLite's online backup), `media.tar.gz` (pictures, renditions),
`private.tar.gz` (documents: certificate scans) and `manifest.json`: when, from which
database, each part's size and SHA-256, and the counts of the main records, which the
restore checks. The files are archived after the database is dumped, so that every file
the dump names is in the archive (files are added, not changed in place).

With object storage (S3_BUCKET: marketplace.core.media_storage) the archives hold the
buckets' objects instead, under the same names, read through the storage, and the restore
writes them back into the buckets the settings name, deleting objects the backup does not
hold, as it replaces the local folders: a backup of a site on local files restores into
buckets and the other way round.

The search index is not backed up: the restore rebuilds it from the database, which is
the source of truth, and drops every kept page.
"""

import datetime
import hashlib
import io
import json
import os
import posixpath
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.core.management import call_command
from django.db import connection

from marketplace.core.media_storage import PRIVATE_MEDIA, PUBLIC_MEDIA

MANIFEST = "manifest.json"
FORMAT = 1
# What the manifest counts, and the restore checks: the records users would miss.
COUNTED_MODELS = (
    "products.ProductPage",
    "producers.ProducerPage",
    "certificates.OcopCertificate",
    "inquiries.Inquiry",
    "reviews.Review",
    "core.CustomImage",
    "wagtaildocs.Document",
    "auth.User",
)
FILE_PARTS = {"media.tar.gz": "MEDIA_ROOT", "private.tar.gz": "PRIVATE_MEDIA_ROOT"}
# The storage (settings.STORAGES) of each part's files, used when it is not a local folder.
PART_STORAGES = {"media.tar.gz": PUBLIC_MEDIA, "private.tar.gz": PRIVATE_MEDIA}


class BackupError(Exception):
    """A backup or restore refused or failed, with what to do about it."""


@dataclass(frozen=True)
class Restored:
    counts: dict[str, int]
    files: dict[str, int]  # per part, the number of files put back


def record_counts() -> dict[str, int]:
    return {label: apps.get_model(label).objects.count() for label in COUNTED_MODELS}


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def postgresql_environment() -> dict[str, str]:
    """libpq's variables for the default database: the password never in a command line."""
    database = settings.DATABASES["default"]
    values = {
        "PGDATABASE": database["NAME"],
        "PGUSER": database.get("USER", ""),
        "PGPASSWORD": database.get("PASSWORD", ""),
        "PGHOST": database.get("HOST", ""),
        "PGPORT": str(database.get("PORT", "") or ""),
    }
    return {**os.environ, **{name: value for name, value in values.items() if value}}


def run_client(command: list[str]) -> None:
    """A PostgreSQL client program; its own message when it fails."""
    try:
        subprocess.run(
            command, env=postgresql_environment(), check=True, capture_output=True, text=True
        )
    except FileNotFoundError as error:
        raise BackupError(
            f"{command[0]} is not installed: it comes with PostgreSQL's client programs "
            "(Debian: postgresql-client), of the server's major version or later."
        ) from error
    except subprocess.CalledProcessError as error:
        raise BackupError(f"{command[0]} failed: {error.stderr.strip()}") from error


def dump_database(folder: Path) -> str:
    if connection.vendor == "postgresql":
        path = folder / "database.dump"
        run_client(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "-f", str(path)])
    elif connection.vendor == "sqlite":
        path = folder / "database.sqlite3"
        source = sqlite3.connect(settings.DATABASES["default"]["NAME"])
        target = sqlite3.connect(path)
        with target:
            source.backup(target)
        source.close()
        target.close()
    else:
        raise BackupError(f"no backup for a {connection.vendor} database")
    return path.name


def archive(root: Path, path: Path) -> int:
    """`root`'s files in a tar.gz; how many."""
    count = 0
    with tarfile.open(path, "w:gz") as tar:
        if root.is_dir():
            for file in sorted(root.rglob("*")):
                if file.is_file():
                    tar.add(file, arcname=str(file.relative_to(root)), recursive=False)
                    count += 1
    return count


def bucket_of(part: str) -> Storage | None:
    """The part's storage when its files are not in a local folder (object storage)."""
    storage = storages[PART_STORAGES[part]]
    return None if isinstance(storage, FileSystemStorage) else storage


def stored_names(storage: Storage, folder: str = "") -> list[str]:
    """Every file's name in `storage`, through its listdir (any storage, buckets too)."""
    folders, files = storage.listdir(folder)
    names = [posixpath.join(folder, name) for name in files]
    for name in folders:
        names += stored_names(storage, posixpath.join(folder, name))
    return names


def archive_storage(storage: Storage, path: Path) -> int:
    """`storage`'s files in a tar.gz, read one at a time; how many."""
    names = sorted(stored_names(storage))
    now = int(datetime.datetime.now().timestamp())
    with tarfile.open(path, "w:gz") as tar:
        for name in names:
            with storage.open(name) as file:
                content = file.read()
            member = tarfile.TarInfo(name)
            member.size, member.mtime = len(content), now
            tar.addfile(member, io.BytesIO(content))
    return len(names)


def archive_part(part: str, path: Path) -> int:
    storage = bucket_of(part)
    if storage is None:
        return archive(Path(getattr(settings, FILE_PARTS[part])), path)
    return archive_storage(storage, path)


def backup(folder: Path) -> dict:
    """Back the site up into `folder` (new, or empty); returns the manifest."""
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"{folder} is not empty: back up into a new folder")
    folder.mkdir(parents=True, exist_ok=True)
    counts = record_counts()
    database = dump_database(folder)
    files = {part: archive_part(part, folder / part) for part in FILE_PARTS}
    manifest = {
        "format": FORMAT,
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "database_vendor": connection.vendor,
        "counts": counts,
        "files": files,
        "parts": {
            name: {"bytes": (folder / name).stat().st_size, "sha256": sha256(folder / name)}
            for name in (database, *FILE_PARTS)
        },
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def read_manifest(folder: Path) -> dict:
    """The backup's manifest, once every part is checked against it."""
    path = Path(folder) / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError(f"{path}: no readable manifest ({error})") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path}: backup format {manifest.get('format')!r}, not {FORMAT}")
    for name, part in manifest["parts"].items():
        file = Path(folder) / name
        if (
            not file.is_file()
            or file.stat().st_size != part["bytes"]
            or sha256(file) != part["sha256"]
        ):
            raise BackupError(f"{file} is missing or not the file backed up: restore refused")
    return manifest


def holds_data() -> bool:
    """Whether the database has the site's tables with anything a user made in them."""
    if "wagtailcore_page" not in connection.introspection.table_names():
        return False
    return any(count for count in record_counts().values())


def restore_database(folder: Path, manifest: dict) -> None:
    if manifest["database_vendor"] != connection.vendor:
        raise BackupError(
            f"the backup is of a {manifest['database_vendor']} database, "
            f"this site's is {connection.vendor}"
        )
    if connection.vendor == "postgresql":
        connection.close()
        run_client(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",  # all of it or nothing
                "--exit-on-error",
                "--dbname",
                settings.DATABASES["default"]["NAME"],
                str(Path(folder) / "database.dump"),
            ]
        )
    else:
        connection.close()
        source = sqlite3.connect(Path(folder) / "database.sqlite3")
        target = sqlite3.connect(settings.DATABASES["default"]["NAME"])
        with target:
            source.backup(target)
        source.close()
        target.close()


def restore_files(archive_path: Path, root: Path) -> int:
    """The archive's files in place of `root`'s, swapped in once all are unpacked."""
    root.parent.mkdir(parents=True, exist_ok=True)
    unpacked = Path(tempfile.mkdtemp(prefix=f".{root.name}-restoring-", dir=root.parent))
    with tarfile.open(archive_path, "r:gz") as tar:
        members = [member for member in tar.getmembers() if member.isfile()]
        tar.extractall(unpacked, members=members, filter="data")  # no path outside it
    previous = root.with_name(f".{root.name}-before-restore")
    shutil.rmtree(previous, ignore_errors=True)
    if root.exists():
        root.rename(previous)
    unpacked.rename(root)
    shutil.rmtree(previous, ignore_errors=True)
    return len(members)


def restore_storage(archive_path: Path, storage: Storage) -> int:
    """The archive's files written into `storage` under their names, replacing any of the
    same name; then its files the archive does not hold deleted."""
    restored = set()
    with tarfile.open(archive_path, "r:gz") as tar:
        for member in tar.getmembers():
            if not member.isfile():
                continue
            # The checks of extractall(filter="data"): no absolute name, none outside.
            name = tarfile.data_filter(member, "/restore").name
            # Deleted first: a storage gives a taken name another one rather than replace it.
            storage.delete(name)
            saved = storage.save(name, File(tar.extractfile(member), name=name))
            if saved != name:
                raise BackupError(f"{name} was stored as {saved}: restore it again")
            restored.add(name)
    for name in stored_names(storage):
        if name not in restored:
            storage.delete(name)
    return len(restored)


def restore_part(part: str, archive_path: Path) -> int:
    storage = bucket_of(part)
    if storage is None:
        return restore_files(archive_path, Path(getattr(settings, FILE_PARTS[part])))
    return restore_storage(archive_path, storage)


def restore(folder: Path, replace: bool = False) -> Restored:
    """Put the backup in `folder` back: the database, the files, then the search index and
    the kept pages made again from them. Refused, before anything is changed, when a part
    does not match the manifest, or when the database holds data and `replace` is not
    given."""
    from marketplace.core.page_cache import bump_generation

    folder = Path(folder)
    manifest = read_manifest(folder)
    if holds_data() and not replace:
        raise BackupError(
            "this site's database holds data, which the restore would replace: "
            "add --replace to go on"
        )
    restore_database(folder, manifest)
    files = {part: restore_part(part, folder / part) for part in FILE_PARTS}
    # A backup of an older release: its migrations since then.
    call_command("migrate", interactive=False, verbosity=0)
    call_command("search_index", "rebuild", verbosity=0)
    bump_generation()
    counts = record_counts()
    if counts != manifest["counts"] or files != manifest["files"]:
        raise BackupError(
            f"restored {counts} and files {files}, the backup holds {manifest['counts']} "
            f"and files {manifest['files']}"
        )
    return Restored(counts, files)
