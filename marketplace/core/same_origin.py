"""A form post accepted from the site's own pages without a CSRF token.

For a form on a page served to everyone from the page cache (marketplace.core.page_cache):
a token would be one visitor's, so the page carries none. The browser says where the post
comes from instead: `Origin` (every current browser sends it with a POST), else
`Sec-Fetch-Site`. Only when it names neither is the usual token checked, so a request
naming no origin is as safe as before. Fit only for a post whose worst effect on a forged
request is harmless, such as adding a product to the visitor's own inquiry list.
"""

from collections.abc import Callable

from django.http import HttpResponse
from django.middleware.csrf import REASON_BAD_ORIGIN, CsrfViewMiddleware
from django.utils.decorators import decorator_from_middleware
from django.views.decorators.csrf import csrf_exempt

SAME_ORIGIN_FETCH = "same-origin"


class SameOriginMiddleware(CsrfViewMiddleware):
    """Django's CSRF check, accepting a post from the same origin without a token.

    Its origin comparison (the request's scheme and host, CSRF_TRUSTED_ORIGINS) is
    Django's own; a cross-origin post is refused with Django's CSRF failure page.
    """

    def process_view(self, request, callback, callback_args, callback_kwargs):
        if request.method in ("GET", "HEAD", "OPTIONS", "TRACE"):
            return super().process_view(request, callback, callback_args, callback_kwargs)
        if "HTTP_ORIGIN" in request.META:
            if self._origin_verified(request):
                return self._accept(request)
            return self._reject(request, REASON_BAD_ORIGIN % request.META["HTTP_ORIGIN"])
        fetch_site = request.META.get("HTTP_SEC_FETCH_SITE")
        if fetch_site is not None:
            if fetch_site == SAME_ORIGIN_FETCH:
                return self._accept(request)
            return self._reject(request, f"Sec-Fetch-Site is {fetch_site}.")
        return super().process_view(request, callback, callback_args, callback_kwargs)


def same_origin_post(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The view, exempt from the site-wide token check, behind SameOriginMiddleware."""
    checked = csrf_exempt(decorator_from_middleware(SameOriginMiddleware)(view))
    checked.checks_origin = True  # its fields are form fields (core.nul_bytes reads them)
    return checked
