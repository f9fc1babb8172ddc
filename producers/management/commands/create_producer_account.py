from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from wagtail.models import Page

from producers.accounts import create_producer_account
from producers.models import ProducerPage


class Command(BaseCommand):
    help = "Create (or complete) the account that lets a producer edit their own pages."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("page_id", type=int, help="ID of the producer page.")
        parser.add_argument("email", help="The producer's email address; it is their login.")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")

    def handle(self, *args, page_id: int, email: str, first_name: str, last_name: str, **options):
        page = producer_page(page_id)
        try:
            account = create_producer_account(
                page, email, first_name=first_name, last_name=last_name
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error

        self.stdout.write(_("Producer: %(name)s (#%(id)s)") % {"name": page, "id": page.pk})
        self.stdout.write(_("Login: %(login)s") % {"login": account.user.get_username()})
        if account.created:
            self.stdout.write(
                _("Temporary password: %(password)s") % {"password": account.password}
            )
            self.stdout.write(_("Ask the producer to change it after their first login."))
        else:
            self.stdout.write(_("The user already existed; their password is unchanged."))


def producer_page(page_id: int) -> ProducerPage:
    producer = ProducerPage.objects.filter(pk=page_id).first()
    if producer is not None:
        return producer
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        raise CommandError(_("There is no page with ID %(id)s.") % {"id": page_id})
    raise CommandError(
        _("Page %(id)s (“%(title)s”) is not a producer page.")
        % {"id": page_id, "title": page.title}
    )
