"""Browsing on a phone and a desktop, in Debian's Chromium: the first product card within
the first screen of the listing, a category and a search, in both languages; two cards
a row on a phone, more on a desktop; filters in a folded panel that apply as they
change (and with their button without JavaScript)."""

from dataclasses import dataclass, field

import pytest
from wagtail.models import Site

from marketplace.base.models import SiteFooter
from tests.browser_fixtures import Catalogue, axe_report, build_catalogue, csp_report, watch_csp
from tests.factories import make_product
from tests.test_browser import TIMEOUT_MS, axe_violations, in_browser  # noqa: F401

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
FIRST_SCREEN = 900  # px from the top of the page to the first product card, at 390×844

FIRST_CARD = """() => {
    const cards = [...document.querySelectorAll(".card-grid--products .product-card")];
    const box = (card) => card.getBoundingClientRect();
    const grid = document.querySelector(".card-grid--products");
    return {
        gridColumns: grid ? getComputedStyle(grid).gridTemplateColumns.split(" ").length : 0,
        top: cards.length ? box(cards[0]).top + window.scrollY : null,
        columns: new Set(cards.filter((c) => box(c).top === box(cards[0]).top)
            .map((c) => Math.round(box(c).left))).size,
        overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    };
}"""


@pytest.fixture
def catalogue(site) -> Catalogue:
    """The browser tests' catalogue with more food products, and the sample-data notice
    on, as in the demo: the tallest header a phone shows."""
    built = build_catalogue(site)
    for n in range(4):
        make_product(built.producer, title=f"Bánh tráng {n}", price_vnd=30_000 + n * 10_000)
    footer = SiteFooter.for_site(Site.objects.get(is_default_site=True))
    footer.is_sample_data = True
    footer.save()
    return built


def browse_paths(catalogue: Catalogue) -> dict[str, str]:
    urls = catalogue.urls()
    return {
        "vi-products": urls["vi-products"],
        "vi-category": urls["vi-category"],
        "vi-search": urls["vi-search"],
        "en-products": urls["en-products"],
        "en-category": urls["en-category"],
        "en-search": "/en/search/?q=fish+sauce",
    }


def measure(browser, base_url: str, paths: dict[str, str], viewport: dict) -> dict[str, dict]:
    context = browser.new_context(viewport=viewport)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        found = {}
        for name, path in paths.items():
            page.goto(base_url + path)
            found[name] = page.evaluate(FIRST_CARD)
            found[name]["panel_open"] = page.locator("[data-filters-panel]").evaluate("d => d.open")
        return found
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_first_product_is_on_the_first_screen_of_a_phone(in_browser, live_site, catalogue):  # noqa: F811
    found = in_browser(measure, live_site, browse_paths(catalogue), PHONE)

    for name, seen in found.items():
        assert seen["top"] is not None, f"{name}: no product card"
        assert seen["top"] <= FIRST_SCREEN, f"{name}: the first card starts at {seen['top']}px"
        assert seen["columns"] == seen["gridColumns"] == 2, f"{name}: {seen} cards a row"
        assert seen["overflow"] <= 0, f"{name}: {seen['overflow']}px wider than the phone"
        assert not seen["panel_open"], f"{name}: the filters are not folded"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_desktop_layout_keeps_a_sidebar_and_columns(in_browser, live_site, catalogue):  # noqa: F811
    found = in_browser(measure, live_site, browse_paths(catalogue), DESKTOP)

    for name, seen in found.items():
        assert seen["columns"] > 1, f"{name}: {seen['columns']} cards a row"
        assert seen["gridColumns"] >= 3, f"{name}: a grid of {seen['gridColumns']} columns"
        assert seen["overflow"] <= 0, f"{name}: {seen['overflow']}px wider than the screen"
        assert seen["panel_open"], f"{name}: the filters are folded on a desktop"


@dataclass
class Filtering:
    reloaded: bool = True
    url: str = ""
    status: str = ""
    focused: str = ""
    panel_open: bool = False
    titles: list[str] = field(default_factory=list)
    sorted_url: str = ""
    sorted_titles: list[str] = field(default_factory=list)
    no_js_url: str = ""
    no_js_titles: list[str] = field(default_factory=list)
    axe: dict[str, list[dict]] = field(default_factory=dict)
    csp: list[dict] = field(default_factory=list)


def card_titles(page) -> list[str]:
    return page.locator(".card-grid--products .card__title").all_inner_texts()


def filter_on_a_phone(browser, base_url: str, path: str) -> Filtering:
    """Open the panel, tick "4 stars", then sort: with JavaScript, then without."""
    seen = Filtering()
    context = browser.new_context(viewport=PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    seen.csp = watch_csp(context)
    page = context.new_page()
    try:
        page.goto(base_url + path)
        page.evaluate("window.stillHere = true")
        page.locator(".filters__toggle").click()
        seen.axe["open panel"] = axe_violations(page)
        page.locator("input[name='stars'][value='4']").check()
        page.wait_for_function("() => location.search.includes('stars=4')")
        page.wait_for_function(
            "() => document.querySelector('[data-filters-status]').textContent !== ''"
        )
        seen.reloaded = not page.evaluate("window.stillHere === true")
        seen.url = page.url
        seen.status = page.locator("[data-filters-status]").text_content()
        seen.focused = page.evaluate(
            "document.activeElement.name + '=' + document.activeElement.value"
        )
        seen.panel_open = page.locator("[data-filters-panel]").evaluate("d => d.open")
        seen.titles = card_titles(page)
        seen.axe["filtered"] = axe_violations(page)

        page.locator("input[name='stars'][value='4']").uncheck()
        page.wait_for_function("() => !location.search.includes('stars=4')")
        page.locator("select[name='sort']").select_option("price_asc")
        page.wait_for_function("() => location.search.includes('sort=price_asc')")
        page.wait_for_function(
            "() => document.querySelector('.card-grid--products .card__title')"
            ".textContent.includes('Bánh tráng 0')"
        )
        seen.sorted_url = page.url
        seen.sorted_titles = card_titles(page)
    finally:
        context.close()

    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto(base_url + path)
        page.locator(".filters__toggle").click()
        page.locator("input[name='stars'][value='4']").check()
        with page.expect_navigation():
            page.locator(".filters__submit").click()
        seen.no_js_url = page.url
        seen.no_js_titles = card_titles(page)
    finally:
        context.close()
    return seen


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_filters_apply_as_they_change_and_without_javascript(in_browser, live_site, catalogue):  # noqa: F811
    seen = in_browser(filter_on_a_phone, live_site, catalogue.urls()["vi-category"])

    four_stars = ["Nước mắm cá cơm 40 độ đạm"]
    assert not seen.reloaded
    assert "stars=4" in seen.url
    assert seen.titles == four_stars
    assert seen.status.startswith("1 ")
    assert seen.focused == "stars=4"
    assert seen.panel_open
    assert "sort=price_asc" in seen.sorted_url
    assert seen.sorted_titles[:2] == ["Bánh tráng 0", "Bánh tráng 1"]
    assert "stars=4" in seen.no_js_url
    assert seen.no_js_titles == four_stars
    problems = {name: found for name, found in seen.axe.items() if found}
    assert not problems, "axe-core found serious or critical problems:\n" + axe_report(problems)
    assert not seen.csp, "Content-Security-Policy violations:\n" + csp_report(seen.csp)
