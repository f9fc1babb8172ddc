"""Producers answer their inquiries in the admin; the office sees them all; nobody else any."""

import datetime
import re

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from wagtail.users.models import UserProfile

from marketplace.inquiries.admin_forms import parse_vnd
from marketplace.inquiries.models import Inquiry, StatusChange
from marketplace.inquiries.permissions import can_manage, inquiries_for
from marketplace.inquiries.status import TRANSITIONS
from tests.inquiry_admin_helpers import detail_url, index_url, make_inquiry, set_status

pytest_plugins = ["tests.producer_accounts_fixtures", "tests.inquiry_admin_fixtures"]

Status = Inquiry.Status

LEGAL = [(start, target) for start, targets in TRANSITIONS.items() for target in targets]
ILLEGAL = [
    (start, target)
    for start in Status.values
    for target in Status.values
    if target not in TRANSITIONS[start]
]


def label(status: str) -> str:
    """A status as the admin shows it to these tests' users, in English."""
    with translation.override("en"):
        return str(Status(status).label)


def references_in(html: str) -> set[str]:
    return set(re.findall(r"DB-\d{4}-\d{6}", html))


def references(response) -> set[str]:
    return references_in(response.content.decode())


def status_data(to_status: str, **fields) -> dict[str, str]:
    """A status-change POST with what each target status needs."""
    data = {"to_status": to_status, "amount_vnd": "", "payment_method": "", "note": ""}
    if to_status == Status.CONFIRMED:
        data.update(amount_vnd="250.000", note="Giao thứ Bảy, phí ship đã tính.")
    if to_status in (Status.DECLINED, Status.CANCELLED):
        data["note"] = "Hết hàng mùa này."
    data.update(fields)
    return data


def assert_unchanged(inquiry: Inquiry, status: str) -> None:
    inquiry.refresh_from_db()
    assert inquiry.status == status
    assert not StatusChange.objects.filter(inquiry=inquiry).exists()


# Who sees what


def test_inquiries_for_follows_the_account_groups(
    producer_a, producer_b, inquiry_a, inquiry_b, office_user
):
    assert list(inquiries_for(producer_a.account.user)) == [inquiry_a]
    assert list(inquiries_for(producer_b.account.user)) == [inquiry_b]
    assert set(inquiries_for(office_user)) == {inquiry_a, inquiry_b}
    assert can_manage(producer_a.account.user, inquiry_a)
    assert not can_manage(producer_a.account.user, inquiry_b)


def test_an_inactive_producer_sees_nothing(producer_a, inquiry_a):
    user = producer_a.account.user
    user.is_active = False
    assert not inquiries_for(user).exists()


def test_producers_list_only_their_own_inquiries(producer_a, producer_b, inquiry_a, inquiry_b):
    response_a = producer_a.client.get(index_url())
    response_b = producer_b.client.get(index_url())

    assert response_a.status_code == 200
    assert references(response_a) == {inquiry_a.reference}
    assert references(response_b) == {inquiry_b.reference}
    # Their own name is no news to a producer: no producer column or filter.
    assert "HTX Nước mắm A" not in response_a.content.decode()
    assert "producer" not in response_a.context["filters"].filters


def test_the_office_lists_every_inquiry_with_its_producer(
    office_client, superuser_client, inquiry_a, inquiry_b
):
    for client in (office_client, superuser_client):
        response = client.get(index_url())

        assert response.status_code == 200
        assert references(response) == {inquiry_a.reference, inquiry_b.reference}
        html = response.content.decode()
        assert "HTX Nước mắm A" in html
        assert "HTX Gốm B" in html


def test_the_listing_shows_customer_status_and_estimated_total(producer_a, inquiry_a):
    html = producer_a.client.get(index_url()).content.decode()

    assert "Khách của A" in html
    assert "New" in html
    assert "₫240,000" in html  # 2 × ₫120,000, written for the English-speaking admin


def test_the_filtered_results_fragment_is_scoped_too(producer_a, inquiry_a, inquiry_b):
    response = producer_a.client.get(
        reverse("inquiries_admin:index_results"), {"status": [Status.NEW]}
    )

    assert response.status_code == 200
    assert references(response) == {inquiry_a.reference}


