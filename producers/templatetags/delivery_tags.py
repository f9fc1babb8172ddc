"""A producer's delivery area and fee, for the pages that come before sending a request."""

from django import template

from producers.delivery import delivery_terms, is_outside
from producers.models import ProducerPage

register = template.Library()


@register.inclusion_tag("producers/includes/delivery_terms.html")
def producer_delivery(producer: ProducerPage, place: tuple | None = None) -> dict:
    """`place` is the (province code, ward code) chosen on the request form, if any: the
    note "outside the usual area" shows when it is (and the ward script keeps it current)."""
    terms = delivery_terms(producer)
    province_code, ward_code = place or (None, None)
    return {
        "producer": producer,
        "terms": terms,
        "outside": is_outside(terms, province_code, ward_code),
    }
