"""Metadata for search engines and social networks, built from pages as plain values.

Everything here is a pure function of a page and the request: the template tags in
`marketplace.base.templatetags.seo_tags` only turn the results into HTML. Every URL is
on the site's public address (PUBLIC_BASE_URL): page URLs through Wagtail's Site record,
which follows it, other paths through `marketplace.core.site_address.absolute_url`.
"""

import json
from dataclasses import dataclass, field

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest
from django.utils import translation
from django.utils.encoding import escape_uri_path
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.images.models import SourceImageIOError
from wagtail.models import Page, Site

from marketplace.base.models import HomePage
from marketplace.core import rendition_specs
from marketplace.core.models import CustomImage
from marketplace.core.site_address import absolute_url
from marketplace.core.url_segments import route_sub_path, translated_subpath
from producers.models import ProducerPage
from products.models import ProductPage

SCHEMA_ORG = "https://schema.org"
# Open Graph wants a territory; Vietnamese pages are for Vietnam, English ones for anyone.
OG_LOCALES = {"vi": "vi_VN", "en": "en_US"}
# Large enough for every social network's card, never upscaled, never cropped.
SHARE_IMAGE_SPEC = rendition_specs.SHARE
DESCRIPTION_MAX_LENGTH = 300
# Điện Bàn has been part of Đà Nẵng city since the 2025 merger with Quảng Nam.
ADDRESS_REGION = "Đà Nẵng"
ADDRESS_COUNTRY = "VN"
AVAILABILITY = {
    ProductPage.Availability.IN_STOCK: f"{SCHEMA_ORG}/InStock",
    ProductPage.Availability.OUT_OF_STOCK: f"{SCHEMA_ORG}/OutOfStock",
    ProductPage.Availability.MADE_TO_ORDER: f"{SCHEMA_ORG}/MadeToOrder",
    # Sold only in some months: on sale, but not all year round.
    ProductPage.Availability.SEASONAL: f"{SCHEMA_ORG}/LimitedAvailability",
}
# The fields, in order of preference, that describe a page when search_description is empty.
DESCRIPTION_FIELDS = ("short_description", "summary", "intro", "hero_text")


@dataclass(frozen=True)
class Alternate:
    hreflang: str
    url: str


@dataclass(frozen=True)
class ShareImage:
    url: str
    alt: str
    width: int
    height: int


@dataclass
class PageMetadata:
    title: str  # the <title>, with the site name
    og_title: str  # the page's own title, without the site name
    description: str
    site_name: str
    language: str
    canonical_url: str = ""
    og_type: str = "website"
    alternates: list[Alternate] = field(default_factory=list)
    image: ShareImage | None = None
    structured_data: list[dict] = field(default_factory=list)
    noindex: bool = False

    @property
    def og_locale(self) -> str:
        return OG_LOCALES.get(self.language, self.language)

    @property
    def og_locale_alternates(self) -> list[str]:
        return [
            OG_LOCALES.get(alternate.hreflang, alternate.hreflang)
            for alternate in self.alternates
            if alternate.hreflang not in ("x-default", self.language)
        ]


# Small helpers


def compact(data: dict) -> dict:
    """Drop empty values, so the JSON-LD only states what is known."""
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def site_for(request: HttpRequest | None) -> Site | None:
    site = Site.find_for_request(request) if request is not None else None
    return site or Site.objects.filter(is_default_site=True).first()


def site_name(request: HttpRequest | None) -> str:
    site = site_for(request)
    return (site.site_name if site else "") or settings.WAGTAIL_SITE_NAME


def full_title(title: str, name: str, *, is_home: bool = False) -> str:
    # The home page's title already names the site.
    if is_home or not title:
        return title or name
    return f"{title} – {name}"


def clean_text(text: str) -> str:
    return Truncator(" ".join(str(text).split())).chars(DESCRIPTION_MAX_LENGTH)


def page_description(page: Page) -> str:
    """The search description, else the first descriptive field the page has."""
    for text in (page.search_description, *(getattr(page, f, "") for f in DESCRIPTION_FIELDS)):
        if text and text.strip():
            return clean_text(text)
    return ""


def page_url(page: Page, request: HttpRequest | None) -> str:
    return page.get_full_url(request) or ""


def language_order(language_code: str) -> int:
    """Sort key putting languages in the order of settings.LANGUAGES."""
    codes = [code for code, _name in settings.LANGUAGES]
    return codes.index(language_code) if language_code in codes else len(codes)


def live_translations(page: Page) -> list[Page]:
    """The page and its live translations, in the order of settings.LANGUAGES."""
    if page.pk is None:
        return []
    pages = page.get_translations(inclusive=True).live().select_related("locale")
    return sorted(pages, key=lambda p: language_order(p.locale.language_code))


