"""Give every translation of a producer, locality and craft village the Vietnamese one's
facts.

Until now each language's page held its own place, contact details, pictures and
payment settings (and each snippet its own kind, order, locality and image). From here
on they are shared (see marketplace.core.shared_facts); this copies the Vietnamese
facts to the other languages once, keeping their text.
"""

from django.conf import settings
from django.db import migrations

PAGE_FIELDS = (
    "legal_form",
    "latitude",
    "longitude",
    "phone",
    "email",
    "zalo_phone",
    "website",
    "founded_year",
    "logo_id",
    "cover_image_id",
    "accepts_cash_on_delivery",
    "accepts_card_payment",
    "bank_bin",
    "bank_account_number",
    "bank_account_holder",
)


def translations(model) -> tuple[dict, dict]:
    """Each row's translation key, and each (key, locale) pair's row."""
    rows = list(model.objects.values_list("pk", "translation_key", "locale_id"))
    return {pk: key for pk, key, _ in rows}, {(key, locale): pk for pk, key, locale in rows}


def translated(pk, locale_id, keys: dict, rows: dict):
    """The row `pk` in `locale_id`, or `pk` itself when it has no such translation."""
    if pk is None:
        return None
    return rows.get((keys[pk], locale_id), pk)


def share_snippet_facts(model, default, names, mapped=None) -> None:
    """Copy `names` (and `mapped` foreign keys, each to its row in the target's locale)."""
    mapped = mapped or {}
    sources = {row.translation_key: row for row in model.objects.filter(locale=default)}
    for row in model.objects.exclude(locale=default):
        source = sources.get(row.translation_key)
        if source is None:
            continue
        for name in names:
            setattr(row, name, getattr(source, name))
        for name, (keys, rows) in mapped.items():
            setattr(row, name, translated(getattr(source, name), row.locale_id, keys, rows))
        row.save(update_fields=[*names, *mapped])


def share_facts(apps, schema_editor) -> None:
    Locale = apps.get_model("wagtailcore", "Locale")
    ProducerPage = apps.get_model("producers", "ProducerPage")
    Locality = apps.get_model("producers", "Locality")
    CraftVillage = apps.get_model("producers", "CraftVillage")
    default = Locale.objects.filter(language_code=settings.LANGUAGE_CODE).first()
    if default is None:
        return
    localities = translations(Locality)
    villages = translations(CraftVillage)
    share_snippet_facts(Locality, default, ["kind", "display_order", "active"])
    share_snippet_facts(CraftVillage, default, ["image_id"], {"locality_id": localities})
    sources = {
        page.translation_key: page
        for page in ProducerPage.objects.filter(locale=default).only(
            "translation_key", "locality_id", "craft_village_id", *PAGE_FIELDS
        )
    }
    for page in ProducerPage.objects.exclude(locale=default).iterator():
        source = sources.get(page.translation_key)
        if source is None:
            continue  # a page with no Vietnamese original is its own source
        for name in PAGE_FIELDS:
            setattr(page, name, getattr(source, name))
        page.locality_id = translated(source.locality_id, page.locale_id, *localities)
        page.craft_village_id = translated(source.craft_village_id, page.locale_id, *villages)
        page.save(update_fields=[*PAGE_FIELDS, "locality_id", "craft_village_id"])


class Migration(migrations.Migration):
    dependencies = [
        ("producers", "0002_payment_settings"),
    ]

    operations = [migrations.RunPython(share_facts, migrations.RunPython.noop, elidable=True)]
