"""The add-to-list forms: their ids on a page, what they show of their last addition
(views.add_messages), and the cards' buttons kept rendered."""

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from django import template
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from marketplace.inquiries.inquiry_list import product_anchor as anchor_of

register = template.Library()


@dataclass(frozen=True)
class Outcome:
    messages: list[Message]

    @property
    def refused(self) -> bool:
        return any(message.level >= constants.ERROR for message in self.messages)


@register.simple_tag(takes_context=True)
def add_form_id(context: template.Context, product_id: object) -> str:
    """The id of an add form of this product, unique on the page: a product may be shown
    twice (the home page's sections). The same on the page returned to, rendered alike."""
    anchor = anchor_of(product_id)
    request = context.get("request")
    if request is None:
        return anchor
    shown = request.__dict__.setdefault("_add_form_ids", Counter())
    shown[anchor] += 1
    return anchor if shown[anchor] == 1 else f"{anchor}-{shown[anchor]}"


@register.simple_tag(takes_context=True)
def add_outcome(context: template.Context, form_id: str) -> Outcome:
    """The messages about the addition sent from this form (views.add_messages), to show at
    the form as well as at the top of the page: without JavaScript the page comes back
    scrolled to the form."""
    messages = context.get("messages", ())
    return Outcome([m for m in messages if form_id in (m.extra_tags or "").split()])


BUTTON_TEMPLATE = "inquiries/includes/add_to_list_button.html"
# What a kept button holds in place of its request's form id and address to return to.
FORM_ID_SLOT = "add-form-id-slot"
NEXT_SLOT = "add-form-next-slot"


@register.simple_tag(takes_context=True)
def add_button(
    context: template.Context,
    product_id: object,
    title: str,
    availability: str,
    minimum: int | None = None,
    visit_url: str = "",
) -> SafeString:
    """A card's add button (BUTTON_TEMPLATE). Its text is rendered once per process for each
    product, language and contents, then given this request's form id and address: 24 cards'
    forms were three quarters of a listing's rendering. Rendered whole where the form shows
    the outcome of an addition made without JavaScript."""
    button = kept_button(get_language(), product_id, title, availability, minimum, visit_url)
    if FORM_ID_SLOT not in button:  # no form: out of stock, or a link to choose a date
        return mark_safe(button)
    form_id = add_form_id(context, product_id)
    request = context.get("request")
    next_path = request.get_full_path() if request is not None else ""
    outcome = add_outcome(context, form_id)
    if outcome.messages:
        return render_button(
            product_id, title, availability, minimum, visit_url, form_id, next_path, outcome
        )
    return mark_safe(button.replace(FORM_ID_SLOT, form_id).replace(NEXT_SLOT, escape(next_path)))


@lru_cache(maxsize=4096)
def kept_button(
    language: str | None,
    product_id: object,
    title: str,
    availability: str,
    minimum: int | None,
    visit_url: str,
) -> str:
    """The button with slots for the request's parts; `language` is the key of the
    translations and addresses it was rendered in (the active one)."""
    return render_button(
        product_id, title, availability, minimum, visit_url, FORM_ID_SLOT, NEXT_SLOT, Outcome([])
    )


def render_button(
    product_id: object,
    title: str,
    availability: str,
    minimum: int | None,
    visit_url: str,
    form_id: str,
    next_path: str,
    outcome: Outcome,
) -> SafeString:
    return render_to_string(
        BUTTON_TEMPLATE,
        {
            "product_id": product_id,
            "title": title,
            "availability": availability,
            "minimum": minimum,
            "visit_url": visit_url,
            "form_id": form_id,
            "next": next_path,
            "outcome": outcome,
        },
    )
