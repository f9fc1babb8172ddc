"""Writing many pages and images fast, without Wagtail's per-page housekeeping.

`Page.add_child()` + `save_revision()` + `publish()` costs tens of queries and a search
and reference-index update per page: fine for an editor, far too slow for 40 000 demo
pages. Here pages get their tree position computed in memory and are saved with a plain
`Model.save()`; inline rows and images are bulk-inserted. Bulk pages have no revision:
Wagtail's editor creates the first one when someone saves the page.
"""

import hashlib
import logging
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models
from django.db.models import Exists, OuterRef
from django.db.models.functions import Cast
from django.db.models.signals import post_save
from django.utils import timezone
from modelcluster.models import ClusterableModel, get_all_child_relations
from modelsearch import index as search_index
from modelsearch.signal_handlers import post_save_signal_handler
from wagtail.models import Page, ReferenceIndex
from wagtail.search.backends import get_search_backends_with_name
from wagtail.search.models import IndexEntry
from wagtail.signal_handlers import disable_reference_index_auto_update

from marketplace.core.models import CustomImage

logger = logging.getLogger(__name__)

INDEX_BATCH_SIZE = 500  # objects loaded at a time to be indexed


_search_index_paused: ContextVar[bool] = ContextVar("search_index_paused", default=False)
_gate_lock = threading.Lock()
_gated = False


def _gated_post_save_handler(sender, **kwargs) -> None:
    if not _search_index_paused.get():
        post_save_signal_handler(sender=sender, **kwargs)


def _gate_search_index_updates() -> None:
    """Put Wagtail's per-save search index handler behind a switch, once per process.

    Signal handlers are process-wide; the switch is a context variable, so pausing in
    one thread (an import in an admin request) leaves the others' updates alone.
    """
    global _gated
    with _gate_lock:
        if _gated:
            return
        for model in search_index.get_indexed_models():
            if post_save.disconnect(post_save_signal_handler, sender=model):
                post_save.connect(_gated_post_save_handler, sender=model, weak=False)
        _gated = True


@contextmanager
def search_and_reference_index_paused() -> Iterator[None]:
    """Skip the search-index and reference-index work Wagtail does on every save, in
    this thread.

    Index new or changed objects in bulk afterwards with `add_to_wagtail_indexes`.
    """
    _gate_search_index_updates()
    token = _search_index_paused.set(True)
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        _search_index_paused.reset(token)


class ChildAppender:
    """Appends children to one page, doing treebeard's materialised-path bookkeeping."""

    def __init__(self, parent: Page):
        # Fresh from the database: an in-memory page may hold a stale url_path.
        self.parent = Page.objects.only("path", "depth", "url_path").get(pk=parent.pk)
        children = Page.objects.filter(
            path__startswith=self.parent.path, depth=self.parent.depth + 1
        )
        last_path = children.order_by("-path").values_list("path", flat=True).first()
        self.last_step = Page._str2int(last_path[-Page.steplen :]) if last_path else 0
        self.numchild = children.count()
        self.added = 0

    def add(self, page: Page) -> Page:
        """Save `page` as the parent's last child, published, without a revision."""
        self.last_step += 1
        page.path = Page._get_path(self.parent.path, self.parent.depth + 1, self.last_step)
        page.depth = self.parent.depth + 1
        page.numchild = 0
        page.url_path = f"{self.parent.url_path}{page.slug}/"
        page.draft_title = page.title
        page.live = True
        page.has_unpublished_changes = False
        now = timezone.now()
        page.first_published_at = page.last_published_at = now
        # Model.save, not Page.save: no full_clean, site-root check or log entry per page.
        models.Model.save(page)
        self.added += 1
        return page

    def save_numchild(self) -> None:
        if self.added:
            self.numchild += self.added
            self.added = 0
            Page.objects.filter(pk=self.parent.pk).update(numchild=self.numchild)


