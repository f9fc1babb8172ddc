from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse
from wagtail.models import Locale

from marketplace.core.office import OFFICE_GROUP
from marketplace.core.site_address import absolute_url
from marketplace.guidance.checklist import onboarding_checklist
from producers.accounts import create_producer_account
from producers.models import ProducerPage

PASSWORD = "cho-ocop-demo"
ADMIN = ("admin", "admin@example.invalid")
OFFICE = ("office", "office@example.invalid")
# A producer's login (create_producer_account names it by its email).
PRODUCER = "producer@example.invalid"


def newest_producer() -> ProducerPage | None:
    """The demo producer with the most left on its onboarding checklist: the one a demo
    of a producer's first steps logs in as."""
    producers = ProducerPage.objects.filter(locale=Locale.get_default())
    checklists = [onboarding_checklist(producer) for producer in producers.order_by("pk")]
    if not checklists:
        return None
    return min(checklists, key=lambda checklist: checklist.done_count).producer


def ensure_producer_account() -> None:
    """A demo producer's account, once the demo producers are loaded."""
    User = get_user_model()
    if User.objects.filter(username=PRODUCER).exists():
        return
    producer = newest_producer()
    if producer is None:
        return
    account = create_producer_account(producer, PRODUCER)
    account.user.set_password(PASSWORD)
    account.user.save(update_fields=["password"])


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
        ensure_producer_account()

        self.stdout.write(f"Log in at {absolute_url(reverse('wagtailadmin_home'))}")
        for username, role in ((ADMIN[0], "superuser"), (OFFICE[0], OFFICE_GROUP)):
            user = User.objects.filter(username=username).first()
            if user is None:
                continue
            password = PASSWORD if user.check_password(PASSWORD) else "(changed since)"
            self.stdout.write(f"  {role}: {username} / {password}")
        producer = ProducerPage.objects.filter(account_group__user__username=PRODUCER).first()
        user = User.objects.filter(username=PRODUCER).first()
        if producer is not None and user is not None:
            password = PASSWORD if user.check_password(PASSWORD) else "(changed since)"
            self.stdout.write(f"  producer ({producer}): {PRODUCER} / {password}")
