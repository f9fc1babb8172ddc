from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from marketplace.base import health
from marketplace.base import views as base_views
from marketplace.base.sign_in import ThrottledPasswordResetView
from marketplace.core import kept_routes
from marketplace.core.url_segments import localized_route
from marketplace.inquiries import webhooks as inquiry_webhooks

# Wagtail's own, in their order (its /_util/ views before the pages), but its page view is
# the same view keeping each address's route while the content is unchanged.
WAGTAIL_PATTERNS = [
    re_path(wagtail_urls.serve_pattern, kept_routes.serve, name="wagtail_serve")
    if getattr(pattern, "name", None) == "wagtail_serve"
    else pattern
    for pattern in wagtail_urls.urlpatterns
]

urlpatterns = [
    path("django-admin/", admin.site.urls),
    # Before Wagtail's own: the same form, with a limit on the emails it sends.
    path(
        "admin/password_reset/",
        ThrottledPasswordResetView.as_view(),
        name="wagtailadmin_password_reset",
    ),
    # Before Wagtail's: the admin views it scopes to what a producer may see.
    path("admin/", include("producers.admin_urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", base_views.sitemap, name="sitemap"),
    path("robots.txt", base_views.robots_txt, name="robots_txt"),
    # For load balancers: no language, never cached (marketplace/base/health.py).
    path("health/live", health.live, name="health_live"),
    path("health/ready", health.ready, name="health_ready"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/search/", include("search.api_urls")),
    # Stripe calls it without a language prefix; the view is CSRF-exempt.
    path("stripe/webhook/", inquiry_webhooks.stripe_webhook, name="stripe_webhook"),
]

if settings.SERVE_MEDIA:
    urlpatterns.append(
        re_path(
            r"^media/(?P<path>.*)$",
            base_views.public_media,
        )
    )

urlpatterns += i18n_patterns(
    # Each language's words (/vi/tim-kiem/, /en/search/): marketplace/core/url_segments.py.
    path(localized_route("search/"), include("search.urls")),
    path(localized_route("collections/"), include("marketplace.curation.urls")),
    path(localized_route("certificates/"), include("marketplace.certificates.urls")),
    path("", include("marketplace.inquiries.urls")),
    path("", include("marketplace.reviews.urls")),
    path("", include(WAGTAIL_PATTERNS)),
    prefix_default_language=True,
)

handler400 = "marketplace.base.views.bad_request"
handler404 = "marketplace.base.views.page_not_found"
handler500 = "marketplace.base.views.server_error"
