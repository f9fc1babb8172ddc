"""Renditions made ahead, so that no visitor waits while an image is resized.

A model whose pages or snippets show images says which renditions of which image they
show with a `rendition_plan()` method: `[(image, (spec, …)), …]`, the specs named in
`marketplace.core.rendition_specs`. They are made:

- when a page is published (Wagtail's `page_published`) or a snippet with a plan is saved,
  once the transaction is committed (a rolled-back publish makes nothing);
- when an image is saved (uploaded again, focal point moved): for every page and snippet
  that uses it, found through Wagtail's reference index. A new image nobody uses yet gets
  its renditions when the page or snippet that shows it is published;
- by the demo loader after a load, and by `manage.py make_renditions` (for upgrades).

They are made after the commit, in a thread of the process that published
(`RENDITIONS_AHEAD_IN_BACKGROUND`), so that the editor does not wait: a product with five
phone photos takes seconds, AVIF being slow to encode. Wagtail makes a call's missing
renditions from one read of the original, three at a time in threads. A process stopped
meanwhile leaves some for the first visitor (or `make_renditions`) to make. There is no
task worker yet; when one arrives, `make_for_objects` is the task to send it.
"""

import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Protocol

from django.apps import apps
from django.conf import settings
from django.db import connections, transaction
from django.db.models import Model
from django.db.models.signals import post_migrate, post_save, pre_migrate
from django.dispatch import receiver
from wagtail.images.models import Filter, SourceImageIOError
from wagtail.models import Page, ReferenceIndex
from wagtail.signals import page_published

from marketplace.core.models import CustomImage
from marketplace.core.rendition_specs import expand

logger = logging.getLogger(__name__)

RenditionPlan = Iterable[tuple[CustomImage | None, Iterable[str]]]
THREAD_NAME = "renditions-ahead"
_paused = threading.local()


class ShowsImages(Protocol):
    def rendition_plan(self) -> RenditionPlan: ...


def shows_images(obj: object) -> bool:
    return callable(getattr(obj, "rendition_plan", None))


def make_renditions(image: CustomImage, specs: Iterable[str]) -> int:
    """Make the renditions of `specs` the image lacks; how many were made."""
    filters = [image.clean_filter_for_svg(Filter(spec)) for spec in expand(*specs)]
    try:
        existing = image.find_existing_renditions(*filters)
        missing = [one for one in filters if one not in existing]
        # Wagtail's get_renditions() makes its misses this way: one read of the original.
        image.create_renditions(*missing)
    except (SourceImageIOError, OSError):
        # A missing or unreadable original: pages show Wagtail's "not found" picture.
        logger.warning("Image %s has no readable file to make renditions from", image.pk)
        return 0
    return len(missing)


def merged_plan(objects: Iterable[ShowsImages]) -> dict[int, tuple[CustomImage, set[str]]]:
    """Each image once, with every spec any of the objects shows it in."""
    plan: dict[int, tuple[CustomImage, set[str]]] = {}
    for obj in objects:
        for image, specs in obj.rendition_plan():
            if image is not None:
                plan.setdefault(image.pk, (image, set()))[1].update(specs)
    return plan


def make_for_objects(objects: Iterable[ShowsImages], *, image_id: int | None = None) -> int:
    """Make the renditions the objects show (of one image only, if given); how many."""
    made = 0
    for pk, (image, specs) in merged_plan(objects).items():
        if image_id is None or pk == image_id:
            made += make_renditions(image, specs)
    return made


def models_showing_images() -> list[type[Model]]:
    return [model for model in apps.get_models() if shows_images(model)]


def make_all(*, chunk_size: int = 200) -> tuple[int, int]:
    """Make every missing rendition of the live pages and the snippets (`make_renditions`,
    the demo loader); (renditions made, images looked at). An image shown by several
    objects of one chunk is looked at once."""
    made = images = 0
    for chunk in _objects_in_chunks(chunk_size):
        plan = merged_plan(chunk)
        made += sum(make_renditions(image, specs) for image, specs in plan.values())
        images += len(plan)
    return made, images


def _objects_in_chunks(size: int) -> Iterator[list[ShowsImages]]:
    for model in models_showing_images():
        objects = model.objects.live() if issubclass(model, Page) else model._default_manager
        chunk: list[ShowsImages] = []
        for obj in objects.order_by("pk").iterator(chunk_size=size):
            chunk.append(obj)
            if len(chunk) == size:
                yield chunk
                chunk = []
        if chunk:
            yield chunk


def objects_showing(image: CustomImage) -> list[ShowsImages]:
    """The live pages and the snippets that show the image (Wagtail's reference index)."""
    found = []
    for source, _references in ReferenceIndex.get_references_to(image).group_by_source_object():
        if isinstance(source, Page):
            if not source.live:
                continue
            source = source.specific
        if shows_images(source):
            found.append(source)
    return found


@contextmanager
def renditions_ahead_paused() -> Iterator[None]:
    """No renditions made on saves in this thread meanwhile (the demo loader makes them
    all at the end; on SQLite a thread writing them would contend with its transactions)."""
    _paused.active = True
    try:
        yield
    finally:
        _paused.active = False


def _after_commit(make: Callable[[], object]) -> None:
    if getattr(_paused, "active", False):
        return

    def run() -> None:
        # A failure to resize must not turn a committed publish into an error.
        try:
            make()
        except Exception:
            logger.exception("Renditions made ahead failed; visitors' requests will make them")
        finally:
            if in_background:
                connections.close_all()  # this thread's own connections

    def start() -> None:
        if in_background:
            # Not a daemon: a worker stopping gracefully finishes the renditions first.
            threading.Thread(target=run, name=THREAD_NAME).start()
        else:
            run()

    in_background = settings.RENDITIONS_AHEAD_IN_BACKGROUND
    transaction.on_commit(start)


@receiver(pre_migrate, dispatch_uid="renditions-ahead-pre-migrate")
def _migrating(sender, **kwargs) -> None:
    # A migration that publishes a page (the site's first pages) shows no picture yet,
    # and on SQLite a thread reading meanwhile would lock the next migration out.
    _paused.active = True


@receiver(post_migrate, dispatch_uid="renditions-ahead-post-migrate")
def _migrated(sender, **kwargs) -> None:
    _paused.active = False


@receiver(page_published, dispatch_uid="renditions-ahead-page-published")
def _page_published(sender, instance: Page, **kwargs) -> None:
    if shows_images(instance):
        model, pk = type(instance), instance.pk
        # Read again after the commit: the published content, its gallery rows included.
        _after_commit(lambda: make_for_objects(model.objects.filter(pk=pk)))


@receiver(post_save, dispatch_uid="renditions-ahead-snippet-saved")
def _snippet_saved(sender, instance: Model, raw: bool = False, **kwargs) -> None:
    # Pages wait for their publication: saving a draft shows nothing new.
    if raw or isinstance(instance, Page) or not shows_images(instance):
        return
    _after_commit(lambda: make_for_objects([instance]))


@receiver(post_save, sender=CustomImage, dispatch_uid="renditions-ahead-image-saved")
def _image_saved(sender, instance: CustomImage, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    # Only the missing renditions are made: an unchanged image costs a query per user.
    _after_commit(lambda: make_for_objects(objects_showing(instance), image_id=instance.pk))
