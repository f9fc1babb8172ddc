"""What the add-to-list forms show of their last addition (views.add_messages)."""

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


@register.filter
def product_anchor(product_id: object) -> str:
    return anchor_of(product_id)


@register.simple_tag(takes_context=True)
def add_outcome(context: template.Context, product_id: object) -> Outcome:
    """The messages about adding this product, to show at its form as well as at the top
    of the page: without JavaScript the page comes back scrolled to the form."""
    tag = anchor_of(product_id)
    return Outcome([m for m in context.get("messages", ()) if tag in (m.extra_tags or "").split()])
