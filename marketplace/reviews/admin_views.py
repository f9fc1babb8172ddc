"""The admin's "Reviews" section: the listing with filters and one review's page, where
the producer replies and the office hides or shows it again (registered by wagtail_hooks).

Every view starts from permissions.reviews_for(user): a review someone may not see is a
404, like one that does not exist.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn
from wagtail.admin.views.generic import IndexView, WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from marketplace.core.admin_menu import CountingMenuItem
from marketplace.reviews import moderation
from marketplace.reviews.admin_forms import HideForm, ReplyForm, ReviewFilterSet
from marketplace.reviews.models import Review
from marketplace.reviews.permissions import (
    can_reply,
    has_review_access,
    moderates_reviews,
    own_reviews,
    reviews_for,
)
from marketplace.reviews.templatetags.review_tags import stars


def state_label(review: Review) -> str:
    if review.is_hidden:
        return gettext("Hidden")
    if review.has_reply:
        return gettext("Replied")
    return gettext("Waiting for a reply")


class RatingColumn(Column):
    def get_value(self, instance) -> str:
        return f"{stars(instance.rating)} ({instance.rating}/5)"


class ReviewIndexView(IndexView):
    model = Review
    # Access is decided by permissions.reviews_for, not by model permissions.
    permission_policy = None
    any_permission_required = None
    filterset_class = ReviewFilterSet
    default_ordering = "-created_at"
    search_fields = ["text", "display_name", "item__product_title"]
    search_backend_name = None
    detail_url_name = None
    header_icon = "pick"
    page_title = _("Reviews")

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not has_review_access(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self) -> QuerySet[Review]:
        return reviews_for(self.request.user).select_related("item", "inquiry__producer")

    def search_queryset(self, queryset: QuerySet[Review]) -> QuerySet[Review]:
        if not self.is_searching:
            return queryset
        query = self.search_query
        return queryset.filter(text__icontains=query) | queryset.filter(
            item__product_title__icontains=query
        )

    def get_detail_url(self, review: Review) -> str:
        return reverse(self.detail_url_name, args=[review.pk])

    @cached_property
    def columns(self) -> list[Column]:
        columns = [
            TitleColumn(
                "item",
                label=_("Product"),
                accessor=lambda review: review.item.product_title,
                get_url=self.get_detail_url,
            ),
            RatingColumn("rating", label=_("Rating"), sort_key="rating"),
            Column("display_name", label=_("Shown name")),
            DateColumn("created_at", label=_("Written on"), sort_key="created_at"),
            StatusTagColumn(
                "state",
                label=_("State"),
                accessor=state_label,
                primary=lambda review: not review.is_hidden and not review.has_reply,
            ),
        ]
        if moderates_reviews(self.request.user):
            columns.insert(
                1,
                Column(
                    "producer",
                    label=_("Producer"),
                    accessor=lambda review: review.inquiry.producer,
                    sort_key="inquiry__producer__title",
                ),
            )
        return columns


class ReviewDetailView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "reviews/admin/detail.html"
    page_title = _("Customer review")
    header_icon = "pick"
    index_url_name = None
    detail_url_name = None
    reply_url_name = None
    hide_url_name = None
    show_url_name = None

    def dispatch(self, request: HttpRequest, pk: int, **forms) -> HttpResponse:
        reviews = reviews_for(request.user).select_related("item", "inquiry__producer", "photo")
        self.object = get_object_or_404(reviews, pk=pk)
        return super().dispatch(request, pk=pk, **forms)

    def get_page_subtitle(self) -> str:
        return self.object.item.product_title

    def get_breadcrumbs_items(self) -> list[dict]:
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": _("Reviews")},
            {"url": "", "label": self.object.item.product_title},
        ]

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        review = self.object
        user = self.request.user
        context.update(
            review=review,
            state=state_label(review),
            moderates=moderates_reviews(user),
            reply_url=reverse(self.reply_url_name, args=[review.pk]),
            hide_url=reverse(self.hide_url_name, args=[review.pk]),
            show_url=reverse(self.show_url_name, args=[review.pk]),
        )
        # The reply and hide views pass their forms in with their errors.
        if "reply_form" not in context:
            replies = can_reply(user, review) and not review.has_reply
            context["reply_form"] = ReplyForm() if replies else None
        if "hide_form" not in context:
            hides = moderates_reviews(user) and not review.is_hidden
            context["hide_form"] = HideForm() if hides else None
        return context

    def post(self, request: HttpRequest, pk: int, **forms) -> HttpResponse:
        """Only the reply and hide views post here, to show their forms' errors."""
        return self.get(request, pk=pk, **forms)


