"""The "pages" cache's backend: Django's file cache, counting its files less often and
keeping the shared fragments of pages in each process's memory too.

Django's FileBasedCache lists its whole directory on every write, to cull it once it
holds MAX_ENTRIES files: with a few thousand kept pages, a glob of thousands of names
for each page or fragment kept, growing with the catalogue. Here a process counts them
on every CULL_EVERY-th write only, so the directory may exceed MAX_ENTRIES by that many
writes per process before it is culled. Culling spares the keys in NEVER_CULLED: the
page cache's generation names every kept page, and a random cull that took it dropped
them all (and what each process keeps while the content is unchanged) at once.

Whole pages are kept in each process too, up to PAGE_MEMORY_BYTES, each with the identity
of the file it was read from (inode, time, size): a hit costs a stat, not an open, a
decompression and an unpickling of some 60 KB, and a page another process wrote again or a
cull deleted is read again or missed, as from the files.

A page the whole-page cache cannot answer reads a fragment per card from here: a file
opened, decompressed and unpickled each time. Fragments (`{% cache %}`'s keys) are also
kept in the process, with the same expiry, up to FRAGMENT_MEMORY_BYTES. Their keys hold
the content's version (page_cache.shared_fragment), so a change never finds an old one.
"""

import os
import pickle
import time
import zlib

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache

from marketplace.core.page_cache import GENERATION_KEY

CULL_EVERY = 50
NEVER_CULLED = (GENERATION_KEY,)
FRAGMENT_PREFIX = "template.cache."  # django.core.cache.utils.make_template_fragment_key
FRAGMENT_MEMORY_BYTES = 16 * 1024 * 1024  # per process; then it starts again
PAGE_MEMORY_BYTES = 8 * 1024 * 1024  # likewise, for whole pages read from the files

_MISSING = object()


class PageFileCache(FileBasedCache):
    def __init__(self, dir: str, params: dict) -> None:
        super().__init__(dir, params)
        self._writes = 0
        self._culling = False
        self._fragments: dict[tuple, tuple[object, float | None]] = {}
        # file name: (identity, value, expiry, size); the generation's, then pages'
        self._by_identity: dict[str, tuple[tuple, object, float | None, int]] = {}
        self._fragment_bytes = 0
        self._page_bytes = 0

    def _cull(self) -> None:
        self._writes += 1
        if self._writes % CULL_EVERY == 1:  # the first write of a process counts too
            self._culling = True
            try:
                super()._cull()
            finally:
                self._culling = False

    def _list_cache_files(self) -> list[str]:
        files = super()._list_cache_files()
        if not self._culling:
            return files
        spared = {self._key_to_file(key) for key in NEVER_CULLED}
        return [name for name in files if name not in spared]

    def get(self, key, default=None, version=None):
        if key in NEVER_CULLED or not key.startswith(FRAGMENT_PREFIX):
            return self._get_by_file_identity(key, default, version)
        kept = self._fragments.get((key, version))
        if kept is not None and (kept[1] is None or kept[1] > time.time()):
            return kept[0]
        value = super().get(key, _MISSING, version)
        if value is _MISSING:
            return default
        # The file's own expiry is not read back: kept here as long as a new one is.
        self._keep_fragment(key, version, value, self.default_timeout)
        return value

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> None:
        super().set(key, value, timeout, version)
        if key.startswith(FRAGMENT_PREFIX):
            self._keep_fragment(key, version, value, timeout)

    def delete(self, key, version=None) -> bool:
        self._forget_fragment(key, version)
        return super().delete(key, version)

    def clear(self) -> None:
        self._fragments.clear()
        self._fragment_bytes = 0
        self._by_identity.clear()
        self._page_bytes = 0
        super().clear()

    def _get_by_file_identity(self, key, default, version):
        """The value of the file as this process read it, while the file is the same one
        (a write replaces the file: new inode and time) and unexpired; else read again."""
        name = self._key_to_file(key, version)
        try:
            stat = os.stat(name)
        except FileNotFoundError:
            return default
        known = self._by_identity.get(name)
        if known is not None and known[0] == _identity(stat):
            _same, value, expiry, _size = known
            if expiry is None or expiry > time.time():
                return value
        try:
            with open(name, "rb") as file:
                identity = _identity(os.fstat(file.fileno()))
                try:
                    expiry = pickle.load(file)
                except EOFError:
                    expiry = 0  # an empty file is expired, as in Django's _is_expired
                if expiry is not None and expiry < time.time():
                    file.close()
                    self._delete(name)
                    return default
                value = pickle.loads(zlib.decompress(file.read()))
        except FileNotFoundError:
            return default
        size = 0 if key in NEVER_CULLED else len(getattr(value, "content", b"")) + identity[2]
        self._keep_read(name, identity, value, expiry, size)
        return value

    def _keep_read(self, name, identity, value, expiry, size: int) -> None:
        """Size 0: the generation's, never dropped to make room."""
        known = self._by_identity.pop(name, None)
        if known is not None:
            self._page_bytes -= known[3]
        if self._page_bytes + size > PAGE_MEMORY_BYTES:  # start again, as fragments do
            kept = {n: v for n, v in self._by_identity.items() if not v[3]}
            self._by_identity, self._page_bytes = kept, 0
        self._by_identity[name] = (identity, value, expiry, size)
        self._page_bytes += size

    def _keep_fragment(self, key, version, value, timeout) -> None:
        self._forget_fragment(key, version)
        expiry = self.get_backend_timeout(timeout)
        if expiry is not None and expiry <= time.time():  # timeout 0: never kept
            return
        size = len(value) if isinstance(value, str) else 0
        if self._fragment_bytes + size > FRAGMENT_MEMORY_BYTES:
            self._fragments.clear()
            self._fragment_bytes = 0
        self._fragments[(key, version)] = (value, expiry)
        self._fragment_bytes += size

    def _forget_fragment(self, key, version) -> None:
        kept = self._fragments.pop((key, version), None)
        if kept is not None and isinstance(kept[0], str):
            self._fragment_bytes -= len(kept[0])


def _identity(stat: os.stat_result) -> tuple[int, int, int]:
    return (stat.st_ino, stat.st_mtime_ns, stat.st_size)
