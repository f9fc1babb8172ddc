"""Uploaded files: public ones (pictures) and private ones (documents), on local folders
or, when S3_BUCKET is set, in S3-compatible object storage. This module decides which is
which, by name, for either.

The default storage (settings.STORAGES) is `MediaStorage`: it hands each name to the
storage STORAGES names PUBLIC_MEDIA or PRIVATE_MEDIA, by its top-level folder. Pictures
(Wagtail's original_images/ and their renditions in images/) are public: under
MEDIA_ROOT, served as plain files at MEDIA_URL, or in the public bucket at its address
(or a CDN's, S3_CUSTOM_DOMAIN). The files of the folders in PRIVATE_FOLDERS, Wagtail's
documents/, are private: under PRIVATE_MEDIA_ROOT, or in the private bucket (never
public-read), and have no URL in either: only Wagtail's document view serves them, after
checking who asks (marketplace.certificates.documents), streamed through Django (or
handed to the web server by django-sendfile2 for local files). A web server that serves
MEDIA_ROOT at /media/ cannot reach them, and the local media server refuses those names
too (`is_private`).

File names are the same in either place ("documents/scan.pdf"), so moving the files
(`move_private_files`, run by base migration 0006; copying folders into buckets) changes
no database row. `media_storages` writes STORAGES' two entries from the environment.
"""

import filecmp
import os
import posixpath
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property

# Top-level folders of the default storage whose files are private: Wagtail's
# documents (AbstractDocument.file's upload_to).
PRIVATE_FOLDERS = ("documents",)
# STORAGES' names of the storages MediaStorage hands names to.
PUBLIC_MEDIA = "public_media"
PRIVATE_MEDIA = "private_media"
# Pictures keep their name for life (a changed picture is a new upload, a new name; a
# rendition's name holds its spec): browsers and a CDN may keep them a long time.
PUBLIC_CACHE_CONTROL = "public, max-age=604800"
# The signing region when S3_REGION is not set: AWS's first, the one most S3-compatible
# servers (MinIO, Ceph, moto) expect.
DEFAULT_REGION = "us-east-1"


def is_private(name: str) -> bool:
    """Whether a storage name or a /media/ path is in a private folder; normalised as
    django.views.static.serve does, so "./documents/x" and "images/../documents/x" count."""
    normalised = posixpath.normpath(name.replace("\\", "/")).lstrip("/")
    return normalised.split("/", 1)[0] in PRIVATE_FOLDERS


class PrivateStorage(FileSystemStorage):
    """Files under PRIVATE_MEDIA_ROOT: no URL, so nothing can link them directly (Wagtail's
    document view falls back on itself when a storage has none)."""

    @cached_property
    def base_location(self) -> str:
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    def _clear_cached_properties(self, setting: str, **kwargs) -> None:
        # Follows tests' overrides of PRIVATE_MEDIA_ROOT, as Django's does MEDIA_ROOT.
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name: str | None) -> str:
        raise NotImplementedError("Private files have no URL: link the view that serves them.")


@deconstructible(path="marketplace.core.media_storage.MediaStorage")
class MediaStorage(Storage):
    """The default storage: each name goes to STORAGES' PUBLIC_MEDIA or PRIVATE_MEDIA
    storage, by its top-level folder. Looked up on each use: Django makes them again when
    a test overrides STORAGES, and the file system ones follow overrides of their roots."""

    def _storage(self, name: str) -> Storage:
        return storages[PRIVATE_MEDIA if is_private(name) else PUBLIC_MEDIA]

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


