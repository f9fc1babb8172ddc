"""Uploaded files: public ones under MEDIA_ROOT, private ones under PRIVATE_MEDIA_ROOT.

The default storage (settings.STORAGES) keeps pictures (Wagtail's original_images/ and
their renditions in images/) under MEDIA_ROOT, served as plain files at MEDIA_URL. The
files of the folders in PRIVATE_FOLDERS, Wagtail's documents/, live under
PRIVATE_MEDIA_ROOT instead and have no URL: only Wagtail's document view serves them,
after checking who asks (marketplace.certificates.documents). A web server that serves
MEDIA_ROOT at /media/ cannot reach them, and the local media server refuses those names
too (`is_private`).

File names are the same under either root ("documents/scan.pdf"), so moving the files
(`move_private_files`, run by base migration 0006) changes no database row.
"""

import filecmp
import os
import posixpath
import shutil
from pathlib import Path

from django.conf import settings
from django.core import checks
from django.core.files.storage import FileSystemStorage, Storage
from django.utils.deconstruct import deconstructible

# Top-level folders of the default storage whose files are private: Wagtail's
# documents (AbstractDocument.file's upload_to).
PRIVATE_FOLDERS = ("documents",)


def is_private(name: str) -> bool:
    """Whether a storage name or a /media/ path is in a private folder; normalised as
    django.views.static.serve does, so "./documents/x" and "images/../documents/x" count."""
    normalised = posixpath.normpath(name.replace("\\", "/")).lstrip("/")
    return normalised.split("/", 1)[0] in PRIVATE_FOLDERS


class PrivateStorage(FileSystemStorage):
    """Files under PRIVATE_MEDIA_ROOT: no URL, so nothing can link them directly (Wagtail's
    document view falls back on itself when a storage has none)."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("location", settings.PRIVATE_MEDIA_ROOT)
        super().__init__(**kwargs)

    def url(self, name: str | None) -> str:
        raise NotImplementedError("Private files have no URL: link the view that serves them.")


@deconstructible(path="marketplace.core.media_storage.MediaStorage")
class MediaStorage(Storage):
    """The default storage: each name goes to the public or the private file system
    storage, by its top-level folder. Both are built from the settings on each use, so
    tests' overrides of the roots apply."""

    def _storage(self, name: str) -> FileSystemStorage:
        return PrivateStorage() if is_private(name) else FileSystemStorage()

    def _open(self, name, mode="rb"):
        return self._storage(name)._open(name, mode)

    def _save(self, name, content):
        return self._storage(name)._save(name, content)

    def path(self, name):
        return self._storage(name).path(name)

    def delete(self, name):
        return self._storage(name).delete(name)

    def exists(self, name):
        return self._storage(name).exists(name)

    def listdir(self, path):
        return self._storage(path).listdir(path)

    def size(self, name):
        return self._storage(name).size(name)

    def url(self, name):
        return self._storage(name or "").url(name)

    def get_accessed_time(self, name):
        return self._storage(name).get_accessed_time(name)

    def get_created_time(self, name):
        return self._storage(name).get_created_time(name)

    def get_modified_time(self, name):
        return self._storage(name).get_modified_time(name)


def move_private_files(source_root: str | os.PathLike, target_root: str | os.PathLike) -> list[str]:
    """Move the private folders' files from one root to the other, names unchanged.

    Returns the names left in place because a different file already has that name at the
    target (an identical one just loses its duplicate). Running it again moves nothing.
    """
    source_root, target_root = Path(source_root), Path(target_root)
    if source_root.resolve() == target_root.resolve():
        return []
    left = []
    for folder in PRIVATE_FOLDERS:
        source_folder = source_root / folder
        if not source_folder.is_dir():
            continue
        for source in sorted(path for path in source_folder.rglob("*") if path.is_file()):
            name = source.relative_to(source_root).as_posix()
            target = target_root / name
            if target.exists():
                if filecmp.cmp(source, target, shallow=False):
                    source.unlink()
                else:
                    left.append(name)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(source, target)
        # Empty folders only: a folder with a file left in it stays.
        for directory in sorted(source_folder.rglob("*"), reverse=True) + [source_folder]:
            if directory.is_dir() and not any(directory.iterdir()):
                directory.rmdir()
    return left


def check_private_media_root(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """PRIVATE_MEDIA_ROOT must not be inside a folder a web server serves as it is."""
    private = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    errors = []
    for setting in ("MEDIA_ROOT", "STATIC_ROOT"):
        served = getattr(settings, setting, None)
        if served and private.is_relative_to(Path(served).resolve()):
            errors.append(
                checks.Error(
                    f"PRIVATE_MEDIA_ROOT ({private}) is inside {setting} ({served}): a web "
                    "server serving that folder would hand out private documents.",
                    hint="Set PRIVATE_MEDIA_ROOT to a folder outside MEDIA_ROOT and "
                    "STATIC_ROOT (the default is $VAR_DIR/private).",
                    id="core.E001",
                )
            )
    return errors
