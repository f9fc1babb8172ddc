from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from marketplace.core.page_cache import shared_fragment


def fragment(request: HttpRequest) -> dict:
    """`fragment` for `{% cache fragment.seconds name fragment.version … using="pages" %}`
    around parts that are the same for every visitor (page_cache.shared_fragment); read
    only by templates that keep such a part."""
    return {"fragment": SimpleLazyObject(lambda: shared_fragment(request))}
