"""Give every translation of a product (and product category) its Vietnamese facts.

Until now each language's page held its own price, availability, pictures and
certificates, and they drifted apart. From here on they are shared (see
marketplace.core.shared_facts); this copies the Vietnamese page's facts to the other
languages' pages once, keeping their text (captions, product groups as written, names).
"""

from collections import defaultdict

from django.conf import settings
from django.db import migrations

PAGE_FIELDS = (
    "price_vnd",
    "price_on_request",
    "minimum_order_quantity",
    "availability",
    "season_months",
    "lead_time_days",
    "traceability_code",
)
# The office's decision goes with the certificate's facts: one decision for all languages.
CERTIFICATE_FIELDS = (
    "sort_order",
    "stars",
    "score",
    "decision_number",
    "issuing_level",
    "issue_date",
    "expiry_date",
    "document_id",
    "status",
    "status_reason",
    "status_changed_at",
    "status_changed_by_id",
    "document_public",
)
CERTIFICATION_FIELDS = ("sort_order", "kind", "number", "valid_from", "valid_until", "document_id")


def copy_fields(source, target, names) -> None:
    for name in names:
        setattr(target, name, getattr(source, name))


def share_keyed_rows(model, names, source_id, page) -> None:
    """Rows with a translation key: update the page's own, add missing, drop extra ones."""
    own = {row.translation_key: row for row in model.objects.filter(page_id=page.pk)}
    kept = []
    for row in model.objects.filter(page_id=source_id):
        mine = own.get(row.translation_key)
        if mine is None:
            mine = model.objects.get(pk=row.pk)
            mine.pk = None
            mine.page_id = page.pk
            mine.locale_id = page.locale_id
        copy_fields(row, mine, names)
        mine.save()
        kept.append(mine.pk)
    model.objects.filter(page_id=page.pk).exclude(pk__in=kept).delete()


def share_gallery(ProductImage, source_id, page) -> None:
    """The source's pictures in its order; each keeps this page's caption where it had one."""
    captions = defaultdict(list)
    for image_id, caption in (
        ProductImage.objects.filter(page_id=page.pk)
        .order_by("sort_order", "pk")
        .values_list("image_id", "caption")
    ):
        captions[image_id].append(caption)
    rows = []
    for row in ProductImage.objects.filter(page_id=source_id).order_by("sort_order", "pk"):
        own = captions[row.image_id]
        rows.append(
            ProductImage(
                page_id=page.pk,
                image_id=row.image_id,
                sort_order=row.sort_order,
                caption=own.pop(0) if own else row.caption,
            )
        )
    ProductImage.objects.filter(page_id=page.pk).delete()
    ProductImage.objects.bulk_create(rows)


def share_facts(apps, schema_editor) -> None:
    Locale = apps.get_model("wagtailcore", "Locale")
    ProductPage = apps.get_model("products", "ProductPage")
    ProductCategory = apps.get_model("products", "ProductCategory")
    ProductImage = apps.get_model("products", "ProductImage")
    OcopCertificate = apps.get_model("products", "OcopCertificate")
    ProductCertification = apps.get_model("products", "ProductCertification")
    default = Locale.objects.filter(language_code=settings.LANGUAGE_CODE).first()
    if default is None:
        return
    sources = {
        page.translation_key: page
        for page in ProductPage.objects.filter(locale=default).only(
            "translation_key", "category_id", *PAGE_FIELDS
        )
    }
    category_keys = dict(ProductCategory.objects.values_list("pk", "translation_key"))
    categories = {
        (key, locale_id): pk
        for pk, key, locale_id in ProductCategory.objects.values_list(
            "pk", "translation_key", "locale_id"
        )
    }

    def category_in(pk, locale_id):
        if pk is None:
            return None
        return categories.get((category_keys[pk], locale_id), pk)

    groups = {row.translation_key: row for row in ProductCategory.objects.filter(locale=default)}
    for row in ProductCategory.objects.exclude(locale=default):
        source = groups.get(row.translation_key)
        if source is not None:
            row.ocop_group, row.display_order = source.ocop_group, source.display_order
            row.parent_id = category_in(source.parent_id, row.locale_id)
            row.save(update_fields=["ocop_group", "display_order", "parent_id"])
    for page in ProductPage.objects.exclude(locale=default).iterator():
        source = sources.get(page.translation_key)
        if source is None:
            continue  # a page with no Vietnamese original is its own source
        copy_fields(source, page, PAGE_FIELDS)
        page.category_id = category_in(source.category_id, page.locale_id)
        page.save(update_fields=[*PAGE_FIELDS, "category_id"])
        share_gallery(ProductImage, source.pk, page)
        share_keyed_rows(OcopCertificate, CERTIFICATE_FIELDS, source.pk, page)
        share_keyed_rows(ProductCertification, CERTIFICATION_FIELDS, source.pk, page)


class Migration(migrations.Migration):
    dependencies = [
        ("products", "0003_certificate_verification"),
    ]

    operations = [migrations.RunPython(share_facts, migrations.RunPython.noop, elidable=True)]
