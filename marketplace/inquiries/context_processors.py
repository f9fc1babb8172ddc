from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from marketplace.inquiries.inquiry_list import InquiryList


def _count(request: HttpRequest) -> int:
    # Without a session cookie there is no list: reading the session would only make
    # every page vary on cookies.
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return 0
    return len(InquiryList(request.session))


def inquiry_list(request: HttpRequest) -> dict:
    """`inquiry_list_count` for the header link; read only by templates that show it."""
    return {"inquiry_list_count": SimpleLazyObject(lambda: _count(request))}
