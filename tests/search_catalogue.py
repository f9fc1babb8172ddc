"""A fixed catalogue for search tests, shared by the database and Elasticsearch suites.

About thirty products over the six OCOP groups, chosen so folded words collide:
"bánh", "bành" and "banh" all fold to "banh"; "gốm" and "gỗ" are "gom" and "go";
"trà" folds to "tra"; "mắm" to "mam". Some products have English translations.
"""

import datetime

from django.utils import timezone
from wagtail.models import Page

from marketplace.base.structure import SiteStructure
from producers.models import Locality
from products.models import ProductCategory, ProductCertification, ProductPage
from search.backends.database import DatabaseBackend
from tests.factories import (
    category,
    en,
    make_craft_village,
    make_locality,
    make_producer,
    make_product,
    vi,
)

# Valid whatever day the tests run; EXPIRED ended long ago.
ISSUED = timezone.localdate() - datetime.timedelta(days=30)
EXPIRED = datetime.date(2019, 1, 10)

LOCALITIES = {
    "dien-phuong": "Điện Phương",
    "dien-duong": "Điện Dương",
    "dien-hong": "Điện Hồng",
    "dien-minh": "Điện Minh",
}
ENGLISH_LOCALITIES = {"dien-phuong": "Dien Phuong ward"}

VILLAGES = {
    # key: (name, slug, locality)
    "village_banh_trang": ("Làng bánh tráng Phú Chiêm", "banh-trang-phu-chiem", "dien-phuong"),
    "village_gom": ("Làng gốm Thanh Hà", "gom-thanh-ha", "dien-phuong"),
    "village_chieu": ("Làng chiếu cói Bàn Thạch", "chieu-coi-ban-thach", "dien-hong"),
    "village_moc": ("Làng mộc Kim Bồng", "moc-kim-bong", "dien-minh"),
}

PRODUCERS = {
    # key: (display name, locality, village key or None)
    "producer_phu_chiem": ("HTX Bánh tráng Phú Chiêm", "dien-phuong", "village_banh_trang"),
    "producer_cua_dai": ("Cơ sở nước mắm Cửa Đại", "dien-duong", None),
    "producer_mi_quang": ("Cơ sở mì Quảng Bà Mua", "dien-minh", None),
    "producer_tra": ("HTX Trà thảo mộc Điện Hồng", "dien-hong", None),
    "producer_duoc_lieu": ("HTX Dược liệu Điện Minh", "dien-minh", None),
    "producer_gom": ("HTX Gốm Thanh Hà", "dien-phuong", "village_gom"),
    "producer_moc": ("Cơ sở mộc Kim Bồng", "dien-minh", "village_moc"),
    "producer_coi": ("HTX Chiếu cói Bàn Thạch", "dien-hong", "village_chieu"),
    "producer_cay_canh": ("Vườn cây cảnh Ông Tư", "dien-duong", None),
    "producer_du_lich": ("HTX Du lịch cộng đồng Điện Phương", "dien-phuong", None),
}

AVAILABLE = ProductPage.Availability

PRODUCTS = {
    # key: (title, producer, category slug, price (None: on request), stars, extra fields)
    "banh_trang_me": ("Bánh tráng nướng mè đen", "producer_phu_chiem", "thuc-pham", 35_000, 4, {}),
    "banh_trang_phoi": ("Bánh tráng phơi sương", "producer_phu_chiem", "thuc-pham", 45_000, 3, {}),
    "banh_it": (
        "Bánh ít lá gai",
        "producer_phu_chiem",
        "thuc-pham",
        60_000,
        None,
        {"availability": AVAILABLE.SEASONAL, "season_months": [1, 2, 12]},
    ),
    "nuoc_mam": ("Nước mắm cá cơm Cửa Đại", "producer_cua_dai", "nuoc-cham", 150_000, 5, {}),
    "nuoc_mam_nhi": ("Nước mắm nhĩ 40 độ đạm", "producer_cua_dai", "nuoc-cham", 220_000, 4, {}),
    "mam_nem": ("Mắm nêm pha sẵn", "producer_cua_dai", "nuoc-cham", 40_000, 3, {}),
    "mam_ruoc": (
        "Mắm ruốc Cửa Đại",
        "producer_cua_dai",
        "nuoc-cham",
        50_000,
        "expired",
        {"availability": AVAILABLE.OUT_OF_STOCK},
    ),
    "mi_quang": ("Mì Quảng khô", "producer_mi_quang", "thuc-pham", 30_000, 4, {}),
    "mi_quang_ga": ("Mì Quảng gà đóng gói", "producer_mi_quang", "thuc-pham", 55_000, None, {}),
    "tra_sen": ("Trà sen Điện Hồng", "producer_tra", "do-uong", 120_000, 4, {}),
    "tra_thao_moc": ("Trà thảo mộc túi lọc", "producer_tra", "do-uong", 80_000, 3, {}),
    "ruou_nep": ("Rượu nếp cái hoa vàng", "producer_tra", "do-uong", 180_000, 4, {}),
    "tinh_dau_sa": ("Tinh dầu sả chanh", "producer_duoc_lieu", "duoc-lieu", 95_000, 3, {}),
    "tinh_bot_nghe": ("Tinh bột nghệ", "producer_duoc_lieu", "duoc-lieu", 250_000, 4, {}),
    "cao_sam": ("Cao sâm Ngọc Linh", "producer_duoc_lieu", "duoc-lieu", None, 5, {}),
    "binh_gom": (
        "Bình gốm men lam",
        "producer_gom",
        "thu-cong-my-nghe",
        350_000,
        4,
        {"availability": AVAILABLE.MADE_TO_ORDER},
    ),
    "am_tra_gom": ("Ấm trà gốm Thanh Hà", "producer_gom", "thu-cong-my-nghe", 180_000, 3, {}),
    "tuong_go": ("Tượng gỗ mỹ nghệ", "producer_moc", "thu-cong-my-nghe", 900_000, 4, {}),
    "hop_go": ("Hộp gỗ đựng trà", "producer_moc", "thu-cong-my-nghe", 120_000, None, {}),
    "chieu_coi": ("Chiếu cói in hoa", "producer_coi", "thu-cong-my-nghe", 150_000, 3, {}),
    "banh_coi": ("Bành cói đan tay", "producer_coi", "thu-cong-my-nghe", 60_000, None, {}),
    "banh_may": ("Banh mây đan tay", "producer_coi", "thu-cong-my-nghe", 45_000, None, {}),
    "mai_vang": (
        "Cây mai vàng bonsai",
        "producer_cay_canh",
        "sinh-vat-canh",
        None,
        None,
        {"availability": AVAILABLE.SEASONAL, "season_months": [1, 2, 12]},
    ),
    "lan_ho_diep": ("Lan hồ điệp", "producer_cay_canh", "sinh-vat-canh", 400_000, 3, {}),
    "tour_gom": (
        "Tour trải nghiệm làm gốm",
        "producer_du_lich",
        "du-lich-cong-dong",
        250_000,
        3,
        {},
    ),
    "tour_banh_trang": (
        "Tour làng bánh tráng",
        "producer_du_lich",
        "du-lich-cong-dong",
        150_000,
        None,
        {},
    ),
    "homestay": ("Homestay nhà vườn", "producer_du_lich", "du-lich-cong-dong", 500_000, None, {}),
    "gio_qua": ("Giỏ quà Tết đặc sản", "producer_phu_chiem", "thuc-pham", 650_000, None, {}),
}

