"""The consumer's whole journey in Debian's Chromium, on a 390×844 phone and a 1280×800
desktop, in Vietnamese and English: a category page → a filter in the folded panel →
add to the list without leaving the page → a request to a Hà Nội address → the errors
focused → sent → the tracking page → cancelled with a reason. And a tourist with a UK
number who wants to be reached on WhatsApp sends a pick-up request.

Each part has its own detailed tests (test_browse_browser, test_inquiry_add_js,
test_inquiry_delivery_browser, test_tracking_browser, test_inquiry_visits,
test_reviews_browser); this one checks that they make one journey together.
"""

from dataclasses import dataclass, field

import pytest

from marketplace.core.url_segments import route_in
from marketplace.inquiries.models import Inquiry
from tests.browser_fixtures import Catalogue, axe_report, build_catalogue, csp_report, watch_csp
from tests.inquiry_helpers import HA_NOI, HOAN_KIEM, url
from tests.test_browser import TIMEOUT_MS, axe_violations, in_browser  # noqa: F401

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
LANGUAGES = ("vi", "en")
SUBMIT = "form.request-form button[type='submit']:not([name])"
# The summary's box within the screen (waited for: the browser may scroll smoothly).
SUMMARY_IN_VIEW = """() => {
    const box = document.getElementById("error-summary").getBoundingClientRect();
    return box.top >= -1 && box.bottom <= window.innerHeight + 1;  // sub-pixel offsets
}"""


@pytest.fixture
def catalogue(site) -> Catalogue:
    return build_catalogue(site)


@dataclass
class Journey:
    filtered_titles: list[str] = field(default_factory=list)
    reloaded_on_add: bool = True
    add_status: str = ""
    header_count: str = ""
    errors_focused: bool = False
    errors_in_view: bool = False
    sent_url: str = ""
    tracking_url: str = ""
    tracking_text: str = ""
    cancelled_text: str = ""
    axe: dict[str, list[dict]] = field(default_factory=dict)
    csp: list[dict] = field(default_factory=list)


