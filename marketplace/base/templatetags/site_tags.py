"""Template tags and filters of the public site: navigation, language switcher, formatting."""

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils import translation
from django.utils.dates import MONTHS
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from wagtail.images.models import Filter, Picture
from wagtail.images.shortcuts import get_renditions_or_not_found
from wagtail.models import Page, Site

from marketplace.base.models import HomePage, SiteFooter
from marketplace.core.fields import format_vietnamese_phone, whatsapp_url
from marketplace.core.models import CustomImage
from marketplace.core.money import vnd
from marketplace.core.navigation import page_links
from marketplace.core.page_cache import kept_while_unchanged
from marketplace.core.url_segments import route_sub_path, translated_subpath
from producers.models import ProducerIndexPage
from products.models import ProductIndexPage, ProductPage

register = template.Library()


@dataclass(frozen=True)
class LocaleNavigation:
    """The URLs of the pages every page links to, in one language."""

    home: str
    products: str = ""
    producers: str = ""
    craft_villages: str = ""


@dataclass(frozen=True)
class NavigationItem:
    label: str
    url: str
    is_current: bool  # the page itself
    is_active: bool  # the page or one below it


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str
    url: str
    is_current: bool


def locale_navigation(request: HttpRequest | None) -> dict[str, LocaleNavigation]:
    """Home and index page URLs of every language: one query while the content is
    unchanged (kept per host, as a page's URL may be absolute from another site)."""
    cached = getattr(request, "_locale_navigation", None)
    if cached is None:
        host = request.get_host() if request is not None else None
        cached = kept_while_unchanged(
            ("locale_navigation", host), lambda: _read_locale_navigation(request)
        )
        if request is not None:
            request._locale_navigation = cached
    return cached


def _read_locale_navigation(request: HttpRequest | None) -> dict[str, LocaleNavigation]:
    urls: dict[str, dict[str, str]] = {code: {} for code, _name in settings.LANGUAGES}
    pages = (
        Page.objects.live()
        .type(HomePage, ProductIndexPage, ProducerIndexPage)
        .filter(depth__lte=3)
        .select_related("locale")
        .order_by("path")
    )
    for page in pages:
        url = page.get_url(request)
        language = urls.setdefault(page.locale.language_code, {})
        if url is None:
            continue
        if page.specific_class is HomePage:
            language.setdefault("home", url)
        elif page.specific_class is ProductIndexPage:
            language.setdefault("products", url)
        elif page.specific_class is ProducerIndexPage:
            language.setdefault("producers", url)
            # In the page's language's words (url_segments), whatever the request's.
            with translation.override(page.locale.language_code):
                villages = ProducerIndexPage.get_resolver().reverse("craft_village_list")
            language.setdefault("craft_villages", url + villages)
    return {
        code: LocaleNavigation(home=found.pop("home", f"/{code}/"), **found)
        for code, found in urls.items()
    }


def current_navigation(request: HttpRequest | None) -> LocaleNavigation:
    language = translation.get_language() or settings.LANGUAGE_CODE
    navigation = locale_navigation(request)
    return navigation.get(language) or navigation[settings.LANGUAGE_CODE]


@register.simple_tag(takes_context=True)
def home_url(context: template.Context) -> str:
    return current_navigation(context.get("request")).home


def in_section(path: str, url: str) -> bool:
    return bool(url) and path.startswith(url)


@register.simple_tag(takes_context=True)
def primary_navigation(context: template.Context) -> list[NavigationItem]:
    request = context.get("request")
    navigation = current_navigation(request)
    path = request.path if request is not None else ""
    # Product pages live below their producer, and craft villages are a route of the
    # producer index: either way only one item is active.
    on_product = isinstance(context.get("page"), ProductPage)
    in_craft_villages = in_section(path, navigation.craft_villages)
    in_producers = in_section(path, navigation.producers)
    sections = [
        (_("Products"), navigation.products, in_section(path, navigation.products) or on_product),
        (
            _("Producers"),
            navigation.producers,
            in_producers and not (in_craft_villages or on_product),
        ),
        (_("Craft villages"), navigation.craft_villages, in_craft_villages),
    ]
    return [
        NavigationItem(label=label, url=url, is_current=path == url, is_active=active)
        for label, url, active in sections
        if url
    ]


def translated_page_urls(request: HttpRequest | None, page: Page) -> dict[str, str]:
    """Language code → URL of the page's live translations.

    On a routable page's sub-route (danh-muc/<slug>/, lang-nghe/<slug>/) the
    translated index page gets the same route, in its language's words.
    """
    sub_path = route_sub_path(page, request)
    urls = {}
    for translated in page.get_translations().live().select_related("locale"):
        url = translated.get_url(request)
        if url:
            urls[translated.locale.language_code] = url + (
                translated_subpath(page, sub_path, translated) if sub_path else ""
            )
    return urls


