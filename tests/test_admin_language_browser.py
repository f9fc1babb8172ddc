"""The admin in Vietnamese, as a producer and as the office see it, in Chromium.

Each role, with Vietnamese as its admin language, opens every admin screen it can reach;
the test collects what a person reads there (the visible text, the text of the menus a
button opens, the title, placeholder and aria-label attributes, the window title) and
fails listing each text that holds English words.

Finding English (`english_words`): a word is English when it is an ASCII word of three
letters or more, not all capitals (acronyms and codes: CSV, URL, QR), that occurs in the
English source strings of the admin: Wagtail's, wagtail-localize's and Django admin's
msgids (their `en` catalogues), and our own msgids. That vocabulary is exactly the English
the admin can show untranslated. Vietnamese syllables written without diacritics that are
also English words (`VIETNAMESE_ASCII`) are not English, nor are the loanwords Vietnamese
uses as they are (`LOANWORDS`: "trang web", "logo"); nor are the brand names of ALLOWED,
nor data (the test's, and the English pages and categories of the site's structure:
removed from the text before it is read), nor file extensions (".xlsx"), nor names quoted
“so” (the import's sheet names), nor model identifiers ("products.productpage", the page
types report), nor what is inside <code>, <kbd> and <samp> (identifiers).

A screen added later is one more line in PRODUCER_SCREENS or OFFICE_SCREENS. The
catalogues must be compiled (`make translations`, which `make test` runs first).
"""

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import polib
import pytest
import wagtail
import wagtail_localize
from django.conf import settings
from django.contrib import admin as django_admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from wagtail.models import Locale, Page
from wagtail.users.models import UserProfile
from wagtail_localize.models import Translation, TranslationSource

from marketplace.core.office import OFFICE_GROUP
from producers.accounts import create_producer_account
from producers.models import Locality
from products.models import ProductCategory
from tests.factories import en, make_document, make_image, make_producer, make_product
from tests.producer_accounts_helpers import edit_form_data, edit_url
from tests.public_pages_fixtures import translate_page
from tests.test_browser import TIMEOUT_MS, in_browser  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# One line per screen: a name, and its path with the ids of the test's data in braces.
COMMON_SCREENS = {
    "dashboard": "/admin/",
    "pages": "/admin/pages/",
    "producer's pages": "/admin/pages/{producer}/",
    "product editor": "/admin/pages/{product}/edit/",
    "producer editor": "/admin/pages/{producer}/edit/",
    "product history": "/admin/pages/{product}/history/",
    "page search": "/admin/pages/search/?q=nuoc",
    "page chooser": "/admin/choose-page/",
    "image chooser": "/admin/images/chooser/",
    "document chooser": "/admin/documents/chooser/",
    "images": "/admin/images/",
    "image": "/admin/images/{image}/",
    "image upload": "/admin/images/multiple/add/",
    "documents": "/admin/documents/",
    "document": "/admin/documents/edit/{document}/",
    "document upload": "/admin/documents/multiple/add/",
    "inquiries": "/admin/inquiries/",
    "account": "/admin/account/",
    "my products": "/admin/my-products/",
    "producers' guide": "/admin/guide/producers/",
    # wagtail-localize: the English tree, and the editor of a product's English translation
    # (its React screen; the product editor's address opens it for a translated page).
    "english pages": "/admin/pages/{producer_en}/",
    "translation editor": "/admin/pages/{product_en}/edit/",
    # The reports and lists the menu offers both roles.
    "translations report": "/admin/localize/reports/translations/",
    "aging pages": "/admin/reports/aging-pages/",
    "page types usage": "/admin/reports/page-types-usage/",
    "site history": "/admin/reports/site-history/",
    "workflows report": "/admin/reports/workflow/",
    "workflow tasks report": "/admin/reports/workflow_tasks/",
    "reviews": "/admin/reviews/",
    "localities": "/admin/snippets/producers/locality/",
    "craft villages": "/admin/snippets/producers/craftvillage/",
    "categories": "/admin/snippets/products/productcategory/",
}
PRODUCER_SCREENS = {
    **COMMON_SCREENS,
    "new product": "/admin/pages/add/products/productpage/{producer}/",
}
OFFICE_SCREENS = {
    **COMMON_SCREENS,
    "certificates": "/admin/certificates/",
    "featured collections": "/admin/snippets/curation/featuredcollection/",
    "hero slides": "/admin/snippets/curation/heroslide/",
    "import": "/admin/catalogue/",
    "background tasks": "/admin/tasks/",
    "inquiry report": "/admin/activity-reports/inquiries/",
    "product report": "/admin/activity-reports/products/",
    "search report": "/admin/reports/search/",
    "listing quality": "/admin/reports/listing-quality/",
    "locked pages": "/admin/reports/locked/",
    "users": "/admin/users/",
    "office guide": "/admin/guide/office/",
    "act for a producer": "/admin/act-for/",
    "certificates pending": "/admin/certificates/?status=pending",
    "search without clicks": "/admin/reports/search/no-click/",
    "searches without results": "/admin/reports/search/zero-results/",
    "producers of the month": "/admin/snippets/curation/producerofthemonth/",
    "craft village highlights": "/admin/snippets/curation/craftvillagehighlight/",
    "new featured collection": "/admin/snippets/curation/featuredcollection/add/",
    "new craft village": "/admin/snippets/producers/craftvillage/add/",
    "new category": "/admin/snippets/products/productcategory/add/",
    "new locality": "/admin/snippets/producers/locality/add/",
    # wagtail-localize's forms, for the office only (submit_translation permission).
    "translate this page": "/admin/localize/submit/page/{untranslated}/",
    "sync translated pages": "/admin/localize/update/{translation_source}/",
}