@dataclass(frozen=True)
class ObjectStorage:
    """S3-compatible object storage, from the S3_* environment variables (docs/deploy.md):
    pictures in `bucket`, readable by anyone; documents in `private_bucket`, never."""

    bucket: str
    private_bucket: str
    endpoint_url: str = ""  # empty: AWS
    region: str = ""
    custom_domain: str = ""  # a CDN in front of the public bucket

    def __post_init__(self) -> None:
        if not self.private_bucket:
            raise ImproperlyConfigured(
                "S3_BUCKET is set but S3_PRIVATE_BUCKET is not: documents (certificate "
                "scans) need a bucket of their own that is never public."
            )
        if self.private_bucket == self.bucket:
            raise ImproperlyConfigured(
                f"S3_PRIVATE_BUCKET is S3_BUCKET ({self.bucket}): the public bucket is "
                "readable by anyone, so documents need another one."
            )
        if self.endpoint_url and urlsplit(self.endpoint_url).scheme not in ("http", "https"):
            raise ImproperlyConfigured(
                f"S3_ENDPOINT_URL is {self.endpoint_url!r}: an http:// or https:// address, "
                "e.g. https://s3.example.org."
            )

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> "ObjectStorage | None":
        """The object storage S3_BUCKET names, or None (local folders)."""

        def value(name: str) -> str:
            return environ.get(name, "").strip()

        if not value("S3_BUCKET"):
            return None
        return cls(
            bucket=value("S3_BUCKET"),
            private_bucket=value("S3_PRIVATE_BUCKET"),
            endpoint_url=value("S3_ENDPOINT_URL"),
            region=value("S3_REGION"),
            custom_domain=value("S3_CUSTOM_DOMAIN"),
        )

    @property
    def public_base_url(self) -> str:
        """Where the public bucket's files are read, ending with "/": the CDN, else the
        endpoint's address of the bucket (path style), else AWS's."""
        if self.custom_domain:
            domain = self.custom_domain
            return f"{domain if '://' in domain else 'https://' + domain}".rstrip("/") + "/"
        if self.endpoint_url:
            return f"{self.endpoint_url.rstrip('/')}/{self.bucket}/"
        return f"https://{self.bucket}.s3.{self.region or DEFAULT_REGION}.amazonaws.com/"

    @property
    def public_origin(self) -> str:
        """The public files' origin, for the Content-Security-Policy's img-src."""
        address = urlsplit(self.public_base_url)
        return f"{address.scheme}://{address.netloc}"

    def storages(self) -> dict[str, dict]:
        address = urlsplit(self.public_base_url)
        shared = {
            "endpoint_url": self.endpoint_url or None,
            "region_name": self.region or DEFAULT_REGION,
            # S3-compatible servers (MinIO, Ceph, R2, moto) all take path-style requests;
            # virtual hosts need DNS for each bucket.
            "addressing_style": "path" if self.endpoint_url else None,
            "signature_version": "s3v4",
            # A second upload of "photo.jpg" gets a name of its own, as on local folders,
            # instead of replacing the first one's file.
            "file_overwrite": False,
            # No ACL: the buckets' own policies say who reads (providers that disable
            # ACLs refuse uploads that carry one).
            "default_acl": None,
        }
        return {
            PUBLIC_MEDIA: {
                "BACKEND": "marketplace.core.s3_storage.PublicS3Storage",
                "OPTIONS": {
                    **shared,
                    "bucket_name": self.bucket,
                    # Plain addresses, built from public_base_url, never signed.
                    "querystring_auth": False,
                    "url_protocol": f"{address.scheme}:",
                    "custom_domain": f"{address.netloc}{address.path}".rstrip("/"),
                    "object_parameters": {"CacheControl": PUBLIC_CACHE_CONTROL},
                },
            },
            PRIVATE_MEDIA: {
                "BACKEND": "marketplace.core.s3_storage.PrivateS3Storage",
                "OPTIONS": {**shared, "bucket_name": self.private_bucket},
            },
        }


def media_storages(object_storage: ObjectStorage | None) -> dict[str, dict]:
    """STORAGES' PUBLIC_MEDIA and PRIVATE_MEDIA entries: the buckets of `object_storage`,
    or MEDIA_ROOT and PRIVATE_MEDIA_ROOT when it is None."""
    if object_storage is not None:
        return object_storage.storages()
    return {
        PUBLIC_MEDIA: {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        PRIVATE_MEDIA: {"BACKEND": "marketplace.core.media_storage.PrivateStorage"},
    }


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