CERTIFICATIONS = {
    "tinh_dau_sa": ["organic"],
    "tinh_bot_nghe": ["vietgap", "organic"],
    "nuoc_mam": ["haccp", "gi"],
    "tra_sen": ["vietgap"],
}

ENGLISH = {
    # key: (title, short description)
    "banh_trang_me": ("Black sesame rice paper", "Grilled rice paper with black sesame."),
    "nuoc_mam": ("Cua Dai anchovy fish sauce", "Fish sauce from anchovies, aged in barrels."),
    "binh_gom": ("Blue glazed ceramic vase", "A hand-thrown pottery vase."),
    "chieu_coi": ("Printed sedge mat", "A woven sedge mat with printed flowers."),
    "tra_thao_moc": ("Herbal tea bags", "Herbal tea in bags."),
    "mi_quang": ("Dried Quang noodles", "Turmeric rice noodles, dried."),
}


def _sub_category() -> ProductCategory:
    """A sub-category: searching its group (thuc-pham) includes it."""
    group = category("thuc-pham")
    sub, _ = ProductCategory.objects.get_or_create(
        slug="nuoc-cham", locale=vi(), defaults={"name": "Nước chấm", "parent": group}
    )
    return sub


def _translate(page: Page, **fields) -> Page:
    translated = page.copy_for_translation(en())
    for name, value in fields.items():
        setattr(translated, name, value)
    translated.save_revision().publish()
    translated.refresh_from_db()
    return translated


def build_search_catalogue(site: SiteStructure) -> dict:
    """Build the catalogue and the database search entries; pages etc. by short key.

    Keys: product keys of PRODUCTS (Vietnamese pages), "<key>_en" for English
    translations, producer keys of PRODUCERS, village keys of VILLAGES.
    """
    sub = _sub_category()
    localities = {
        slug: make_locality(name, slug, kind=Locality.Kind.WARD)
        for slug, name in LOCALITIES.items()
    }
    for slug, name in ENGLISH_LOCALITIES.items():
        english = localities[slug].copy_for_translation(en())
        english.name = name
        english.save()
    built: dict = {}
    for key, (name, slug, locality) in VILLAGES.items():
        built[key] = make_craft_village(name, slug, localities[locality])
    for key, (name, locality, village) in PRODUCERS.items():
        built[key] = make_producer(
            site.producers,
            name,
            slug=key.removeprefix("producer_").replace("_", "-"),
            locality=localities[locality],
            craft_village=built[village] if village else None,
        )
    for key, (title, producer, slug, price, stars, extra) in PRODUCTS.items():
        fields = dict(extra)
        if price is None:
            fields.update(price_on_request=True, price_vnd=None)
        else:
            fields["price_vnd"] = price
        product = make_product(
            built[producer],
            title,
            stars=4 if stars == "expired" else stars,
            certificate_issued=EXPIRED if stars == "expired" else ISSUED,
            category=sub if slug == "nuoc-cham" else category(slug),
            slug=key.replace("_", "-"),
            **fields,
        )
        kinds = CERTIFICATIONS.get(key)
        if kinds:
            for kind in kinds:
                product.certifications.add(ProductCertification(kind=kind))
            product.save_revision().publish()
        built[key] = product
    for key, (title, description) in ENGLISH.items():
        producer_key = PRODUCTS[key][1]
        if f"{producer_key}_en" not in built:
            built[f"{producer_key}_en"] = _translate(built[producer_key])
        built[f"{key}_en"] = _translate(built[key], title=title, short_description=description)
    DatabaseBackend().rebuild()
    return built
