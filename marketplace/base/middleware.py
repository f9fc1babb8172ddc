"""Site-wide middleware: the locale from the URL, redirects from other languages' URL
words, and the Content-Security-Policy header."""

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings
from django.http import (
    HttpRequest,
    HttpResponseBase,
    HttpResponsePermanentRedirect,
)
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.deprecation import MiddlewareMixin
from django.utils.encoding import escape_uri_path
from wagtail.users.models import UserProfile

from marketplace.core.url_segments import other_language_path

# Paths outside i18n_patterns: a 404 there is final, not a hint to add /vi/.
UNPREFIXED_PATHS = ("/admin/", "/api/", "/django-admin/", "/documents/", "/media/", "/static/")
# Wagtail's and Django's admins: they get CONTENT_SECURITY_POLICY_ADMIN.
ADMIN_PATHS = ("/admin/", "/django-admin/")


def admin_language(user) -> str:
    return UserProfile.get_for_user(user).get_preferred_language()


class SiteLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, except that it never redirects the admin or files.

    Wagtail's catch-all page route makes every /vi/… path "valid", so Django would
    answer a 404 under /admin/ with a redirect to /vi/admin/….
    """

    def process_response(self, request, response):
        if hasattr(request, "language_before_admin"):
            # As Wagtail's own switch does: the thread's language as it was.
            translation.activate(request.language_before_admin)
        if request.path_info.startswith(UNPREFIXED_PATHS):
            return response
        return super().process_response(request, response)

    def process_view(self, request, view_func, view_args, view_kwargs):
        """The admin in its user's language from the start of the request: Wagtail
        switches only around the view, so its "permission denied" message (made outside)
        came in the browser's language."""
        if request.path_info.startswith(ADMIN_PATHS) and request.user.is_authenticated:
            language = admin_language(request.user)
            request.language_before_admin = translation.get_language()
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return None


class HttpResponsePermanentRedirectKeepingMethod(HttpResponsePermanentRedirect):
    # 308: a form posted to an old address is posted again, with its fields, to the new.
    status_code = 308


def localized_address(request: HttpRequest) -> str:
    """The address of this 404 with the URL's language's words ("/vi/search/?q=trà" →
    "/vi/tim-kiem/?q=trà"), or "" when it has no other language's word."""
    language, slash, rest = request.path.lstrip("/").partition("/")
    if not slash or language not in dict(settings.LANGUAGES):
        return ""
    localized = other_language_path(rest, language)
    if localized == rest:
        return ""
    query = request.META.get("QUERY_STRING", "")
    return escape_uri_path(f"/{language}/{localized}") + (f"?{query}" if query else "")


class LocalizedSegmentRedirectMiddleware(MiddlewareMixin):
    """Old or mistyped addresses with another language's route words (/vi/search/,
    /vi/san-pham/category/…, /en/tim-kiem/) answer a permanent redirect to the
    language's own words, the query kept: links in sent emails, printed QR labels and
    search engines' indexes keep working. Only on a 404, so no served page moves.

    Listed before Wagtail's RedirectMiddleware: the editors' own redirects win.
    """

    def process_response(self, request: HttpRequest, response: HttpResponseBase):
        if response.status_code != 404:
            return response
        address = localized_address(request)
        if not address:
            return response
        if request.method in ("GET", "HEAD"):
            return HttpResponsePermanentRedirect(address)
        return HttpResponsePermanentRedirectKeepingMethod(address)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware: CONTENT_SECURITY_POLICY on the public site, and the
    admin's own policy, CONTENT_SECURITY_POLICY_ADMIN, under ADMIN_PATHS.

    The admins need inline scripts and styles (Wagtail's widgets and panels write
    them): the public policy, without them, would break editing.
    """

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        # A view's own @csp(...) still wins: only the site-wide default is swapped.
        if not report_only and parts.config is None and request.path_info.startswith(ADMIN_PATHS):
            parts.config = default_config(settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"])
        return parts