def walk(browser, base_url: str, language: str, viewport: dict, category_path: str) -> Journey:
    journey = Journey()
    context = browser.new_context(viewport=viewport)
    context.set_default_timeout(TIMEOUT_MS)
    journey.csp = watch_csp(context)
    page = context.new_page()
    try:
        # A category page; the filters fold on a phone, and apply as they change.
        page.goto(base_url + category_path)
        if not page.locator("[data-filters-panel]").evaluate("panel => panel.open"):
            page.locator(".filters__toggle").click()
        page.locator("input[name='stars'][value='4']").check()
        page.wait_for_function("() => location.search.includes('stars=4')")
        page.wait_for_function(
            "() => document.querySelector('[data-filters-status]').textContent !== ''"
        )
        journey.filtered_titles = page.locator(
            ".card-grid--products .card__title"
        ).all_inner_texts()
        journey.axe["category"] = axe_violations(page)

        # Added from the card, without leaving the page.
        page.evaluate("window.stillHere = true")
        card_form = page.locator(".card-grid--products form[data-add-to-list]").first
        card_form.locator("button[type='submit']").click()
        status = card_form.locator("[role='status']")
        status.filter(has_text="×").wait_for()
        journey.add_status = status.inner_text()
        journey.reloaded_on_add = not page.evaluate("window.stillHere === true")
        journey.header_count = page.locator(".inquiry-link__count").inner_text()

        # The request: a Hà Nội address, a mistyped phone number first.
        page.goto(base_url + url("send", language))
        page.locator("#id_name").fill("Nguyễn Thị Lan")
        page.locator("#id_phone").fill("12345")
        page.locator("#id_channel input[value='phone']").check()
        page.locator("#id_delivery input[value='deliver']").check()
        page.locator("#id_delivery_province").select_option(str(HA_NOI))
        page.locator(f"#id_delivery_ward option[value='{HOAN_KIEM}']").wait_for(state="attached")
        page.locator("#id_delivery_ward").select_option(str(HOAN_KIEM))
        page.locator("#id_delivery_address").fill("12 Hàng Bài")
        page.locator("#id_consent").check()
        page.locator(SUBMIT).click()
        page.wait_for_function("document.activeElement.id === 'error-summary'")
        journey.errors_focused = True
        page.wait_for_function(SUMMARY_IN_VIEW)
        journey.errors_in_view = True
        journey.axe["send-errors"] = axe_violations(page)

        page.locator("#error-summary a[href='#id_phone']").click()
        page.locator("#id_phone").fill("0905 123 456")
        page.locator(SUBMIT).click()
        page.wait_for_url(f"**/{route_in('sent/', language)}**")
        journey.sent_url = page.url

        # Tracking, then cancelled with a reason while the producer has not confirmed.
        tracking = f"/{language}/{route_in('inquiry/', language)}"
        page.locator(f"main a[href*='{tracking}']").first.click()
        page.wait_for_url(f"**{tracking}**")
        journey.tracking_url = page.url
        journey.tracking_text = page.locator("main").inner_text()
        journey.axe["tracking"] = axe_violations(page)
        page.locator("#cancel summary").click()
        page.locator(".inquiry-cancel__form input[name='reason']").first.check()
        page.locator(".inquiry-cancel__form button[type='submit']").click()
        page.wait_for_load_state()
        journey.cancelled_text = page.locator("main").inner_text()
    finally:
        context.close()
    return journey


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("viewport", VIEWPORTS.values(), ids=VIEWPORTS.keys())
def test_category_to_a_cancelled_request(in_browser, live_site, catalogue, viewport, language):  # noqa: F811
    four_stars = catalogue.products[0] if language == "vi" else catalogue.products_en[0]

    journey = in_browser(
        walk, live_site, language, viewport, catalogue.urls()[f"{language}-category"]
    )

    assert journey.filtered_titles == [four_stars.title]
    assert not journey.reloaded_on_add
    assert four_stars.title in journey.add_status
    assert journey.header_count == "(1)"
    assert journey.errors_focused and journey.errors_in_view
    inquiry = Inquiry.objects.get()
    assert inquiry.language == language
    assert inquiry.full_delivery_address == "12 Hàng Bài, Phường Hoàn Kiếm, Thành phố Hà Nội"
    assert inquiry.items.get().product_id == four_stars.pk
    assert journey.tracking_url == live_site + url("track", language, token=inquiry.token)
    assert catalogue.producer.phone[-9:] in journey.tracking_text.replace(" ", "")
    assert inquiry.status == Inquiry.Status.CANCELLED
    assert inquiry.changes.filter(to_status=Inquiry.Status.CANCELLED, source="consumer").exists()
    problems = {name: found for name, found in journey.axe.items() if found}
    assert not problems, "axe-core found serious or critical problems:\n" + axe_report(problems)
    assert not journey.csp, "Content-Security-Policy violations:\n" + csp_report(journey.csp)


@dataclass
class TouristVisit:
    sent_url: str = ""
    axe: list[dict] = field(default_factory=list)
    csp: list[dict] = field(default_factory=list)


def send_as_a_tourist(browser, base_url: str, product_path: str) -> TouristVisit:
    visit = TouristVisit()
    context = browser.new_context(viewport=VIEWPORTS["phone"], locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    visit.csp = watch_csp(context)
    page = context.new_page()
    try:
        page.goto(base_url + product_path)
        page.locator("form[data-add-to-list] button[type='submit']").first.click()
        page.locator("form[data-add-to-list] [role='status']").first.filter(has_text="×").wait_for()
        page.goto(base_url + url("send", "en"))
        page.locator("#id_name").fill("Emma Clarke")
        page.locator("#id_phone").fill("+44 7700 900123")
        page.locator("#id_channel input[value='whatsapp']").check()
        page.locator("#id_delivery input[value='pick_up']").check()
        page.locator("#id_consent").check()
        visit.axe = axe_violations(page)
        page.locator(SUBMIT).click()
        page.wait_for_url("**/sent/**")
        visit.sent_url = page.url
    finally:
        context.close()
    return visit


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_tourist_with_a_uk_number_asks_on_whatsapp_to_pick_up(in_browser, live_site, catalogue):  # noqa: F811
    visit = in_browser(send_as_a_tourist, live_site, catalogue.products_en[0].url)

    assert "/en/" in visit.sent_url and "/sent/" in visit.sent_url
    inquiry = Inquiry.objects.get()
    assert (inquiry.phone, inquiry.channel, inquiry.delivery) == (
        "+447700900123",
        Inquiry.Channel.WHATSAPP,
        Inquiry.Delivery.PICK_UP,
    )
    assert inquiry.full_delivery_address == ""
    assert not visit.axe, "axe-core found serious or critical problems:\n" + axe_report(
        {"send": visit.axe}
    )
    assert not visit.csp, "Content-Security-Policy violations:\n" + csp_report(visit.csp)
