"""The consumer's pages: the inquiry list, the request form, its confirmation, tracking.

All of it works without JavaScript: plain forms, POST then redirect. The list and the
keys of request forms live in the visitor's session; no account is needed.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from wagtail.models import Locale, Site

from marketplace.core import places
from marketplace.core.navigation import Breadcrumb
from marketplace.core.same_origin import same_origin_post
from marketplace.core.site_address import absolute_url
from marketplace.inquiries import emails, ratelimit, status
from marketplace.inquiries.forms import (
    AddToListForm,
    RemoveForm,
    RequestForm,
    UpdateQuantityForm,
    is_id,
)
from marketplace.inquiries.inquiry_list import (
    InquiryList,
    Line,
    ProducerGroup,
    product_anchor,
)
from marketplace.inquiries.lookup import find_inquiry
from marketplace.inquiries.models import Inquiry, InquiryItem, Submission
from marketplace.inquiries.submission import new_submission_key, submit_inquiries
from marketplace.inquiries.tasks import send_email
from marketplace.inquiries.tracking_forms import CancelReason, FindRequest
from marketplace.tasks.queueing import enqueue_with_transaction
from producers.models import ProducerPage
from products.models import ProductPage
from products.queries import product_index_page

# The id of an add form: "product-<id>", and "-<n>" for the product's n-th form on a page.
ANCHOR = re.compile(r"product-[0-9]{1,19}(-[0-9]{1,4})?")

# Session keys: the request forms shown to this visitor, and those they have sent.
FORM_KEYS = "inquiry_form_keys"
SENT_KEYS = "inquiry_sent_keys"
KEPT_KEYS = 20

# How long personal details are kept after an inquiry is closed (`inquiries purge`).
RETENTION_MONTHS = 24

Status = Inquiry.Status
STATUS_EXPLANATIONS = {
    Status.NEW: gettext_lazy(
        "The producer has received your inquiry and will contact you soon, the way you chose."
    ),
    Status.CONTACTED: gettext_lazy(
        "The producer is in touch with you to agree on the details: quantities, price, delivery."
    ),
    Status.CONFIRMED: gettext_lazy(
        "The producer has confirmed your order and its final amount. You can pay it as shown below."
    ),
    Status.PAID: gettext_lazy(
        "The producer has received your payment and is preparing your order."
    ),
    Status.FULFILLED: gettext_lazy(
        "Your order has been delivered or picked up. Thank you for buying OCOP products!"
    ),
    Status.DECLINED: gettext_lazy(
        "The producer cannot take this order. Their message below says why."
    ),
    Status.CANCELLED: gettext_lazy("This inquiry has been cancelled."),
}


# The visitor's session


def session_keys(request: HttpRequest, name: str) -> list[str]:
    return list(request.session.get(name, []))


def _remember(request: HttpRequest, name: str, key: str) -> None:
    keys = [k for k in session_keys(request, name) if k != key]
    request.session[name] = [*keys, key][-KEPT_KEYS:]


def issue_form_key(request: HttpRequest) -> str:
    """A key for one rendering of the request form, valid in this session only."""
    key = new_submission_key()
    _remember(request, FORM_KEYS, key)
    return key


def already_sent(request: HttpRequest, key: str) -> bool:
    """Whether this session sent the form with `key` (a double click, the back button)."""
    if key in session_keys(request, SENT_KEYS):
        return True
    # Sent by a concurrent request whose session was saved before the other's.
    if key in session_keys(request, FORM_KEYS) and Submission.objects.filter(key=key).exists():
        _remember(request, SENT_KEYS, key)
        return True
    return False


# Helpers of the pages


def next_url(request: HttpRequest) -> str | None:
    """The page to return to after an addition, if it is one of this site's: a path, as the
    form sends it (redirect() would take "123" for a view name and fail)."""
    url = request.POST.get("next", "")
    if url.startswith("/") and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return None


def producers_shown(producers: Iterable[ProducerPage]) -> dict[int, ProducerPage]:
    """Each producer's live page in the visitor's language, by the pk of the given page."""
    producers = list(producers)
    translated = {
        page.translation_key: page
        for page in ProducerPage.objects.live().filter(
            locale=Locale.get_active(),
            translation_key__in=[producer.translation_key for producer in producers],
        )
    }
    return {
        producer.pk: translated.get(producer.translation_key, producer) for producer in producers
    }


def home_url(request: HttpRequest) -> str:
    """The home page in the visitor's language: the site's root page, translated."""
    site = Site.find_for_request(request)
    root = site.root_page.localized if site else None
    return (root.get_url(request) if root else None) or f"/{get_language()}/"


def products_url() -> str:
    index_page = product_index_page(Locale.get_active())
    return index_page.url if index_page else ""


def breadcrumbs(request: HttpRequest, *crumbs: Breadcrumb) -> list[Breadcrumb]:
    return [Breadcrumb(_("Home"), home_url(request)), *crumbs]


def list_crumb(current: bool = False) -> Breadcrumb:
    return Breadcrumb(_("Inquiry list"), "" if current else reverse("inquiries:list"))


def private(response: HttpResponse) -> HttpResponse:
    """A page about one visitor: kept out of search engines and shared caches."""
    response["X-Robots-Tag"] = "noindex"
    add_never_cache_headers(response)
    return response


def rate_limited(request: HttpRequest, scope: str) -> HttpResponse:
    limit = ratelimit.limit_for(scope)
    response = render(
        request,
        "inquiries/rate_limited.html",
        {"minutes": max(1, limit.seconds // 60), "seo_title": _("Please wait a moment")},
        status=429,
    )
    response["Retry-After"] = str(limit.seconds)
    return private(response)


def line_problems(groups: list[ProducerGroup]) -> list[str]:
    """Messages for lines that cannot be sent as they are: below their product's minimum
    (raised since they were added), a visit without its date or with a past one."""
    return [problem for group in groups for line in group.lines for problem in line.problems()]


@dataclass
class ListGroup:
    """A producer's lines on the list page, each with its quantity form."""

    producer: ProducerPage  # in the visitor's language
    group: ProducerGroup
    rows: list[tuple[Line, UpdateQuantityForm]]


