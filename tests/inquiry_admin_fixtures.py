"""Fixtures for the inquiry admin tests: inquiries to producers A and B, and more users.

Use with `pytest_plugins = ["tests.producer_accounts_fixtures", "tests.inquiry_admin_fixtures"]`.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from marketplace.inquiries.models import Inquiry
from producers.accounts import PRODUCERS_GROUP
from tests.inquiry_admin_helpers import make_inquiry
from tests.producer_accounts_helpers import admin_client


@pytest.fixture
def inquiry_a(producer_a) -> Inquiry:
    return make_inquiry(producer_a, name="Khách của A")


@pytest.fixture
def inquiry_b(producer_b) -> Inquiry:
    return make_inquiry(producer_b, name="Khách của B")


@pytest.fixture
def outsider_client(db) -> Client:
    """Someone with admin access who is neither the office nor any producer's account."""
    user = get_user_model().objects.create_user("outsider@example.com", "outsider@example.com")
    user.groups.add(Group.objects.get(name=PRODUCERS_GROUP))
    return admin_client(user)


@pytest.fixture
def superuser_client(db) -> Client:
    user = get_user_model().objects.create_superuser("root@example.com", "root@example.com")
    return admin_client(user)
