"""Submissions at the same moment, each on its own database connection, on PostgreSQL.

SQLite serialises every writer, so it would prove nothing: these tests skip there, except
in CI (.ci/run sets CI and runs PostgreSQL), where a skip would hide a failure.
"""

import pytest
from django.core import mail

from marketplace.inquiries.models import EmailDelivery, Inquiry, Submission
from marketplace.inquiries.submission import new_submission_key
from tests.concurrency_helpers import at_once
from tests.factories import make_producer, make_product
from tests.inquiry_builders import group, phone_number, submit

pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.usefixtures("postgresql"),
    # Committed data, so other connections see it; the snapshot restores migration data.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def groups(site) -> list:
    """An inquiry list with products of two producers."""
    lists = []
    for name, email in (
        ("HTX Nước mắm", "nuocmam@example.com"),
        ("Gốm Thanh Hà", "gom@example.com"),
    ):
        producer = make_producer(site.producers, name, email=email)
        lists.append(group(producer, (make_product(producer), 2)))
    return lists


def test_fifty_parallel_submissions_get_unique_consecutive_references(groups):
    results = at_once(
        lambda phone: submit(*groups, phone=phone), [phone_number() for _ in range(50)]
    )

    assert all(result.created for result in results)
    assert Submission.objects.count() == 50
    inquiries = Inquiry.objects.all()
    assert inquiries.count() == 100
    references = [inquiry.reference for inquiry in inquiries]
    assert len(set(references)) == 100
    numbers = sorted(int(reference.rsplit("-", 1)[1]) for reference in references)
    assert numbers == list(range(numbers[0], numbers[0] + 100))
    for submission in Submission.objects.prefetch_related("inquiries"):
        producers = {inquiry.producer_id for inquiry in submission.inquiries.all()}
        assert producers == {group.producer.pk for group in groups}
    # After each commit: one email per producer and one to the consumer, each sent once.
    assert len(mail.outbox) == 150
    assert EmailDelivery.objects.filter(state=EmailDelivery.State.SENT).count() == 150


def test_the_same_form_submitted_ten_times_at_once_is_one_submission(groups):
    key = new_submission_key()

    results = at_once(lambda _n: submit(*groups, key=key), range(10))

    assert [result.created for result in results].count(True) == 1
    assert {result.submission.pk for result in results} == {Submission.objects.get(key=key).pk}
    assert Submission.objects.count() == 1
    assert Inquiry.objects.count() == 2
    assert len(mail.outbox) == 3