def save_images(files: Iterable[tuple[str, bytes]], images: list[CustomImage]) -> list[CustomImage]:
    """Write each file to storage and bulk-insert its image row (same order)."""
    for (name, content), image in zip(files, images, strict=True):
        if default_storage.exists(name):
            # Left behind by an interrupted run (its row rolled back): pictures are
            # deterministic, so the file is replaced by the same content.
            default_storage.delete(name)
        image.file.name = default_storage.save(name, ContentFile(content))
        image.file_size = len(content)
        image.file_hash = hashlib.sha1(content).hexdigest()  # as Wagtail's hash_filelike
    return CustomImage.objects.bulk_create(images)


def add_to_wagtail_indexes(
    model: type[models.Model], pks: Iterable[int], *, new: bool = True
) -> None:
    """What the paused handlers would have done for these objects: Wagtail's search index
    (the admin's search) and its reference index (usage counts), a batch at a time.

    `new`: the objects have no references recorded yet (or only some, from an interrupted
    run), so theirs are inserted in bulk; otherwise Wagtail also removes stale ones.
    """
    pks = sorted(pks)
    relations = []
    if issubclass(model, ClusterableModel):
        # Loaded with the objects: references in inline rows cost no query per object.
        relations = [relation.get_accessor_name() for relation in get_all_child_relations(model)]
    for start in range(0, len(pks), INDEX_BATCH_SIZE):
        objects = list(
            model.objects.filter(pk__in=pks[start : start + INDEX_BATCH_SIZE]).prefetch_related(
                *relations
            )
        )
        add_to_search_index(model, objects)
        if not ReferenceIndex.is_indexed(model):
            continue
        if new:
            ReferenceIndex.objects.bulk_create(
                _reference_rows(objects), batch_size=INDEX_BATCH_SIZE, ignore_conflicts=True
            )
        else:
            for instance in objects:
                ReferenceIndex.create_or_update_for_object(instance)


def _reference_rows(objects: Iterable[models.Model]) -> list[ReferenceIndex]:
    """The rows `ReferenceIndex.create_or_update_for_object` would create for objects that
    have none: its per-object queries made the demo's indexing several times slower."""
    rows = []
    for instance in objects:
        content_types = [
            ContentType.objects.get_for_model(model, for_concrete_model=False)
            for model in [instance, *instance._meta.get_parent_list()]
        ]
        references = set(ReferenceIndex._extract_references_from_object(instance))
        rows.extend(
            ReferenceIndex(
                content_type=content_types[0],
                base_content_type=content_types[-1],
                object_id=instance.pk,
                to_content_type_id=to_content_type_id,
                to_object_id=to_object_id,
                model_path=model_path,
                content_path=content_path,
                content_path_hash=ReferenceIndex._get_content_path_hash(content_path),
            )
            for to_content_type_id, to_object_id, model_path, content_path in references
        )
    return rows


def missing_from_wagtail_indexes(model: type[models.Model]) -> list[int]:
    """Objects of `model` (whose rows all reference something: a page's category or
    place, an image's collection) with no entry in Wagtail's search or reference index.

    The search index is checked in the database backend's table: the one this project
    configures for Wagtail (WAGTAILSEARCH_BACKENDS).
    """
    content_type = ContentType.objects.get_for_model(model)
    # Reference rows are found by the model's base (Page for pages) and id: that is what
    # their index covers (SQLite would pick the content type's, and scan).
    base = ContentType.objects.get_for_model([model, *model._meta.get_parent_list()][-1])
    object_id = Cast(OuterRef("pk"), models.CharField())
    searchable = IndexEntry.objects.filter(content_type=content_type, object_id=object_id)
    referenced = ReferenceIndex.objects.filter(base_content_type=base, object_id=object_id)
    missing = model.objects.filter(~Exists(searchable) | ~Exists(referenced))
    return list(missing.values_list("pk", flat=True))


def add_to_search_index(model: type[models.Model], objects: Sequence[models.Model]) -> None:
    """What the paused signal handlers would have done, one query per batch."""
    for name, backend in get_search_backends_with_name(with_auto_update=True):
        try:
            backend.add_bulk(model, objects)
        except Exception:
            # Like Wagtail: a search service being down must not lose the data.
            if not backend.catch_indexing_errors:
                raise
            logger.exception("Could not index %s objects in %s", model.__name__, name)