def line_form(
    inquiry_list: InquiryList, line: Line, bound: UpdateQuantityForm | None = None
) -> UpdateQuantityForm:
    form = bound or UpdateQuantityForm(
        initial={"product": line.product.pk, "quantity": line.quantity, **visit_initial(line)},
        inquiry_list=inquiry_list,
    )
    form.auto_id = f"line-{line.product.pk}-%s"
    form.fields["quantity"].widget.attrs["min"] = line.product.minimum_order_quantity
    if line.is_visit:
        form.for_visit()
    else:
        form.fields["quantity"].widget.attrs["required"] = True
    if bound is not None:
        # Its errors were made before it had the line's ids: point them at the inputs.
        for name, errors in bound.errors.items():
            if name in bound.fields:
                errors.field_id = bound[name].auto_id
    return form


def visit_initial(line: Line) -> dict:
    """A visit line's details for its form; a new one's language is the page's."""
    if not line.is_visit:
        return {}
    if line.visit is None:
        return {"visit_language": get_language()}
    return {
        "visit_date": line.visit.date,
        "party_size": line.visit.party_size,
        "visit_language": line.visit.language or get_language(),
    }


def list_groups(
    inquiry_list: InquiryList, invalid: UpdateQuantityForm | None = None
) -> list[ListGroup]:
    """The list by producer; the line `invalid` was about shows that form and its errors."""
    invalid_key = invalid.cleaned_data["product"].translation_key if invalid else None
    groups = inquiry_list.groups()
    shown = producers_shown(group.producer for group in groups)
    result = []
    for group in groups:
        rows = []
        for line in group.lines:
            bound = invalid if line.product.translation_key == invalid_key else None
            rows.append((line, line_form(inquiry_list, line, bound)))
        result.append(ListGroup(shown[group.producer.pk], group, rows))
    return result


def render_list(
    request: HttpRequest, inquiry_list: InquiryList, invalid: UpdateQuantityForm | None = None
) -> HttpResponse:
    groups = list_groups(inquiry_list, invalid)
    response = render(
        request,
        "inquiries/list.html",
        {
            "groups": groups,
            "products_url": products_url(),
            "breadcrumbs": breadcrumbs(request, list_crumb(current=True)),
            "seo_title": _("Inquiry list"),
        },
    )
    return private(response)


