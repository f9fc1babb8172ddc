"""Fixtures for the producer-account tests: two producers with accounts, an office user.

Use with `pytest_plugins = ["tests.producer_accounts_fixtures"]` in a test module.
"""

from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from marketplace.core.office import OFFICE_GROUP
from producers.accounts import ProducerAccount, create_producer_account
from producers.models import ProducerPage
from products.models import ProductPage
from tests.factories import make_producer, make_product
from tests.producer_accounts_helpers import admin_client


@dataclass
class Producer:
    page: ProducerPage
    product: ProductPage
    account: ProducerAccount
    client: Client


def make_producer_with_account(site, name: str, email: str) -> Producer:
    page = make_producer(site.producers, name)
    product = make_product(page, f"Sản phẩm của {name}")
    account = create_producer_account(page, email)
    return Producer(page, product, account, admin_client(account.user))


@pytest.fixture
def producer_a(site) -> Producer:
    return make_producer_with_account(site, "HTX Nước mắm A", "a@example.com")


@pytest.fixture
def producer_b(site) -> Producer:
    return make_producer_with_account(site, "HTX Gốm B", "b@example.com")


@pytest.fixture
def office_user(db):
    user = get_user_model().objects.create_user("office@example.com", "office@example.com")
    user.groups.add(Group.objects.get(name=OFFICE_GROUP))
    return user


@pytest.fixture
def office_client(office_user) -> Client:
    return admin_client(office_user)
