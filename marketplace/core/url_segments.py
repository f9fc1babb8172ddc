"""The public URLs' words in each language: /vi/tim-kiem/ and /en/search/ are one route.

The routes are written in English in code (`localized_route("search/")`); under another
language each literal segment is looked up in SEGMENTS. Kept in code, not in the
translation catalogue: a translator's typo or a late-compiled catalogue must not move
or break addresses that are printed on labels and sent in emails. Old addresses (the
English words under /vi/) are redirected from the same table
(marketplace.base.middleware.LocalizedSegmentRedirectMiddleware).

Parameters (<slug:slug>, <str:token>…) and file-like segments (qr.png, qr-svg,
vietqr-png: format names) are left as they are.
"""

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, Resolver404
from django.utils import translation
from django.utils.functional import Promise, lazy
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page

# English segment → its Vietnamese form. English is the routes' own language.
SEGMENTS: dict[str, dict[str, str]] = {
    "vi": {
        "search": "tim-kiem",
        "click": "chon",
        "collections": "bo-suu-tap",
        "certificates": "chung-nhan",
        "label": "nhan",
        "inquiry-list": "danh-sach-hoi-mua",
        "add": "them",
        "update": "cap-nhat",
        "remove": "xoa",
        "send": "gui",
        "sent": "da-gui",
        "find-my-request": "tim-yeu-cau",
        "wards": "phuong-xa",
        "inquiry": "yeu-cau",
        "cancel": "huy",
        "pay": "thanh-toan",
        "card": "the",
        "return": "tro-ve",
        "review": "danh-gia",
        "privacy": "quyen-rieng-tu",
        "category": "danh-muc",
        "craft-villages": "lang-nghe",
    },
}


def segment(english: str, language: str) -> str:
    """The word `english` of a route in `language` (itself where none is given)."""
    return SEGMENTS.get(language, {}).get(english, english)


def route_in(route: str, language: str) -> str:
    """An English route ("inquiry/<str:token>/cancel/") with its words in `language`."""
    return "/".join(
        part if part.startswith("<") else segment(part, language) for part in route.split("/")
    )


def _route_in_active_language(route: str) -> str:
    return route_in(route, translation.get_language() or settings.LANGUAGE_CODE)


_lazy_route = lazy(_route_in_active_language, str)


def localized_route(route: str) -> Promise:
    """A route for django.urls.path() (or a routable page's @path) that takes the active
    language's words: Django compiles and reverses such lazy routes per language."""
    return _lazy_route(route)


def other_language_path(path: str, language: str) -> str:
    """`path` (without its /<language>/ prefix) with words of the other languages
    replaced by `language`'s: "search/click/" → "tim-kiem/chon/" for "vi".

    Every segment is looked up, parameters included: callers only use it for an
    address that found nothing (a 404), where a parameter spelt like a route word
    cannot have been served anyway.
    """
    known = {code: _words(code) for code, _name in settings.LANGUAGES}
    replacements = {}
    for code, words in known.items():
        if code == language:
            continue
        for english, word in words.items():
            replacements.setdefault(word, segment(english, language))
    return "/".join(replacements.get(part, part) for part in path.split("/"))


def _words(language: str) -> dict[str, str]:
    """English word → its form in `language`, for every word of the table."""
    english_words = {word for table in SEGMENTS.values() for word in table}
    return {word: segment(word, language) for word in english_words}


class LocalizedRoutesMixin(RoutablePageMixin):
    """A routable page whose sub-routes (declared with localized_route) take the words of
    the page's own language, whatever language is active: an English index page
    reverses /en/products/category/…, a Vietnamese one /vi/san-pham/danh-muc/…, also
    from the sitemap, an email or the admin.

    A route whose `slug` names a translatable object (`route_slug_models`: url name →
    model) takes, in another language, the slug of that object's translation there."""

    route_slug_models: dict[str, type] = {}

    def reverse_subpage(self, name, args=None, kwargs=None) -> str:
        with translation.override(self.locale.language_code):
            return super().reverse_subpage(name, args=args, kwargs=kwargs)

    def resolve_subpage(self, path):
        with translation.override(self.locale.language_code):
            return super().resolve_subpage(path)

    def route_kwargs_in(self, url_name: str, kwargs: dict, translated: Page) -> dict | None:
        """This page's route `kwargs` as the same route of its translation `translated`;
        None when the object the route shows has no translation there."""
        model = self.route_slug_models.get(url_name)
        if model is None or "slug" not in kwargs:
            return kwargs
        slug = translated_slug(model, kwargs["slug"], self.locale_id, translated.locale_id)
        return None if slug is None else {**kwargs, "slug": slug}


def translated_slug(model: type, slug: str, locale_id: int, to_locale_id: int) -> str | None:
    """The slug, in locale `to_locale_id`, of the translatable object with `slug` in
    `locale_id`; None when either is missing."""
    source = model._default_manager.filter(locale_id=locale_id, slug=slug).only("translation_key")
    return (
        model._default_manager.filter(
            translation_key__in=source.values("translation_key"), locale_id=to_locale_id
        )
        .values_list("slug", flat=True)
        .first()
    )


def route_sub_path(page: Page, request: HttpRequest | None) -> str:
    """The part of the request's path below `page` ("danh-muc/nuoc-mam/"): a sub-route of
    a routable page; "" on the page itself."""
    page_url = page.get_url(request) or ""
    path = request.path if request is not None else ""
    return path[len(page_url) :] if page_url and path.startswith(page_url) else ""


def translated_subpath(page: Page, sub_path: str, translated: Page) -> str:
    """`sub_path` of routable `page` ("danh-muc/nuoc-mam/") as the same route of its
    translation `translated` ("category/fish-sauce/"); "" when it is no route, or shows
    an object that has no translation there."""
    translated = translated.specific
    if not sub_path or not isinstance(page, RoutablePageMixin):
        return ""
    if not isinstance(translated, RoutablePageMixin):
        return ""
    try:
        match = page.resolve_subpage("/" + sub_path)
        kwargs = match.kwargs
        if isinstance(page, LocalizedRoutesMixin):
            kwargs = page.route_kwargs_in(match.url_name, kwargs, translated)
        if kwargs is None:
            return ""
        path = translated.reverse_subpage(match.url_name, args=match.args, kwargs=kwargs)
    except (Resolver404, NoReverseMatch):
        return ""
    return path
