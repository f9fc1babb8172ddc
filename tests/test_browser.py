"""The public site as a shopper sees it, in Debian's Chromium driven by Playwright:
the path from the home page to a product and its English translation, then axe-core
and the Content-Security-Policy on every page, and the Nu HTML Checker on the server's
HTML."""

import re
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.test import Client

from tests.browser_fixtures import (
    AXE_JS,
    CHROMIUM,
    CHROMIUM_ARGS,
    Catalogue,
    axe_report,
    blocking_violations,
    build_catalogue,
    csp_report,
    require_axe,
    require_chromium,
    require_vnu,
    validate_html,
    vnu_report,
    watch_csp,
)

VIEWPORTS = {"phone": (360, 740), "desktop": (1280, 800)}
TIMEOUT_MS = 10_000


@pytest.fixture(scope="module")
def in_browser() -> Iterator[Callable]:
    """Run a function with a Chromium browser, in a thread of Playwright's own.

    Playwright's sync API runs an event loop whose greenlet switches replace the calling
    thread's context variables, and with them Django's database connections (pytest-django
    then loses the serialized database it restores between transactional tests). In a
    separate thread the test thread keeps its own; the ORM is only used from there.
    """
    require_chromium()
    from playwright.sync_api import sync_playwright

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="playwright") as thread:
        playwright = thread.submit(lambda: sync_playwright().start()).result()
        browser = thread.submit(
            playwright.chromium.launch, executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        ).result()
        try:
            yield lambda function, *args: thread.submit(function, browser, *args).result()
        finally:
            thread.submit(browser.close).result()
            thread.submit(playwright.stop).result()


@pytest.fixture
def catalogue(site) -> Catalogue:
    return build_catalogue(site)


@dataclass
class Visit:
    """What the shopper saw, collected in the browser thread and checked in the test."""

    home_lang: str = ""
    producer_url: str = ""
    product_url: str = ""
    switched_url: str = ""
    switched_lang: str = ""
    axe: dict[str, list[dict]] = field(default_factory=dict)
    csp: list[dict] = field(default_factory=list)


def html_lang(page) -> str:
    return page.locator("html").get_attribute("lang") or ""


def follow(page, path: str) -> None:
    """Click the first visible link to `path` (written relative or absolute)."""
    link = page.locator(f'a[href$="{path}"]:visible').first
    with page.expect_navigation():
        link.click()


def switch_language(page, language_name: str) -> None:
    """Use the language switcher, opening the collapsed menu first on small screens."""
    switcher = page.get_by_role("link", name=re.compile(language_name, re.IGNORECASE)).first
    if not switcher.is_visible():
        page.locator("button[aria-expanded='false']").first.click()
    with page.expect_navigation():
        switcher.click()


def axe_violations(page) -> list[dict]:
    # Evaluated through the DevTools protocol: a <script> tag with axe's source would be
    # an inline script, which the site's policy blocks.
    page.evaluate(AXE_JS.read_text())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return blocking_violations(result["violations"])


def shop(browser, base_url: str, paths: dict[str, str], viewport: tuple[int, int]) -> Visit:
    """Home → producer → product → English, then every other page; axe on each."""
    width, height = viewport
    context = browser.new_context(viewport={"width": width, "height": height})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    visit = Visit(csp=watch_csp(context))
    try:
        page.goto(base_url + paths["vi-home"])
        visit.home_lang = html_lang(page)
        visit.axe["vi-home"] = axe_violations(page)

        follow(page, paths["vi-producer"])
        visit.producer_url = page.url
        visit.axe["vi-producer"] = axe_violations(page)

        follow(page, paths["vi-product"])
        visit.product_url = page.url
        visit.axe["vi-product"] = axe_violations(page)

        switch_language(page, "English")
        visit.switched_url = page.url
        visit.switched_lang = html_lang(page)
        visit.axe["en-product"] = axe_violations(page)

        for name, path in paths.items():
            if name not in visit.axe:
                page.goto(base_url + path)
                visit.axe[name] = axe_violations(page)
    finally:
        context.close()
    return visit


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("viewport", VIEWPORTS.values(), ids=VIEWPORTS.keys())
def test_shopper_reaches_a_product_and_its_english_page(in_browser, live_site, catalogue, viewport):
    require_axe()
    paths = catalogue.urls()

    visit = in_browser(shop, live_site, paths, viewport)

    assert visit.home_lang == "vi"
    assert visit.producer_url == live_site + paths["vi-producer"]
    assert visit.product_url == live_site + paths["vi-product"]
    assert visit.switched_url == live_site + paths["en-product"]
    assert visit.switched_lang == "en"
    problems = {name: found for name, found in visit.axe.items() if found}
    assert not problems, "axe-core found serious or critical problems:\n" + axe_report(problems)
    assert not visit.csp, "Content-Security-Policy violations:\n" + csp_report(visit.csp)


def test_pages_are_valid_html(catalogue, tmp_path: Path):
    require_vnu()
    client = Client()
    paths = []
    for name, url in catalogue.urls().items():
        response = client.get(url)
        assert response.status_code == 200, f"{name} {url}: {response.status_code}"
        paths.append(tmp_path / f"{name}.html")
        paths[-1].write_bytes(response.content)
    for language in ("vi", "en"):
        response = client.get(f"/{language}/no-such-page/")
        assert response.status_code == 404
        paths.append(tmp_path / f"{language}-404.html")
        paths[-1].write_bytes(response.content)

    errors = validate_html(paths)
    assert not errors, "The Nu HTML Checker found errors:\n" + vnu_report(errors)
