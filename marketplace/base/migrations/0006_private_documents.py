"""Documents' files move from MEDIA_ROOT to PRIVATE_MEDIA_ROOT (marketplace.core.media_storage).

Files only: their names, and so every Document row, stay as they are. A file whose name
is taken at the target by a different file stays where it is, with a warning: the
local media server never serves it, and the operator decides.
"""

import logging

from django.conf import settings
from django.db import migrations

from marketplace.core.media_storage import move_private_files

logger = logging.getLogger(__name__)


def _move(source_root, target_root) -> None:
    for name in move_private_files(source_root, target_root):
        logger.warning(
            "Not moved: %s is in %s and, with different content, in %s.",
            name,
            source_root,
            target_root,
        )


def move_documents_out_of_media(apps, schema_editor) -> None:
    _move(settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT)


def move_documents_back_to_media(apps, schema_editor) -> None:
    _move(settings.PRIVATE_MEDIA_ROOT, settings.MEDIA_ROOT)


class Migration(migrations.Migration):
    dependencies = [
        ("base", "0005_office_name_defaults"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [
        migrations.RunPython(
            move_documents_out_of_media, move_documents_back_to_media, elidable=True
        ),
    ]
