"""The consumer's review form, reached through the inquiry's secret tracking link.

Works without JavaScript: a plain form (with a file), POST then redirect to the tracking
page. Whoever holds the link may review each product of the inquiry once it is fulfilled.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from marketplace.core.navigation import Breadcrumb
from marketplace.inquiries.models import Inquiry, InquiryItem
from marketplace.inquiries.views import breadcrumbs, private, producers_shown
from marketplace.reviews import ratelimit
from marketplace.reviews.forms import ReviewForm
from marketplace.reviews.models import Review
from marketplace.reviews.writing import (
    AlreadyReviewed,
    NotReviewable,
    default_shown_name,
    is_reviewable,
    write_review,
)


def secret_page(response: HttpResponse) -> HttpResponse:
    """Like the tracking page: out of search engines and caches, its link never sent on."""
    response["Referrer-Policy"] = "same-origin"
    return private(response)


def render_page(
    request: HttpRequest,
    inquiry: Inquiry,
    item: InquiryItem,
    *,
    form: ReviewForm | None = None,
    review: Review | None = None,
    status: int = 200,
) -> HttpResponse:
    producer = producers_shown([inquiry.producer])[inquiry.producer.pk]
    tracking_url = inquiry_tracking_path(inquiry)
    title = _("Review: %(product)s") % {"product": item.product_title}
    context = {
        "inquiry": inquiry,
        "item": item,
        "producer": producer,
        "form": form,
        "review": review,
        "reviewable": is_reviewable(inquiry),
        "tracking_url": tracking_url,
        "breadcrumbs": breadcrumbs(
            request, Breadcrumb(inquiry.reference, tracking_url), Breadcrumb(title)
        ),
        "seo_title": title,
    }
    return secret_page(render(request, "reviews/write.html", context, status=status))


def inquiry_tracking_path(inquiry: Inquiry) -> str:
    return reverse("inquiries:track", kwargs={"token": inquiry.token})


def rate_limited(request: HttpRequest) -> HttpResponse:
    limit = ratelimit.review_limit()
    response = render(
        request,
        "reviews/rate_limited.html",
        {"minutes": max(1, limit.seconds // 60), "seo_title": _("Please wait a moment")},
        status=429,
    )
    response["Retry-After"] = str(limit.seconds)
    return secret_page(response)


@require_http_methods(["GET", "POST"])
def write(request: HttpRequest, token: str, item_id: int) -> HttpResponse:
    """The review form of one product of a fulfilled inquiry, or the review written."""
    inquiry = get_object_or_404(Inquiry.objects.select_related("producer"), token=token)
    item = get_object_or_404(inquiry.items.filter(product__isnull=False), pk=item_id)
    review = inquiry.reviews.filter(item=item).select_related("photo").first()
    if review is not None:
        if request.method == "POST":
            messages.error(request, _("You have already reviewed this product: one review each."))
            return render_page(request, inquiry, item, review=review, status=409)
        return render_page(request, inquiry, item, review=review)
    if not is_reviewable(inquiry):
        return render_page(request, inquiry, item, status=403)

    if request.method != "POST":
        form = ReviewForm(
            full_name=inquiry.name, initial={"shown_name": default_shown_name(inquiry)}
        )
        return render_page(request, inquiry, item, form=form)

    if ratelimit.hit(request):
        return rate_limited(request)
    form = ReviewForm(request.POST, request.FILES, full_name=inquiry.name)
    if not form.is_valid():
        return render_page(request, inquiry, item, form=form)
    data = form.cleaned_data
    try:
        write_review(
            inquiry,
            item,
            rating=data["rating"],
            text=data["text"],
            shown_name=data["shown_name"],
            photo=data["photo"],
        )
    except AlreadyReviewed:
        messages.error(request, _("You have already reviewed this product: one review each."))
        return redirect(request.path)
    except NotReviewable:
        return redirect(request.path)
    messages.success(
        request,
        _("Thank you! Your review of %(product)s is on the product page.")
        % {"product": item.product_title},
    )
    return redirect(inquiry_tracking_path(inquiry) + "#reviews-heading")
