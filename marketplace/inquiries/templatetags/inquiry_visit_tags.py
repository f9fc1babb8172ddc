"""The visit request form of an experience's page (OCOP group 6): date, party, language."""

from django import template
from django.utils.translation import get_language

from marketplace.inquiries.forms import AddToListForm
from marketplace.inquiries.inquiry_list import InquiryList
from products.models import ProductPage

register = template.Library()

# A first guess the visitor changes: most visits are by couples and small families.
DEFAULT_PARTY_SIZE = 2


@register.simple_tag(takes_context=True)
def visit_request_form(context, product: ProductPage) -> AddToListForm:
    """An add form for `product`, filled in with the visit already asked for, if any."""
    request = context["request"]
    the_list = InquiryList(request.session)
    visit = the_list.visit_of(product) if the_list.quantity_of(product) else None
    initial = {
        "product": product.pk,
        "visit_date": visit.date if visit else None,
        "party_size": visit.party_size if visit else DEFAULT_PARTY_SIZE,
        "visit_language": (visit.language if visit else "") or get_language(),
    }
    form = AddToListForm(initial=initial, inquiry_list=the_list, auto_id="add-to-list-%s")
    return form.for_visit()