def _review_or_404(request: HttpRequest, pk: int) -> Review:
    return get_object_or_404(reviews_for(request.user), pk=pk)


def _back(review: Review) -> HttpResponse:
    return redirect("reviews_admin:detail", review.pk)


@require_POST
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    """The producer's one public reply."""
    review = _review_or_404(request, pk)
    if not can_reply(request.user, review):
        raise PermissionDenied
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            moderation.reply(review, form.cleaned_data["reply"], request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return _back(review)
        messages.success(request, gettext("Your reply is published under the review."))
        return _back(review)
    messages.error(request, gettext("The reply has not been published: see the errors below."))
    return _detail_with(request, review, reply_form=form)


@require_POST
def hide(request: HttpRequest, pk: int) -> HttpResponse:
    """The office takes a review off the product page, saying why."""
    review = _review_or_404(request, pk)
    if not moderates_reviews(request.user):
        raise PermissionDenied
    form = HideForm(request.POST)
    if form.is_valid():
        moderation.hide(review, form.cleaned_data["reason"], request.user)
        messages.success(request, gettext("The review is hidden from the product page."))
        return _back(review)
    messages.error(request, gettext("The review has not been hidden: see the errors below."))
    return _detail_with(request, review, hide_form=form)


@require_POST
def show_again(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review_or_404(request, pk)
    if not moderates_reviews(request.user):
        raise PermissionDenied
    moderation.show_again(review)
    messages.success(request, gettext("The review is shown on the product page again."))
    return _back(review)


def _detail_with(request: HttpRequest, review: Review, **forms) -> TemplateResponse:
    view = review_viewset.detail_view
    return view(request, pk=review.pk, **forms)


# The admin's Reviews section: its menu item and URLs. ---------------------------------


class ReviewsMenuItem(CountingMenuItem):
    """Shown to the office and producers; a producer sees how many wait for a reply."""

    def is_shown(self, request) -> bool:
        return has_review_access(request.user)

    def count(self, request) -> int:
        return own_reviews(request.user).visible().filter(replied_at__isnull=True).count()

    def counted_label(self, count: int) -> str:
        return gettext("%(label)s (%(count)s to answer)") % {"label": self.label, "count": count}


class ReviewViewSet(ViewSet):
    name = "reviews_admin"
    url_prefix = "reviews"
    icon = "pick"
    menu_label = _("Reviews")
    menu_name = "reviews"
    menu_order = 160  # after Inquiries
    add_to_admin_menu = True
    menu_item_class = ReviewsMenuItem

    def get_common_view_kwargs(self, **kwargs) -> dict:
        return super().get_common_view_kwargs(
            index_url_name=self.get_url_name("index"),
            detail_url_name=self.get_url_name("detail"),
            header_icon=self.icon,
            **kwargs,
        )

    @property
    def index_view(self):
        return self.construct_view(
            ReviewIndexView, index_results_url_name=self.get_url_name("index_results")
        )

    @property
    def index_results_view(self):
        return self.construct_view(
            ReviewIndexView,
            results_only=True,
            index_results_url_name=self.get_url_name("index_results"),
        )

    @property
    def detail_view(self):
        return self.construct_view(
            ReviewDetailView,
            reply_url_name=self.get_url_name("reply"),
            hide_url_name=self.get_url_name("hide"),
            show_url_name=self.get_url_name("show"),
        )

    def get_urlpatterns(self) -> list:
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<int:pk>/", self.detail_view, name="detail"),
            path("<int:pk>/reply/", reply, name="reply"),
            path("<int:pk>/hide/", hide, name="hide"),
            path("<int:pk>/show/", show_again, name="show"),
        ]


review_viewset = ReviewViewSet()
