"""How the producer reaches a consumer: WhatsApp for visitors from abroad."""

from django import template

from marketplace.core.fields import is_vietnamese_phone
from marketplace.core.fields import whatsapp_url as chat_url

register = template.Library()


@register.filter
def whatsapp_url(e164: str) -> str:
    """+447700900123 → "https://wa.me/447700900123"."""
    return chat_url(e164)


@register.filter
def is_vietnamese(e164: str) -> bool:
    return is_vietnamese_phone(e164 or "")
