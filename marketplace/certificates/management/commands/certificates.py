"""Chores around OCOP certificates.

manage.py certificates remind [--dry-run]   # daily: expiry reminders to producers and the office
"""

from django.core.management.base import BaseCommand

from marketplace.certificates import reminders

LABELS = {
    reminders.Threshold.SIXTY_DAYS: "60 days",
    reminders.Threshold.THIRTY_DAYS: "30 days",
    reminders.Threshold.EXPIRY_DAY: "expiry day",
}


class Command(BaseCommand):
    help = "Email expiry reminders about OCOP certificates (run it daily)."

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        remind = actions.add_parser(
            "remind",
            help="email the producer and the office 60 and 30 days before a verified "
            "certificate expires and on its expiry day; each reminder is sent once",
        )
        remind.add_argument(
            "--dry-run", action="store_true", help="count the reminders due, send nothing"
        )

    def handle(self, *args, action: str, **options) -> None:
        self.remind(options["dry_run"])

    def remind(self, dry_run: bool) -> None:
        run = reminders.remind(dry_run=dry_run)
        details = ", ".join(f"{LABELS[t]}: {run.sent[t]}" for t in reminders.THRESHOLDS)
        verb = "Would send" if dry_run else "Sent"
        message = (
            f"Certificate reminders on {run.on:%Y-%m-%d}: {verb} "
            f"{run.total_sent} ({details}); already sent {run.already_sent}; "
            f"nobody to email {run.no_recipients}; failed {run.failed}."
        )
        style = self.style.SUCCESS if not (run.failed or run.no_recipients) else self.style.WARNING
        self.stdout.write(style(message))