# The list


@require_GET
def inquiry_list(request: HttpRequest) -> HttpResponse:
    the_list = InquiryList(request.session)
    the_list.prune()
    return render_list(request, the_list)


# Adding, from a product page, a listing card or a search result card


@dataclass(frozen=True)
class Addition:
    product: ProductPage
    total: int  # in the list now (a visit's party)
    message: str  # what the list now holds of it (AddToListForm.summary)


def wants_json(request: HttpRequest) -> bool:
    """Whether the page's script asked (inquiry_list.js); a browser's own form asks for HTML
    (its Accept header ends with */*, which JSON would also match)."""
    return request.get_preferred_type(["text/html", "application/json"]) == "application/json"


def posted_anchor(request: HttpRequest) -> str:
    """The id of the form the addition came from (templatetags.inquiry_list_tags.add_form_id),
    else the product's; "" when neither is one."""
    anchor = request.POST.get("anchor", "")
    if ANCHOR.fullmatch(anchor):
        return anchor
    product_id = request.POST.get("product", "")
    return product_anchor(product_id) if is_id(product_id) else ""


def back_to(request: HttpRequest, anchor: str) -> str:
    """The page the form was on, at the product's form; the list when it is not known."""
    url = next_url(request)
    if url is None:
        return reverse("inquiries:list")
    url = url.split("#", 1)[0]
    return f"{url}#{anchor}" if anchor else url


def save_addition(form: AddToListForm) -> Addition | None:
    """The addition the form asks for, made; None with the form's errors set when not."""
    if not form.is_valid():
        return None
    try:
        total = form.save()
    except ValidationError as error:  # unpublished since the form was checked
        form.add_error(None, error)
        return None
    return Addition(form.cleaned_data["product"], total, form.summary())


def error_messages(form: AddToListForm) -> list[str]:
    return list(dict.fromkeys(e for errors in form.errors.values() for e in errors))


def added_json(addition: Addition, the_list: InquiryList) -> HttpResponse:
    return private(
        JsonResponse(
            {
                "message": addition.message,
                "list_url": reverse("inquiries:list"),
                "list_link": _("See your list"),
                "count": len(the_list),
                "quantity": addition.total,
            }
        )
    )


def refused_json(form: AddToListForm) -> HttpResponse:
    """400: each field's messages (the quantity's are shown at its input), and all of them."""
    errors = {name: list(messages) for name, messages in form.errors.items()}
    return private(
        JsonResponse({"message": " ".join(error_messages(form)), "errors": errors}, status=400)
    )


