"""The "pages" cache's backend: Django's file cache, counting its files less often.

Django's FileBasedCache lists its whole directory on every write, to cull it once it
holds MAX_ENTRIES files: with a few thousand kept pages, a glob of thousands of names
for each page or fragment kept, growing with the catalogue. Here a process counts them
on every CULL_EVERY-th write only, so the directory may exceed MAX_ENTRIES by that many
writes per process before it is culled.
"""

from django.core.cache.backends.filebased import FileBasedCache

CULL_EVERY = 50


class PageFileCache(FileBasedCache):
    def __init__(self, dir: str, params: dict) -> None:
        super().__init__(dir, params)
        self._writes = 0

    def _cull(self) -> None:
        self._writes += 1
        if self._writes % CULL_EVERY == 1:  # the first write of a process counts too
            super()._cull()
