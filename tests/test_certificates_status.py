"""The certificate status rules, and what they mean for badges, facets and search.

Only verified, unexpired certificates count: pending, rejected, revoked and expired ones
show no badge, count in no stars facet and boost no search, in both search backends.
Revocation takes the badge away at once; expiry the day after the last valid day,
without anyone acting.
"""

import datetime
import zoneinfo

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from marketplace.certificates import decisions
from marketplace.certificates.decisions import CertificateStatusError
from marketplace.certificates.models import OcopCertificate
from products.models import ProductPage
from products.queries import filter_products, live_products, with_card_data
from search.query import ProductQuery
from tests.factories import en, vi

# How the office checked a certificate without its scanned decision (see decisions.verify).
CHECKED = "Đối chiếu danh sách quyết định OCOP tỉnh công bố; không có bản quét."

pytestmark = pytest.mark.django_db
pytest_plugins = [
    "tests.producer_accounts_fixtures",
    "tests.certificates_fixtures",
    "tests.search_indexing_fixtures",
]

LOCAL = zoneinfo.ZoneInfo(settings.TIME_ZONE)
COUNTING = {"valid", "expiring"}  # the fixture's certificates that count today


def status_of(certificate: OcopCertificate) -> str:
    return OcopCertificate.objects.get(pk=certificate.pk).status


# Transitions. -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "allowed"),
    [
        ("pending", ["verified", "rejected"]),
        ("rejected", ["verified"]),
        ("valid", ["revoked"]),
        ("expired", ["revoked"]),
        ("revoked", []),
    ],
)
def test_allowed_decisions(certified, name, allowed):
    assert sorted(decisions.allowed_decisions(certified[name])) == sorted(allowed)


@pytest.mark.parametrize(
    ("name", "decide"),
    [
        ("pending", lambda c, user: decisions.revoke(c, user, "Lý do")),
        ("rejected", lambda c, user: decisions.revoke(c, user, "Lý do")),
        ("valid", lambda c, user: decisions.reject(c, user, "Lý do")),
        ("valid", lambda c, user: decisions.verify(c, user)),
        ("revoked", lambda c, user: decisions.verify(c, user)),
        ("revoked", lambda c, user: decisions.reject(c, user, "Lý do")),
    ],
)
def test_refused_transitions(certified, office_user, name, decide):
    certificate = certified[name]
    before = status_of(certificate)
    with pytest.raises(CertificateStatusError) as refused:
        decide(certificate, office_user)
    assert refused.value.code == "not_allowed"
    assert status_of(certificate) == before


def test_allowed_transitions_record_who_and_when(certified, office_user):
    pending, rejected = certified["pending"], certified["rejected"]
    decisions.verify(pending, office_user, show_document=True, reason=CHECKED)
    assert (pending.status, pending.status_changed_by, pending.document_public) == (
        "verified",
        office_user,
        True,
    )
    assert pending.status_changed_at is not None
    decisions.verify(rejected, office_user, reason=CHECKED)
    assert (rejected.status, rejected.status_reason) == ("verified", CHECKED)
    decisions.revoke(rejected, office_user, "  Thu hồi theo QĐ 12.  ")
    assert (rejected.status, rejected.status_reason) == ("revoked", "Thu hồi theo QĐ 12.")


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_reject_and_revoke_need_a_reason(certified, office_user, reason):
    with pytest.raises(CertificateStatusError) as refused:
        decisions.reject(certified["pending"], office_user, reason)
    assert refused.value.code == "no_reason"
    with pytest.raises(CertificateStatusError):
        decisions.revoke(certified["valid"], office_user, reason)
    assert status_of(certified["pending"]) == "pending"
    assert status_of(certified["valid"]) == "verified"


def test_only_the_office_decides(certified, producer_a, office_user):
    pending = certified["pending"]
    for user in (producer_a.account.user, AnonymousUser()):
        assert not decisions.can_decide(user)
        with pytest.raises(PermissionDenied):
            decisions.verify(pending, user)
        with pytest.raises(PermissionDenied):
            decisions.revoke(certified["valid"], user, "Lý do")
    assert status_of(pending) == "pending"
    assert decisions.can_decide(office_user)


