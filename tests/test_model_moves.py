"""Models that moved from one app to another keep their rows, ids and content types.

Each case migrates the test database back to just before the move, writes rows with the
models as they were then, migrates forward to the latest schema and reads the rows with
today's models. Migrating back and forth is slow on PostgreSQL: one test a move, doing
both.
"""

import datetime
from collections.abc import Iterator

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.state import StateApps

from marketplace.certificates.models import OcopCertificate
from marketplace.core.models import CustomImage
from producers.models import ProducerPage
from tests.factories import en, make_document, make_producer, make_product, vi

# serialized_rollback: the flush after each test must not recreate content types and the
# like, or the next test that restores the serialised database collides with them.
pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.usefixtures("postgresql"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def migrate_to(targets: list[tuple[str, str]]) -> StateApps:
    """Migrate the database to `targets` ((app label, migration name) pairs, back or
    forward; name None for none of the app's) and return the models as they are there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


def migrate_to_latest() -> StateApps:
    executor = MigrationExecutor(connection)
    targets = executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def latest_schema() -> Iterator[None]:
    """The database back at the latest migrations after the test, whatever it migrated
    to (and however it ended), for the tests after it; content types looked up afresh."""
    yield
    migrate_to_latest()
    # A fresh cache, filled: the next serialized_rollback test restores objects whose save()
    # looks up content types (Wagtail's tasks) before the content type rows themselves;
    # with an empty cache that lookup would create rows, which the restore then collides
    # with.
    ContentType.objects.clear_cache()
    ContentType.objects.get_for_models(*django_apps.get_models())


# OCOP certificates: products.OcopCertificate became certificates.OcopCertificate


BEFORE_CERTIFICATES_MOVED = [
    ("products", "0005_image_model_in_core"),
    ("certificates", "0001_initial"),
]


def test_ocop_certificates_keep_their_rows_and_content_type(site, latest_schema):
    producer = make_producer(site.producers)
    product = make_product(producer)  # made with today's models: the move keeps pages
    document = make_document()
    officer = User.objects.create_user("officer", "officer@example.com", "x")
    certificate_type = ContentType.objects.get_for_model(OcopCertificate).pk

    old = migrate_to(BEFORE_CERTIFICATES_MOVED)
    Certificate = old.get_model("products", "OcopCertificate")
    OldContentType = old.get_model("contenttypes", "ContentType")
    Permission = old.get_model("auth", "Permission")
    Group = old.get_model("auth", "Group")
    # Before the move the row was products' (the way back renamed it, keeping its id).
    old_type = OldContentType.objects.get(app_label="products", model="ocopcertificate")
    assert old_type.pk == certificate_type
    verified = Certificate.objects.create(
        page_id=product.pk,
        locale_id=vi().pk,
        sort_order=0,
        stars=4,
        score=82,
        decision_number="1032/QĐ-UBND",
        product_group="Thực phẩm",
        issuing_level="province",
        issuing_body="UBND tỉnh Quảng Nam",
        issue_date=datetime.date(2024, 3, 1),
        expiry_date=datetime.date(2027, 2, 28),
        document_id=document.pk,
        status="verified",
        status_changed_at=datetime.datetime(2024, 3, 5, 9, 30, tzinfo=datetime.UTC),
        status_changed_by_id=officer.pk,
        document_public=True,
    )
    Certificate.objects.create(  # its English copy: the same decision, its own text
        page_id=product.pk,
        locale_id=en().pk,
        translation_key=verified.translation_key,
        sort_order=0,
        stars=4,
        score=82,
        decision_number="1032/QĐ-UBND",
        product_group="Food",
        issuing_level="province",
        issuing_body="Quang Nam People's Committee",
        issue_date=datetime.date(2024, 3, 1),
        expiry_date=datetime.date(2027, 2, 28),
        status="verified",
    )
    Certificate.objects.create(
        page_id=product.pk,
        locale_id=vi().pk,
        sort_order=1,
        stars=3,
        decision_number="88/QĐ-UBND",
        issuing_level="district",
        issuing_body="UBND thị xã Điện Bàn",
        issue_date=datetime.date(2023, 6, 1),  # the town certified 3★ from 24/02/2023
        expiry_date=datetime.date(2026, 5, 31),
        status="revoked",
        status_reason="Không đạt khi đánh giá lại.",
    )
    rows = list(Certificate.objects.order_by("pk").values())
    office = Group.objects.create(name="Certificate checkers")
    office.permissions.add(
        Permission.objects.get(content_type=old_type, codename="change_ocopcertificate")
    )
    # A row with the new label too, as post_migrate makes it when today's code migrates
    # another app first; a grant on its permission must not be lost.
    stray = OldContentType.objects.create(app_label="certificates", model="ocopcertificate")
    office.permissions.add(
        Permission.objects.create(content_type=stray, codename="view_ocopcertificate", name="x")
    )

    migrate_to_latest()
    ContentType.objects.clear_cache()

    # Every old column kept its values; columns added since (the Decision 148 sub-group)
    # start empty.
    moved_rows = list(OcopCertificate.objects.order_by("pk").values())
    assert [{name: row[name] for name in rows[0]} for row in moved_rows] == rows
    assert {row["product_subgroup"] for row in moved_rows} == {""}
    assert {row.pk for row in product.ocop_certificates.all()} == {row["id"] for row in rows}
    assert [c.stars for c in OcopCertificate.objects.valid(datetime.date(2025, 1, 1))] == [4, 4]
    moved = OcopCertificate.objects.get(pk=verified.pk)
    assert (moved.page.specific, moved.document, moved.status_changed_by) == (
        product,
        document,
        officer,
    )
    assert moved.is_public and moved.scan_is_public
    # The table has its new name, and new rows carry on from the old ids.
    tables = connection.introspection.table_names()
    assert "certificates_ocopcertificate" in tables
    assert "products_ocopcertificate" not in tables
    added = OcopCertificate.objects.create(
        page=product,
        locale=vi(),
        stars=5,
        decision_number="1/QĐ-TTg",
        issuing_level="central",
        issuing_body="Thủ tướng Chính phủ",
        issue_date=datetime.date(2025, 1, 1),
    )
    assert added.pk > max(row["id"] for row in rows)
    # The content type row kept its id, so whatever refers to it (permissions first) holds.
    assert ContentType.objects.get_for_model(OcopCertificate).pk == certificate_type
    content_type = ContentType.objects.get(pk=certificate_type)
    assert (content_type.app_label, content_type.model) == ("certificates", "ocopcertificate")
    assert not ContentType.objects.filter(model="ocopcertificate").exclude(pk=certificate_type)
    officer.groups.add(office.pk)
    officer = User.objects.get(pk=officer.pk)
    assert officer.has_perm("certificates.change_ocopcertificate")
    assert officer.has_perm("certificates.view_ocopcertificate")


# The image model: base.CustomImage became core.CustomImage (tables kept)


BEFORE_IMAGES_MOVED = [("base", "0006_private_documents"), ("core", None)]


def test_images_keep_their_rows_renditions_tags_and_content_type(site, latest_schema):
    producer = make_producer(site.producers)
    image_type = ContentType.objects.get_for_model(CustomImage).pk

    old = migrate_to(BEFORE_IMAGES_MOVED)
    Image = old.get_model("base", "CustomImage")
    Rendition = old.get_model("base", "CustomRendition")
    OldContentType = old.get_model("contenttypes", "ContentType")
    Tag = old.get_model("taggit", "Tag")
    TaggedItem = old.get_model("taggit", "TaggedItem")
    old_type = OldContentType.objects.get(app_label="base", model="customimage")
    assert old_type.pk == image_type
    image = Image.objects.create(
        title="Chiếu cói Bàn Thạch",
        file="original_images/chieu.jpg",
        width=800,
        height=600,
        description="Chiếc chiếu cói trải trên sân",
        description_en="A sedge mat on a courtyard",
        collection_id=producer.collection_id or 1,
    )
    Rendition.objects.create(
        image=image, filter_spec="fill-400x300", file="images/chieu.fill.jpg", width=400, height=300
    )
    tag = Tag.objects.create(name="chiếu cói", slug="chieu-coi")
    TaggedItem.objects.create(tag=tag, content_type=old_type, object_id=image.pk)
    old.get_model("producers", "ProducerPage").objects.filter(pk=producer.pk).update(
        logo_id=image.pk
    )

    migrate_to_latest()
    ContentType.objects.clear_cache()

    moved = CustomImage.objects.get(pk=image.pk)
    assert (moved.title, moved.alt_for("en"), moved.width) == (
        "Chiếu cói Bàn Thạch",
        "A sedge mat on a courtyard",
        800,
    )
    assert [r.filter_spec for r in moved.renditions.all()] == ["fill-400x300"]
    assert [t.name for t in moved.tags.all()] == ["chiếu cói"]
    assert ProducerPage.objects.get(pk=producer.pk).logo == moved
    content_type = ContentType.objects.get(pk=image_type)
    assert (content_type.app_label, content_type.model) == ("core", "customimage")
    assert ContentType.objects.get_for_model(CustomImage).pk == image_type
    assert not ContentType.objects.filter(app_label="base", model__startswith="custom")