def test_the_office_filters_by_producer(office_client, producer_a, inquiry_a, inquiry_b):
    response = office_client.get(index_url(), {"producer": producer_a.page.pk})

    assert references(response) == {inquiry_a.reference}


def test_a_producer_cannot_filter_their_way_to_another_producer(
    producer_a, producer_b, inquiry_a, inquiry_b
):
    response = producer_a.client.get(index_url(), {"producer": producer_b.page.pk})

    assert response.status_code == 200
    assert references(response) == {inquiry_a.reference}


def test_filter_by_status(producer_a, inquiry_a):
    contacted = set_status(make_inquiry(producer_a), Status.CONTACTED)

    response = producer_a.client.get(index_url(), {"status": [Status.CONTACTED]})
    assert references(response) == {contacted.reference}
    response = producer_a.client.get(index_url(), {"status": [Status.NEW, Status.CONTACTED]})
    assert references(response) == {inquiry_a.reference, contacted.reference}


def test_filter_by_date_range(producer_a):
    january = make_inquiry(producer_a)
    march = make_inquiry(producer_a)
    tz = timezone.get_current_timezone()
    Inquiry.objects.filter(pk=january.pk).update(
        created_at=datetime.datetime(2026, 1, 10, 9, 0, tzinfo=tz)
    )
    Inquiry.objects.filter(pk=march.pk).update(
        created_at=datetime.datetime(2026, 3, 1, 23, 30, tzinfo=tz)
    )

    def listed(**dates):
        return references(producer_a.client.get(index_url(), dates))

    assert listed(created_at_from="2026-02-01") == {march.reference}
    assert listed(created_at_to="2026-01-31") == {january.reference}
    # The end date includes the whole day.
    assert listed(created_at_from="2026-03-01", created_at_to="2026-03-01") == {march.reference}
    assert listed(created_at_from="2026-01-01", created_at_to="2026-12-31") == {
        january.reference,
        march.reference,
    }


@pytest.mark.parametrize(
    "query",
    [
        {"created_at_from": "not a date"},
        {"status": ["bogus"]},
        {"producer": "abc"},
        {"ordering": "-nonsense"},
        {"p": "999"},
        {"q": "'; DROP TABLE"},
    ],
)
def test_bad_listing_parameters_never_fail(producer_a, office_client, inquiry_a, query):
    assert producer_a.client.get(index_url(), query).status_code == 200
    assert office_client.get(index_url(), query).status_code == 200


def test_search_by_reference_name_and_typed_phone(producer_a, inquiry_a):
    other = make_inquiry(producer_a, name="Trần Văn Bình", phone="0236 3812 345")

    def found(query: str) -> set[str]:
        return references(producer_a.client.get(index_url(), {"q": query}))

    assert found(inquiry_a.reference) == {inquiry_a.reference}
    assert found("Bình") == {other.reference}
    assert found("0236 3812 345") == {other.reference}


def test_sorting_by_estimated_total(producer_a):
    small = make_inquiry(producer_a, quantity=1)
    large = make_inquiry(producer_a, quantity=5)

    html = producer_a.client.get(index_url(), {"ordering": "-estimated_total"}).content.decode()

    assert html.index(large.reference) < html.index(small.reference)


# Cross-producer access and outsiders


def test_producer_b_gets_404_on_producer_a_inquiry(producer_b, inquiry_a):
    assert producer_b.client.get(detail_url(inquiry_a)).status_code == 404


def test_producer_b_cannot_change_producer_a_inquiry(producer_b, inquiry_a):
    response = producer_b.client.post(detail_url(inquiry_a), status_data(Status.CONTACTED))

    assert response.status_code == 404
    assert_unchanged(inquiry_a, Status.NEW)


def test_unknown_inquiry_is_404(office_client):
    assert office_client.get(reverse("inquiries_admin:detail", args=[999999])).status_code == 404


