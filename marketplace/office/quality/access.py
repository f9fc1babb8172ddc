"""Who sees which listing quality: the office sees every producer, a producer's users
their own producer (as members of its account group), anyone else nothing."""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.urls import reverse

from marketplace.core.office import is_office_user
from marketplace.office.quality.checks import Check, PageQuality, ProducerQuality
from producers.models import ProducerPage

AnyUser = AbstractBaseUser | AnonymousUser


def own_producers(user: AnyUser) -> QuerySet[ProducerPage]:
    """The producers whose account group `user` belongs to (pages in the default language)."""
    if not user.is_authenticated or not user.is_active:
        return ProducerPage.objects.none()
    return ProducerPage.objects.filter(account_group__user=user)


def visible_producers(user: AnyUser) -> QuerySet[ProducerPage]:
    if is_office_user(user):
        return ProducerPage.objects.all()
    return own_producers(user)


def edit_url(page_id: int) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page_id])


def fix_url(page: PageQuality, check: Check, user: AnyUser) -> str:
    """Where `user` fixes `check` on `page`: its edit view, or its English translation's."""
    if check.key == "english":
        if page.english_page_id is not None:
            return edit_url(page.english_page_id)
        if user.has_perm("wagtail_localize.submit_translation"):
            return reverse("wagtail_localize:submit_page_translation", args=[page.page_id])
    return edit_url(page.page_id)


@dataclass
class PageToFix:
    """A page with what it is missing, each item with the link that fixes it."""

    title: str
    edit_url: str
    is_producer: bool
    items: list[tuple[Check, str]]


def pages_to_fix(quality: ProducerQuality, user: AnyUser) -> list[PageToFix]:
    """The producer page first (when it misses something), then its products."""
    pages = [(quality.producer, True), *((product, False) for product in quality.products)]
    return [
        PageToFix(
            title=page.title,
            edit_url=edit_url(page.page_id),
            is_producer=is_producer,
            items=[(check, fix_url(page, check, user)) for check in page.missing],
        )
        for page, is_producer in pages
        if page.missing
    ]
