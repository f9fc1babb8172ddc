"""python manage.py backup FOLDER: the database and the files (marketplace/base/backup.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from marketplace.base.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and the media and private files into a new folder."

    def add_arguments(self, parser) -> None:
        parser.add_argument("folder", type=Path, help="A new (or empty) folder.")

    def handle(self, *args, folder: Path, **options) -> None:
        try:
            manifest = backup(folder)
        except BackupError as error:
            raise CommandError(str(error)) from error
        for name, part in manifest["parts"].items():
            self.stdout.write(f"{folder / name}: {part['bytes']} bytes")
        counts = ", ".join(f"{label} {count}" for label, count in manifest["counts"].items())
        self.stdout.write(self.style.SUCCESS(f"Backed up: {counts}; files {manifest['files']}"))
