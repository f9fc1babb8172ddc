"""The page cache's file backend culls its directory without listing it on every write."""

from marketplace.core.file_cache import CULL_EVERY, PageFileCache


class CountingListings(PageFileCache):
    listings = 0

    def _list_cache_files(self):
        type(self).listings += 1
        return super()._list_cache_files()


def test_the_directory_is_listed_once_every_so_many_writes_and_stays_bounded(tmp_path):
    options = {"MAX_ENTRIES": 4 * CULL_EVERY, "CULL_FREQUENCY": 2}
    cache = CountingListings(str(tmp_path), {"OPTIONS": options})
    for number in range(20 * CULL_EVERY):
        cache.set(f"page-{number}", b"<html>" * 10)

    assert CountingListings.listings == 20  # not 20 * CULL_EVERY
    assert len(list(tmp_path.glob("*.djcache"))) <= 5 * CULL_EVERY  # culled all the same
    assert cache.get(f"page-{20 * CULL_EVERY - 1}") == b"<html>" * 10  # the newest kept
