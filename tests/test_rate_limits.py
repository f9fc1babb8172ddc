"""Rate limits hold when a visitor sends many requests at the same moment.

The counters (marketplace.ratelimits) take a slot in one atomic step. The parallel tests
run each call in its own thread and database connection, as worker processes would.
Anything in parallel needs PostgreSQL (DATABASE_URL=postgres://…): SQLite's in-memory
test database refuses concurrent writers ("database table is locked"), so those tests skip
there, except in CI, where a skip would hide a failure (the `postgresql` fixture).
"""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone

from marketplace.inquiries.models import Submission
from marketplace.ratelimits.counter import counter
from marketplace.ratelimits.models import RateCounter
from tests.concurrency_helpers import at_once
from tests.inquiry_helpers import fill, form_key, request_data, url

pytest_plugins = ["tests.inquiry_fixtures"]

LIMITED = "Bạn đã gửi nhiều yêu cầu trong thời gian ngắn"
# Committed data, so other connections see it; the snapshot restores migration data.
parallel = pytest.mark.django_db(transaction=True, serialized_rollback=True)


# The counter


@pytest.mark.django_db
def test_a_counter_takes_up_to_its_limit_then_refuses():
    taken = [counter().take("test:a", limit=3, seconds=60) for _ in range(5)]

    assert taken == [True, True, True, False, False]
    assert counter().used("test:a") == 3
    assert counter().used("test:b") == 0


@pytest.mark.django_db
def test_a_new_window_starts_when_the_last_has_run_out():
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        for _ in range(2):
            counter().take("test:a", limit=2, seconds=60)
        assert not counter().take("test:a", limit=2, seconds=60)
    with time_machine.travel(now + datetime.timedelta(seconds=61), tick=False):
        assert counter().used("test:a") == 0
        assert counter().take("test:a", limit=2, seconds=60)
        assert counter().used("test:a") == 1


@pytest.mark.django_db
def test_a_slot_given_back_can_be_taken_again():
    counter().take("test:a", limit=1, seconds=60)
    counter().give_back("test:a")

    assert counter().take("test:a", limit=1, seconds=60)
    assert not counter().take("test:a", limit=1, seconds=60)


@pytest.mark.django_db
def test_past_windows_are_forgotten_when_a_new_counter_starts():
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        counter().take("test:old", limit=1, seconds=60)
    with time_machine.travel(now + datetime.timedelta(minutes=5), tick=False):
        counter().take("test:new", limit=1, seconds=60)

    assert list(RateCounter.objects.values_list("key", flat=True)) == ["test:new"]


@parallel
def test_forty_parallel_takes_count_forty(postgresql):
    # The audit: 40 concurrent increments of the database cache ended at 12.
    taken = at_once(lambda _n: counter().take("test:a", limit=100, seconds=60), range(40))

    assert all(taken)
    assert counter().used("test:a") == 40


@parallel
def test_twenty_parallel_takes_get_exactly_the_limit(postgresql):
    taken = at_once(lambda _n: counter().take("test:a", limit=5, seconds=60), range(20))

    assert taken.count(True) == 5
    assert counter().used("test:a") == 5


# The request form


def visitor_with_forms(shop, count: int) -> tuple[str, list[str]]:
    """A visitor with a full list and `count` request forms open: their session cookie
    and the forms' keys."""
    client = Client()
    fill(client, (shop.rice_wine, 1))
    keys = [form_key(client) for _ in range(count)]
    return client.cookies[settings.SESSION_COOKIE_NAME].value, keys


def post_form(session: str, key: str, shop, **extra):
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = session
    return client.post(url("send"), request_data(key, shop), **extra)


def outcomes(responses) -> tuple[int, int]:
    """How many requests were sent (redirected to their confirmation) and how many were
    refused with the rate-limit page; nothing else may happen."""
    sent = [r for r in responses if r.status_code == 302 and "/da-gui/" in r.url]
    limited = [r for r in responses if r.status_code == 429 and LIMITED in r.content.decode()]
    assert len(sent) + len(limited) == len(responses), [r.status_code for r in responses]
    return len(sent), len(limited)


@parallel
def test_twenty_parallel_submissions_from_one_session_and_address_send_five(postgresql, shop):
    session, keys = visitor_with_forms(shop, 20)

    responses = at_once(lambda key: post_form(session, key, shop), keys)

    assert outcomes(responses) == (5, 15)
    assert Submission.objects.count() == 5


@parallel
def test_twenty_parallel_submissions_from_one_address_send_five(postgresql, shop):
    visitors = [visitor_with_forms(shop, 1) for _ in range(20)]

    responses = at_once(lambda visitor: post_form(visitor[0], visitor[1][0], shop), visitors)

    assert outcomes(responses) == (5, 15)
    assert Submission.objects.count() == 5
