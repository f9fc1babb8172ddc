"""Tags for templates/includes/seo_head.html; the metadata itself comes from base.seo."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from wagtail.models import Page

from marketplace.base.seo import PageMetadata, page_metadata, to_json_ld

register = template.Library()


def visible_breadcrumbs(context: template.Context) -> list[tuple[str, str]] | None:
    """The page's own breadcrumbs (objects with `title` and `url`), if the view gave any."""
    crumbs = [
        (str(crumb.title), getattr(crumb, "url", "") or "")
        for crumb in context.get("breadcrumbs") or []
        if getattr(crumb, "title", "")
    ]
    return crumbs or None


@register.simple_tag(takes_context=True)
def seo_metadata(context: template.Context) -> PageMetadata:
    """Metadata of the context's `page`; views may pass `seo_title`/`seo_description`."""
    page = context.get("page")
    return page_metadata(
        page if isinstance(page, Page) else None,
        context.get("request"),
        title=str(context.get("seo_title") or ""),
        description=str(context.get("seo_description") or ""),
        breadcrumbs=visible_breadcrumbs(context),
    )


@register.simple_tag
def json_ld(data: dict) -> SafeString:
    # to_json_ld escapes "<", ">" and "&", so the data cannot close the element.
    return format_html(
        '<script type="application/ld+json">{}</script>', mark_safe(to_json_ld(data))
    )