def rate_limited_json(scope: str) -> HttpResponse:
    limit = ratelimit.limit_for(scope)
    minutes = max(1, limit.seconds // 60)
    # The words of inquiries/rate_limited.html, which the page without JavaScript shows.
    message = ngettext(
        "You have sent many requests in a short time. To protect the producers from spam, "
        "please wait %(counter)s minute and try again.",
        "You have sent many requests in a short time. To protect the producers from spam, "
        "please wait %(counter)s minutes and try again.",
        minutes,
    ) % {"counter": minutes}
    response = JsonResponse({"message": message, "errors": {}}, status=429)
    response["Retry-After"] = str(limit.seconds)
    return private(response)


def add_messages(request: HttpRequest, form: AddToListForm, addition: Addition | None) -> None:
    """The outcome, for the page returned to: tagged with the product's anchor, so that its
    form shows it too (the page opens there), besides the messages at the top."""
    tag = posted_anchor(request)
    if addition is None:
        for error in error_messages(form):
            messages.error(request, error, extra_tags=tag)
        return
    link = format_html(' <a href="{}">{}</a>', reverse("inquiries:list"), _("See your list"))
    messages.success(request, format_html("{}{}", addition.message, link), extra_tags=tag)


@same_origin_post
@require_POST
def add(request: HttpRequest) -> HttpResponse:
    """Add a product from its page or a card: JSON for the page's script, else back to the
    page at the product's form. The forms are on pages served to everyone from the page
    cache, without a CSRF token: the browser's Origin says they come from this site."""
    as_json = wants_json(request)
    if ratelimit.hit(request, "add"):
        return rate_limited_json("add") if as_json else rate_limited(request, "add")
    the_list = InquiryList(request.session)
    form = AddToListForm(request.POST, inquiry_list=the_list)
    addition = save_addition(form)
    if as_json:
        return added_json(addition, the_list) if addition else refused_json(form)
    add_messages(request, form, addition)
    return redirect(back_to(request, posted_anchor(request)))


@require_POST
def update(request: HttpRequest) -> HttpResponse:
    the_list = InquiryList(request.session)
    form = UpdateQuantityForm(request.POST, inquiry_list=the_list)
    if form.is_valid():
        form.save()
        messages.success(request, form.summary())
        return redirect("inquiries:list")
    if form.has_error("product"):
        # A line gone meanwhile (another tab, an unpublished product): nothing to show it on.
        messages.error(request, form.errors["product"][0])
        return redirect("inquiries:list")
    return render_list(request, the_list, invalid=form)


@require_POST
def remove(request: HttpRequest) -> HttpResponse:
    form = RemoveForm(request.POST)
    if form.is_valid():
        product = form.cleaned_data["product"]
        InquiryList(request.session).remove(product)
        messages.success(
            request, _("%(product)s was removed from your list.") % {"product": product.title}
        )
    else:
        messages.error(request, _("This product is not in your list."))
    return redirect("inquiries:list")


# The request form, and what it sent


def unsendable(request: HttpRequest, groups: list[ProducerGroup]) -> HttpResponse | None:
    """Back to the list when there is nothing to send, or a line no longer fits."""
    if not groups:
        messages.info(request, _("Your inquiry list is empty: add products to it first."))
        return redirect("inquiries:list")
    if problems := line_problems(groups):
        for problem in problems:
            messages.error(request, problem)
        return redirect("inquiries:list")
    return None


def submit(
    request: HttpRequest, form: RequestForm, groups: list[ProducerGroup], the_list: InquiryList
) -> HttpResponse:
    # The slot is taken here, in one step with the check: parallel posts of one visitor
    # all passed the quick check in send(), and only the limit's worth may get through.
    if ratelimit.hit(request, "submit"):
        return rate_limited(request, "submit")
    if form.is_spam():
        # Robots get what people get, without anything stored or sent.
        return private(render(request, "inquiries/sent.html", sent_context(request, [])))
    key = form.cleaned_data["key"]
    submit_inquiries(key, groups, form.contact(), get_language())
    _remember(request, SENT_KEYS, key)
    the_list.clear()
    return redirect("inquiries:sent", key=key)


def render_form(
    request: HttpRequest,
    form: RequestForm,
    groups: list[ProducerGroup],
    form_key: str | None = None,
) -> HttpResponse:
    # The key the form was sent with, while it is valid; else a new one for this session.
    if form_key is None and form.is_bound and not form.has_error("key"):
        form_key = form.cleaned_data["key"]
    form_key = form_key or issue_form_key(request)
    shown = producers_shown(group.producer for group in groups)
    response = render(
        request,
        "inquiries/send.html",
        {
            "form": form,
            "form_key": form_key,
            "groups": [(shown[group.producer.pk], group) for group in groups],
            "chosen_place": form.chosen_place(),
            "breadcrumbs": breadcrumbs(request, list_crumb(), Breadcrumb(_("Send your request"))),
            "seo_title": _("Send your request"),
        },
    )
    return private(response)


@require_http_methods(["GET", "POST"])
def send(request: HttpRequest) -> HttpResponse:
    """The request form; sent, it makes one inquiry per producer of the list."""
    the_list = InquiryList(request.session)
    posted = request.method == "POST"
    if posted:
        key = request.POST.get("key", "")
        if already_sent(request, key):  # a double click, the back button
            return redirect("inquiries:sent", key=key)
        if ratelimit.is_limited(request, "submit"):
            return rate_limited(request, "submit")
    groups = the_list.groups()
    if response := unsendable(request, groups):
        return response
    if posted and "show_wards" in request.POST:
        return show_wards(request, groups)
    form = RequestForm(
        request.POST if posted else None,
        issued_keys=session_keys(request, FORM_KEYS),
        language=get_language(),
    )
    if posted and form.is_valid():
        return submit(request, form, groups, the_list)
    return render_form(request, form, groups)


def show_wards(request: HttpRequest, groups: list[ProducerGroup]) -> HttpResponse:
    """The form again as it was filled in, listing the chosen province's wards: the step
    that replaces the ward script without JavaScript. Nothing is checked or sent yet."""
    issued = session_keys(request, FORM_KEYS)
    key = request.POST.get("key", "")
    form = RequestForm(
        initial={name: request.POST.get(name) for name in request.POST if name != "key"},
        issued_keys=issued,
        language=get_language(),
    )
    return render_form(request, form, groups, form_key=key if key in issued else None)


@require_GET
def wards(request: HttpRequest, province: int) -> JsonResponse:
    """The wards and communes of a province, for the request form's script: the same for
    everybody, so caches may keep it."""
    found = places.province(province)
    if found is None:
        raise Http404
    response = JsonResponse({"wards": [[ward.code, ward.name] for ward in found.wards]})
    patch_cache_control(response, public=True, max_age=60 * 60 * 24)
    return response


def sent_context(request: HttpRequest, inquiries: list[Inquiry]) -> dict:
    shown = producers_shown(inquiry.producer for inquiry in inquiries)
    return {
        "inquiries": [
            (
                inquiry,
                shown[inquiry.producer.pk],
                absolute_url(reverse("inquiries:track", args=[inquiry.token])),
            )
            for inquiry in inquiries
        ],
        "email": inquiries[0].email if inquiries else "",
        "breadcrumbs": breadcrumbs(request, Breadcrumb(_("Request sent"))),
        "seo_title": _("Request sent"),
    }


@require_GET
def sent(request: HttpRequest, key: str) -> HttpResponse:
    """The references of a sent request, for the session that sent it only."""
    if key not in session_keys(request, SENT_KEYS):
        raise Http404
    submission = get_object_or_404(Submission, key=key)
    inquiries = list(submission.inquiries.select_related("producer").order_by("pk"))
    return private(render(request, "inquiries/sent.html", sent_context(request, inquiries)))


# Tracking


def confirmed_amount(inquiry: Inquiry) -> int | None:
    """The amount the producer confirmed, while it stands (not after going back to talks)."""
    if inquiry.status in (Status.CONFIRMED, Status.PAID, Status.FULFILLED):
        return inquiry.confirmed_amount_vnd
    return None


def locality_name(inquiry: Inquiry) -> str:
    """Where the inquiry is to be delivered: ward and province, as chosen."""
    return inquiry.delivery_place


def product_urls(request: HttpRequest, inquiry: Inquiry, items: list[InquiryItem]) -> dict:
    """The live product page of each item in the inquiry's language, by item pk: a
    product unpublished or deleted since has no link."""
    keys = {item.product.translation_key for item in items if item.product is not None}
    locale = Locale.objects.filter(language_code=inquiry.language).first()
    if not keys or locale is None:
        return {}
    pages = {
        page.translation_key: page
        for page in ProductPage.objects.live()
        .public()
        .filter(locale=locale, translation_key__in=keys)
    }
    urls = {}
    for item in items:
        page = pages.get(item.product.translation_key) if item.product else None
        if page is not None and (page_url := page.get_url(request)):
            urls[item.pk] = page_url
    return urls


def tracking_context(
    request: HttpRequest, inquiry: Inquiry, cancel_form: CancelReason | None = None
) -> dict:
    producer = producers_shown([inquiry.producer])[inquiry.producer.pk]
    items = list(inquiry.items.all())
    urls = product_urls(request, inquiry, items)
    can_cancel = status.consumer_can_cancel(inquiry)
    return {
        "inquiry": inquiry,
        "producer": producer,
        "items": items,
        "item_rows": [(item, urls.get(item.pk)) for item in items],
        "estimated_total": inquiry.estimated_total_vnd,
        "confirmed_amount": confirmed_amount(inquiry),
        "locality_name": locality_name(inquiry),
        "changes": inquiry.changes.filter(visible_to_consumer=True),
        "explanation": STATUS_EXPLANATIONS.get(inquiry.status, ""),
        "cancel_form": (cancel_form or CancelReason()) if can_cancel else None,
        "breadcrumbs": breadcrumbs(request, Breadcrumb(inquiry.reference)),
        "seo_title": _("Order inquiry %(reference)s") % {"reference": inquiry.reference},
    }


def render_track(
    request: HttpRequest, inquiry: Inquiry, cancel_form: CancelReason | None = None
) -> HttpResponse:
    status_code = 400 if cancel_form is not None and cancel_form.errors else 200
    response = render(
        request,
        "inquiries/track.html",
        tracking_context(request, inquiry, cancel_form),
        status=status_code,
    )
    # The link is the key to the page: never send it on to sites linked from it. Not
    # "no-referrer": browsers then send "Origin: null" with the page's own forms ("Pay by
    # card"), which Django's CSRF check refuses.
    response["Referrer-Policy"] = "same-origin"
    return private(response)


def inquiry_by_token(token: str) -> Inquiry:
    return get_object_or_404(
        Inquiry.objects.select_related("producer").prefetch_related("items__product"),
        token=token,
    )


@require_GET
def track(request: HttpRequest, token: str) -> HttpResponse:
    """One inquiry, for whoever holds its secret link."""
    return render_track(request, inquiry_by_token(token))


@require_POST
def cancel(request: HttpRequest, token: str) -> HttpResponse:
    """The consumer withdraws their inquiry, with a reason, until the producer confirms."""
    inquiry = inquiry_by_token(token)
    if ratelimit.hit(request, "cancel"):
        return rate_limited(request, "cancel")
    if not status.consumer_can_cancel(inquiry):
        messages.error(request, status.why_not_cancellable(inquiry))
        return redirect("inquiries:track", token=token)
    form = CancelReason(request.POST)
    if not form.is_valid():
        return render_track(request, inquiry, cancel_form=form)
    try:
        status.cancel_by_consumer(inquiry, form.note())
    except ValidationError as error:  # the producer confirmed it meanwhile
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            _("Your request %(reference)s is cancelled. We have told the producer.")
            % {"reference": inquiry.reference},
        )
    return redirect("inquiries:track", token=token)