def test_outsiders_get_404_and_no_menu_item(outsider_client, inquiry_a):
    assert outsider_client.get(index_url()).status_code == 404
    assert outsider_client.get(detail_url(inquiry_a)).status_code == 404
    response = outsider_client.post(detail_url(inquiry_a), status_data(Status.CONTACTED))
    assert response.status_code == 404
    assert_unchanged(inquiry_a, Status.NEW)

    home = outsider_client.get(reverse("wagtailadmin_home"))
    assert home.status_code == 200
    assert index_url() not in home.content.decode()


def test_anonymous_visitors_are_sent_to_the_login(client, inquiry_a):
    for url in (index_url(), detail_url(inquiry_a)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("wagtailadmin_login"))


def test_no_create_edit_or_delete_views():
    for name in ("add", "edit", "delete", "copy"):
        with pytest.raises(NoReverseMatch):
            reverse(f"inquiries_admin:{name}", args=[] if name == "add" else [1])


# The detail view


def test_detail_shows_the_customer_items_and_contact_links(producer_a, inquiry_a):
    response = producer_a.client.get(detail_url(inquiry_a))

    assert response.status_code == 200
    html = response.content.decode()
    assert inquiry_a.reference in html
    assert "Khách của A" in html
    assert 'href="tel:+84905123456"' in html
    assert "0905 123 456" in html
    assert 'href="https://zalo.me/84905123456"' in html
    assert f'href="mailto:lan@example.com?subject={inquiry_a.reference}"' in html
    assert "12 Trần Phú" in html
    assert "Giao trước Tết nhé." in html
    assert producer_a.product.title in html
    assert "₫120,000" in html  # the unit price when sent
    assert "₫240,000" in html  # subtotal and estimated total


def test_detail_keeps_the_snapshot_price_after_the_product_changes(producer_a, inquiry_a):
    type(producer_a.product).objects.filter(pk=producer_a.product.pk).update(price_vnd=999000)

    html = producer_a.client.get(detail_url(inquiry_a)).content.decode()

    assert "₫120,000" in html
    assert "999.000 ₫" not in html


def test_detail_escapes_the_customer_message(producer_a):
    inquiry = make_inquiry(producer_a, message="<script>alert('x')</script>")

    html = producer_a.client.get(detail_url(inquiry)).content.decode()

    assert "<script>alert(" not in html
    assert "&lt;script&gt;alert(" in html


def test_the_form_offers_only_the_allowed_transitions(producer_a, inquiry_a):
    set_status(inquiry_a, Status.PAID)

    response = producer_a.client.get(detail_url(inquiry_a))

    offered = [
        value for value, _label in response.context["form"]["to_status"].field.widget.choices
    ]
    assert offered == [Status.FULFILLED, Status.CANCELLED]
    html = response.content.decode()
    assert 'value="fulfilled"' in html
    assert 'value="confirmed"' not in html


def test_a_closed_inquiry_has_no_form(producer_a, inquiry_a):
    set_status(inquiry_a, Status.FULFILLED)

    html = producer_a.client.get(detail_url(inquiry_a)).content.decode()

    assert "its status can no longer change" in html
    assert 'name="to_status"' not in html


# Status changes


def test_each_legal_transition(producer_a):
    for start, target in LEGAL:
        inquiry = set_status(make_inquiry(producer_a), start)

        response = producer_a.client.post(detail_url(inquiry), status_data(target), follow=True)

        assert response.redirect_chain == [(detail_url(inquiry), 302)], (start, target)
        inquiry.refresh_from_db()
        assert inquiry.status == target, (start, target)
        change = StatusChange.objects.get(inquiry=inquiry)
        assert (change.from_status, change.to_status) == (start, target)
        assert change.user == producer_a.account.user
        assert change.note == status_data(target)["note"]
        message = f"{inquiry.reference} is now “{label(target)}”."
        assert message in response.content.decode(), (start, target)


def test_each_illegal_transition_is_refused(producer_a):
    for start, target in ILLEGAL:
        inquiry = set_status(make_inquiry(producer_a), start)
        data = status_data(target, amount_vnd="250000", note="Một ghi chú.")

        response = producer_a.client.post(detail_url(inquiry), data)

        assert response.status_code == 200, (start, target)
        html = response.content.decode()
        assert "The status has not been changed" in html
        message = f"An inquiry that is “{label(start)}” cannot become “{label(target)}”."
        assert message in html, (start, target)
        assert_unchanged(inquiry, start)


