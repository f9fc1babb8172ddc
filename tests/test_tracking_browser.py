"""The tracking page on a 390×844 phone in Chromium: the items fit, the VietQR values
copy, the request cancels; axe-core and the CSP on the way, the Nu HTML Checker on the
tracking and "Find my request" pages."""

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.test import Client

from marketplace.inquiries.models import Inquiry
from tests.browser_fixtures import (
    axe_report,
    csp_report,
    require_axe,
    require_vnu,
    validate_html,
    vnu_report,
    watch_csp,
)
from tests.inquiry_helpers import url
from tests.inquiry_payment_helpers import ACCOUNT_NUMBER
from tests.test_browser import TIMEOUT_MS, axe_violations, in_browser  # noqa: F401

pytest_plugins = ["tests.inquiry_payment_fixtures"]

PHONE = {"width": 390, "height": 844}


@dataclass
class Visit:
    fits: dict = field(default_factory=dict)
    copied: str = ""
    announced: str = ""
    buttons_without_js: int = -1
    cancelled_text: str = ""
    axe: dict[str, list[dict]] = field(default_factory=dict)
    csp: list[dict] = field(default_factory=list)


FITS = """() => {
    const root = document.documentElement;
    const table = document.querySelector(".inquiry-items");
    const total = document.querySelector(".inquiry-items tfoot td");
    return {
        page: root.scrollWidth <= root.clientWidth,
        table: table.scrollWidth <= table.clientWidth
            && table.getBoundingClientRect().right <= root.clientWidth,
        total: total.getBoundingClientRect().right <= root.clientWidth,
    };
}"""


def follow_up(browser, base_url: str, confirmed_path: str, open_path: str) -> Visit:
    visit = Visit()
    context = browser.new_context(viewport=PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
    visit.csp = watch_csp(context)
    no_js = browser.new_context(viewport=PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(base_url + confirmed_path)
        visit.fits = page.evaluate(FITS)
        visit.axe["confirmed"] = axe_violations(page)
        page.get_by_role("button", name="Copy the account number").click()
        status = page.locator("[data-copy-status]")
        status.filter(has_text=ACCOUNT_NUMBER).wait_for()
        visit.announced = status.inner_text()
        visit.copied = page.evaluate("navigator.clipboard.readText()")

        page.goto(base_url + open_path)
        page.get_by_text("Cancel this request", exact=True).click()
        visit.axe["cancel-form"] = axe_violations(page)
        page.get_by_label("I no longer need them").check()
        page.get_by_label("Anything to add for the producer (optional)").fill("Đã mua rồi.")
        page.get_by_role("button", name="Yes, cancel request").click()
        visit.cancelled_text = page.locator("main").inner_text()
        visit.axe["cancelled"] = axe_violations(page)

        plain = no_js.new_page()
        plain.goto(base_url + confirmed_path)
        visit.buttons_without_js = plain.locator("button[data-copy]:visible").count()
    finally:
        no_js.close()
        context.close()
    return visit


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_following_up_on_a_phone(in_browser, live_site, make_inquiry):  # noqa: F811
    require_axe()
    confirmed = make_inquiry("en")
    still_open = make_inquiry("en", confirmed=False)

    visit = in_browser(
        follow_up,
        live_site,
        url("track", "en", token=confirmed.token),
        url("track", "en", token=still_open.token),
    )

    assert visit.fits == {"page": True, "table": True, "total": True}
    assert visit.copied == ACCOUNT_NUMBER
    assert ACCOUNT_NUMBER in visit.announced
    assert visit.buttons_without_js == 0
    assert Inquiry.objects.get(pk=still_open.pk).status == Inquiry.Status.CANCELLED
    assert "Đã mua rồi." in visit.cancelled_text
    problems = {name: found for name, found in visit.axe.items() if found}
    assert not problems, "axe-core found serious or critical problems:\n" + axe_report(problems)
    assert not visit.csp, "Content-Security-Policy violations:\n" + csp_report(visit.csp)


@pytest.mark.django_db
def test_tracking_and_find_pages_are_valid_html(make_inquiry, tmp_path: Path):
    require_vnu()
    client = Client()
    confirmed = make_inquiry()
    still_open = make_inquiry("en", confirmed=False)
    pages = {
        "track-confirmed": client.get(url("track", token=confirmed.token)).content,
        "track-open": client.get(url("track", "en", token=still_open.token)).content,
        "cancel-errors": client.post(url("cancel", "en", token=still_open.token)).content,
        "find": client.get(url("find")).content,
        "find-errors": client.post(url("find", "en"), {"reference": "x", "phone": ""}).content,
        "find-missed": client.post(
            url("find"), {"reference": "DB-2020-000001", "phone": "0905123456"}
        ).content,
        "find-found": client.post(
            url("find", "en"), {"reference": still_open.reference, "phone": "0905123456"}
        ).content,
    }
    client.post(url("cancel", "en", token=still_open.token), {"reason": "mistake"})
    pages["track-cancelled"] = client.get(url("track", "en", token=still_open.token)).content
    paths = []
    for name, content in pages.items():
        paths.append(tmp_path / f"{name}.html")
        paths[-1].write_bytes(content)

    errors = validate_html(paths)
    assert not errors, "The Nu HTML Checker found errors:\n" + vnu_report(errors)
