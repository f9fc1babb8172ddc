"""What a producer's account sees and uses in the admin: its own things, and what is public.

Wagtail checks permissions in most admin views, but some list or accept objects the user
has no permission on: the admin API lists every image and document, the page chooser and
the page-types report show other producers' draft titles, bulk actions name the objects
one may not act on, the user filters of listings and reports offer every user, and a
form takes any image id it is posted. The office (and superusers) see
everything; anybody else (a producer) sees:

- pages: those they may edit (in every state) and live public pages, of which the title
  is public; a page whose draft renames it shows only to its own producer;
- images and documents: those of the collections they may choose from (their own);
- users: themselves and those who worked on their pages;
- tags offered by the image and document listings' filter and the image chooser: those
  of their own media.

The rules are here; producers/wagtail_hooks.py plugs them into Wagtail's hooks, and
producers/admin_urls.py into the few views that have none.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, Model, Q, QuerySet
from taggit.models import Tag
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.site_summary import PagesSummaryItem
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.views.chooser import ImageChooseViewMixin
from wagtail.models import Page, PageLogEntry
from wagtail.permissions import policy_registry

from marketplace.core.office import is_office_user
from producers.models import ProducerPage

AnyUser = AbstractBaseUser | AnonymousUser

# The page permissions that make a page the user's own.
OWN_PAGE_ACTIONS = ("add", "change", "publish")


def is_scoped(user: AnyUser) -> bool:
    """Sees only their own things: everybody but the office and superusers."""
    return not is_office_user(user)


def own_pages(user: AnyUser) -> QuerySet:
    """The pages the user may edit (their producer page and its products)."""
    return policy_registry.get_by_type(Page).instances_user_has_any_permission_for(
        user, OWN_PAGE_ACTIONS
    )


def visible_pages(user: AnyUser) -> QuerySet:
    """Pages whose admin title (the latest draft's) the user may see."""
    if not is_scoped(user):
        return Page.objects.all()
    # Another producer's live page shows, unless its draft renames it: that is a draft too.
    public = Page.objects.live().public().filter(draft_title=F("title"))
    return Page.objects.filter(
        Q(depth=1) | Q(pk__in=own_pages(user).values("pk")) | Q(pk__in=public.values("pk"))
    )


def is_media_model(model: type[Model]) -> bool:
    return issubclass(model, (get_image_model(), get_document_model()))


def usable_media(model: type[Model], user: AnyUser) -> QuerySet:
    """The images or documents the user may choose: those of their own collection.

    The same rule as Wagtail's choosers, so a form accepts what its chooser offers.
    """
    return policy_registry.get_by_type(model).instances_user_has_any_permission_for(
        user, ["choose"]
    )


def scope_queryset(queryset: QuerySet, user: AnyUser) -> QuerySet:
    """The part of a queryset of pages, images or documents the user may see and use.

    Any other queryset, or any queryset for the office, is returned as it is (the same
    object, so callers can tell nothing was narrowed).
    """
    model = queryset.model
    if not is_scoped(user):
        return queryset
    if issubclass(model, Page):
        return queryset.filter(pk__in=visible_pages(user).values("pk"))
    if is_media_model(model):
        return queryset.filter(pk__in=usable_media(model, user).values("pk"))
    return queryset


def visible_users(user: AnyUser) -> QuerySet:
    """The users the user may see listed: themselves and those who worked on their pages."""
    users = get_user_model().objects.all()
    if not is_scoped(user):
        return users
    pages = own_pages(user).values("pk")
    return users.filter(
        Q(pk=user.pk)
        | Q(pk__in=Page.objects.filter(pk__in=pages).values("owner_id"))
        | Q(pk__in=PageLogEntry.objects.filter(page_id__in=pages).values("user_id"))
    )


def scope_user_filters() -> None:
    """Narrow the user choices of every admin listing and report filter to visible users,
    and the media listings' popular tags to the user's own media.

    The page listings' "Owner" and "Edited by", the workflow report's "Requested by", the
    site history's "User"… all offer every user who ever did the thing, and Wagtail has
    no hook for them. They are all WagtailFilterSets, so its form class is wrapped, once.
    """
    original = WagtailFilterSet.get_form_class
    if getattr(original, "scopes_users", False):
        return

    def get_form_class(self):
        request = getattr(self, "request", None)
        if request is not None:
            narrow_tag_filter(self, request.user)
        form_class = original(self)
        if request is not None:
            narrow_user_fields(form_class.base_fields.values(), request.user)
        return form_class

    get_form_class.scopes_users = True
    WagtailFilterSet.get_form_class = get_form_class


def narrow_user_fields(fields, user: AnyUser) -> None:
    """Limit every field choosing users to the users `user` may see."""
    user_model = get_user_model()
    for field in fields:
        queryset = getattr(field, "queryset", None)
        if queryset is not None and issubclass(queryset.model, user_model):
            field.queryset = queryset.filter(pk__in=visible_users(user).values("pk"))


# As many tags as Wagtail's popular_tags_for_model offers.
POPULAR_TAGS = 10


def own_popular_tags(model: type[Model], user: AnyUser) -> QuerySet:
    """The most used tags of the images or documents the user may choose."""
    return (
        Tag.objects.filter(
            taggit_taggeditem_items__content_type=ContentType.objects.get_for_model(model),
            taggit_taggeditem_items__object_id__in=usable_media(model, user).values("pk"),
        )
        .annotate(item_count=Count("taggit_taggeditem_items"))
        .order_by("-item_count", "name")[:POPULAR_TAGS]
    )


def narrow_tag_filter(filterset: WagtailFilterSet, user: AnyUser) -> None:
    """The image and document listings' "Tag" filter offers the ten most used tags of all
    media, other producers' included: offer those of the user's own media instead."""
    model = filterset._meta.model
    tag_filter = filterset.filters.get("tag")
    if tag_filter is None or not is_media_model(model) or not is_scoped(user):
        return
    choices = [(tag.name, tag.name) for tag in own_popular_tags(model, user)]
    if choices:
        tag_filter.extra["choices"] = choices
    else:
        del filterset.filters["tag"]


def scope_image_chooser_tags() -> None:
    """The image chooser lists the most used tags of all images, with no hook: its
    context is wrapped, once, to list those of the user's own images."""
    original = ImageChooseViewMixin.get_context_data
    if getattr(original, "scopes_tags", False):
        return

    def get_context_data(self, **kwargs):
        context = original(self, **kwargs)
        if is_scoped(self.request.user):
            context["popular_tags"] = own_popular_tags(self.model, self.request.user)
        return context

    get_context_data.scopes_tags = True
    ImageChooseViewMixin.get_context_data = get_context_data


class OwnPagesSummaryItem(PagesSummaryItem):
    """The dashboard's page count of a producer: its own pages, linked to its producer page.

    Wagtail counts every page under the common ancestor of the user's pages: for a
    producer with a Vietnamese and an English page, the whole site."""

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        user = self.request.user
        producer = user_producer_pages(user).order_by("path").first()
        if producer is not None:
            context.update(root_page=producer, total_pages=own_pages(user).count())
        return context


def user_producer_pages(user: AnyUser) -> QuerySet:
    """The producer pages whose account the user belongs to (in the default language)."""
    if not user.is_authenticated:
        return ProducerPage.objects.none()
    return ProducerPage.objects.filter(account_group__user=user)


def scope_summary_items(request, items: list) -> None:
    """For `construct_homepage_summary_items`: a producer's dashboard counts its own pages.

    The image and document counts are Wagtail's, already those of the collections the
    user may use."""
    if not is_scoped(request.user):
        return
    for position, item in enumerate(items):
        if type(item) is PagesSummaryItem:
            items[position] = OwnPagesSummaryItem(request)
