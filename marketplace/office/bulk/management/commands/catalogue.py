"""Bulk import and export of producers and products.

    manage.py catalogue import FILE.xlsx|FILE.csv [--dry-run] [--kind producers|products]
                                                  [--user EMAIL]
    manage.py catalogue export FILE.xlsx
    manage.py catalogue template FILE.xlsx

Without --user the import publishes every page; with it, the user's permissions and
the moderation workflow apply. Exit status 1 when the file has errors.
"""

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from marketplace.office.bulk.exporting import export_workbook, template_workbook
from marketplace.office.bulk.importing import ImportReport, run_import
from marketplace.office.bulk.progress import ProgressBar
from marketplace.office.bulk.reading import KINDS


class Command(BaseCommand):
    help = "Import or export producers and products as spreadsheets."

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        importing = actions.add_parser("import", help="Import an .xlsx or .csv file.")
        importing.add_argument("file")
        importing.add_argument("--dry-run", action="store_true", help="Check, write nothing.")
        importing.add_argument("--kind", choices=KINDS, help="What a CSV file holds.")
        importing.add_argument("--user", help="Import as this user (email): moderation applies.")
        for action, text in (("export", "Export the catalogue."), ("template", "Empty file.")):
            actions.add_parser(action, help=text).add_argument("file")

    def handle(self, *args, action: str, file: str, **options) -> None:
        if action == "import":
            self.import_file(Path(file), **options)
        else:
            content = export_workbook() if action == "export" else template_workbook()
            Path(file).write_bytes(content)
            self.stdout.write(self.style.SUCCESS(f"Wrote {file}"))

    def import_file(self, path: Path, dry_run: bool, kind: str | None, user: str | None, **options):
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        importer = self.find_user(user) if user else None
        language = settings.LANGUAGE_CODE
        if importer is not None and hasattr(importer, "wagtail_userprofile"):
            language = importer.wagtail_userprofile.get_preferred_language()
        with translation.override(language):
            report = run_import(
                content,
                path.name,
                kind=kind,
                dry_run=dry_run,
                user=importer,
                progress=ProgressBar("Writing"),
            )
            self.print_report(report)
        if not report.ok:
            raise CommandError(_("Nothing was written: correct the errors above."), returncode=1)

    def find_user(self, email: str):
        try:
            return get_user_model().objects.get(email__iexact=email.strip())
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user has the email {email}.") from None
        except get_user_model().MultipleObjectsReturned:
            raise CommandError(f"Several users have the email {email}.") from None

    def print_report(self, report: ImportReport) -> None:
        for problem in report.problems:
            row = _("row %(row)s") % {"row": problem.row} if problem.row else ""
            place = ", ".join(part for part in (problem.sheet, row, problem.column) if part)
            self.stderr.write(f"{place}: {problem.message}" if place else str(problem.message))
        self.stdout.write(
            _(
                "%(created)s created, %(updated)s updated, %(unchanged)s unchanged, "
                "%(errors)s rows with errors"
            )
            % report.summary
        )
        if report.dry_run:
            self.stdout.write(_("Dry run: nothing was written."))
        elif report.written:
            self.stdout.write(self.style.SUCCESS(_("All rows were written.")))