@register.simple_tag(takes_context=True)
def language_links(context: template.Context) -> list[LanguageLink]:
    """A link per language to this page in that language, or else to that language's home."""
    request = context.get("request")
    page = context.get("page")
    current = translation.get_language() or settings.LANGUAGE_CODE
    translated = {}
    if isinstance(page, Page) and page.pk:
        where = (request.get_host(), request.path) if request is not None else None
        translated = kept_while_unchanged(
            ("translated_page_urls", page.pk, where), lambda: translated_page_urls(request, page)
        )
    navigation = locale_navigation(request)
    links = []
    for code, name in settings.LANGUAGES:
        if code == current and request is not None:
            url = request.get_full_path()
        else:
            url = translated.get(code) or _translated_view_url(request, page, code)
            url = url or navigation[code].home
        links.append(LanguageLink(code=code, name=name, url=url, is_current=code == current))
    return links


def _translated_view_url(request, page, code: str) -> str:
    """The same Django view (search, inquiry list…) in language `code`, query included."""
    match = getattr(request, "resolver_match", None)
    if page is not None or match is None or match.url_name == "wagtail_serve":
        return ""
    url = translate_url(request.get_full_path(), code)
    return "" if url == request.get_full_path() else url


register.simple_tag(page_links, name="page_links")


@register.simple_tag
def site_tagline() -> str:
    return str(settings.SITE_TAGLINE)


register.filter("vnd", vnd)


@register.simple_tag
def product_price(product: ProductPage) -> str:
    if product.price_on_request or product.price_vnd is None:
        return str(_("Price on request"))
    return vnd(product.price_vnd)


def image_format(spec: str) -> str:
    """ "format-webp|max-480x480" → "webp"."""
    return next((op[len("format-") :] for op in spec.split("|") if op.startswith("format-")), "")


@register.simple_tag
def responsive_picture(image: CustomImage | None, spec: str, **attrs) -> SafeString | str:
    """{% picture %} with several sizes: spec e.g. "format-{webp,jpeg}|max-{480x480,960x960}".

    Wagtail never enlarges an image: from a small original, the larger sizes come out as
    wide as the smaller ones, and a srcset with two candidates of the same width is
    invalid HTML. Those duplicates are left out.
    """
    if not image:
        return ""
    renditions = get_renditions_or_not_found(image, Filter.expand_spec(spec))
    unique, seen = {}, set()
    for rendition_spec, rendition in renditions.items():
        key = (image_format(rendition_spec), rendition.width)
        if key not in seen:
            seen.add(key)
            unique[rendition_spec] = rendition
    if len(unique) == len({image_format(rendition_spec) for rendition_spec in unique}):
        # One size left: no width descriptors, so `sizes` would be invalid too.
        attrs.pop("sizes", None)
    return Picture(unique, attrs).__html__()


@register.filter
def alt_text(image: CustomImage | None) -> str:
    """The image's alt text in the active language."""
    if image is None:
        return ""
    return image.alt_for(translation.get_language() or settings.LANGUAGE_CODE)


@register.filter
def phone(e164: str) -> str:
    """+84905123456 → "0905 123 456"."""
    return format_vietnamese_phone(e164)


@register.filter
def tel_uri(number: str) -> str:
    """A typed number ("0235 3867 123") as a tel: URI wants it: digits and a leading +."""
    return "".join(ch for ch in number or "" if ch.isdigit() or ch == "+")


@register.filter
def zalo_url(e164: str) -> str:
    """Zalo's chat link takes the number's digits with the country code: zalo.me/84905123456."""
    digits = "".join(ch for ch in e164 or "" if ch.isdigit())
    return f"https://zalo.me/{digits}" if digits else ""


register.filter("whatsapp_url", whatsapp_url)


@register.filter
def month_names(months) -> str:
    """[5, 6, 7] → "May, June, July", in the active language."""
    try:
        names = [str(MONTHS[int(month)]) for month in months or [] if 1 <= int(month) <= 12]
    except (TypeError, ValueError):
        return ""
    return ", ".join(names)


@register.filter
def star_symbols(stars) -> str:
    try:
        return "★" * int(stars)
    except (TypeError, ValueError):
        return ""


@register.simple_tag(takes_context=True)
def office_name(context: template.Context) -> str:
    """The office's name in the current language, as the footer settings give it (for
    pages and texts that name the office: one name, edited in one place)."""
    request = context.get("request")
    request_site = Site.find_for_request(request) if request else None
    site = request_site or Site.objects.filter(is_default_site=True).first()
    if site is None:
        return (
            settings.OFFICE_NAME_EN if translation.get_language() == "en" else settings.OFFICE_NAME
        )
    # for_request: the one the page's header read already (kept on the request).
    footer = SiteFooter.for_request(request) if request_site else SiteFooter.for_site(site)
    if translation.get_language() == "en" and footer.office_name_en:
        return footer.office_name_en
    return footer.office_name