# Finding a request again


def find_context(request: HttpRequest, form: FindRequest, **extra) -> dict:
    return {
        "form": form,
        "breadcrumbs": breadcrumbs(request, Breadcrumb(_("Find my request"))),
        "seo_title": _("Find my request"),
        **extra,
    }


@require_http_methods(["GET", "POST"])
def find(request: HttpRequest) -> HttpResponse:
    """The tracking link again, for whoever knows the reference and the phone number.

    A wrong phone and an unknown reference get the same answer, so the page tells
    nothing about references to someone who does not have the phone number.
    """
    if request.method == "GET":
        return private(render(request, "inquiries/find.html", find_context(request, FindRequest())))
    if ratelimit.hit(request, "find"):
        return rate_limited(request, "find")
    form = FindRequest(request.POST)
    if not form.is_valid():
        response = render(request, "inquiries/find.html", find_context(request, form), status=400)
        return private(response)
    reference = form.cleaned_data["reference"]
    if ratelimit.hit_value("find_reference", reference):
        return rate_limited(request, "find_reference")
    inquiry = find_inquiry(reference, form.cleaned_data["phone"])
    if inquiry is None:
        context = find_context(request, form, not_found=True)
        return private(render(request, "inquiries/find.html", context))
    if delivery := emails.tracking_link_delivery(inquiry):
        enqueue_with_transaction(send_email, delivery.pk)
    context = find_context(
        request,
        FindRequest(),
        found=inquiry,
        producer=producers_shown([inquiry.producer])[inquiry.producer.pk],
        tracking_url=reverse("inquiries:track", args=[inquiry.token]),
    )
    response = render(request, "inquiries/find.html", context)
    response["Referrer-Policy"] = "same-origin"
    return private(response)


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "inquiries/privacy.html",
        {
            "retention_months": RETENTION_MONTHS,
            "breadcrumbs": breadcrumbs(request, Breadcrumb(_("Privacy notice"))),
            "seo_title": _("Privacy notice for order inquiries"),
        },
    )
