"""Chores around order inquiries.

manage.py inquiries purge --older-than 24m [--dry-run]   # anonymise old closed inquiries
manage.py inquiries export --phone 0905123456           # one person's data, as JSON
manage.py inquiries retry-emails                        # send the emails that failed
"""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder

from marketplace.inquiries import emails, privacy


class Command(BaseCommand):
    help = "Anonymise old inquiries, export one person's data, or retry failed emails."

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        purge = actions.add_parser(
            "purge",
            help="anonymise the personal data of closed inquiries (fulfilled, declined, "
            "cancelled) whose last change is older than --older-than",
        )
        purge.add_argument(
            "--older-than",
            required=True,
            metavar="AGE",
            help="days, weeks, months or years: 30d, 8w, 24m, 2y",
        )
        purge.add_argument(
            "--dry-run", action="store_true", help="count what would be anonymised, change nothing"
        )
        export = actions.add_parser(
            "export", help="print everything stored about the person with this phone number"
        )
        export.add_argument("--phone", required=True, help="in any Vietnamese format")
        actions.add_parser(
            "retry-emails",
            help=f"send again the emails that failed (each up to {emails.MAX_ATTEMPTS} times); "
            "run it every few minutes",
        )

    def handle(self, *args, action: str, **options) -> None:
        if action == "purge":
            self.purge(options["older_than"], options["dry_run"])
        elif action == "export":
            self.export(options["phone"])
        else:
            self.retry_emails()

    def purge(self, older_than: str, dry_run: bool) -> None:
        try:
            before = privacy.cutoff(older_than)
        except ValueError as error:
            raise CommandError(str(error)) from error
        result = privacy.purge(before, dry_run=dry_run)
        counts = f"{result.inquiries} inquiries, {result.notes} status notes"
        when = f"closed and last changed before {before:%Y-%m-%d %H:%M} UTC"
        if dry_run:
            self.stdout.write(f"Would anonymise {counts} ({when}).")
        else:
            self.stdout.write(self.style.SUCCESS(f"Anonymised {counts} ({when})."))

    def export(self, phone: str) -> None:
        try:
            data = privacy.export_person(phone)
        except ValidationError as error:
            raise CommandError(f"“{phone}” is not a Vietnamese phone number.") from error
        self.stdout.write(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))

    def retry_emails(self) -> None:
        result = emails.retry_failed()
        message = f"Sent {result.sent}, failed {result.failed}, nobody to send to {result.skipped}."
        style = self.style.SUCCESS if not result.failed else self.style.WARNING
        self.stdout.write(style(message))
        if result.given_up:
            self.stdout.write(
                self.style.ERROR(
                    f"{result.given_up} emails failed {emails.MAX_ATTEMPTS} times and are no "
                    "longer retried: see the log, and the EmailDelivery records."
                )
            )
