"""Product cards for the pages of other apps (producer and craft village pages).

Producers sit below products: their templates ask for product cards here, so that the
producers app never imports products.
"""

from collections.abc import Iterable

from django import template
from wagtail.models import Locale

from producers.models import ProducerPage
from products import queries
from products.models import ProductPage

register = template.Library()


@register.simple_tag
def producer_product_cards(producer_page: ProducerPage) -> list[ProductPage]:
    """`{% producer_product_cards page as products %}`: the producer's live products."""
    return queries.producer_product_cards(producer_page)


@register.simple_tag
def product_cards_of_producers(
    producers: Iterable[ProducerPage], locale: Locale | int
) -> list[ProductPage]:
    """`{% product_cards_of_producers producers page.locale_id as products %}`."""
    return queries.product_cards_of_producers(producers, locale)