def hreflang_alternates(page: Page, request: HttpRequest | None) -> list[Alternate]:
    """Links to every language version of the requested address; x-default is the
    Vietnamese one."""
    return route_alternates(page, route_sub_path(page, request), request)


def route_alternates(
    page: Page,
    sub_path: str,
    request: HttpRequest | None,
    translations: list[Page] | None = None,
) -> list[Alternate]:
    """Links to every language version of `page`, or of its sub-route `sub_path` (a
    category, a craft village): there each language's is the same route in its own words
    and slug, where the object it shows is translated. `translations`: the page's
    `live_translations`, when the caller has them."""
    alternates = []
    for translation_page in live_translations(page) if translations is None else translations:
        url = page_url(translation_page, request)
        if url and sub_path:
            route = (
                escape_uri_path(sub_path)
                if translation_page.pk == page.pk
                else translated_subpath(page, sub_path, translation_page)
            )
            url = url + route if route else ""
        if url:
            alternates.append(Alternate(translation_page.locale.language_code, url))
    if len(alternates) < 2:
        return []
    default = next((a for a in alternates if a.hreflang == settings.LANGUAGE_CODE), None)
    if default is not None:
        alternates.append(Alternate("x-default", default.url))
    return alternates


# Images


def page_images(page: Page) -> list[CustomImage]:
    """The images that represent the page, best first."""
    if isinstance(page, ProductPage):
        return [item.image for item in page.gallery_images.select_related("image")]
    if isinstance(page, ProducerPage):
        return [image for image in (page.cover_image, page.logo) if image]
    if isinstance(page, HomePage):
        return [page.hero_image] if page.hero_image else []
    # Index pages and the like share the home page's picture.
    home = HomePage.objects.ancestor_of(page).select_related("hero_image").first()
    return [home.hero_image] if home and home.hero_image else []


def share_image(image: CustomImage, language: str) -> ShareImage | None:
    """An absolute-URL rendition for social cards, or None if the file is missing."""
    try:
        rendition = image.get_rendition(SHARE_IMAGE_SPEC)
    except (SourceImageIOError, OSError):
        return None
    return ShareImage(
        url=absolute_url(rendition.url),
        alt=image.alt_for(language),
        width=rendition.width,
        height=rendition.height,
    )


def share_images(page: Page) -> list[ShareImage]:
    language = page.locale.language_code
    images = (share_image(image, language) for image in page_images(page))
    return [image for image in images if image is not None]


# schema.org structured data


def organization(producer: ProducerPage, request: HttpRequest | None) -> dict:
    return compact(
        {
            "@type": "Organization",
            "name": producer.display_name or producer.title,
            "url": page_url(producer, request) if producer.live else "",
        }
    )


def ocop_award(page: ProductPage) -> str:
    certificate = page.valid_ocop_certificate()
    if certificate is None:
        return ""
    return _("OCOP %(stars)s-star product (%(decision)s)") % {
        "stars": certificate.stars,
        "decision": certificate.decision_number,
    }


def product_offer(page: ProductPage, request: HttpRequest | None, seller: dict) -> dict:
    offer = {
        "@type": "Offer",
        "priceCurrency": "VND",
        "availability": AVAILABILITY.get(page.availability, ""),
        "itemCondition": f"{SCHEMA_ORG}/NewCondition",
        "url": page_url(page, request),
        "seller": seller,
    }
    if not page.price_on_request and page.price_vnd is not None:
        offer["price"] = str(page.price_vnd)
    return compact(offer)


def product_json_ld(page: ProductPage, request: HttpRequest | None) -> dict:
    """A schema.org Product with its offer, made and sold by the producer, and what the
    apps answering the `product_structured_data` hook add (fn(page, request) -> dict:
    the reviews' aggregateRating and review)."""
    producer = page.get_parent().specific
    maker = organization(producer, request) if isinstance(producer, ProducerPage) else {}
    data = compact(
        {
            "@context": SCHEMA_ORG,
            "@type": "Product",
            "name": page.title,
            "description": page_description(page),
            "image": [image.url for image in share_images(page)],
            "url": page_url(page, request),
            "sku": page.traceability_code or str(page.pk),
            "productID": page.traceability_code,
            "category": page.category.name if page.category_id else "",
            "award": ocop_award(page),
            "brand": maker,
            "manufacturer": maker,
            "offers": product_offer(page, request, maker),
        }
    )
    for add_data in hooks.get_hooks("product_structured_data"):
        data.update(compact(add_data(page, request) or {}))
    return data


