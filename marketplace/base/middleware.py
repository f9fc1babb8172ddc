from django.middleware.locale import LocaleMiddleware

# Paths outside i18n_patterns: a 404 there is final, not a hint to add /vi/.
UNPREFIXED_PATHS = ("/admin/", "/api/", "/django-admin/", "/documents/", "/media/", "/static/")


class SiteLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, except that it never redirects the admin or files.

    Wagtail's catch-all page route makes every /vi/… path "valid", so Django would
    answer a 404 under /admin/ with a redirect to /vi/admin/….
    """

    def process_response(self, request, response):
        if request.path_info.startswith(UNPREFIXED_PATHS):
            return response
        return super().process_response(request, response)
