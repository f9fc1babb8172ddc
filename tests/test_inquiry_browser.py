"""The inquiry flow in Chromium with JavaScript off, axe-core and the
Content-Security-Policy on its pages, and the Nu HTML Checker on their HTML."""

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
from tests.inquiry_helpers import fill, form_key, request_data, url
from tests.test_browser import TIMEOUT_MS, VIEWPORTS, axe_violations, in_browser  # noqa: F401

pytest_plugins = ["tests.inquiry_fixtures"]


@dataclass
class Visit:
    list_text: str = ""
    sent_text: str = ""
    track_url: str = ""
    track_text: str = ""
    error_summary: str = ""
    axe: dict[str, list[dict]] = field(default_factory=dict)
    csp: list[dict] = field(default_factory=list)


def send_inquiries(browser, base_url: str, product_path: str, viewport) -> Visit:
    """Add from a product page, change the quantity, send the form: without JavaScript.

    A second context, the same visitor (cookies) with JavaScript on, runs axe-core on the
    pages seen, watches them for CSP violations, and sends the form with the browser's own
    checks off, to see its errors.
    """
    width, height = viewport
    size = {"width": width, "height": height}
    context = browser.new_context(viewport=size, java_script_enabled=False)
    context.set_default_timeout(TIMEOUT_MS)
    checker = None
    page = context.new_page()
    visit = Visit()
    try:
        page.goto(base_url + product_path)
        page.get_by_label("Số lượng (chai)").fill("2")
        page.get_by_role("button", name="Thêm vào danh sách hỏi mua", exact=True).click()
        page.get_by_role("link", name="Danh sách hỏi mua (1)").click()
        page.get_by_label("Số lượng (chai)").fill("3")
        page.get_by_role("button", name="Cập nhật Rượu nếp Gò Nổi").click()
        visit.list_text = page.locator("body").inner_text()

        checker = browser.new_context(viewport=size, storage_state=context.storage_state())
        checker.set_default_timeout(TIMEOUT_MS)
        visit.csp = watch_csp(checker)
        check = checker.new_page()
        for name in ("product", "list"):
            check.goto(base_url + (product_path if name == "product" else url("list")))
            visit.axe[name] = axe_violations(check)
        check.goto(base_url + url("send"))
        check.locator("form.request-form").evaluate("form => form.noValidate = true")
        check.get_by_role("button", name="Gửi yêu cầu của tôi").click()
        visit.error_summary = check.locator(".error-summary").inner_text()
        visit.axe["send-errors"] = axe_violations(check)

        page.get_by_role("link", name="Tiếp tục: thông tin liên hệ").click()
        page.get_by_label("Họ và tên").fill("Nguyễn Thị Lan")
        page.get_by_label("Số điện thoại").fill("0905 123 456")
        page.get_by_label("Zalo").check()
        page.get_by_label("Phường hoặc xã").select_option(label="Xã Gò Nổi")
        page.get_by_label("Địa chỉ").fill("12 Trần Phú")
        page.get_by_label("Tôi đồng ý chia sẻ thông tin").check()
        page.get_by_role("button", name="Gửi yêu cầu của tôi").click()
        visit.sent_text = page.locator("main").inner_text()
        check.goto(page.url)
        visit.axe["sent"] = axe_violations(check)

        page.get_by_role("link", name="Theo dõi yêu cầu").click()
        visit.track_url = page.url
        visit.track_text = page.locator("main").inner_text()
        check.goto(page.url)
        visit.axe["track"] = axe_violations(check)
    finally:
        if checker is not None:
            checker.close()
        context.close()
    return visit


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("viewport", VIEWPORTS.values(), ids=VIEWPORTS.keys())
def test_a_visitor_sends_an_inquiry_without_javascript(in_browser, live_site, shop, viewport):  # noqa: F811
    require_axe()

    visit = in_browser(send_inquiries, live_site, shop.rice_wine.url, viewport)

    assert "Đã cập nhật số lượng Rượu nếp Gò Nổi." in visit.list_text
    assert "360.000 ₫" in visit.list_text
    assert "Họ và tên: Vui lòng nhập họ và tên." in visit.error_summary
    inquiry = Inquiry.objects.get()
    assert inquiry.items.get().quantity == 3
    assert inquiry.reference in visit.sent_text
    assert visit.track_url == live_site + url("track", token=inquiry.token)
    assert "Nhà sản xuất đã nhận được yêu cầu của bạn" in visit.track_text
    problems = {name: found for name, found in visit.axe.items() if found}
    assert not problems, "axe-core found serious or critical problems:\n" + axe_report(problems)
    assert not visit.csp, "Content-Security-Policy violations:\n" + csp_report(visit.csp)


@pytest.mark.django_db
def test_inquiry_pages_are_valid_html(shop, tmp_path: Path):
    require_vnu()
    client = Client()
    pages: dict[str, bytes] = {}
    fill(client, (shop.rice_wine, 2), (shop.mat, 1), (shop.fish_sauce, 5))
    pages["product"] = client.get(shop.fish_sauce.url).content
    pages["listing"] = client.get(shop.site.products.url).content
    pages["list"] = client.get(url("list")).content
    pages["list-error"] = client.post(
        url("update"), {"product": shop.fish_sauce.pk, "quantity": "1"}
    ).content
    pages["send"] = client.get(url("send")).content
    pages["send-errors"] = client.post(
        url("send"), request_data(form_key(client), shop, name="", consent="", phone="1")
    ).content
    sent = client.post(url("send"), request_data(form_key(client), shop), follow=True)
    pages["sent"] = sent.content
    inquiry = Inquiry.objects.first()
    pages["track"] = client.get(url("track", token=inquiry.token)).content
    pages["track-en"] = client.get(url("track", "en", token=inquiry.token)).content
    pages["privacy"] = client.get(url("privacy")).content
    pages["empty-list"] = Client().get(url("list")).content
    paths = []
    for name, content in pages.items():
        paths.append(tmp_path / f"{name}.html")
        paths[-1].write_bytes(content)

    errors = validate_html(paths)
    assert not errors, "The Nu HTML Checker found errors:\n" + vnu_report(errors)
