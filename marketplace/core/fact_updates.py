"""Changing a page's facts (a price, availability) at once, without publishing its drafts.

Facts are not claims: a producer who sold out must be able to say so today, not after
the office's approval. Text still goes through moderation. So a fact change is applied
to each version of the page separately, through Wagtail's own revisions (the history,
the audit log, the search index and the translations' shared facts all follow):

- the live version, if any: a new revision of the live content with the new facts,
  published at once; the workflow of a draft waiting for approval is left running
  (Wagtail cancels it on any publication);
- the latest draft, if it differs from the live version: a new revision of the draft
  with the new facts, left unpublished. It stays the page's latest revision, so the
  editor shows it and the office's approval publishes it, now with the new facts.

Only the facts named are changed in each version: a draft's other pending changes
(a new description, a new price the producer typed in the editor) stay pending.
"""

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from wagtail.actions.publish_page_revision import PublishPageRevisionAction
from wagtail.models import Page, Revision


class PublishKeepingWorkflowAction(PublishPageRevisionAction):
    """Publish a revision without cancelling the page's workflow in progress."""

    def _after_publish(self):
        # Wagtail reads the workflow to cancel from this prefetch cache when present.
        self.object._current_workflow_states = []
        super()._after_publish()


def pending_draft_revision_id(page: Page) -> int | None:
    """The latest revision when it is not the live one: changes not published yet."""
    if not page.has_unpublished_changes or page.latest_revision_id is None:
        return None
    if page.live and page.latest_revision_id == page.live_revision_id:
        return None
    return page.latest_revision_id


def draft_version(page: Page) -> Page | None:
    """The page as its pending draft stands (as the editor shows it), or None."""
    revision_id = pending_draft_revision_id(page)
    if revision_id is None:
        return None if page.live else page
    return Revision.objects.get(pk=revision_id).as_object()


def live_version(page: Page) -> Page | None:
    """The page as published (the database row holds the live content), or None."""
    if not page.live:
        return None
    return type(page).objects.get(pk=page.pk)


def with_facts(version: Page, facts: Mapping[str, Any]) -> Page:
    for name, value in facts.items():
        setattr(version, name, value)
    return version


def versions(page: Page) -> list[Page]:
    """The live version and the pending draft of a page, those that exist."""
    return [v for v in (live_version(page), draft_version(page)) if v is not None]


@transaction.atomic
def update_facts(page: Page, facts: Mapping[str, Any], user: AbstractBaseUser | None) -> None:
    """Set `facts` on the live version (published now) and the pending draft (kept pending).

    The caller has checked that the user may edit the page and validated the facts
    (see `versions` to validate each version as it will be saved).
    """
    page = type(page).objects.select_for_update().get(pk=page.pk)
    draft_revision_id = pending_draft_revision_id(page)
    live = live_version(page)
    if live is not None:
        revision = with_facts(live, facts).save_revision(user=user, clean=False)
        PublishKeepingWorkflowAction(revision, user=user).execute(skip_permission_checks=True)
    if draft_revision_id is not None:
        draft = Revision.objects.get(pk=draft_revision_id).as_object()
        with_facts(draft, facts).save_revision(user=user, log_action=True, clean=False)
    elif live is None:
        # A page never published, with no revision yet: its first draft.
        with_facts(page, facts).save_revision(user=user, log_action=True, clean=False)
