"""How the producer reaches a consumer: WhatsApp for visitors from abroad."""

from django import template

from marketplace.core.fields import is_vietnamese_phone, whatsapp_url

register = template.Library()
register.filter("whatsapp_url", whatsapp_url)


@register.filter
def is_vietnamese(e164: str) -> bool:
    return is_vietnamese_phone(e164 or "")
