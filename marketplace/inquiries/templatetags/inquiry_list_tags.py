"""What the add-to-list forms show of their last addition (views.add_messages)."""

from collections import Counter
from dataclasses import dataclass

from django import template
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message

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