# Page revisions, edits and translations. ----------------------------------------------


def publish_with(product: ProductPage, **changes) -> None:
    """Publish a new revision of the product, its certificate's fields changed."""
    page = ProductPage.objects.get(pk=product.pk)
    [certificate] = list(page.ocop_certificates.all())
    for name, value in changes.items():
        setattr(certificate, name, value)
    page.ocop_certificates = [certificate]
    page.save_revision().publish()


def test_a_page_revision_cannot_bring_back_an_old_status(certified, office_user):
    pending = certified["pending"]
    old = ProductPage.objects.get(pk=pending.page_id).save_revision()  # holds "pending"
    decisions.verify(pending, office_user, reason=CHECKED)
    old.publish()
    assert status_of(pending) == "verified"

    valid = certified["valid"]
    old = ProductPage.objects.get(pk=valid.page_id).save_revision()  # holds "verified"
    decisions.revoke(valid, office_user, "Không đạt khi đánh giá lại.")
    old.publish()
    assert status_of(valid) == "revoked"


@pytest.mark.parametrize(
    ("field", "value", "status"),
    [
        ("decision_number", "999/QĐ-UBND", "pending"),
        ("stars", 5, "pending"),
        ("expiry_date", datetime.date(2099, 1, 1), "pending"),
        ("issuing_body", "Sở Nông nghiệp", "verified"),  # not what the office checks
        ("score", 80, "verified"),
    ],
)
def test_changing_a_checked_fact_sends_it_back_to_pending(certified, field, value, status):
    valid = certified["valid"]
    publish_with(valid.page, **{field: value})
    assert status_of(valid) == status


def test_translation_copies_share_the_decision(certified, translate_product, office_user):
    pending = certified["pending"]
    product_en = translate_product(pending.page)
    copy = OcopCertificate.objects.get(page=product_en)
    assert (copy.translation_key, copy.status) == (pending.translation_key, "pending")
    decisions.verify(pending, office_user, reason=CHECKED)
    assert status_of(copy) == "verified"
    assert ProductPage.objects.get(pk=product_en.pk).valid_ocop_certificate() == copy
    decisions.revoke(copy, office_user, "Thu hồi.")
    assert status_of(pending) == "revoked"


# Badges, catalogue filters and search. ------------------------------------------------


def badge_stars(product: ProductPage) -> int | None:
    """The stars of the badge on the product's public page (None: no badge)."""
    response = Client().get(ProductPage.objects.get(pk=product.pk).url)
    assert response.status_code == 200
    certificate = response.context["ocop_certificate"]
    return certificate.stars if certificate else None


def card_stars() -> dict[str, int | None]:
    """The stars on each product card of the Vietnamese catalogue."""
    return {p.title: p.ocop_stars for p in with_card_data(live_products(vi()))}


def stars_filtered(*stars: int) -> set[str]:
    return {p.title for p in filter_products(with_card_data(live_products(vi())), stars=stars)}


def searched(backend) -> tuple[dict[str, int | None], dict[str, int]]:
    """Every product's stars in search hits, and the stars facet's counts."""
    results = backend.search_products(ProductQuery(page_size=100))
    facet = {value.value: value.count for value in results.facets.get("stars", [])}
    return {hit.title: hit.stars for hit in results.hits}, facet


def counting(certified: dict, names=COUNTING) -> dict[str, int]:
    return {certified[name].page.title: certified[name].stars for name in names}


@pytest.fixture
def database_index(certified):
    from search.backends.database import DatabaseBackend

    backend = DatabaseBackend()
    backend.rebuild()
    return backend


