from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse
from wagtail.models import Locale

from marketplace.core.office import OFFICE_GROUP
from marketplace.core.site_address import absolute_url
from producers.accounts import create_producer_account
from producers.models import ProducerPage

PASSWORD = "cho-ocop-demo"
ADMIN = ("admin", "admin@example.invalid")
OFFICE = ("office", "office@example.invalid")
# A producer's login (create_producer_account's: the email is the username), to try the
# admin as a producer sees it: the demo producer with the most products.
PRODUCER_EMAIL = "producer@example.invalid"


def ensure_demo_producer_account() -> ProducerPage | None:
    """The demo producer's account, created once when there are demo producers."""
    User = get_user_model()
    user = User.objects.filter(username=PRODUCER_EMAIL).first()
    if user is not None:
        return ProducerPage.objects.filter(account_group__user=user).first()
    producer = (
        ProducerPage.objects.filter(locale=Locale.get_default(), live=True)
        .order_by("-numchild", "path")
        .first()
    )
    if producer is None:
        return None
    with transaction.atomic():
        account = create_producer_account(producer, PRODUCER_EMAIL, first_name="Demo")
        account.user.set_password(PASSWORD)
        account.user.save(update_fields=["password"])
    return producer


class Command(BaseCommand):
    help = (
        "Local demos only: create the accounts 'admin' (superuser) and 'office' (Agriculture "
        "office) when there is no superuser yet, and print how to log in."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "ensure_demo_admin creates accounts with a published password, so it only "
                "runs with DEBUG on (local demos). Use `manage.py createsuperuser` instead."
            )
        User = get_user_model()
        if not User.objects.filter(is_superuser=True).exists():
            with transaction.atomic():
                User.objects.create_superuser(*ADMIN, password=PASSWORD)
                office = User.objects.filter(username=OFFICE[0]).first()
                if office is None:
                    office = User.objects.create_user(*OFFICE, password=PASSWORD)
                office.groups.add(Group.objects.get_or_create(name=OFFICE_GROUP)[0])
            self.stdout.write(self.style.SUCCESS("Created the demo accounts."))
        producer = ensure_demo_producer_account()

        self.stdout.write(f"Log in at {absolute_url(reverse('wagtailadmin_home'))}")
        logins = [(ADMIN[0], "superuser"), (OFFICE[0], OFFICE_GROUP)]
        if producer is not None:
            logins.append((PRODUCER_EMAIL, f"producer ({producer.title})"))
        for username, role in logins:
            user = User.objects.filter(username=username).first()
            if user is None:
                continue
            password = PASSWORD if user.check_password(PASSWORD) else "(changed since)"
            self.stdout.write(f"  {role}: {username} / {password}")