ALLOWED = {"Wagtail", "Chợ OCOP", "OCOP", "Email", "VietQR", "Zalo", "WhatsApp", "Stripe"}
ALLOWED |= {"MoMo", "ZaloPay"}
# A language's own name, as Wagtail's locale filters and the language switcher show it.
ALLOWED |= {"English"}
LOANWORDS = {"web", "logo", "scan", "alt", "email", "video", "menu"}
# Vietnamese syllables without diacritics that are English words too.
VIETNAMESE_ASCII = {"ban", "bay", "can", "chai", "con", "dam", "dien", "duong", "hang", "long"}
VIETNAMESE_ASCII |= {"man", "nam", "pham", "sang", "tan", "ten", "thuc", "tin", "van"}
WORD = re.compile(r"[A-Za-zÀ-ỹ]+")
# A word to read: not a file extension (".xlsx") nor part of a longer word.
TEXT_WORD = re.compile(r"(?<![.\w])[A-Za-zÀ-ỹ]+")
QUOTED = re.compile(r"“[^”]*”")
# A model's identifier, as the page types report shows it ("products.productpage").
MODEL_LABEL = re.compile(r"\b[a-z_]+\.[a-z_]+\b")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}|<[^>]+>")

# What a person reads on the page: visible text outside code, the items of closed menus
# (Wagtail's dropdowns), the window title and the attributes a screen reader or a
# pointer shows.
READ_PAGE = """() => {
    const texts = [document.title];
    const skip = "code, kbd, samp, script, style, template, noscript";
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const parent = walker.currentNode.parentElement;
        if (!parent || parent.closest(skip)) continue;
        const menu = parent.closest("[data-w-dropdown-target='content']");
        if (!menu && !parent.checkVisibility()) continue;
        texts.push(walker.currentNode.textContent);
    }
    for (const element of document.querySelectorAll("[title], [placeholder], [aria-label]")) {
        if (element.closest(skip)) continue;
        for (const name of ["title", "placeholder", "aria-label"]) {
            const value = element.getAttribute(name);
            if (value) texts.push(value);
        }
    }
    return texts.map((text) => text.trim()).filter(Boolean);
}"""


SHOW_MODAL = """async (url) => {
    const answer = await fetch(url, {headers: {"X-Requested-With": "XMLHttpRequest"}});
    document.body.innerHTML = (await answer.json()).html;
}"""


@cache
def english_words() -> frozenset[str]:
    """The words of the admin's English source strings (see the module's docstring)."""
    site_packages = Path(wagtail.__file__).parent.parent
    catalogues = [
        *site_packages.glob("wagtail/**/locale/en/LC_MESSAGES/*.po"),
        *Path(wagtail_localize.__file__).parent.glob("**/locale/en/LC_MESSAGES/*.po"),
        *Path(django_admin.__file__).parent.glob("locale/en/LC_MESSAGES/*.po"),
        *(Path(path) / "vi/LC_MESSAGES/django.po" for path in settings.LOCALE_PATHS),
    ]
    words = set()
    for path in catalogues:
        if not path.exists():
            continue
        for entry in polib.pofile(str(path)):
            # A word the Vietnamese translation keeps is a name ("Phòng Kinh tế"), not English.
            kept = set(WORD.findall(" ".join([entry.msgstr, *entry.msgstr_plural.values()])))
            for msgid in (entry.msgid, entry.msgid_plural):
                words |= {
                    word.lower()
                    for word in WORD.findall(PLACEHOLDER.sub(" ", msgid))
                    if word.isascii() and len(word) >= 3 and not word.isupper() and word not in kept
                }
    return frozenset(words - VIETNAMESE_ASCII - LOANWORDS)


def english_in(text: str, data: list[str]) -> list[str]:
    """The English words of `text`, once the allowed names and the test's data are out."""
    for allowed in sorted([*ALLOWED, *data], key=len, reverse=True):
        text = text.replace(allowed, " ")
    text = MODEL_LABEL.sub(" ", QUOTED.sub(" ", text))
    vocabulary = english_words()
    return [
        word
        for word in TEXT_WORD.findall(text)
        if word.lower() in vocabulary and word.isascii() and not word.isupper()
    ]


@dataclass
class Role:
    name: str
    cookie: str
    screens: dict[str, str]
    data: list[str] = field(default_factory=list)