def test_only_valid_certificates_show_a_badge(certified):
    for name, certificate in certified.items():
        expected = certificate.stars if name in COUNTING else None
        assert badge_stars(certificate.page) == expected, name
    cards = card_stars()
    assert {title: stars for title, stars in cards.items() if stars} == counting(certified)
    assert stars_filtered(4) == {certified["expiring"].page.title}
    assert stars_filtered(3) == {certified["valid"].page.title}
    assert stars_filtered(5) == set()  # revoked


def test_database_search_counts_valid_certificates_only(certified, database_index):
    hits, facet = searched(database_index)
    assert len(hits) == len(certified)
    assert {title: stars for title, stars in hits.items() if stars} == counting(certified)
    assert facet == {"3": 1, "4": 1}


def test_revocation_removes_the_badge_at_once(certified, database_index, office_user, decided):
    valid = certified["valid"]
    with decided():
        decisions.revoke(valid, office_user, "Thu hồi theo QĐ 55/QĐ-UBND.")
    assert badge_stars(valid.page) is None
    assert card_stars()[valid.page.title] is None
    hits, facet = searched(database_index)
    assert hits[valid.page.title] is None
    assert facet == {"4": 1}


def test_verification_shows_the_badge_at_once(certified, database_index, office_user, decided):
    pending = certified["pending"]
    with decided():
        decisions.verify(pending, office_user, reason=CHECKED)
    assert badge_stars(pending.page) == 4
    hits, facet = searched(database_index)
    assert hits[pending.page.title] == 4
    assert facet == {"3": 1, "4": 2}


def last_moment(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(23, 59), tzinfo=LOCAL)


def first_moment(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(0, 1), tzinfo=LOCAL)


def test_expiry_the_same_day_without_anyone_acting(certified, database_index):
    expiring = certified["expiring"]
    last_day = expiring.expiry_date
    with time_machine.travel(last_moment(last_day), tick=False):
        assert timezone.localdate() == last_day
        assert decisions.public_status(expiring) == "expiring"
        assert badge_stars(expiring.page) == 4
        assert searched(database_index)[1] == {"3": 1, "4": 1}
    with time_machine.travel(first_moment(last_day + datetime.timedelta(days=1)), tick=False):
        assert decisions.public_status(expiring) == "expired"
        assert badge_stars(expiring.page) is None
        assert card_stars()[expiring.page.title] is None
        hits, facet = searched(database_index)
        assert hits[expiring.page.title] is None
        assert facet == {"3": 1}


def test_english_pages_follow_the_decision(certified, translate_product, office_user, decided):
    valid = certified["valid"]
    product_en = translate_product(valid.page)
    assert badge_stars(product_en) == 3
    with decided():
        decisions.revoke(valid, office_user, "Thu hồi.")
    assert badge_stars(product_en) is None
    assert {p.title: p.ocop_stars for p in with_card_data(live_products(en()))} == {
        product_en.title: None
    }


@pytest.mark.elasticsearch
def test_elasticsearch_counts_valid_certificates_only(certified, es_settings, office_user, decided):
    from search.backends.elasticsearch import connection, indexing
    from search.backends.elasticsearch.backend import ElasticsearchBackend

    def es_searched():
        connection.get_client(indexing=True).indices.refresh(index=f"{connection.index_prefix()}-*")
        return searched(ElasticsearchBackend())

    indexing.rebuild()
    hits, facet = es_searched()
    assert len(hits) == len(certified)
    assert {title: stars for title, stars in hits.items() if stars} == counting(certified)
    assert facet == {"3": 1, "4": 1}

    valid, expiring = certified["valid"], certified["expiring"]
    with decided():
        decisions.revoke(valid, office_user, "Thu hồi theo QĐ 55/QĐ-UBND.")
    hits, facet = es_searched()
    assert hits[valid.page.title] is None
    assert facet == {"4": 1}

    with time_machine.travel(last_moment(expiring.expiry_date), tick=False):
        assert es_searched()[0][expiring.page.title] == 4
    with time_machine.travel(first_moment(expiring.expiry_date + datetime.timedelta(days=1))):
        hits, facet = es_searched()
        assert hits[expiring.page.title] is None
        assert facet == {}
