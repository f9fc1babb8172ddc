"""What drops the kept public pages (marketplace.core.page_cache): any change they show.

In the site shell, which sees every app: a saved or deleted row of a model public pages
show (pages of every type, categories, localities, craft villages, certificates,
featured collections, hero slides, the producer of the month, reviews, the footer
setting, images, sites and locales), and Wagtail's publish, unpublish and move signals
(a move rewrites the descendants' addresses with UPDATEs, which send no save signal).
That covers the editor, quick edits (core.fact_updates publishes a revision), the bulk
import (it sends page_published), translations (wagtail-localize saves the translated
page or snippet) and the office's decisions. Writers that bypass model signals call
`bump_generation` themselves (reviews.moderation, search.tasks).

Deliberately left out: revisions (a draft shows nowhere), new renditions (made while
pages render; a deleted one does drop them: kept pages would show a file that is gone),
and the rows written while serving or by visitors' own actions (view counts,
search logs, inquiries, rate limits, sessions).
"""

from django.db.models import Model
from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished, post_page_move

from marketplace.core.page_cache import bump_generation

# Apps whose every model is public content.
CONTENT_APPS = frozenset({"base", "producers", "products", "certificates", "curation", "reviews"})
# Public models of other apps: Wagtail's page, site and locale, who may see a page (a
# page made private must leave the cache at once), our image, and the search's promoted
# results.
CONTENT_MODELS = frozenset(
    {
        "wagtailcore.page",
        "wagtailcore.site",
        "wagtailcore.locale",
        "wagtailcore.pageviewrestriction",
        "core.customimage",
        "wagtailsearchpromotions.searchpromotion",
    }
)


# Deleted rows of these drop the kept pages too.
DELETED_MODELS = frozenset({"core.customrendition"})


def shows_on_public_pages(model: type[Model]) -> bool:
    meta = model._meta
    return meta.app_label in CONTENT_APPS or meta.label_lower in CONTENT_MODELS


def row_changed(sender: type[Model], **kwargs) -> None:
    if shows_on_public_pages(sender):
        bump_generation()


def row_deleted(sender: type[Model], **kwargs) -> None:
    if shows_on_public_pages(sender) or sender._meta.label_lower in DELETED_MODELS:
        bump_generation()


def page_changed(sender, **kwargs) -> None:
    bump_generation()


def connect() -> None:
    post_save.connect(row_changed, dispatch_uid="page_cache_row_saved")
    post_delete.connect(row_deleted, dispatch_uid="page_cache_row_deleted")
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(page_changed, dispatch_uid=f"page_cache_{id(signal)}")