@dataclass
class Seen:
    english: dict[str, list[str]] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)


def session_cookie(user) -> str:
    """The session of `user`, logged in, with Vietnamese as its admin language."""
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "vi"
    profile.save()
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def read_screens(browser, base_url: str, role: Role) -> Seen:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    host = base_url.split("://", 1)[1].split(":")[0]
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": role.cookie, "domain": host, "path": "/"}]
    )
    page = context.new_page()
    seen = Seen()
    try:
        for name, path in role.screens.items():
            response = page.goto(base_url + path)
            if response is None or response.status >= 400:
                seen.failed[name] = f"{path}: {response.status if response else 'no answer'}"
                continue
            if response.headers.get("content-type", "").startswith("application/json"):
                # A chooser answers its modal's HTML in JSON: shown in an admin page.
                page.goto(base_url + "/admin/")
                page.evaluate(SHOW_MODAL, base_url + path)
            page.wait_for_load_state("networkidle")
            found = []
            for text in page.evaluate(READ_PAGE):
                words = english_in(text, role.data)
                if words:
                    found.append(f"{text[:120]!r} ({', '.join(dict.fromkeys(words))})")
            if found:
                seen.english[f"{name} {path}"] = list(dict.fromkeys(found))
    finally:
        context.close()
    return seen


def structure_data() -> list[str]:
    """The English pages and categories, the localities and the root page the site's
    structure and data migrations made: data, shown as it is."""
    english = Locale.objects.get(language_code="en")
    return [
        *Page.objects.filter(locale=english).values_list("title", flat=True),
        *Page.objects.filter(depth=1).values_list("title", flat=True),
        *ProductCategory.objects.filter(locale=english).values_list("name", flat=True),
        *Locality.objects.values_list("name", flat=True),
    ]


@dataclass
class World:
    base_url: str
    producer: Role
    office: Role


@pytest.fixture
def world(live_site, site) -> World:
    """A producer with an account, a product waiting for the office's approval, its own
    image and document; the English producer page, and the product's English translation
    made with wagtail-localize; a producer without English (with a product) for the
    office to translate; the office's user."""
    page = make_producer(site.producers, "HTX Nước mắm Điện Dương")
    product = make_product(page, "Nước mắm cá cơm nhĩ", stars=4)
    # Translated before the account: the producer's group gets rights on both trees.
    page_en = translate_page(page, title="Dien Duong fish sauce co-op", slug="dien-duong")
    account = create_producer_account(page, "nhi@example.com")
    collection = account.collection
    image = make_image("Ảnh chai nước mắm", collection=collection)
    document = make_document("Giấy chứng nhận an toàn thực phẩm", collection=collection)
    producer_client = Client()
    producer_client.force_login(account.user)
    data = edit_form_data(producer_client, product, **{"action-submit": "1"})
    assert producer_client.post(edit_url(product), data).status_code == 302

    source, _created = TranslationSource.get_or_create_from_instance(product)
    translation = Translation.objects.create(source=source, target_locale=en(), enabled=True)
    translation.save_target()
    product_en = product.get_translation(en())
    untranslated = make_producer(site.producers, "HTX Đúc đồng Phước Kiều")
    other_product = make_product(untranslated, "Chiêng đồng Phước Kiều")

    office = get_user_model().objects.create_user("office@example.com", "office@example.com")
    office.groups.add(Group.objects.get(name=OFFICE_GROUP))

    ids = {
        "producer": page.pk,
        "product": product.pk,
        "image": image.pk,
        "document": document.pk,
        "producer_en": page_en.pk,
        "product_en": product_en.pk,
        "translation_source": source.pk,
        "untranslated": untranslated.pk,
    }
    data = [
        page.title,
        product.title,
        untranslated.title,
        other_product.title,
        image.title,
        document.title,
        "nhi@example.com",
        "office@example.com",
        *[Path(f.name).name for f in (image.file, document.file)],
        *structure_data(),
    ]

    def role(name: str, user, screens: dict[str, str]) -> Role:
        paths = {screen: path.format(**ids) for screen, path in screens.items()}
        return Role(name, session_cookie(user), paths, data)

    return World(
        base_url=live_site,
        producer=role("producer", account.user, PRODUCER_SCREENS),
        office=role("office", office, OFFICE_SCREENS),
    )


def report(seen: Seen) -> str:
    lines = [f"{screen}: cannot open ({why})" for screen, why in seen.failed.items()]
    for screen, texts in seen.english.items():
        lines.append(f"{screen}:")
        lines.extend(f"    {text}" for text in texts)
    return "\n".join(lines)


@pytest.mark.parametrize("role_name", ["producer", "office"])
def test_admin_screens_show_no_english(in_browser, world, role_name):  # noqa: F811
    role = getattr(world, role_name)

    seen = in_browser(read_screens, world.base_url, role)

    assert not seen.failed and not seen.english, (
        f"English in the {role_name}'s Vietnamese admin:\n{report(seen)}"
    )
