"""Search suggestions in the header's box, in Debian's Chromium driven by Playwright:
typing without diacritics finds the product, the keyboard reaches it, English pages
suggest English titles, the open list passes axe-core and moves nothing on the page, and
nothing breaks the Content-Security-Policy."""

from dataclasses import dataclass, field

import pytest

from search.models import ProductSearchEntry
from tests.browser_fixtures import axe_report, csp_report, require_axe, watch_csp
from tests.test_browser import TIMEOUT_MS, axe_violations, catalogue, in_browser  # noqa: F401

PHONE = (360, 740)
DESKTOP = (1280, 800)


@dataclass
class Typed:
    """What the shopper saw after typing, collected in the browser thread."""

    options: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    status: str = ""
    expanded: str = ""
    activedescendant: str = ""
    layout_shift: float = 0.0
    listbox_right: float = 0.0
    landed_on: str = ""
    axe: list[dict] = field(default_factory=list)
    csp: list[dict] = field(default_factory=list)


def type_and_choose(browser, url: str, letters: str, viewport: tuple[int, int]) -> Typed:
    width, height = viewport
    context = browser.new_context(viewport={"width": width, "height": height})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    typed = Typed(csp=watch_csp(context))
    try:
        page.goto(url)
        box = page.locator("#site-search-q")
        main_before = page.locator("#main").bounding_box()
        box.press_sequentially(letters, delay=30)
        listbox = page.get_by_role("listbox")
        listbox.wait_for(state="visible")
        options = listbox.get_by_role("option")
        typed.options = options.locator(".site-search__option-text").all_inner_texts()
        typed.types = options.locator(".site-search__option-type").all_inner_texts()
        typed.status = page.locator(".site-search [role='status']").inner_text()
        typed.expanded = box.get_attribute("aria-expanded") or ""
        main_after = page.locator("#main").bounding_box()
        typed.layout_shift = abs(main_after["y"] - main_before["y"])
        typed.listbox_right = listbox.bounding_box()["x"] + listbox.bounding_box()["width"]

        box.press("ArrowDown")
        typed.activedescendant = box.get_attribute("aria-activedescendant") or ""
        typed.axe = axe_violations(page)

        with page.expect_navigation():
            box.press("Enter")
        typed.landed_on = page.url
    finally:
        context.close()
    return typed


def close_and_click(
    browser, url: str, letters: str, choice: str
) -> tuple[list[str], str, list[dict]]:
    """aria-expanded after: typing, Escape, ArrowDown (reopens), Tab away, one letter;
    then where a mouse click on the option `choice` leads; and the CSP violations."""
    context = browser.new_context(viewport={"width": PHONE[0], "height": PHONE[1]})
    context.set_default_timeout(TIMEOUT_MS)
    csp = watch_csp(context)
    page = context.new_page()
    states = []
    try:
        page.goto(url)
        box = page.locator("#site-search-q")
        box.press_sequentially(letters, delay=30)
        page.get_by_role("listbox").wait_for(state="visible")
        states.append(box.get_attribute("aria-expanded"))
        box.press("Escape")
        states.append(box.get_attribute("aria-expanded"))
        box.press("ArrowDown")
        states.append(box.get_attribute("aria-expanded"))
        box.press("Tab")
        states.append(box.get_attribute("aria-expanded"))
        box.fill("n")  # one letter: nothing is asked
        page.wait_for_timeout(400)
        states.append(box.get_attribute("aria-expanded"))

        box.fill(letters)
        option = page.get_by_role("option", name=choice)
        with page.expect_navigation():
            option.click()
        landed_on = page.url
    finally:
        context.close()
    return states, landed_on, csp


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_header_search_suggests_products_as_you_type(in_browser, live_site, catalogue):  # noqa: F811
    require_axe()
    paths = catalogue.urls()
    product, product_en = catalogue.products[0], catalogue.products_en[0]
    # Publishing the factories' pages filled the database index through the signals.
    indexed = set(ProductSearchEntry.objects.values_list("title", flat=True))
    assert {product.title, product_en.title} <= indexed

    vi = in_browser(type_and_choose, live_site + paths["vi-home"], "nuoc", PHONE)
    assert product.title in vi.options
    assert "Sản phẩm" in vi.types
    assert vi.expanded == "true"
    assert vi.status.startswith("Có ") and "gợi ý" in vi.status
    assert vi.activedescendant.startswith("site-search-q-suggestions-")
    assert vi.layout_shift == 0
    assert vi.listbox_right <= PHONE[0]
    assert vi.landed_on == live_site + product.url
    assert not vi.axe, "axe-core found serious or critical problems:\n" + axe_report(
        {"vi-home with suggestions": vi.axe}
    )
    assert not vi.csp, "Content-Security-Policy violations:\n" + csp_report(vi.csp)

    en = in_browser(type_and_choose, live_site + paths["en-home"], "anch", DESKTOP)
    assert en.options[0] == product_en.title
    assert en.types[0] == "Product"
    assert product.title not in en.options
    assert "suggestion" in en.status
    assert en.landed_on == live_site + product_en.url
    assert not en.axe, "axe-core found serious or critical problems:\n" + axe_report(
        {"en-home with suggestions": en.axe}
    )
    assert not en.csp, "Content-Security-Policy violations:\n" + csp_report(en.csp)

    second = catalogue.products[1]
    states, landed_on, csp = in_browser(
        close_and_click, live_site + paths["vi-home"], "mam", second.title
    )
    assert states == ["true", "false", "true", "false", "false"]
    assert landed_on == live_site + second.url
    assert not csp, "Content-Security-Policy violations:\n" + csp_report(csp)
