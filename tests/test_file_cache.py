"""The page cache's file backend: culls its directory without listing it on every write,
keeps fragments and pages read in the process while their files are the same."""

import time

from marketplace.core.file_cache import CULL_EVERY, PageFileCache
from marketplace.core.page_cache import GENERATION_KEY


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


def test_fragments_are_read_from_the_process_once_read_or_written(tmp_path):
    cache = PageFileCache(str(tmp_path), {})
    cache.set("template.cache.card.1", "<article>one</article>", 60)
    cache.set("page-cache:whole", "<html>", 60)
    for path in tmp_path.glob("*.djcache"):
        path.unlink()

    assert cache.get("template.cache.card.1") == "<article>one</article>"  # from memory
    assert cache.get("page-cache:whole") is None  # whole pages only from the files

    other_process = PageFileCache(str(tmp_path), {})
    other_process.set("template.cache.card.2", "<article>two</article>", 60)
    assert cache.get("template.cache.card.2") == "<article>two</article>"  # from the file
    for path in tmp_path.glob("*.djcache"):
        path.unlink()
    assert cache.get("template.cache.card.2") == "<article>two</article>"  # now kept


def test_a_fragment_kept_in_memory_expires_and_is_deleted_as_in_the_files(tmp_path):
    cache = PageFileCache(str(tmp_path), {})
    cache.set("template.cache.preview.1", "<p>draft</p>", 0)  # a preview's: never kept
    assert cache.get("template.cache.preview.1") is None

    cache.set("template.cache.card.1", "<article>", 60)
    cache._fragments[("template.cache.card.1", None)] = ("<article>", 1.0)  # long expired
    for path in tmp_path.glob("*.djcache"):
        path.unlink()
    assert cache.get("template.cache.card.1") is None

    cache.set("template.cache.card.3", "<article>", 60)
    cache.delete("template.cache.card.3")
    assert cache.get("template.cache.card.3") is None


def test_culling_never_takes_the_generation_that_names_every_kept_page(tmp_path):
    options = {"MAX_ENTRIES": 2 * CULL_EVERY, "CULL_FREQUENCY": 2}
    cache = PageFileCache(str(tmp_path), {"OPTIONS": options})
    cache.set(GENERATION_KEY, "g1", None)
    for number in range(40 * CULL_EVERY):  # dozens of culls, each taking half the files
        cache.set(f"page-{number}", b"<html>")

    assert len(list(tmp_path.glob("*.djcache"))) <= 3 * CULL_EVERY  # culled all the same
    assert cache.get(GENERATION_KEY) == "g1"


def test_the_generation_is_read_again_as_soon_as_another_process_writes_it(tmp_path):
    cache, other_process = PageFileCache(str(tmp_path), {}), PageFileCache(str(tmp_path), {})
    assert cache.get(GENERATION_KEY) is None
    other_process.set(GENERATION_KEY, "g1", None)
    assert cache.get(GENERATION_KEY) == "g1"
    for number in range(2, 6):  # a new file each time, however quickly
        other_process.set(GENERATION_KEY, f"g{number}", None)
        assert cache.get(GENERATION_KEY) == f"g{number}"
    other_process.delete(GENERATION_KEY)
    assert cache.get(GENERATION_KEY) is None


def test_a_whole_page_is_read_from_the_process_while_its_file_is_the_same(tmp_path, monkeypatch):
    import builtins

    from marketplace.core.page_cache import CachedPage

    cache, other_process = PageFileCache(str(tmp_path), {}), PageFileCache(str(tmp_path), {})
    page = CachedPage(content=b"<html>one", headers=(), replays=())
    other_process.set("page-cache:home", page, 60)
    assert cache.get("page-cache:home") == page
    opened = []
    real_open = builtins.open

    def counting_open(name, *args, **kwargs):
        opened.append(name)
        return real_open(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", counting_open)
    assert cache.get("page-cache:home") == page
    assert opened == []  # from memory: the file was not read again

    newer = CachedPage(content=b"<html>two", headers=(), replays=())
    other_process.set("page-cache:home", newer, 60)
    assert cache.get("page-cache:home") == newer  # another process wrote it again
    monkeypatch.undo()

    for path in tmp_path.glob("*.djcache"):
        path.unlink()  # culled
    assert cache.get("page-cache:home") is None


def test_a_page_kept_in_memory_expires_as_its_file_does(tmp_path, monkeypatch):
    from marketplace.core.page_cache import CachedPage

    cache = PageFileCache(str(tmp_path), {})
    cache.set("page-cache:home", CachedPage(b"<html>", (), ()), 60)
    assert cache.get("page-cache:home") is not None
    later = time.time() + 61
    monkeypatch.setattr(time, "time", lambda: later)
    assert cache.get("page-cache:home") is None
    assert not list(tmp_path.glob("*.djcache"))  # deleted, as Django's file cache does


def test_the_pages_kept_in_memory_are_bounded_and_the_generation_stays(tmp_path, monkeypatch):
    from marketplace.core import file_cache
    from marketplace.core.page_cache import CachedPage

    monkeypatch.setattr(file_cache, "PAGE_MEMORY_BYTES", 50_000)
    cache = PageFileCache(str(tmp_path), {})
    cache.set(GENERATION_KEY, "g1", None)
    assert cache.get(GENERATION_KEY) == "g1"
    for number in range(20):
        cache.set(f"page-{number}", CachedPage(b"x" * 10_000, (), ()), 60)
        assert cache.get(f"page-{number}").content == b"x" * 10_000
        assert cache._page_bytes <= 50_000
    assert len(cache._by_identity) <= 5
    assert cache._by_identity.get(cache._key_to_file(GENERATION_KEY))  # never dropped
