"""The image model moves from the site shell (base) to core, keeping its tables and content
types: this migration only tells Django's state where the model now lives."""

import django.db.models.deletion
import modelsearch.index
import taggit.managers
import wagtail.images.models
import wagtail.models.media
from django.conf import settings
from django.db import migrations, models

from marketplace.core.content_types import content_types_mover


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        # The tables exist: created by base 0001 when the model lived in the site shell.
        ("base", "0006_private_documents"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("wagtailcore", "0098_apitoken"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="CustomImage",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("title", models.CharField(max_length=255, verbose_name="title")),
                        (
                            "file",
                            wagtail.images.models.WagtailImageField(
                                height_field="height",
                                upload_to=wagtail.images.models.get_upload_to,
                                verbose_name="file",
                                width_field="width",
                            ),
                        ),
                        ("width", models.IntegerField(editable=False, verbose_name="width")),
                        ("height", models.IntegerField(editable=False, verbose_name="height")),
                        (
                            "created_at",
                            models.DateTimeField(
                                auto_now_add=True, db_index=True, verbose_name="created at"
                            ),
                        ),
                        ("focal_point_x", models.PositiveIntegerField(blank=True, null=True)),
                        ("focal_point_y", models.PositiveIntegerField(blank=True, null=True)),
                        ("focal_point_width", models.PositiveIntegerField(blank=True, null=True)),
                        ("focal_point_height", models.PositiveIntegerField(blank=True, null=True)),
                        ("file_size", models.PositiveIntegerField(editable=False, null=True)),
                        (
                            "file_hash",
                            models.CharField(
                                blank=True, db_index=True, editable=False, max_length=40
                            ),
                        ),
                        (
                            "description",
                            models.CharField(
                                help_text="Describe the image for people who cannot see it.",
                                max_length=255,
                                verbose_name="alt text",
                            ),
                        ),
                        (
                            "description_en",
                            models.CharField(
                                blank=True,
                                help_text="Shown on the English site; the Vietnamese alt text is used when empty.",
                                max_length=255,
                                verbose_name="alt text in English",
                            ),
                        ),
                        (
                            "collection",
                            models.ForeignKey(
                                default=wagtail.models.media.get_root_collection_id,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="wagtailcore.collection",
                                verbose_name="collection",
                            ),
                        ),
                        (
                            "tags",
                            taggit.managers.TaggableManager(
                                blank=True,
                                help_text=None,
                                through="taggit.TaggedItem",
                                to="taggit.Tag",
                                verbose_name="tags",
                            ),
                        ),
                        (
                            "uploaded_by_user",
                            models.ForeignKey(
                                blank=True,
                                editable=False,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="uploaded by user",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "image",
                        "verbose_name_plural": "images",
                        "db_table": "base_customimage",
                        "permissions": [("choose_image", "Can choose image")],
                        "abstract": False,
                    },
                    bases=(
                        wagtail.images.models.ImageFileMixin,
                        modelsearch.index.Indexed,
                        models.Model,
                    ),
                ),
                migrations.CreateModel(
                    name="CustomRendition",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("filter_spec", models.CharField(db_index=True, max_length=255)),
                        (
                            "file",
                            wagtail.images.models.WagtailImageField(
                                height_field="height",
                                storage=wagtail.images.models.get_rendition_storage,
                                upload_to=wagtail.images.models.get_rendition_upload_to,
                                width_field="width",
                            ),
                        ),
                        ("width", models.IntegerField(editable=False)),
                        ("height", models.IntegerField(editable=False)),
                        (
                            "focal_point_key",
                            models.CharField(blank=True, default="", editable=False, max_length=16),
                        ),
                        (
                            "image",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="renditions",
                                to="core.customimage",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "base_customrendition",
                        "unique_together": {("image", "filter_spec", "focal_point_key")},
                    },
                    bases=(wagtail.images.models.ImageFileMixin, models.Model),
                ),
            ],
        ),
        migrations.RunPython(
            *content_types_mover("base", "core", ["customimage", "customrendition"])
        ),
    ]
