"""A buyer reviews a fulfilled order in Chromium on a 390×844 phone: tracking page →
review form → the review on the product page; axe-core and the Content-Security-Policy
on each page, and the Nu HTML Checker on the review pages."""

import io
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.test import Client
from PIL import Image as PILImage

from marketplace.inquiries.models import Inquiry
from marketplace.reviews.models import Review
from marketplace.reviews.writing import write_review
from tests.browser_fixtures import (
    axe_report,
    csp_report,
    require_axe,
    require_vnu,
    validate_html,
    vnu_report,
    watch_csp,
)
from tests.inquiry_admin_helpers import set_status
from tests.inquiry_builders import group, submit
from tests.public_pages_fixtures import translate_page
from tests.test_browser import TIMEOUT_MS, axe_violations, in_browser  # noqa: F401
from tests.test_reviews import review_url, tracking_url

pytest_plugins = ["tests.producer_accounts_fixtures"]

PHONE = {"width": 390, "height": 844}


def english_fulfilled_inquiry(producer) -> Inquiry:
    """A tourist's order, sent from the English pages and fulfilled."""
    translate_page(producer.page, title="Fish Sauce A", slug="fish-sauce-a")
    product_en = translate_page(producer.product, title="Anchovy fish sauce", slug="anchovy")
    result = submit(
        group(producer.page, (product_en, 2)),
        language="en",
        name="Emma Clarke",
        phone="+84905123456",
        email="emma@example.com",
    )
    return set_status(result.submission.inquiries.get(), Inquiry.Status.FULFILLED)


def jpeg(path: Path) -> Path:
    buffer = io.BytesIO()
    PILImage.new("RGB", (1200, 900), (180, 90, 40)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


@dataclass
class Visit:
    track_text: str = ""
    product_text: str = ""
    product_url: str = ""
    axe: dict[str, list[dict]] = field(default_factory=dict)
    csp: list[dict] = field(default_factory=list)


def review_on_a_phone(browser, base_url: str, track_path: str, photo: Path) -> Visit:
    context = browser.new_context(viewport=PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    visit = Visit(csp=watch_csp(context))
    page = context.new_page()
    try:
        page.goto(base_url + track_path)
        visit.axe["track"] = axe_violations(page)
        page.get_by_role("link", name="Write a review").click()
        visit.axe["form"] = axe_violations(page)
        # Sent empty first, with the browser's own checks off: the errors come back.
        page.locator("form.review-form").evaluate("form => form.noValidate = true")
        page.get_by_label("Name shown with your review").fill("")
        page.get_by_role("button", name="Publish my review").click()
        visit.axe["form-errors"] = axe_violations(page)

        page.get_by_label("4 stars: good").check()
        page.get_by_role("textbox", name="Your review:", exact=True).fill(
            "Lovely sauce, well packed for the flight home."
        )
        page.get_by_label("Name shown with your review").fill("Emma")
        page.get_by_label("Photo").set_input_files(str(photo))
        page.get_by_role("button", name="Publish my review").click()
        visit.track_text = page.locator("body").inner_text()
        visit.axe["track-reviewed"] = axe_violations(page)
    finally:
        context.close()
    return visit


def see_product(browser, base_url: str, product_path: str) -> Visit:
    context = browser.new_context(viewport=PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    visit = Visit(csp=watch_csp(context))
    page = context.new_page()
    try:
        page.goto(base_url + product_path)
        page.get_by_role("link", name="4.0 out of 5, from 1 review").click()
        visit.product_url = page.url
        visit.product_text = page.locator("section.reviews").inner_text()
        visit.axe["product"] = axe_violations(page)
    finally:
        context.close()
    return visit


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_buyer_reviews_a_fulfilled_order_on_a_phone(in_browser, live_site, producer_a, tmp_path):  # noqa: F811
    require_axe()
    inquiry = english_fulfilled_inquiry(producer_a)
    product_en = inquiry.items.get().product

    visit = in_browser(
        review_on_a_phone, live_site, tracking_url(inquiry), jpeg(tmp_path / "a.jpg")
    )

    review = Review.objects.get()
    assert (review.rating, review.display_name, review.language) == (4, "Emma", "en")
    assert review.photo is not None
    assert (
        "Thank you! Your review of Anchovy fish sauce is on the product page." in visit.track_text
    )
    shown = in_browser(see_product, live_site, product_en.url)
    assert shown.product_url.endswith("#reviews-heading")
    assert "Lovely sauce, well packed for the flight home." in shown.product_text
    assert "Emma" in shown.product_text
    problems = {name: found for name, found in (visit.axe | shown.axe).items() if found}
    assert not problems, "axe-core found serious or critical problems:\n" + axe_report(problems)
    violations = visit.csp + shown.csp
    assert not violations, "Content-Security-Policy violations:\n" + csp_report(violations)


@pytest.mark.django_db
def test_review_pages_are_valid_html(producer_a, tmp_path: Path):
    require_vnu()
    inquiry = english_fulfilled_inquiry(producer_a)
    client = Client()
    pages = {
        "track": client.get(tracking_url(inquiry)).content,
        "form": client.get(review_url(inquiry, language="en")).content,
        "form-errors": client.post(review_url(inquiry, language="en"), {"rating": "9"}).content,
    }
    write_review(inquiry, inquiry.items.get(), rating=5, text="Great", shown_name="Emma")
    pages["own-review"] = client.get(review_url(inquiry, language="en")).content
    pages["product-en"] = client.get(inquiry.items.get().product.url).content
    pages["product-vi"] = client.get(producer_a.product.url).content
    paths = []
    for name, content in pages.items():
        paths.append(tmp_path / f"{name}.html")
        paths[-1].write_bytes(content)

    errors = validate_html(paths)
    assert not errors, "The Nu HTML Checker found errors:\n" + vnu_report(errors)
