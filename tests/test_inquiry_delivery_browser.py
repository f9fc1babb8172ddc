"""On a 390×844 phone with JavaScript: a bad phone number's error is focused in the
first screen and links to its field; then a Hà Nội address (wards loaded by the script)
sends the request."""

from dataclasses import dataclass, field

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from marketplace.inquiries.models import Inquiry
from tests.browser_fixtures import axe_report, csp_report, require_axe, watch_csp
from tests.inquiry_helpers import GO_NOI, HA_NOI, HOAN_KIEM, url
from tests.test_browser import TIMEOUT_MS, axe_violations, in_browser  # noqa: F401

pytest_plugins = ["tests.inquiry_fixtures"]

PHONE = {"width": 390, "height": 844}


@dataclass
class Visit:
    focused_after_errors: str = ""
    summary_box: dict = field(default_factory=dict)
    focused_after_link: str = ""
    phone_box: dict = field(default_factory=dict)
    wards_loaded: bool = False
    sent_url: str = ""
    axe: list[dict] = field(default_factory=list)
    csp: list[dict] = field(default_factory=list)


def in_view(box: dict) -> bool:
    return box["top"] >= -1 and box["bottom"] <= PHONE["height"] + 1  # sub-pixel offsets


BOX = "el => { const r = el.getBoundingClientRect(); return {top: r.top, bottom: r.bottom}; }"


def on_send_page(page) -> None:
    """The request form is there; else what the visitor saw instead, to tell why."""
    try:
        page.locator("#id_name").wait_for()
    except PlaywrightTimeoutError:
        main = page.locator("main").first
        seen = main.inner_text() if main.count() else page.content()
        raise AssertionError(f"No request form at {page.url}:\n{seen[:1500]}") from None


def send_from_a_phone(browser, base_url: str, product_path: str) -> Visit:
    context = browser.new_context(viewport=PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    visit = Visit(csp=watch_csp(context))
    page = context.new_page()
    try:
        page.goto(base_url + product_path)
        page.get_by_role("button", name="Thêm vào danh sách hỏi mua", exact=True).click()
        # Added by the page's script: wait for its confirmation before leaving the page.
        page.locator("form[data-add-to-list] [role='status']").first.filter(has_text="×").wait_for()
        page.locator(".inquiry-link__count", has_text="(1)").first.wait_for()
        page.goto(base_url + url("send"))
        on_send_page(page)
        page.locator("#id_name").fill("Nguyễn Thị Lan")
        page.locator("#id_phone").fill("12345")
        page.locator("#id_channel input[value='zalo']").check()
        page.locator("#id_delivery_ward").select_option(str(GO_NOI))
        page.locator("#id_delivery_address").fill("12 Trần Phú")
        page.locator("#id_consent").check()
        page.locator("form.request-form button[type='submit']:not([name])").click()
        page.wait_for_load_state()

        page.wait_for_function("document.activeElement.id === 'error-summary'")
        visit.focused_after_errors = page.evaluate("document.activeElement.id")
        visit.summary_box = page.locator("#error-summary").evaluate(BOX)
        visit.axe = axe_violations(page)

        page.locator("#error-summary a[href='#id_phone']").click()
        visit.focused_after_link = page.evaluate("document.activeElement.id")
        visit.phone_box = page.locator("#id_phone").evaluate(BOX)

        page.locator("#id_phone").fill("0905 123 456")
        page.locator("#id_delivery_province").select_option(str(HA_NOI))
        ward = page.locator(f"#id_delivery_ward option[value='{HOAN_KIEM}']")
        ward.wait_for(state="attached")
        visit.wards_loaded = True
        page.locator("#id_delivery_ward").select_option(str(HOAN_KIEM))
        page.locator("form.request-form button[type='submit']:not([name])").click()
        page.wait_for_url("**/da-gui/**")
        visit.sent_url = page.url
    finally:
        context.close()
    return visit


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_errors_are_focused_on_a_phone_then_a_ha_noi_address_sends(in_browser, live_site, shop):  # noqa: F811
    require_axe()

    visit = in_browser(send_from_a_phone, live_site, shop.rice_wine.url)

    assert visit.focused_after_errors == "error-summary"
    assert in_view(visit.summary_box), visit.summary_box
    assert visit.focused_after_link == "id_phone"
    assert in_view(visit.phone_box), visit.phone_box
    assert visit.wards_loaded
    assert "/da-gui/" in visit.sent_url
    inquiry = Inquiry.objects.get()
    assert inquiry.full_delivery_address == "12 Trần Phú, Phường Hoàn Kiếm, Thành phố Hà Nội"
    assert inquiry.phone == "+84905123456"
    assert not visit.axe, "axe-core found serious or critical problems:\n" + axe_report(
        {"send-errors": visit.axe}
    )
    assert not visit.csp, "Content-Security-Policy violations:\n" + csp_report(visit.csp)