def test_an_unknown_status_is_refused(producer_a, inquiry_a):
    response = producer_a.client.post(detail_url(inquiry_a), status_data("shipped"))

    assert response.status_code == 200
    assert "to_status" in response.context["form"].errors
    assert_unchanged(inquiry_a, Status.NEW)


def test_confirming_records_the_amount_and_note(producer_a, inquiry_a):
    data = status_data(Status.CONFIRMED, amount_vnd="1.500.000 ₫", note="Gồm phí giao hàng.")

    producer_a.client.post(detail_url(inquiry_a), data)

    inquiry_a.refresh_from_db()
    assert inquiry_a.status == Status.CONFIRMED
    assert inquiry_a.confirmed_amount_vnd == 1_500_000
    assert inquiry_a.confirmation_note == "Gồm phí giao hàng."
    html = producer_a.client.get(detail_url(inquiry_a)).content.decode()
    assert "₫1,500,000" in html


@pytest.mark.parametrize("typed", ["₫1,500,000", "VND 1.500.000", "1 500 000 đ", "1500000"])
def test_amounts_are_read_as_either_language_writes_them(typed):
    assert parse_vnd(typed) == 1_500_000


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"amount_vnd": ""}, "amount_vnd", "Enter the final amount you agreed with the customer."),
        ({"note": "  "}, "note", "Write a note for the customer: what is included, when, how."),
        ({"amount_vnd": "abc"}, "amount_vnd", "Enter the amount in đồng as a whole number"),
        ({"amount_vnd": "1,5"}, "amount_vnd", "Enter the amount in đồng as a whole number"),
        ({"amount_vnd": "0"}, "amount_vnd", "greater than or equal to 1"),
        ({"amount_vnd": "-5"}, "amount_vnd", "Enter the amount in đồng as a whole number"),
        ({"amount_vnd": "99999999999999"}, "amount_vnd", "less than or equal to"),
    ],
)
def test_confirming_needs_an_amount_and_a_note(producer_a, inquiry_a, fields, field, message):
    response = producer_a.client.post(
        detail_url(inquiry_a), status_data(Status.CONFIRMED, **fields)
    )

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert message in response.content.decode()
    assert_unchanged(inquiry_a, Status.NEW)
    inquiry_a.refresh_from_db()
    assert inquiry_a.confirmed_amount_vnd is None


@pytest.mark.parametrize("target", [Status.DECLINED, Status.CANCELLED])
def test_declining_or_cancelling_needs_a_reason(producer_a, inquiry_a, target):
    response = producer_a.client.post(detail_url(inquiry_a), status_data(target, note=""))

    assert response.status_code == 200
    assert "note" in response.context["form"].errors
    assert "Give the customer a reason." in response.content.decode()
    assert_unchanged(inquiry_a, Status.NEW)


def test_marking_paid_records_how(producer_a, inquiry_a):
    set_status(inquiry_a, Status.CONFIRMED)

    producer_a.client.post(
        detail_url(inquiry_a), status_data(Status.PAID, payment_method="bank_transfer")
    )

    inquiry_a.refresh_from_db()
    assert inquiry_a.status == Status.PAID
    assert inquiry_a.payment_method == Inquiry.PaymentMethod.BANK_TRANSFER


def test_the_consumers_details_cannot_be_changed_from_the_admin(producer_a, inquiry_a):
    producer_a.client.post(
        detail_url(inquiry_a),
        {**status_data(Status.CONTACTED), "name": "Đổi tên", "phone": "0911111111"},
    )

    inquiry_a.refresh_from_db()
    assert inquiry_a.status == Status.CONTACTED
    assert inquiry_a.name == "Khách của A"
    assert inquiry_a.phone == "+84905123456"


