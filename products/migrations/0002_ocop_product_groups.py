"""The six OCOP product groups of Decision 148/QĐ-TTg (2023), in Vietnamese and English."""

import uuid

from django.db import migrations

GROUPS = [
    (1, "thuc-pham", "Thực phẩm", "Food"),
    (2, "do-uong", "Đồ uống", "Beverages"),
    (3, "duoc-lieu", "Dược liệu và sản phẩm từ dược liệu", "Medicinal herbs and herbal products"),
    (4, "thu-cong-my-nghe", "Thủ công mỹ nghệ", "Handicrafts"),
    (5, "sinh-vat-canh", "Sinh vật cảnh", "Ornamental plants and animals"),
    (
        6,
        "du-lich-cong-dong",
        "Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch",
        "Community and eco-tourism services and destinations",
    ),
]


def create_groups(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    ProductCategory = apps.get_model("products", "ProductCategory")
    vi, _ = Locale.objects.get_or_create(language_code="vi")
    en, _ = Locale.objects.get_or_create(language_code="en")
    for group, slug, name_vi, name_en in GROUPS:
        if ProductCategory.objects.filter(ocop_group=group, parent=None).exists():
            continue
        key = uuid.uuid4()
        for locale, name in ((vi, name_vi), (en, name_en)):
            ProductCategory.objects.create(
                translation_key=key,
                locale=locale,
                name=name,
                slug=slug,
                ocop_group=group,
                display_order=group,
            )


class Migration(migrations.Migration):
    dependencies = [
        ("products", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