def producer_json_ld(page: ProducerPage, request: HttpRequest | None) -> dict:
    """A schema.org LocalBusiness (an Organization) with its address and contact details."""
    logo = share_image(page.logo, page.locale.language_code) if page.logo else None
    geo = None
    if page.latitude is not None and page.longitude is not None:
        geo = {
            "@type": "GeoCoordinates",
            "latitude": float(page.latitude),
            "longitude": float(page.longitude),
        }
    return compact(
        {
            "@context": SCHEMA_ORG,
            "@type": ["Organization", "LocalBusiness"],
            "name": page.display_name or page.title,
            "description": page_description(page),
            "url": page_url(page, request),
            "telephone": page.phone,
            "email": page.email,
            "foundingDate": str(page.founded_year) if page.founded_year else "",
            "address": compact(
                {
                    "@type": "PostalAddress",
                    "streetAddress": page.address,
                    "addressLocality": page.locality.name,
                    "addressRegion": ADDRESS_REGION,
                    "addressCountry": ADDRESS_COUNTRY,
                }
            ),
            "geo": geo,
            "logo": logo.url if logo else "",
            "image": [image.url for image in share_images(page)],
            "sameAs": [page.website] if page.website else [],
        }
    )


def tree_trail(page: Page, request: HttpRequest | None) -> list[tuple[str, str]]:
    """(name, URL) from the home page down to the page, following the page tree."""
    if not page.path:
        return []
    ancestors = page.get_ancestors().filter(depth__gte=2).live()
    return [(p.title, page_url(p, request)) for p in [*ancestors, page]]


def breadcrumb_json_ld(trail: list[tuple[str, str]], current_url: str) -> dict | None:
    """A BreadcrumbList of (name, URL) pairs; an empty URL is the current page's."""
    if len(trail) < 2:
        return None
    return {
        "@context": SCHEMA_ORG,
        "@type": "BreadcrumbList",
        "itemListElement": [
            compact(
                {
                    "@type": "ListItem",
                    "position": position,
                    "name": str(name),
                    "item": absolute_url(url) if url else current_url,
                }
            )
            for position, (name, url) in enumerate(trail, start=1)
        ],
    }


def to_json_ld(data: dict) -> str:
    """JSON safe to put inside <script>: no "<", ">" or "&" can end the element."""
    text = json.dumps(data, ensure_ascii=False, cls=DjangoJSONEncoder)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# Putting it together


def canonical_url(page: Page, request: HttpRequest | None) -> tuple[str, bool]:
    """The page's absolute URL, and whether the request is for one of its sub-routes.

    Routable pages (category, craft village) keep their own path; query strings
    (filters, sorting) never make a separate canonical page.
    """
    parts = page.get_url_parts(request)
    if not parts or parts[1] is None:
        return "", False
    _site_id, root_url, path = parts
    if request is not None and request.path != path and request.path.startswith(path):
        return root_url + escape_uri_path(request.path), True
    return root_url + path, False


def page_metadata(
    page: Page | None,
    request: HttpRequest | None,
    *,
    title: str = "",
    description: str = "",
    breadcrumbs: list[tuple[str, str]] | None = None,
) -> PageMetadata:
    """Everything the <head> says about a page.

    `title` and `description` override the page's (for sub-routes such as a category);
    `breadcrumbs`, the (name, URL) trail the page shows, replaces the page tree's.
    """
    name = site_name(request)
    if page is None:
        language = translation.get_language() or settings.LANGUAGE_CODE
        return PageMetadata(
            title=full_title(title, name),
            og_title=title or name,
            description=clean_text(description or settings.SITE_TAGLINE),
            site_name=name,
            language=language,
        )

    page = page.specific_deferred
    canonical, is_subroute = canonical_url(page, request)
    own_title = title or page.seo_title or page.title
    is_home = isinstance(page, HomePage) and not title
    images = share_images(page)
    structured_data = []
    if not is_subroute:
        if isinstance(page, ProductPage):
            structured_data.append(product_json_ld(page, request))
        elif isinstance(page, ProducerPage):
            structured_data.append(producer_json_ld(page, request))
    if breadcrumbs is None:
        breadcrumbs = tree_trail(page, request)
        if is_subroute:
            breadcrumbs.append((own_title, canonical))
    breadcrumb_list = breadcrumb_json_ld(breadcrumbs, canonical)
    if breadcrumb_list:
        structured_data.append(breadcrumb_list)
    return PageMetadata(
        title=full_title(own_title, name, is_home=is_home),
        og_title=own_title,
        description=clean_text(description) if description else page_description(page),
        site_name=name,
        language=page.locale.language_code,
        canonical_url=canonical,
        og_type="product" if isinstance(page, ProductPage) and not is_subroute else "website",
        alternates=hreflang_alternates(page, request),
        image=images[0] if images else None,
        structured_data=structured_data,
        noindex=bool(getattr(request, "is_preview", False)),
    )
