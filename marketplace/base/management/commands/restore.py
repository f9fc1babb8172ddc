"""python manage.py restore FOLDER [--replace]: a backup put back (marketplace/base/backup.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from marketplace.base.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `backup`: the database and the files, then the search "
        "index rebuilt and the kept pages dropped. Checked against its manifest first."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("folder", type=Path, help="A folder made by `backup`.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Replace a database that already holds data.",
        )

    def handle(self, *args, folder: Path, replace: bool, **options) -> None:
        try:
            restored = restore(folder, replace=replace)
        except BackupError as error:
            raise CommandError(str(error)) from error
        counts = ", ".join(f"{label} {count}" for label, count in restored.counts.items())
        self.stdout.write(self.style.SUCCESS(f"Restored: {counts}; files {restored.files}"))
