from collections import defaultdict

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from marketplace.base.seo import language_order, live_translations, route_alternates
from producers.models import CraftVillage, ProducerIndexPage
from products.models import ProductCategory, ProductIndexPage


def translation_alternates(pages: list[Page], request: HttpRequest | None) -> dict[str, list]:
    """hreflang alternates of each page URL, for pages that exist in several languages."""
    translations = defaultdict(list)
    live_translations = (
        Page.objects.live()
        .public()
        .filter(translation_key__in={page.translation_key for page in pages})
        .select_related("locale")
    )
    for page in live_translations:
        url = page.get_full_url(request)
        if url:
            translations[page.translation_key].append((page.locale.language_code, url))

    alternates_by_url = {}
    for versions in translations.values():
        if len(versions) < 2:
            continue
        versions.sort(key=lambda version: language_order(version[0]))
        alternates = [{"lang_code": code, "location": url} for code, url in versions]
        default_url = dict(versions).get(settings.LANGUAGE_CODE)
        if default_url:
            alternates.append({"lang_code": "x-default", "location": default_url})
        for _code, url in versions:
            alternates_by_url[url] = alternates
    return alternates_by_url


def listed_categories(index: ProductIndexPage):
    """Categories of the index's language that have live products, directly or below."""
    return (
        ProductCategory.objects.filter(locale=index.locale_id)
        .filter(Q(products__live=True) | Q(subcategories__products__live=True))
        .distinct()
    )


def subpage_urls(page: Page, request: HttpRequest | None) -> list[dict]:
    """The pages a routable index serves itself: categories and craft villages."""
    if isinstance(page, ProductIndexPage):
        routes = [("category", category.slug) for category in listed_categories(page)]
    elif isinstance(page, ProducerIndexPage):
        villages = CraftVillage.objects.filter(locale=page.locale_id)
        routes = [("craft_village_list", None)]
        routes += [("craft_village", village.slug) for village in villages]
    else:
        return []
    base_url = page.get_full_url(request)
    if not base_url:
        return []
    translations = live_translations(page)
    urls = []
    for name, slug in routes:
        route = page.reverse_subpage(name, kwargs={"slug": slug} if slug else None)
        alternates = route_alternates(page, route, request, translations)
        urls.append(
            {
                "location": base_url + route,
                "alternates": [
                    {"lang_code": alternate.hreflang, "location": alternate.url}
                    for alternate in alternates
                ],
            }
        )
    return urls


class AllLanguagesSitemap(Sitemap):
    """Wagtail's sitemap lists only the site root's tree; ours lists every language's,
    with hreflang alternates and the category and craft-village pages."""

    def items(self):
        root = self.get_wagtail_site().root_page
        roots = root.get_translations(inclusive=True)
        pages = Page.objects.none()
        for translated_root in roots:
            pages |= Page.objects.descendant_of(translated_root, inclusive=True)
        return pages.live().public().order_by("path").defer_streamfields().specific()

    def _urls(self, page, protocol, domain):
        pages = list(self.paginator.page(page).object_list)
        alternates = translation_alternates(pages, self.request)
        urls = []
        last_mods = set()
        for item in pages:
            for url_info in item.get_sitemap_urls(self.request):
                url_info.setdefault("alternates", alternates.get(url_info["location"], []))
                urls.append(url_info)
                last_mods.add(url_info.get("lastmod"))
            # A listing changes when its products do, so the pages' dates cover it.
            urls.extend(subpage_urls(item, self.request))
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        return urls