def test_the_office_can_answer_any_inquiry(office_client, office_user, inquiry_b):
    office_client.post(detail_url(inquiry_b), status_data(Status.CONTACTED))

    inquiry_b.refresh_from_db()
    assert inquiry_b.status == Status.CONTACTED
    assert inquiry_b.changes.get().user == office_user


def test_the_timeline_shows_who_when_and_what(producer_a, office_client, inquiry_a):
    producer_a.account.user.first_name = "Chị"
    producer_a.account.user.last_name = "Hoa"
    producer_a.account.user.save()
    producer_a.client.post(detail_url(inquiry_a), status_data(Status.CONTACTED, note="Đã gọi."))
    producer_a.client.post(
        detail_url(inquiry_a), status_data(Status.DECLINED, note="<b>Hết hàng</b>")
    )

    response = office_client.get(detail_url(inquiry_a))

    html = response.content.decode()
    history = html[html.index('id="inquiry-history-section"') :]
    assert "sent by the customer" in history
    assert "Chị Hoa" in history
    assert "New → <strong>Contacted</strong>" in history
    assert "Contacted → <strong>Declined</strong>" in history
    assert "Đã gọi." in history
    assert "&lt;b&gt;Hết hàng&lt;/b&gt;" in history
    assert history.index("Đã gọi.") < history.index("Hết hàng")


def test_a_stripe_change_shows_in_the_timeline(producer_a, inquiry_a):
    set_status(inquiry_a, Status.CONFIRMED)
    StatusChange.objects.create(
        inquiry=inquiry_a, from_status=Status.CONFIRMED, to_status=Status.PAID, source="stripe"
    )

    html = producer_a.client.get(detail_url(inquiry_a)).content.decode()

    assert "Stripe payment" in html


# Dashboard and menu


def dashboard(client) -> str:
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return response.content.decode()


def panel(html: str) -> str:
    start = html.index('id="new-inquiries-section"')
    return html[start : html.index("</section>", start)]


def test_the_dashboard_lists_a_producers_new_inquiries(producer_a, producer_b, inquiry_b):
    new = [make_inquiry(producer_a) for _ in range(2)]
    answered = set_status(make_inquiry(producer_a), Status.CONTACTED)

    html = panel(dashboard(producer_a.client))

    assert "2 inquiries are waiting for your answer." in html
    for inquiry in new:
        assert f'href="{detail_url(inquiry)}"' in html
    assert answered.reference not in html
    assert inquiry_b.reference not in html
    assert f'href="{index_url()}?status=new"' in html


def test_the_dashboard_shows_the_latest_five(producer_a):
    inquiries = [make_inquiry(producer_a) for _ in range(7)]

    html = panel(dashboard(producer_a.client))

    assert "7 inquiries are waiting for your answer." in html
    assert references_in(html) == {inquiry.reference for inquiry in inquiries[-5:]}


def test_the_office_dashboard_shows_every_new_inquiry(office_client, inquiry_a, inquiry_b):
    html = panel(dashboard(office_client))

    assert "2 inquiries are waiting for your answer." in html
    assert references_in(html) == {inquiry_a.reference, inquiry_b.reference}
    assert "HTX Nước mắm A" in html


def test_the_dashboard_says_when_nothing_waits(producer_a):
    assert "No new inquiries" in panel(dashboard(producer_a.client))


def test_outsiders_have_no_inquiry_panel(outsider_client, inquiry_a):
    assert 'id="new-inquiries-section"' not in dashboard(outsider_client)


def test_the_menu_item_counts_new_inquiries(producer_a, inquiry_a):
    make_inquiry(producer_a)

    html = dashboard(producer_a.client)

    assert "Inquiries (2 new)" in html
    assert index_url() in html


def test_the_admin_speaks_vietnamese_to_a_vietnamese_producer(producer_a, inquiry_a):
    profile = UserProfile.get_for_user(producer_a.account.user)
    profile.preferred_language = "vi"
    profile.save()

    html = dashboard(producer_a.client)
    assert "1 yêu cầu đang chờ bạn trả lời." in panel(html)

    response = producer_a.client.post(detail_url(inquiry_a), status_data(Status.DECLINED, note=""))
    assert "Hãy cho khách hàng biết lý do." in response.content.decode()
