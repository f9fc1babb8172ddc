"""The sample town: localities, craft villages, trades and producers of Điện Bàn.

Everything here is SAMPLE DATA for demonstrations. The localities are the 7 wards and
13 communes of Điện Bàn in 2021 (before the 2025 merger of administrative units); the
craft villages, producers, products and certificates are invented or approximate and
must not be read as facts about real businesses. The site shows a "sample data" notice
while they are loaded (SiteFooter.is_sample_data).
"""

from dataclasses import dataclass, field

# Everything random in the demo derives from this seed, so every machine gets the same town.
SEED = "cho-ocop-dien-ban-2021"

# The town's area: every demo coordinate stays inside this box.
LATITUDE_BOX = (15.83, 15.95)
LONGITUDE_BOX = (108.17, 108.33)

WARD = "ward"
COMMUNE = "commune"

# slug, name, kind, approximate centre (latitude, longitude).
LOCALITIES = [
    ("vinh-dien", "Vĩnh Điện", WARD, 15.8960, 108.2460),
    ("dien-an", "Điện An", WARD, 15.8840, 108.2620),
    ("dien-ngoc", "Điện Ngọc", WARD, 15.9340, 108.2900),
    ("dien-nam-bac", "Điện Nam Bắc", WARD, 15.9250, 108.2650),
    ("dien-nam-trung", "Điện Nam Trung", WARD, 15.9130, 108.2700),
    ("dien-nam-dong", "Điện Nam Đông", WARD, 15.9050, 108.2900),
    ("dien-duong", "Điện Dương", WARD, 15.9000, 108.3150),
    ("dien-hoa", "Điện Hòa", COMMUNE, 15.9380, 108.1950),
    ("dien-thang-bac", "Điện Thắng Bắc", COMMUNE, 15.9400, 108.2250),
    ("dien-thang-trung", "Điện Thắng Trung", COMMUNE, 15.9280, 108.2300),
    ("dien-thang-nam", "Điện Thắng Nam", COMMUNE, 15.9150, 108.2350),
    ("dien-tien", "Điện Tiến", COMMUNE, 15.9050, 108.1850),
    ("dien-hong", "Điện Hồng", COMMUNE, 15.8850, 108.1800),
    ("dien-tho", "Điện Thọ", COMMUNE, 15.8700, 108.1900),
    ("dien-phuoc", "Điện Phước", COMMUNE, 15.8800, 108.2100),
    ("dien-phuong", "Điện Phương", COMMUNE, 15.8600, 108.2250),
    ("dien-minh", "Điện Minh", COMMUNE, 15.8750, 108.2300),
    ("dien-phong", "Điện Phong", COMMUNE, 15.8550, 108.2500),
    ("dien-trung", "Điện Trung", COMMUNE, 15.8450, 108.2350),
    ("dien-quang", "Điện Quang", COMMUNE, 15.8420, 108.2050),
]


@dataclass(frozen=True)
class Village:
    slug: str
    name_vi: str
    name_en: str
    locality: str
    hamlet: str
    crafts_vi: str
    crafts_en: str
    history_vi: str
    history_en: str


CRAFT_VILLAGES = [
    Village(
        "duc-dong-phuoc-kieu",
        "Làng nghề đúc đồng Phước Kiều",
        "Phước Kiều bronze-casting village",
        "dien-phuong",
        "Phước Kiều",
        "đúc đồng, cồng chiêng, chuông",
        "bronze casting, gongs, bells",
        "Tiếng chiêng Phước Kiều đã theo người buôn bán lên vùng cao từ nhiều đời. "
        "Ngày nay các lò vẫn đúc chiêng, chuông và đồ thờ bằng khuôn đất.",
        "Phước Kiều gongs have travelled with traders to the highlands for generations. "
        "Today the foundries still cast gongs, bells and altar pieces in clay moulds.",
    ),
    Village(
        "banh-trang-phu-chiem",
        "Làng bánh tráng Phú Chiêm",
        "Phú Chiêm rice-paper village",
        "dien-phuong",
        "Phú Chiêm",
        "bánh tráng, mì Quảng",
        "rice paper, Quảng noodles",
        "Từ sáng sớm, khói lò tráng bánh bay khắp xóm. Bánh tráng và mì Quảng Phú Chiêm "
        "làm từ gạo địa phương, phơi nắng trên giàn tre.",
        "From early morning the smoke of the steaming stoves drifts over the hamlet. "
        "Phú Chiêm rice paper and noodles are made from local rice and sun-dried on bamboo racks.",
    ),
    Village(
        "chieu-coi-triem-tay",
        "Làng chiếu cói Triêm Tây",
        "Triêm Tây sedge-mat village",
        "dien-phuong",
        "Triêm Tây",
        "dệt chiếu cói, thảm cói",
        "sedge mats and rugs",
        "Cói trồng ven sông Thu Bồn được phơi, nhuộm rồi dệt thành chiếu trên khung gỗ. "
        "Nhiều nhà vẫn giữ khung dệt tay bên cạnh máy dệt mới.",
        "Sedge grown along the Thu Bồn river is dried, dyed and woven into mats on wooden "
        "frames. Many homes keep a hand loom next to the newer machines.",
    ),
    Village(
        "nuoc-mam-ha-quang",
        "Làng nghề nước mắm Hà Quảng",
        "Hà Quảng fish-sauce village",
        "dien-duong",
        "Hà Quảng",
        "nước mắm, mắm nêm, mắm ruốc",
        "fish sauce, fermented anchovy, shrimp paste",
        "Làng biển Hà Quảng ủ cá cơm với muối trong thùng gỗ từ mười hai đến mười tám tháng, "
        "theo cách truyền từ đời ông bà.",
        "The seaside village of Hà Quảng ferments anchovies with salt in wooden vats for twelve "
        "to eighteen months, as the grandparents did.",
    ),
    Village(
        "rau-thanh-quyt",
        "Làng rau Thanh Quýt",
        "Thanh Quýt vegetable village",
        "dien-thang-trung",
        "Thanh Quýt",
        "rau sạch, rau thơm",
        "clean vegetables and herbs",
        "Những luống rau thơm xanh mướt bên quốc lộ 1A được tưới bằng nước giếng và bón "
        "phân hữu cơ ủ tại vườn.",
        "Green beds of herbs along Highway 1A, watered from wells and fed with compost made "
        "in the gardens.",
    ),
    Village(
        "moc-dong-khuong",
        "Làng mộc Đông Khương",
        "Đông Khương woodwork village",
        "dien-phuong",
        "Đông Khương",
        "mộc mỹ nghệ, chạm khắc gỗ",
        "fine woodwork and carving",
        "Thợ mộc Đông Khương dựng nhà rường và chạm khắc đồ thờ; lớp thợ trẻ làm thêm "
        "đồ gỗ gia dụng và quà lưu niệm.",
        "Đông Khương carpenters build traditional wooden houses and carve altar furniture; "
        "younger workshops also make household pieces and souvenirs.",
    ),
    Village(
        "may-tre-cau-nhi-dong",
        "Làng mây tre Câu Nhi Đông",
        "Câu Nhi Đông bamboo village",
        "dien-an",
        "Câu Nhi Đông",
        "đan tre, mây tre gia dụng",
        "bamboo weaving, household bamboo ware",
        "Tre làng được chẻ nan, phơi khô rồi đan thành rổ, rá, nong, nia và đồ trang trí.",
        "Village bamboo is split into strips, dried and woven into baskets, trays and decorations.",
    ),
    Village(
        "gom-la-tho",
        "Làng gốm đất nung La Thọ",
        "La Thọ terracotta village",
        "dien-hoa",
        "La Thọ",
        "gốm đất nung, chậu cảnh",
        "terracotta, plant pots",
        "Đất sét bãi bồi được nhồi, nặn trên bàn xoay và nung bằng củi trong lò bầu.",
        "Clay from the riverbanks is kneaded, thrown on the wheel and fired with wood "
        "in a tunnel kiln.",
    ),
    Village(
        "to-lua-go-noi",
        "Làng dâu tằm tơ lụa Gò Nổi",
        "Gò Nổi mulberry and silk village",
        "dien-quang",
        "Bảo An",
        "trồng dâu, nuôi tằm, dệt lụa",
        "mulberry, silkworms, silk weaving",
        "Bãi dâu Gò Nổi nuôi tằm cho những khung dệt lụa tơ tằm, nghề từng làm nên tiếng "
        "lụa xứ Quảng.",
        "The mulberry fields of Gò Nổi feed the silkworms for hand-woven silk, the craft "
        "that made Quảng silk known.",
    ),
]

# Sub-categories under the six OCOP groups: slug, group slug, vi name, en name.
SUBCATEGORIES = [
    ("nuoc-mam", "thuc-pham", "Nước mắm", "Fish sauce"),
    ("banh-trang", "thuc-pham", "Bánh tráng", "Rice paper"),
    ("mi-quang", "thuc-pham", "Mì Quảng", "Quảng noodles"),
    ("banh-truyen-thong", "thuc-pham", "Bánh truyền thống", "Traditional cakes"),
    ("gia-vi", "thuc-pham", "Gia vị", "Condiments"),
    ("gao", "thuc-pham", "Gạo", "Rice"),
    ("rau-cu", "thuc-pham", "Rau củ", "Vegetables"),
    # Tea and coffee are sub-groups of food in the OCOP list, not drinks.
    ("tra-ca-phe", "thuc-pham", "Trà và cà phê", "Tea and coffee"),
    ("ruou", "do-uong", "Rượu", "Rice wine"),
    ("tra-thao-moc", "duoc-lieu", "Trà thảo mộc", "Herbal tea"),
    ("tinh-dau", "duoc-lieu", "Tinh dầu", "Essential oils"),
    ("gom", "thu-cong-my-nghe", "Gốm", "Pottery"),
    ("chieu", "thu-cong-my-nghe", "Chiếu", "Mats"),
    ("may-tre-dan", "thu-cong-my-nghe", "Mây tre đan", "Rattan and bamboo"),
    ("do-go", "thu-cong-my-nghe", "Đồ gỗ mỹ nghệ", "Fine woodwork"),
    ("do-dong", "thu-cong-my-nghe", "Đồ đồng", "Bronze"),
    ("to-lua", "thu-cong-my-nghe", "Tơ lụa", "Silk"),
    ("cay-canh", "sinh-vat-canh", "Cây cảnh", "Bonsai and ornamental trees"),
    ("hoa-lan", "sinh-vat-canh", "Hoa lan", "Orchids"),
    ("tour-lang-nghe", "du-lich-cong-dong", "Tour làng nghề", "Craft-village tours"),
    ("homestay", "du-lich-cong-dong", "Homestay", "Homestays"),
]


@dataclass(frozen=True)
class Item:
    """A kind of product a trade makes; variants multiply it into several products."""

    vi: str
    en: str
    unit_vi: str
    unit_en: str
    price: int | None  # VND; None: price on request
    ingredients_vi: str = ""
    ingredients_en: str = ""


@dataclass(frozen=True)
class Trade:
    key: str
    group: str  # slug of the OCOP group
    category: str  # slug of the sub-category, or of the group itself
    noun_vi: str  # as in "HTX Nước mắm …", "Cơ sở Nước mắm …"
    noun_en: str
    items: tuple[Item, ...]
    variants: tuple[tuple[str, str, float], ...]  # vi suffix, en suffix, price factor
    localities: tuple[str, ...]
    village: str = ""
    availability: str = "in_stock"
    season: tuple[int, ...] = ()
    lead_time: tuple[int, int] | None = None
    shelf_life_vi: str = ""
    shelf_life_en: str = ""
    ingredients_vi: str = ""
    ingredients_en: str = ""
    storage_vi: str = ""
    storage_en: str = ""
    blurb_vi: str = ""
    blurb_en: str = ""
    about_vi: str = ""
    about_en: str = ""
    story_vi: str = ""
    story_en: str = ""
    tags: tuple[tuple[str, str], ...] = ()
    certifications: tuple[str, ...] = ()
    minimum_order: tuple[int, ...] = (1,)
    # Names of household businesses: {noun} is the trade, {part} the owner.
    household_vi: str = "Cơ sở {noun} {part}"
    household_en: str = "{part} {noun} Workshop"


BASE_VARIANTS = (("", "", 1.0),)

TRADES = [
    Trade(
        key="nuoc-mam",
        group="thuc-pham",
        category="nuoc-mam",
        noun_vi="Nước mắm",
        noun_en="Fish Sauce",
        items=(
            Item(
                "Nước mắm nhĩ cá cơm",
                "Anchovy first-press fish sauce",
                "chai 500 ml",
                "500 ml bottle",
                95_000,
                "Cá cơm than, muối biển",
                "Anchovies, sea salt",
            ),
            Item(
                "Nước mắm cốt truyền thống",
                "Traditional fish sauce",
                "chai 1 lít",
                "1 litre bottle",
                120_000,
                "Cá cơm, muối biển",
                "Anchovies, sea salt",
            ),
            Item(
                "Mắm nêm cá cơm",
                "Fermented anchovy dip",
                "hũ 500 g",
                "500 g jar",
                60_000,
                "Cá cơm, muối, thính gạo",
                "Anchovies, salt, roasted rice powder",
            ),
            Item(
                "Mắm ruốc",
                "Shrimp paste",
                "hũ 300 g",
                "300 g jar",
                55_000,
                "Ruốc biển, muối",
                "Sea krill, salt",
            ),
        ),
        variants=(
            ("", "", 1.0),
            ("loại đặc biệt", "special grade", 1.4),
            ("ủ chum sành", "aged in clay jars", 1.6),
            ("ít muối", "low salt", 1.2),
            ("hộp quà", "gift box", 2.3),
        ),
        localities=("dien-duong", "dien-ngoc", "dien-nam-dong"),
        village="nuoc-mam-ha-quang",
        lead_time=(1, 3),
        shelf_life_vi="24 tháng",
        shelf_life_en="24 months",
        storage_vi="Để nơi khô ráo, thoáng mát, tránh ánh nắng trực tiếp. Đậy kín sau khi dùng.",
        storage_en="Keep in a cool, dry place out of direct sunlight. Close after use.",
        blurb_vi="{product} ủ theo cách truyền thống của {producer}, đậm vị cá cơm biển {place}.",
        blurb_en="{product} fermented the traditional way by {producer}, full of the taste "
        "of {place} anchovies.",
        about_vi="Cá cơm đánh bắt trong ngày được ướp muối ngay trên bờ và ủ trong thùng gỗ. "
        "Không chất bảo quản, không phẩm màu, không chất điều vị.",
        about_en="Anchovies caught the same day are salted on the shore and aged in wooden "
        "vats. No preservatives, colouring or flavour enhancers.",
        story_vi="Mỗi mẻ cá được ủ ít nhất mười hai tháng trước khi rút nước mắm nhĩ.",
        story_en="Every batch ages for at least twelve months before the first press is drawn.",
        tags=(("nước mắm", "fish sauce"), ("đặc sản Quảng Nam", "Quảng Nam speciality")),
        certifications=("haccp", "iso22000"),
    ),
    Trade(
        key="banh-trang",
        group="thuc-pham",
        category="banh-trang",
        noun_vi="Bánh tráng",
        noun_en="Rice Paper",
        items=(
            Item(
                "Bánh tráng nướng mè đen",
                "Black-sesame rice crackers",
                "xấp 10 cái",
                "pack of 10",
                35_000,
                "Gạo, mè đen, muối",
                "Rice, black sesame, salt",
            ),
            Item(
                "Bánh tráng cuốn",
                "Rice paper for rolls",
                "gói 500 g",
                "500 g pack",
                30_000,
                "Gạo, muối",
                "Rice, salt",
            ),
            Item(
                "Bánh tráng dừa",
                "Coconut rice crackers",
                "xấp 10 cái",
                "pack of 10",
                45_000,
                "Gạo, dừa nạo, đường, mè",
                "Rice, grated coconut, sugar, sesame",
            ),
            Item(
                "Bánh tráng ớt",
                "Chilli rice crackers",
                "xấp 10 cái",
                "pack of 10",
                38_000,
                "Gạo, ớt, tỏi, muối",
                "Rice, chilli, garlic, salt",
            ),
        ),
        variants=(
            ("", "", 1.0),
            ("phơi sương", "dew-softened", 1.2),
            ("gạo lứt", "brown rice", 1.3),
            ("loại dày", "thick", 1.1),
            ("hộp 5 xấp", "box of 5 packs", 4.5),
        ),
        localities=("dien-phuong", "dien-minh", "dien-phuoc"),
        village="banh-trang-phu-chiem",
        lead_time=(1, 2),
        shelf_life_vi="6 tháng",
        shelf_life_en="6 months",
        storage_vi="Bảo quản trong túi kín, nơi khô ráo. Nướng lại trên than hồng trước khi ăn.",
        storage_en="Keep sealed in a dry place. Toast over embers before eating.",
        blurb_vi="{product} tráng tay tại {place}, phơi nắng trên giàn tre của {producer}.",
        blurb_en="{product} steamed by hand in {place} and sun-dried on {producer}'s bamboo racks.",
        about_vi="Gạo được ngâm qua đêm, xay bằng cối đá rồi tráng trên nồi hơi đốt bằng trấu.",
        about_en="The rice is soaked overnight, stone-ground and steamed over rice-husk fires.",
        story_vi="Mỗi sáng, cả nhà dậy từ ba giờ để kịp tráng bánh trước khi nắng lên.",
        story_en="Every morning the family is up at three to steam the sheets before the sun "
        "comes up.",
        tags=(("bánh tráng", "rice paper"), ("làng nghề", "craft village")),
        certifications=("haccp",),
    ),
    Trade(
        key="mi-quang",
        group="thuc-pham",
        category="mi-quang",
        noun_vi="Mì Quảng",
        noun_en="Quảng Noodles",
        items=(
            Item(
                "Mì Quảng khô",
                "Dried Quảng noodles",
                "gói 500 g",
                "500 g pack",
                32_000,
                "Gạo, nước",
                "Rice, water",
            ),
            Item(
                "Mì Quảng nghệ",
                "Turmeric Quảng noodles",
                "gói 500 g",
                "500 g pack",
                38_000,
                "Gạo, nghệ tươi",
                "Rice, fresh turmeric",
            ),
            Item(
                "Mì Quảng gạo lứt",
                "Brown-rice Quảng noodles",
                "gói 500 g",
                "500 g pack",
                45_000,
                "Gạo lứt",
                "Brown rice",
            ),
            Item(
                "Bộ mì Quảng kèm nước dùng",
                "Quảng noodle kit with broth",
                "hộp 4 phần",
                "box of 4 servings",
                120_000,
                "Mì gạo, gói gia vị nước dùng, đậu phộng",
                "Rice noodles, broth seasoning, peanuts",
            ),
        ),
        variants=(
            ("", "", 1.0),
            ("sợi nhỏ", "thin cut", 1.0),
            ("sợi bản to", "wide cut", 1.05),
            ("không chất bảo quản", "preservative-free", 1.2),
            ("gói 1 kg", "1 kg pack", 1.9),
        ),
        localities=("dien-phuong", "dien-phuoc", "dien-thang-nam"),
        village="banh-trang-phu-chiem",
        lead_time=(1, 3),
        shelf_life_vi="9 tháng",
        shelf_life_en="9 months",
        storage_vi="Để nơi khô ráo, tránh ẩm. Trụng nước sôi 1–2 phút trước khi dùng.",
        storage_en="Keep dry. Blanch in boiling water for 1–2 minutes before serving.",
        blurb_vi="{product} của {producer}: sợi mì dai, thơm mùi gạo mới {place}.",
        blurb_en="{product} from {producer}: chewy noodles that smell of new {place} rice.",
        about_vi="Sợi mì được tráng, hấp và cắt thủ công, phơi khô để mang đi xa mà vẫn giữ vị.",
        about_en="The sheets are steamed, cut by hand and dried so they travel well and keep "
        "their taste.",
        story_vi="Món mì Quảng của bà được cả xóm nhớ, nên con cháu quyết định làm mì khô để "
        "bán cho người xa quê.",
        story_en="Grandmother's Quảng noodles were famous in the hamlet, so the family started "
        "drying them for people living far from home.",
        tags=(("mì Quảng", "Quảng noodles"), ("đặc sản Quảng Nam", "Quảng Nam speciality")),
        certifications=("haccp",),
    ),
    Trade(
        key="banh-truyen-thong",
        group="thuc-pham",
        category="banh-truyen-thong",
        noun_vi="Bánh truyền thống",
        noun_en="Traditional Cakes",
        items=(
            Item(
                "Bánh tổ",
                "Sticky rice cake (bánh tổ)",
                "cái 500 g",
                "500 g cake",
                45_000,
                "Nếp, đường đen, gừng, mè",
                "Glutinous rice, brown sugar, ginger, sesame",
            ),
            Item(
                "Bánh in",
                "Moulded rice-flour cakes",
                "hộp 20 cái",
                "box of 20",
                50_000,
                "Bột nếp rang, đường, đậu xanh",
                "Roasted glutinous-rice flour, sugar, mung beans",
            ),
            Item(
                "Bánh nổ",
                "Puffed rice cakes",
                "túi 10 cái",
                "bag of 10",
                30_000,
                "Nếp, đường, gừng",
                "Glutinous rice, sugar, ginger",
            ),
            Item(
                "Bánh thuẫn",
                "Egg sponge cakes",
                "hộp 30 cái",
                "box of 30",
                55_000,
                "Bột mì, trứng, đường",
                "Wheat flour, eggs, sugar",
            ),
        ),
        variants=(
            ("", "", 1.0),
            ("vị gừng", "ginger", 1.05),
            ("đường phèn", "rock sugar", 1.15),
            ("hộp quà Tết", "Tết gift box", 2.5),
            ("ít ngọt", "less sweet", 1.0),
        ),
        localities=("dien-hong", "dien-tien", "vinh-dien", "dien-an"),
        availability="seasonal",
        season=(11, 12, 1, 2),
        lead_time=(2, 5),
        shelf_life_vi="3 tháng",
        shelf_life_en="3 months",
        storage_vi="Để nơi thoáng mát; bánh tổ cắt lát chiên lại ăn ngon hơn.",
        storage_en="Keep somewhere cool; slices of bánh tổ are best pan-fried.",
        blurb_vi="{product} làm theo công thức gia truyền của {producer}, món quà Tết của {place}.",
        blurb_en="{product} from {producer}'s family recipe, a Tết gift from {place}.",
        about_vi="Bánh được đổ khuôn lá chuối và hấp củi liên tục nhiều giờ vào những ngày "
        "cuối năm.",
        about_en="The cakes are set in banana-leaf moulds and steamed over wood for hours in "
        "the last weeks of the lunar year.",
        story_vi="Gian bếp chỉ đỏ lửa suốt đêm vào tháng Chạp, khi cả làng đặt bánh cúng Tết.",
        story_en="The kitchen fires burn through the night in the twelfth lunar month, when the "
        "whole village orders cakes for the Tết altar.",
        tags=(("quà Tết", "Tết gifts"), ("bánh truyền thống", "traditional cakes")),
    ),
    Trade(
        key="gia-vi",
        group="thuc-pham",
        category="gia-vi",
        noun_vi="Gia vị",
        noun_en="Condiments",
        items=(
            Item(
                "Tương ớt Quảng",
                "Quảng chilli sauce",
                "chai 250 ml",
                "250 ml bottle",
                35_000,
                "Ớt, tỏi, đường, muối",
                "Chilli, garlic, sugar, salt",
            ),
            Item(
                "Ớt sa tế",
                "Chilli satay oil",
                "hũ 200 g",
                "200 g jar",
                40_000,
                "Ớt, sả, tỏi, dầu phộng",
                "Chilli, lemongrass, garlic, peanut oil",
            ),
            Item(
                "Tỏi đen",
                "Black garlic",
                "hộp 250 g",
                "250 g box",
                160_000,
                "Tỏi Lý Sơn lên men",
                "Fermented garlic",
            ),
            Item(
                "Muối ớt xanh",
                "Green chilli salt",
                "hũ 150 g",
                "150 g jar",
                30_000,
                "Muối, ớt xanh, lá chanh",
                "Salt, green chilli, lime leaves",
            ),
        ),
        variants=(
            ("", "", 1.0),
            ("cay nồng", "extra hot", 1.0),
            ("ít cay", "mild", 1.0),
            ("loại đặc biệt", "special grade", 1.4),
            ("combo 3 hũ", "set of 3", 2.7),
        ),
        localities=("vinh-dien", "dien-an", "dien-nam-trung", "dien-thang-bac"),
        lead_time=(1, 3),
        shelf_life_vi="12 tháng",
        shelf_life_en="12 months",
        storage_vi="Bảo quản nơi thoáng mát; sau khi mở nắp để ngăn mát tủ lạnh.",
        storage_en="Keep cool; refrigerate after opening.",
        blurb_vi="{product} của {producer}, vị cay mặn đặc trưng xứ Quảng.",
        blurb_en="{product} from {producer}, with the hot and salty taste of Quảng cooking.",
        about_vi="Nguyên liệu mua tận ruộng của bà con {place}, sơ chế và đóng hũ trong ngày.",
        about_en="The ingredients come straight from farmers in {place} and are bottled the "
        "same day.",
        story_vi="Bắt đầu từ một quầy nhỏ ở chợ Vĩnh Điện, nay sản phẩm đã có mặt ở nhiều "
        "cửa hàng đặc sản.",
        story_en="It started with a small stall at Vĩnh Điện market; now the jars are sold in "
        "speciality shops across the region.",
        tags=(("gia vị", "condiments"), ("ớt", "chilli")),
        certifications=("haccp", "iso22000"),
    ),
    Trade(
        key="mat-ong",
        group="thuc-pham",
        category="thuc-pham",
        noun_vi="Mật ong",
        noun_en="Honey",
        items=(
            Item(
                "Mật ong hoa cà phê",
                "Coffee-blossom honey",
                "chai 500 ml",
                "500 ml bottle",
                180_000,
                "Mật ong nguyên chất",
                "Pure honey",
            ),
            Item(
                "Mật ong hoa nhãn",
                "Longan-blossom honey",
                "chai 500 ml",
                "500 ml bottle",
                200_000,
                "Mật ong nguyên chất",
                "Pure honey",
            ),
            Item(
                "Mật ong rừng",
                "Wild forest honey",
                "chai 500 ml",
                "500 ml bottle",
                280_000,
                "Mật ong rừng",
                "Wild honey",
            ),
            Item(
                "Phấn hoa",
                "Bee pollen",
                "hũ 200 g",
                "200 g jar",
                150_000,
                "Phấn hoa ong",
                "Bee pollen",
            ),
        ),
        variants=(
            ("", "", 1.0),
            ("chai 250 ml", "250 ml", 0.55),
            ("chai 1 lít", "1 litre", 1.9),
            ("hộp quà", "gift box", 2.2),
            ("vụ xuân", "spring harvest", 1.1),
        ),
        localities=("dien-tien", "dien-hong", "dien-tho"),
        lead_time=(1, 3),
        shelf_life_vi="24 tháng",
        shelf_life_en="24 months",
        storage_vi="Đậy kín, để nhiệt độ phòng. Mật kết tinh là tự nhiên.",
        storage_en="Keep closed at room temperature. Crystallisation is natural.",
        blurb_vi="{product} lấy từ đàn ong của {producer} ở {place}.",
        blurb_en="{product} from {producer}'s hives in {place}.",
        about_vi="Mật được quay khi đủ già, lọc qua vải và đóng chai, không pha đường.",
        about_en="Honey is extracted only when fully ripe, strained through cloth and bottled "
        "without added sugar.",
        story_vi="Trại ong bắt đầu với năm thùng ong nội, nay đã có hơn hai trăm thùng.",
        story_en="The apiary started with five hives of local bees and now keeps more than "
        "two hundred.",
        tags=(("mật ong", "honey"), ("quà biếu", "gifts")),
        certifications=("organic",),
    ),
    Trade(
        key="gao",
        group="thuc-pham",
        category="gao",
        noun_vi="Nông nghiệp",
        noun_en="Agricultural",
        items=(
            Item(
                "Gạo sạch Điện Bàn",
                "Điện Bàn clean rice",
                "túi 5 kg",
                "5 kg bag",
                120_000,
                "Gạo tẻ",
                "White rice",
            ),
            Item(
                "Gạo lứt đỏ",
                "Red brown rice",
                "túi 2 kg",
                "2 kg bag",
                80_000,
                "Gạo lứt đỏ",
                "Red brown rice",
            ),
            Item(
                "Gạo nếp cái hoa vàng",
                "Yellow-flower glutinous rice",
                "túi 2 kg",
                "2 kg bag",
                75_000,
                "Gạo nếp",
                "Glutinous rice",
            ),
            Item(
                "Bột gạo rang",
                "Roasted rice flour",
                "gói 500 g",
                "500 g pack",
                40_000,
                "Gạo rang xay",
                "Roasted ground rice",
            ),
        ),
        variants=(
            ("", "", 1.0),
            ("vụ Đông Xuân", "winter–spring crop", 1.05),
            ("canh tác hữu cơ", "organically grown", 1.4),
            ("hút chân không", "vacuum-packed", 1.15),
            ("bao 25 kg", "25 kg sack", 4.6),
        ),
        localities=("dien-phuoc", "dien-hong", "dien-tho", "dien-quang", "dien-trung"),
        lead_time=(1, 3),
        shelf_life_vi="12 tháng",
        shelf_life_en="12 months",
        storage_vi="Để nơi khô ráo, kê cao khỏi mặt đất, tránh côn trùng.",
        storage_en="Keep dry, off the floor and away from insects.",
        blurb_vi="{product} trồng trên cánh đồng {place} theo quy trình của {producer}.",
        blurb_en="{product} grown in the fields of {place} following {producer}'s methods.",
        about_vi="Lúa được gặt đúng độ chín, phơi khô tự nhiên và xay xát ngay tại hợp tác xã.",
        about_en="The paddy is harvested at full ripeness, sun-dried and milled at the "
        "cooperative.",
        story_vi="Các xã viên cùng nhau chuyển sang giống lúa chất lượng cao và giảm phân "
        "bón hóa học.",
        story_en="The members switched together to high-quality varieties and cut back on "
        "chemical fertiliser.",
        tags=(("gạo", "rice"), ("nông sản sạch", "clean produce")),
        certifications=("vietgap", "organic"),
        minimum_order=(1, 1, 2),
    ),
    Trade(
        key="nem-cha",
        group="thuc-pham",
        category="thuc-pham",
        noun_vi="Nem chả",
        noun_en="Cured Meats",
        items=(
            Item(
                "Nem chua Quảng",
                "Quảng fermented pork rolls",
                "chục 10 cái",
                "pack of 10",
                60_000,
                "Thịt heo, bì, tỏi, ớt, lá ổi",
                "Pork, pork skin, garlic, chilli, guava leaves",
            ),
            Item(
                "Chả bò",
                "Beef sausage",
                "cây 500 g",
                "500 g roll",
                180_000,
                "Thịt bò, tiêu, tỏi",
                "Beef, pepper, garlic",
            ),
            Item(
                "Chả lụa",
                "Steamed pork roll",
                "cây 500 g",
                "500 g roll",
                120_000,
                "Thịt heo, nước mắm, lá chuối",
                "Pork, fish sauce, banana leaves",
            ),
            Item(
                "Tré",
                "Tré (pork and galangal salad)",
                "chục 10 gói",
                "pack of 10",
                80_000,
                "Thịt heo, tai heo, riềng, thính",
                "Pork, pig's ear, galangal, rice powder",
            ),
        ),
        variants=(
            ("", "", 1.0),
            ("cay", "spicy", 1.0),
            ("loại đặc biệt", "special grade", 1.3),
            ("đóng hộp quà", "gift pack", 2.0),
            ("hút chân không", "vacuum-packed", 1.1),
        ),
        localities=("vinh-dien", "dien-an", "dien-nam-bac"),
        lead_time=(1, 2),
        shelf_life_vi="7 ngày (ngăn mát)",
        shelf_life_en="7 days (refrigerated)",
        storage_vi="Bảo quản ngăn mát tủ lạnh từ 0 đến 5 °C.",
        storage_en="Keep refrigerated at 0–5 °C.",
        blurb_vi="{product} của {producer}, làm mới mỗi ngày từ thịt tươi chợ {place}.",
        blurb_en="{product} from {producer}, made fresh every day with meat from {place} market.",
        about_vi="Thịt được giã tay, gói lá chuối và hấp chín; không hàn the, không phẩm màu.",
        about_en="The meat is pounded by hand, wrapped in banana leaves and steamed; no borax, "
        "no colouring.",
        story_vi="Nghề làm nem chả đã nuôi ba thế hệ trong gia đình.",
        story_en="Making cured meats has supported three generations of the family.",
        tags=(("nem chả", "cured meats"), ("đặc sản Quảng Nam", "Quảng Nam speciality")),
        certifications=("haccp",),
    ),
    Trade(
        key="rau-cu",
        group="thuc-pham",
        category="rau-cu",
        noun_vi="Rau sạch",
        noun_en="Vegetable",
        items=(
            Item(
                "Rau thơm các loại",
                "Mixed fresh herbs",
                "bó 300 g",
                "300 g bunch",
                15_000,
                "Húng quế, tía tô, kinh giới, ngò",
                "Basil, perilla, Vietnamese balm, coriander",
            ),
            Item("Rau cải ngọt", "Choy sum", "kg", "kg", 25_000, "Cải ngọt", "Choy sum"),
            Item(
                "Củ kiệu",
                "Pickling shallots",
                "kg",
                "kg",
                60_000,
                "Củ kiệu tươi",
                "Fresh pickling shallots",
            ),
            Item(
                "Khoai lang mật",
                "Honey sweet potatoes",
                "kg",
                "kg",
                30_000,
                "Khoai lang",
                "Sweet potatoes",
            ),
        ),
        variants=(
            ("", "", 1.0),
            ("hữu cơ", "organic", 1.5),
            ("giao trong ngày", "same-day delivery", 1.1),
            ("thùng 5 kg", "5 kg crate", 4.6),
            ("theo mùa", "seasonal pick", 1.0),
        ),
        localities=("dien-thang-trung", "dien-thang-nam", "dien-thang-bac", "dien-hoa"),
        village="rau-thanh-quyt",
        lead_time=(1, 1),
        shelf_life_vi="3 ngày",
        shelf_life_en="3 days",
        storage_vi="Để ngăn rau tủ lạnh, rửa ngay trước khi dùng.",
        storage_en="Keep in the fridge's vegetable drawer; wash just before use.",
        blurb_vi="{product} hái sáng sớm tại vườn {producer}, {place}.",
        blurb_en="{product} picked at dawn in {producer}'s gardens in {place}.",
        about_vi="Rau được tưới nước giếng khoan, bón phân chuồng ủ hoai và có nhật ký canh tác.",
        about_en="Watered from wells, fed with composted manure, and every bed has a "
        "cultivation log.",
        story_vi="Các hộ trồng rau liên kết lại để cùng làm theo tiêu chuẩn VietGAP.",
        story_en="The growers joined together to farm to the VietGAP standard.",
        tags=(("rau sạch", "clean vegetables"), ("nông sản sạch", "clean produce")),
        certifications=("vietgap", "organic"),
    ),
    Trade(
        key="ruou",
        group="do-uong",
        category="ruou",
        noun_vi="Rượu",
        noun_en="Rice Wine",
        items=(
            Item(
                "Rượu nếp",
                "Glutinous rice wine",
                "chai 500 ml",
                "500 ml bottle",
                90_000,
                "Nếp cái, men lá, nước giếng",
                "Glutinous rice, leaf yeast, well water",
            ),
            Item(
                "Rượu nếp cẩm",
                "Black sticky-rice wine",
                "chai 500 ml",
                "500 ml bottle",
                110_000,
                "Nếp cẩm, men lá",
                "Black glutinous rice, leaf yeast",
            ),
            Item(
                "Rượu men lá",
                "Leaf-yeast rice wine",
                "chai 750 ml",
                "750 ml bottle",
                130_000,
                "Gạo, men lá rừng",
                "Rice, forest-leaf yeast",
            ),
            Item(
                "Rượu chuối hột",
                "Seeded banana wine",
                "chai 500 ml",
                "500 ml bottle",
                150_000,
                "Rượu gạo, chuối hột rừng",
                "Rice spirit, wild seeded banana",
            ),
        ),
        variants=(
            ("", "", 1.0),
            ("29 độ", "29% ABV", 1.0),
            ("39 độ", "39% ABV", 1.1),
            ("bình sành 2 lít", "2 litre stoneware jar", 3.6),
            ("ủ 3 năm", "aged 3 years", 2.0),
        ),
        localities=("dien-phong", "dien-trung", "dien-minh"),
        lead_time=(1, 3),
        shelf_life_vi="Không giới hạn khi đậy kín",
        shelf_life_en="Keeps indefinitely when sealed",
        storage_vi="Để nơi thoáng mát. Sản phẩm dành cho người trên 18 tuổi.",
        storage_en="Keep somewhere cool. For adults over 18 only.",
        blurb_vi="{product} nấu thủ công bằng nồi đồng tại {place} bởi {producer}.",
        blurb_en="{product} distilled by hand in copper pots in {place} by {producer}.",
        about_vi="Rượu được hạ thổ trong chum sành ít nhất sáu tháng cho êm trước khi đóng chai.",
        about_en="The spirit rests in buried clay jars for at least six months before bottling.",
        story_vi="Men lá được làm từ hơn mười loại lá và rễ cây theo bí quyết gia đình.",
        story_en="The leaf yeast is made from more than ten leaves and roots to a family secret.",
        tags=(("rượu", "rice wine"), ("quà biếu", "gifts")),
        certifications=("iso22000",),
    ),
    Trade(
        key="tra-ca-phe",
        group="thuc-pham",
        category="tra-ca-phe",
        noun_vi="Trà và cà phê",
        noun_en="Tea and Coffee",
        items=(
            Item(
                "Cà phê rang xay nguyên chất",
                "Pure ground coffee",
                "gói 500 g",
                "500 g pack",
                150_000,
                "Cà phê Robusta, Arabica",
                "Robusta and Arabica coffee",
            ),
            Item(
                "Trà xanh sao tay",
                "Hand-roasted green tea",
                "gói 200 g",
                "200 g pack",
                90_000,
                "Lá chè xanh",
                "Green tea leaves",
            ),
            Item(
                "Trà lá vối",
                "Vối leaf tea",
                "gói 300 g",
                "300 g pack",
                60_000,
                "Lá và nụ vối",
                "Vối leaves and buds",
            ),
            Item(
                "Cà phê hạt rang mộc",
                "Plain-roasted coffee beans",
                "gói 1 kg",
                "1 kg pack",
                260_000,
                "Cà phê hạt",
                "Coffee beans",
            ),
        ),
        variants=(
            ("", "", 1.0),
            ("rang đậm", "dark roast", 1.0),
            ("rang vừa", "medium roast", 1.0),
            ("túi lọc", "tea bags", 1.2),
            ("hộp quà", "gift box", 2.1),
        ),
        localities=("vinh-dien", "dien-nam-trung", "dien-ngoc"),
        lead_time=(1, 3),
        shelf_life_vi="12 tháng",
        shelf_life_en="12 months",
        storage_vi="Đóng kín miệng túi, tránh ẩm và mùi lạ.",
        storage_en="Reseal the bag; keep away from damp and strong smells.",
        blurb_vi="{product} rang mới mỗi tuần tại xưởng của {producer}, {place}.",
        blurb_en="{product} freshly roasted every week at {producer}'s workshop in {place}.",
        about_vi="Rang bằng chảo gang trên lửa củi, không tẩm bơ, không hương liệu.",
        about_en="Roasted in cast-iron pans over wood fires, with no butter or flavourings.",
        story_vi="Xưởng rang nhỏ nằm ngay sau quán cà phê của gia đình.",
        story_en="The small roastery sits right behind the family's café.",
        tags=(("cà phê", "coffee"), ("trà", "tea")),
        certifications=("haccp",),
    ),
    Trade(
        key="nuoc-ep",
        group="do-uong",
        category="do-uong",
        noun_vi="Nước ép",
        noun_en="Juice",
        items=(
            Item(
                "Nước cốt chanh dây",
                "Passion-fruit concentrate",
                "chai 500 ml",
                "500 ml bottle",
                65_000,
                "Chanh dây, đường phèn",
                "Passion fruit, rock sugar",
            ),
            Item(
                "Nước gừng mật ong",
                "Ginger and honey drink",
                "chai 330 ml",
                "330 ml bottle",
                30_000,
                "Gừng, mật ong, chanh",
                "Ginger, honey, lime",
            ),
            Item(
                "Siro tắc",
                "Kumquat syrup",
                "chai 500 ml",
                "500 ml bottle",
                55_000,
                "Tắc, đường",
                "Kumquat, sugar",
            ),
            Item(
                "Nước mía sạch",
                "Sugarcane juice",
                "chai 330 ml",
                "330 ml bottle",
                20_000,
                "Mía, tắc",
                "Sugarcane, kumquat",
            ),
        ),
        variants=(
            ("", "", 1.0),
            ("không đường", "unsweetened", 1.0),
            ("thùng 12 chai", "case of 12", 10.5),
            ("vị sả", "with lemongrass", 1.05),
            ("chai thủy tinh", "glass bottle", 1.2),
        ),
        localities=("dien-nam-dong", "dien-ngoc", "dien-an"),
        lead_time=(1, 2),
        shelf_life_vi="6 tháng",
        shelf_life_en="6 months",
        storage_vi="Bảo quản lạnh sau khi mở, dùng trong 7 ngày.",
        storage_en="Refrigerate after opening and use within 7 days.",
        blurb_vi="{product} của {producer}, từ trái cây vườn nhà ở {place}.",
        blurb_en="{product} from {producer}, made from fruit grown in {place}.",
        about_vi="Trái cây được ép lạnh và thanh trùng nhẹ để giữ hương vị tự nhiên.",
        about_en="The fruit is cold-pressed and gently pasteurised to keep its natural taste.",
        story_vi="Từ vườn chanh dây sau nhà, hai chị em khởi nghiệp với những chai nước cốt "
        "đầu tiên.",
        story_en="Two sisters started the business with the first bottles from the passion-"
        "fruit vines behind their house.",
        tags=(("đồ uống", "drinks"), ("trái cây", "fruit")),
        certifications=("haccp",),
    ),
    Trade(
        key="tra-thao-moc",
        group="duoc-lieu",
        category="tra-thao-moc",
        noun_vi="Trà thảo mộc",
        noun_en="Herbal Tea",
        items=(
            Item(
                "Trà túi lọc thảo mộc",
                "Herbal tea bags",
                "hộp 25 gói",
                "box of 25 bags",
                85_000,
                "Cỏ ngọt, hoa cúc, lá sen, atiso",
                "Stevia, chrysanthemum, lotus leaf, artichoke",
            ),
            Item(
                "Trà hoa cúc",
                "Chrysanthemum tea",
                "hộp 50 g",
                "50 g box",
                90_000,
                "Hoa cúc sấy",
                "Dried chrysanthemum",
            ),
            Item(
                "Trà gạo lứt rang",
                "Roasted brown-rice tea",
                "gói 500 g",
                "500 g pack",
                55_000,
                "Gạo lứt, đậu đen",
                "Brown rice, black beans",
            ),
            Item(
                "Trà lá sen",
                "Lotus-leaf tea",
                "hộp 20 gói",
                "box of 20 bags",
                70_000,
                "Lá sen sấy",
                "Dried lotus leaf",
            ),
        ),
        variants=(
            ("", "", 1.0),
            ("không đường", "unsweetened", 1.0),
            ("vị gừng", "with ginger", 1.05),
            ("hộp gỗ quà tặng", "wooden gift box", 2.5),
            ("gói tiết kiệm", "value pack", 1.8),
        ),
        localities=("dien-tien", "dien-phong", "dien-minh"),
        lead_time=(1, 3),
        shelf_life_vi="18 tháng",
        shelf_life_en="18 months",
        storage_vi="Để nơi khô ráo, tránh ánh nắng; đậy kín sau khi mở.",
        storage_en="Keep dry and out of the sun; close after opening.",
        blurb_vi="{product} phơi sấy từ dược liệu trồng tại {place}, đóng gói bởi {producer}.",
        blurb_en="{product} dried from herbs grown in {place}, packed by {producer}.",
        about_vi="Dược liệu được thu hái đúng mùa, sấy lạnh để giữ màu và hương thơm.",
        about_en="The herbs are harvested in season and cold-dried to keep colour and scent.",
        story_vi="Vùng trồng dược liệu được chuyển đổi từ những thửa ruộng kém hiệu quả.",
        story_en="The herb fields were converted from rice paddies that yielded poorly.",
        tags=(("thảo mộc", "herbal"), ("sức khỏe", "wellbeing")),
        certifications=("organic", "iso22000"),
    ),
    Trade(
        key="tinh-dau",
        group="duoc-lieu",
        category="tinh-dau",
        noun_vi="Tinh dầu",
        noun_en="Essential Oils",
        items=(
            Item(
                "Tinh dầu sả chanh",
                "Lemongrass essential oil",
                "chai 50 ml",
                "50 ml bottle",
                90_000,
                "Tinh dầu sả chanh nguyên chất",
                "Pure lemongrass oil",
            ),
            Item(
                "Tinh dầu tràm",
                "Cajeput oil",
                "chai 50 ml",
                "50 ml bottle",
                100_000,
                "Tinh dầu tràm gió",
                "Cajeput oil",
            ),
            Item(
                "Tinh dầu bưởi",
                "Pomelo-peel oil",
                "chai 50 ml",
                "50 ml bottle",
                95_000,
                "Tinh dầu vỏ bưởi",
                "Pomelo-peel oil",
            ),
            Item(
                "Tinh bột nghệ",
                "Turmeric starch",
                "hũ 250 g",
                "250 g jar",
                140_000,
                "Nghệ vàng",
                "Yellow turmeric",
            ),
        ),
        variants=(
            ("", "", 1.0),
            ("chai 10 ml", "10 ml", 0.3),
            ("chai 100 ml", "100 ml", 1.8),
            ("kèm máy khuếch tán", "with diffuser", 4.0),
            ("bộ 3 chai", "set of 3", 2.7),
        ),
        localities=("dien-tho", "dien-phuoc", "dien-quang"),
        lead_time=(1, 3),
        shelf_life_vi="24 tháng",
        shelf_life_en="24 months",
        storage_vi="Đậy kín, tránh nhiệt; để xa tầm tay trẻ em.",
        storage_en="Keep closed and away from heat and children.",
        blurb_vi="{product} chưng cất bằng hơi nước tại {place} bởi {producer}.",
        blurb_en="{product} steam-distilled in {place} by {producer}.",
        about_vi="Mỗi lít tinh dầu cần hàng trăm ký nguyên liệu tươi, chưng cất ngay sau thu hái.",
        about_en="Each litre takes hundreds of kilos of fresh plants, distilled right after "
        "harvest.",
        story_vi="Nồi chưng cất đầu tiên được tự chế từ một thùng phuy cũ.",
        story_en="The first still was home-made from an old oil drum.",
        tags=(("tinh dầu", "essential oils"), ("thảo mộc", "herbal")),
        certifications=("organic",),
    ),
    Trade(
        key="cao-duoc-lieu",
        group="duoc-lieu",
        category="duoc-lieu",
        noun_vi="Dược liệu",
        noun_en="Herbal Remedies",
        items=(
            Item(
                "Cao atiso",
                "Artichoke extract",
                "hũ 200 g",
                "200 g jar",
                160_000,
                "Atiso, đường",
                "Artichoke, sugar",
            ),
            Item(
                "Cao lá vằng",
                "Vằng leaf extract",
                "hũ 100 g",
                "100 g jar",
                180_000,
                "Lá vằng",
                "Vằng leaves",
            ),
            Item(
                "Trà đinh lăng",
                "Polyscias root tea",
                "hộp 20 gói",
                "box of 20 bags",
                95_000,
                "Rễ và lá đinh lăng",
                "Polyscias root and leaves",
            ),
            Item(
                "Nghệ mật ong",
                "Turmeric honey",
                "hũ 300 g",
                "300 g jar",
                150_000,
                "Tinh bột nghệ, mật ong",
                "Turmeric starch, honey",
            ),
        ),
        variants=(
            ("", "", 1.0),
            ("loại đặc biệt", "special grade", 1.4),
            ("dạng viên", "as pills", 1.2),
            ("hộp quà", "gift box", 2.2),
            ("hũ lớn", "large jar", 1.8),
        ),
        localities=("dien-tho", "dien-phong", "dien-trung"),
        lead_time=(1, 3),
        shelf_life_vi="18 tháng",
        shelf_life_en="18 months",
        storage_vi="Để nơi khô mát; không thay thế thuốc chữa bệnh.",
        storage_en="Keep cool and dry; not a substitute for medicine.",
        blurb_vi="{product} cô đặc từ dược liệu {place} theo quy trình của {producer}.",
        blurb_en="{product} concentrated from {place} herbs following {producer}'s process.",
        about_vi="Dược liệu được rửa, sao và nấu cô nhiều giờ trên lửa nhỏ.",
        about_en="The herbs are washed, toasted and simmered for hours over a low flame.",
        story_vi="Vườn thuốc nam của gia đình được mở rộng thành vùng trồng liên kết với "
        "bà con trong xã.",
        story_en="The family's medicinal garden grew into a growing area shared with neighbours.",
        tags=(("dược liệu", "herbal remedies"), ("sức khỏe", "wellbeing")),
        certifications=("iso22000",),
    ),
    Trade(
        key="chieu-coi",
        group="thu-cong-my-nghe",
        category="chieu",
        noun_vi="Chiếu cói",
        noun_en="Sedge Mat",
        items=(
            Item(
                "Chiếu cói in hoa",
                "Printed sedge mat",
                "chiếc 1,6 × 2 m",
                "1.6 × 2 m mat",
                350_000,
                "Cói, chỉ cotton",
                "Sedge, cotton thread",
            ),
            Item(
                "Chiếu cói trơn",
                "Plain sedge mat",
                "chiếc 1,8 × 2 m",
                "1.8 × 2 m mat",
                300_000,
                "Cói",
                "Sedge",
            ),
            Item(
                "Thảm cói tròn",
                "Round sedge rug",
                "chiếc đường kính 1 m",
                "1 m rug",
                250_000,
                "Cói",
                "Sedge",
            ),
            Item(
                "Túi cói",
                "Sedge tote bag",
                "cái",
                "bag",
                120_000,
                "Cói, vải lót",
                "Sedge, fabric lining",
            ),
        ),
        variants=(
            ("", "", 1.0),
            ("dệt tay", "hand-woven", 1.4),
            ("nhuộm màu tự nhiên", "naturally dyed", 1.3),
            ("hoa văn chữ Thọ", "longevity pattern", 1.2),
            ("viền vải", "cloth-edged", 1.1),
        ),
        localities=("dien-phuong", "dien-minh", "dien-phong"),
        village="chieu-coi-triem-tay",
        lead_time=(3, 10),
        shelf_life_vi="",
        shelf_life_en="",
        storage_vi="Phơi nắng nhẹ định kỳ, cuộn tròn khi cất, tránh gập.",
        storage_en="Air in mild sun from time to time; roll, do not fold, for storage.",
        blurb_vi="{product} dệt tại {place} bởi {producer}, mát và bền theo năm tháng.",
        blurb_en="{product} woven in {place} by {producer}: cool to sleep on and long-lasting.",
        about_vi="Cói được chẻ sợi, phơi ba nắng và nhuộm trước khi lên khung dệt.",
        about_en="The sedge is split, sun-dried for three days and dyed before weaving.",
        story_vi="Tiếng khung dệt chiếu vẫn vang đều trong xóm mỗi buổi chiều.",
        story_en="The clack of mat looms still fills the hamlet every afternoon.",
        tags=(("chiếu cói", "sedge mats"), ("làng nghề", "craft village")),
        certifications=("other",),
    ),
    Trade(
        key="gom",
        group="thu-cong-my-nghe",
        category="gom",
        noun_vi="Gốm",
        noun_en="Pottery",
        items=(
            Item(
                "Bình gốm đất nung", "Terracotta vase", "cái", "piece", 180_000, "Đất sét", "Clay"
            ),
            Item(
                "Chậu gốm trồng cây",
                "Terracotta plant pot",
                "cái",
                "piece",
                90_000,
                "Đất sét",
                "Clay",
            ),
            Item(
                "Bộ ấm chén gốm",
                "Clay tea set",
                "bộ",
                "set",
                450_000,
                "Đất sét, men",
                "Clay, glaze",
            ),
            Item(
                "Tượng gốm linh vật",
                "Terracotta zodiac figure",
                "cái",
                "piece",
                150_000,
                "Đất sét",
                "Clay",
            ),
        ),
        variants=(
            ("", "", 1.0),
            ("men lam", "blue glaze", 1.3),
            ("cỡ lớn", "large", 1.8),
            ("khắc hoa văn Chăm", "Cham-motif carving", 1.6),
            ("mộc không men", "unglazed", 0.9),
        ),
        localities=("dien-hoa", "dien-thang-bac", "dien-tien"),
        village="gom-la-tho",
        availability="made_to_order",
        lead_time=(5, 20),
        storage_vi="Lau bằng khăn ẩm; tránh va đập mạnh.",
        storage_en="Wipe with a damp cloth; avoid knocks.",
        blurb_vi="{product} nặn tay và nung củi tại lò của {producer}, {place}.",
        blurb_en="{product} thrown by hand and wood-fired in {producer}'s kiln in {place}.",
        about_vi="Mỗi sản phẩm mang vết tay người thợ, màu đất thay đổi theo từng mẻ lò.",
        about_en="Every piece bears the potter's hand; the colour of the clay changes with "
        "each firing.",
        story_vi="Lò gốm được gia đình giữ lửa qua bốn thế hệ.",
        story_en="The family has kept the kiln burning for four generations.",
        tags=(("gốm", "pottery"), ("quà lưu niệm", "souvenirs")),
        certifications=("other",),
    ),
    Trade(
        key="may-tre-dan",
        group="thu-cong-my-nghe",
        category="may-tre-dan",
        noun_vi="Mây tre đan",
        noun_en="Rattan and Bamboo",
        items=(
            Item(
                "Giỏ mây đan tay",
                "Hand-woven rattan basket",
                "cái",
                "piece",
                160_000,
                "Mây, tre",
                "Rattan, bamboo",
            ),
            Item(
                "Đèn tre trang trí",
                "Bamboo lampshade",
                "cái",
                "piece",
                280_000,
                "Tre, mây",
                "Bamboo, rattan",
            ),
            Item("Khay tre", "Bamboo tray", "bộ 3 cái", "set of 3", 150_000, "Tre", "Bamboo"),
            Item("Rổ rá tre", "Bamboo baskets", "bộ 5 cái", "set of 5", 120_000, "Tre", "Bamboo"),
        ),
        variants=(
            ("", "", 1.0),
            ("cỡ lớn", "large", 1.6),
            ("sơn mài", "lacquered", 1.8),
            ("đan mắt cáo", "hexagon weave", 1.2),
            ("màu tự nhiên", "natural colour", 1.0),
        ),
        localities=("dien-an", "dien-tien", "dien-hong", "dien-quang"),
        village="may-tre-cau-nhi-dong",
        availability="made_to_order",
        lead_time=(3, 14),
        storage_vi="Để nơi khô ráo; lau bụi bằng chổi mềm.",
        storage_en="Keep dry; dust with a soft brush.",
        blurb_vi="{product} đan thủ công bởi thợ {place}, sản phẩm của {producer}.",
        blurb_en="{product} hand-woven by {place} craftspeople for {producer}.",
        about_vi="Tre được ngâm bùn, hun khói chống mọt rồi chẻ nan đan theo mẫu.",
        about_en="The bamboo is soaked in mud and smoked against woodworm before being split "
        "and woven.",
        story_vi="Từ những chiếc rổ rá cho chợ quê, cơ sở nay làm hàng trang trí cho khách sạn.",
        story_en="From baskets for the village market, the workshop now makes decor for hotels.",
        tags=(("mây tre đan", "rattan and bamboo"), ("trang trí", "home decor")),
    ),
    Trade(
        key="do-go",
        group="thu-cong-my-nghe",
        category="do-go",
        noun_vi="Mộc mỹ nghệ",
        noun_en="Woodcraft",
        items=(
            Item(
                "Hộp gỗ đựng trà",
                "Wooden tea caddy",
                "cái",
                "piece",
                220_000,
                "Gỗ mít",
                "Jackfruit wood",
            ),
            Item(
                "Khay gỗ chạm khắc",
                "Carved wooden tray",
                "cái",
                "piece",
                350_000,
                "Gỗ xoan",
                "Chinaberry wood",
            ),
            Item(
                "Tượng gỗ mỹ nghệ",
                "Carved wooden statue",
                "cái",
                "piece",
                None,
                "Gỗ mít",
                "Jackfruit wood",
            ),
            Item(
                "Bộ bàn ghế gỗ",
                "Wooden table and chairs",
                "bộ",
                "set",
                None,
                "Gỗ keo, dầu lau gỗ",
                "Acacia wood, wood oil",
            ),
        ),
        variants=(
            ("", "", 1.0),
            ("chạm hoa sen", "lotus carving", 1.4),
            ("sơn PU", "lacquered", 1.2),
            ("khắc tên theo yêu cầu", "engraved to order", 1.3),
            ("cỡ nhỏ", "small", 0.7),
        ),
        localities=("dien-phuong", "dien-phong", "dien-tho"),
        village="moc-dong-khuong",
        availability="made_to_order",
        lead_time=(7, 30),
        storage_vi="Tránh nắng gắt và nơi ẩm; lau dầu gỗ mỗi năm một lần.",
        storage_en="Keep out of harsh sun and damp; oil once a year.",
        blurb_vi="{product} do thợ mộc {place} của {producer} chạm tay.",
        blurb_en="{product} carved by hand by {producer}'s carpenters in {place}.",
        about_vi="Gỗ được phơi khô tự nhiên nhiều tháng trước khi chạm để không cong vênh.",
        about_en="The wood is air-dried for months before carving so it does not warp.",
        story_vi="Người thợ cả học nghề từ năm mười bốn tuổi, nay truyền lại cho lớp trẻ.",
        story_en="The master carpenter started as an apprentice at fourteen and now teaches the "
        "young.",
        tags=(("đồ gỗ", "woodwork"), ("làng nghề", "craft village")),
    ),
    Trade(
        key="do-dong",
        group="thu-cong-my-nghe",
        category="do-dong",
        noun_vi="Đúc đồng",
        noun_en="Bronze",
        items=(
            Item("Chiêng đồng", "Bronze gong", "chiếc", "piece", None, "Đồng thau", "Brass"),
            Item("Chuông đồng", "Bronze bell", "chiếc", "piece", 650_000, "Đồng", "Bronze"),
            Item(
                "Lư hương đồng",
                "Bronze incense burner",
                "chiếc",
                "piece",
                1_200_000,
                "Đồng vàng",
                "Yellow bronze",
            ),
            Item(
                "Chuông gió đồng", "Bronze wind chime", "chiếc", "piece", 250_000, "Đồng", "Bronze"
            ),
        ),
        variants=(
            ("", "", 1.0),
            ("cỡ nhỏ", "small", 0.6),
            ("cỡ lớn", "large", 2.5),
            ("chạm rồng", "dragon relief", 1.7),
            ("mạ màu giả cổ", "antique finish", 1.3),
        ),
        localities=("dien-phuong", "dien-minh"),
        village="duc-dong-phuoc-kieu",
        availability="made_to_order",
        lead_time=(10, 45),
        storage_vi="Lau bằng khăn mềm khô; tránh hóa chất tẩy rửa.",
        storage_en="Wipe with a soft dry cloth; no chemical cleaners.",
        blurb_vi="{product} đúc khuôn đất tại lò {producer}, {place}, chỉnh âm bằng tay.",
        blurb_en="{product} cast in clay moulds at {producer}'s foundry in {place}, tuned by hand.",
        about_vi="Đồng được nấu chảy, rót khuôn đất rồi gõ chỉnh âm cho đến khi tiếng ngân đạt.",
        about_en="The metal is melted, poured into clay moulds and then hammered until the "
        "note rings true.",
        story_vi="Ông nội là người đầu tiên trong họ mang chiêng lên bán cho đồng bào Tây Nguyên.",
        story_en="Grandfather was the first in the family to take gongs up to the Central "
        "Highlands.",
        tags=(("đồ đồng", "bronze"), ("làng nghề", "craft village")),
        certifications=("other",),
    ),
    Trade(
        key="to-lua",
        group="thu-cong-my-nghe",
        category="to-lua",
        noun_vi="Tơ lụa",
        noun_en="Silk",
        items=(
            Item(
                "Khăn lụa tơ tằm",
                "Mulberry silk scarf",
                "chiếc",
                "piece",
                450_000,
                "Tơ tằm",
                "Mulberry silk",
            ),
            Item(
                "Vải lụa tơ tằm",
                "Mulberry silk fabric",
                "mét",
                "metre",
                380_000,
                "Tơ tằm",
                "Mulberry silk",
            ),
            Item("Áo dài lụa", "Silk áo dài", "bộ", "outfit", None, "Lụa tơ tằm", "Mulberry silk"),
            Item(
                "Gối lụa",
                "Silk pillowcase",
                "chiếc",
                "piece",
                320_000,
                "Lụa tơ tằm",
                "Mulberry silk",
            ),
        ),
        variants=(
            ("", "", 1.0),
            ("nhuộm lá bàng", "dyed with almond leaves", 1.2),
            ("nhuộm củ nâu", "dyed with dye yam", 1.2),
            ("dệt hoa văn", "with woven pattern", 1.5),
            ("màu tự nhiên", "undyed", 0.9),
        ),
        localities=("dien-quang", "dien-phong", "dien-trung"),
        village="to-lua-go-noi",
        availability="made_to_order",
        lead_time=(5, 30),
        storage_vi="Giặt tay bằng nước lạnh, phơi trong bóng râm.",
        storage_en="Hand-wash cold and dry in the shade.",
        blurb_vi="{product} dệt từ tơ tằm nuôi tại {place}, sản phẩm của {producer}.",
        blurb_en="{product} woven from silk raised in {place} by {producer}.",
        about_vi="Kén được ươm thủ công, sợi tơ đều và bóng; màu nhuộm từ lá và củ cây.",
        about_en="The cocoons are reeled by hand for an even, glossy thread; dyes come from "
        "leaves and roots.",
        story_vi="Sau nhiều năm gián đoạn, gia đình trồng lại dâu để khôi phục nghề dệt.",
        story_en="After years without it, the family replanted mulberry to bring weaving back.",
        tags=(("tơ lụa", "silk"), ("thời trang", "fashion")),
    ),
    Trade(
        key="cay-canh",
        group="sinh-vat-canh",
        category="cay-canh",
        noun_vi="Cây cảnh",
        noun_en="Bonsai",
        items=(
            Item(
                "Cây bonsai mini",
                "Mini bonsai",
                "chậu",
                "pot",
                350_000,
                "Cây, chậu gốm, đất trồng",
                "Tree, ceramic pot, soil",
            ),
            Item(
                "Mai vàng bonsai",
                "Yellow apricot bonsai",
                "chậu",
                "pot",
                None,
                "Cây mai, chậu",
                "Apricot tree, pot",
            ),
            Item(
                "Cây sanh dáng trực",
                "Upright ficus",
                "chậu",
                "pot",
                1_500_000,
                "Cây sanh, chậu",
                "Ficus, pot",
            ),
            Item(
                "Cây lưỡi hổ để bàn",
                "Desk snake plant",
                "chậu",
                "pot",
                120_000,
                "Cây, chậu",
                "Plant, pot",
            ),
        ),
        variants=(
            ("", "", 1.0),
            ("dáng văn nhân", "literati style", 1.8),
            ("dáng thác đổ", "cascade style", 1.6),
            ("chậu men", "glazed pot", 1.3),
            ("cỡ lớn", "large", 2.5),
        ),
        localities=("dien-hong", "dien-tien", "dien-thang-bac", "dien-an"),
        availability="in_stock",
        lead_time=(1, 5),
        storage_vi="Đặt nơi có nắng sáng, tưới khi đất khô mặt.",
        storage_en="Place in morning sun; water when the topsoil is dry.",
        blurb_vi="{product} được chăm tạo dáng nhiều năm tại vườn {producer}, {place}.",
        blurb_en="{product} shaped over several years in {producer}'s garden in {place}.",
        about_vi="Cây được uốn tạo dáng, cắt tỉa và thuần chậu trước khi bán.",
        about_en="Each tree is wired, pruned and settled in its pot before it is sold.",
        story_vi="Vườn cảnh bắt đầu từ thú chơi của người cha, nay là nguồn thu chính.",
        story_en="The garden began as the father's hobby and is now the family's main income.",
        tags=(("cây cảnh", "bonsai"), ("trang trí", "home decor")),
        household_vi="Vườn cây cảnh {part}",
        household_en="{part} Bonsai Garden",
    ),
    Trade(
        key="hoa-lan",
        group="sinh-vat-canh",
        category="hoa-lan",
        noun_vi="Hoa lan",
        noun_en="Orchid",
        items=(
            Item(
                "Lan hồ điệp",
                "Moth orchid",
                "chậu 3 cành",
                "pot of 3 stems",
                650_000,
                "Cây lan, chậu, dớn",
                "Orchid, pot, sphagnum",
            ),
            Item(
                "Lan đai châu",
                "Foxtail orchid",
                "chậu",
                "pot",
                300_000,
                "Cây lan, giá thể",
                "Orchid, growing medium",
            ),
            Item("Lan kiếm", "Cymbidium", "chậu", "pot", 450_000, "Cây lan, chậu", "Orchid, pot"),
            Item(
                "Lan dendro",
                "Dendrobium",
                "chậu",
                "pot",
                180_000,
                "Cây lan, giá thể",
                "Orchid, growing medium",
            ),
        ),
        variants=(
            ("", "", 1.0),
            ("màu trắng", "white", 1.0),
            ("màu tím", "purple", 1.0),
            ("chậu sứ", "porcelain pot", 1.4),
            ("chưng Tết", "for Tết", 1.6),
        ),
        localities=("dien-thang-nam", "dien-nam-bac", "vinh-dien"),
        availability="seasonal",
        season=(10, 11, 12, 1, 2, 3),
        lead_time=(1, 5),
        storage_vi="Để nơi sáng, tránh nắng trực tiếp; phun sương mỗi ngày.",
        storage_en="Keep in bright light out of direct sun; mist daily.",
        blurb_vi="{product} ươm tại nhà lưới của {producer} ở {place}.",
        blurb_en="{product} raised in {producer}'s shade house in {place}.",
        about_vi="Lan được chăm trong nhà lưới, ra hoa đúng dịp lễ Tết.",
        about_en="The orchids are grown under shade netting and timed to flower for the holidays.",
        story_vi="Nhà lưới đầu tiên được dựng bằng khoản vay ưu đãi cho thanh niên khởi nghiệp.",
        story_en="The first shade house was built with a start-up loan for young farmers.",
        tags=(("hoa lan", "orchids"), ("quà Tết", "Tết gifts")),
        household_vi="Vườn lan {part}",
        household_en="{part} Orchid Garden",
    ),
    Trade(
        key="tour-lang-nghe",
        group="du-lich-cong-dong",
        category="tour-lang-nghe",
        noun_vi="Du lịch cộng đồng",
        noun_en="Community Tourism",
        items=(
            Item(
                "Tour làng nghề nửa ngày",
                "Half-day craft-village tour",
                "người",
                "per person",
                350_000,
            ),
            Item(
                "Trải nghiệm làm bánh tráng",
                "Rice-paper making workshop",
                "người",
                "per person",
                200_000,
            ),
            Item("Đạp xe đồng quê", "Countryside bike ride", "người", "per person", 250_000),
            Item("Lớp nấu mì Quảng", "Quảng noodle cooking class", "người", "per person", 400_000),
        ),
        variants=(
            ("", "", 1.0),
            ("cho nhóm gia đình", "for families", 3.2),
            ("buổi sáng", "morning", 1.0),
            ("kèm bữa trưa", "with lunch", 1.3),
            ("có hướng dẫn viên tiếng Anh", "with English-speaking guide", 1.4),
        ),
        localities=("dien-phuong", "dien-duong", "dien-thang-trung"),
        availability="made_to_order",
        lead_time=(1, 3),
        storage_vi="",
        storage_en="",
        blurb_vi="{product} cùng {producer}: gặp người làm nghề và thử tay tại {place}.",
        blurb_en="{product} with {producer}: meet the makers and try the craft in {place}.",
        about_vi="Đặt trước ít nhất một ngày; giá đã gồm vé tham quan, nước uống và bảo hiểm.",
        about_en="Book at least a day ahead; the price includes entry, drinks and insurance.",
        story_vi="Các hộ làng nghề cùng nhau đón khách để nghề được nhiều người biết đến.",
        story_en="Craft households welcome visitors together so more people get to know "
        "their work.",
        tags=(("du lịch", "tourism"), ("trải nghiệm", "experiences")),
    ),
    Trade(
        key="homestay",
        group="du-lich-cong-dong",
        category="homestay",
        noun_vi="Homestay",
        noun_en="Homestay",
        items=(
            Item("Homestay nhà vườn", "Garden homestay", "phòng/đêm", "room per night", 450_000),
            Item(
                "Homestay ven sông Thu Bồn",
                "Thu Bồn riverside homestay",
                "phòng/đêm",
                "room per night",
                550_000,
            ),
            Item(
                "Trải nghiệm làm nông một ngày", "A day on the farm", "người", "per person", 300_000
            ),
            Item("Bữa cơm quê", "Country family meal", "mâm 4 người", "table for 4", 600_000),
        ),
        variants=(
            ("", "", 1.0),
            ("phòng gia đình", "family room", 1.6),
            ("kèm ăn sáng", "with breakfast", 1.15),
            ("cuối tuần", "weekend", 1.2),
            ("trọn gói 2 ngày 1 đêm", "2 days, 1 night package", 2.4),
        ),
        localities=("dien-duong", "dien-ngoc", "dien-phuong", "dien-thang-trung"),
        availability="in_stock",
        lead_time=(1, 2),
        blurb_vi="{product} tại {place}: ở cùng gia đình {producer}, ăn cơm quê, đạp xe ra đồng.",
        blurb_en="{product} in {place}: stay with the {producer} family, eat home cooking and "
        "cycle to the fields.",
        about_vi="Phòng sạch sẽ, có điều hòa và wifi; chủ nhà đón khách tại bến xe Vĩnh Điện.",
        about_en="Clean rooms with air conditioning and wifi; hosts pick up at Vĩnh Điện bus "
        "station.",
        story_vi="Ngôi nhà rường trăm tuổi được sửa lại để đón khách phương xa.",
        story_en="The hundred-year-old wooden house was restored to welcome visitors.",
        tags=(("homestay", "homestay"), ("du lịch", "tourism")),
        household_vi="Homestay {part}",
        household_en="{part} Homestay",
    ),
]

TRADES_BY_KEY = {trade.key: trade for trade in TRADES}

# Legal forms (ProducerPage.LegalForm), and ARTISAN: a household business whose owner holds
# the state-conferred title "nghệ nhân" (ProducerPage.artisan_title), not a legal form.
COOPERATIVE = "cooperative"
COOPERATIVE_GROUP = "cooperative_group"
COMPANY = "company"
HOUSEHOLD = "household"
ARTISAN = "artisan"

# Hand-written producers: legal form, trade, locality, craft village, name part (vi, en),
# founded year. The first six cover the six OCOP groups, so even a tiny demo shows them all.
PRODUCERS = [
    (COOPERATIVE, "nuoc-mam", "dien-duong", "nuoc-mam-ha-quang", ("Hà Quảng", ""), 1998),
    (COOPERATIVE, "ruou", "dien-phong", "", ("Điện Phong", ""), 2012),
    (HOUSEHOLD, "tra-thao-moc", "dien-tien", "", ("Bà Hạnh", ""), 2015),
    (ARTISAN, "chieu-coi", "dien-phuong", "chieu-coi-triem-tay", ("Lê Thị Sen", ""), 1982),
    (COMPANY, "hoa-lan", "dien-thang-nam", "", ("Hoa lan Thắng Nam", "Thắng Nam Orchids"), 2018),
    (COOPERATIVE, "tour-lang-nghe", "dien-phuong", "", ("Điện Phương", ""), 2019),
    (COMPANY, "nuoc-mam", "dien-ngoc", "", ("Thực phẩm Sông Thu", "Sông Thu Foods"), 2008),
    (HOUSEHOLD, "banh-trang", "dien-phuong", "banh-trang-phu-chiem", ("Bà Tám", ""), 1995),
    (COOPERATIVE, "banh-trang", "dien-phuong", "banh-trang-phu-chiem", ("Phú Chiêm", ""), 2016),
    (HOUSEHOLD, "mi-quang", "dien-phuong", "banh-trang-phu-chiem", ("Cô Ba", ""), 2003),
    (COMPANY, "mi-quang", "dien-thang-nam", "", ("Mì Quảng Thu Bồn", "Thu Bồn Noodles"), 2014),
    (HOUSEHOLD, "banh-truyen-thong", "dien-hong", "", ("Bà Năm", ""), 1990),
    (HOUSEHOLD, "banh-truyen-thong", "vinh-dien", "", ("Cô Lài", ""), 2006),
    (COMPANY, "gia-vi", "vinh-dien", "", ("Gia vị Quảng Đà", "Quảng Đà Condiments"), 2011),
    (HOUSEHOLD, "gia-vi", "dien-an", "", ("Chị Hoa", ""), 2017),
    (COOPERATIVE, "mat-ong", "dien-tien", "", ("Điện Tiến", ""), 2010),
    (COOPERATIVE, "gao", "dien-phuoc", "", ("Điện Phước", ""), 1997),
    (COOPERATIVE, "gao", "dien-quang", "", ("Điện Quang", ""), 1999),
    (COMPANY, "nem-cha", "vinh-dien", "", ("Nem chả Vĩnh Điện", "Vĩnh Điện Charcuterie"), 2009),
    (COOPERATIVE, "rau-cu", "dien-thang-trung", "rau-thanh-quyt", ("Thanh Quýt", ""), 2013),
    (HOUSEHOLD, "rau-cu", "dien-thang-trung", "rau-thanh-quyt", ("Ông Bảy", ""), 2005),
    (HOUSEHOLD, "ruou", "dien-trung", "", ("Ông Tư", ""), 1988),
    (COMPANY, "tra-ca-phe", "vinh-dien", "", ("Cà phê Quảng Đà", "Quảng Đà Coffee"), 2015),
    (COMPANY, "nuoc-ep", "dien-nam-dong", "", ("Nông sản Xanh", "Green Farm Produce"), 2020),
    (COOPERATIVE, "tinh-dau", "dien-tho", "", ("Điện Thọ", ""), 2014),
    (HOUSEHOLD, "cao-duoc-lieu", "dien-phong", "", ("Thầy Lâm", ""), 2002),
    (ARTISAN, "chieu-coi", "dien-phuong", "chieu-coi-triem-tay", ("Trần Văn Lộc", ""), 1979),
    (COOPERATIVE, "chieu-coi", "dien-phuong", "chieu-coi-triem-tay", ("Triêm Tây", ""), 2011),
    (ARTISAN, "gom", "dien-hoa", "gom-la-tho", ("Nguyễn Văn Thành", ""), 1985),
    (COOPERATIVE, "gom", "dien-hoa", "gom-la-tho", ("La Thọ", ""), 2017),
    (
        COOPERATIVE_GROUP,
        "may-tre-dan",
        "dien-an",
        "may-tre-cau-nhi-dong",
        ("Câu Nhi Đông", ""),
        2016,
    ),
    (COMPANY, "may-tre-dan", "dien-tien", "", ("Mây tre Sông Yên", "Sông Yên Rattan"), 2012),
    (ARTISAN, "do-go", "dien-phuong", "moc-dong-khuong", ("Phạm Văn Hùng", ""), 1980),
    (HOUSEHOLD, "do-go", "dien-phuong", "moc-dong-khuong", ("Anh Quang", ""), 2010),
    (ARTISAN, "do-dong", "dien-phuong", "duc-dong-phuoc-kieu", ("Dương Văn Chiến", ""), 1976),
    (COOPERATIVE, "do-dong", "dien-phuong", "duc-dong-phuoc-kieu", ("Phước Kiều", ""), 2008),
    (ARTISAN, "to-lua", "dien-quang", "to-lua-go-noi", ("Võ Thị Mai", ""), 1986),
    (COOPERATIVE, "to-lua", "dien-quang", "to-lua-go-noi", ("Gò Nổi", ""), 2018),
    (HOUSEHOLD, "cay-canh", "dien-hong", "", ("Chú Lợi", ""), 1999),
    (COMPANY, "cay-canh", "dien-an", "", ("Cây cảnh Điện An", "Điện An Bonsai"), 2016),
    (HOUSEHOLD, "hoa-lan", "vinh-dien", "", ("Anh Khoa", ""), 2019),
    (HOUSEHOLD, "homestay", "dien-duong", "", ("Cô Hiền", ""), 2017),
    (HOUSEHOLD, "homestay", "dien-phuong", "", ("Bác Thuận", ""), 2018),
    (COOPERATIVE, "homestay", "dien-thang-trung", "", ("Điện Thắng Trung", ""), 2021),
    (HOUSEHOLD, "nuoc-mam", "dien-duong", "nuoc-mam-ha-quang", ("Bà Chín", ""), 1984),
    (COMPANY, "tinh-dau", "dien-quang", "", ("Tinh dầu Gò Nổi", "Gò Nổi Essential Oils"), 2019),
    (HOUSEHOLD, "nem-cha", "dien-nam-bac", "", ("Cô Tuyết", ""), 2001),
    (COMPANY, "tra-thao-moc", "dien-minh", "", ("Thảo dược Điện Minh", "Điện Minh Herbs"), 2017),
]

# Name parts for producers generated beyond the hand-written ones (large demos).
FAMILY_NAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Huỳnh",
    "Phan",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Trương",
    "Đoàn",
]
MIDDLE_NAMES = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quang"]
GIVEN_NAMES = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hà",
    "Hải",
    "Hạnh",
    "Hòa",
    "Hùng",
    "Hương",
    "Khánh",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Nhung",
    "Phúc",
    "Phương",
    "Quý",
    "Sơn",
    "Tâm",
    "Thảo",
    "Thắng",
    "Thu",
    "Tiến",
    "Trang",
    "Trung",
    "Tuấn",
    "Vân",
    "Vinh",
    "Xuân",
    "Yến",
]
HONORIFICS = ["Bà", "Ông", "Cô", "Chú", "Chị", "Anh", "Bác", "Dì"]
NICKNAMES = [
    "Ba",
    "Tư",
    "Năm",
    "Sáu",
    "Bảy",
    "Tám",
    "Chín",
    "Mười",
    "Lan",
    "Hoa",
    "Cúc",
    "Đào",
    "Liên",
    "Hồng",
    "Phúc",
    "Lộc",
    "Thọ",
    "Toàn",
    "Hiếu",
    "Nghĩa",
]
BRAND_PLACES = [
    "Sông Thu",
    "Quảng Đà",
    "Thu Bồn",
    "Vĩnh Điện",
    "Hà My",
    "An Lộc",
    "Phú Lộc",
    "Bình An",
    "Tân Phú",
    "Cẩm Sa",
    "Bồ Mưng",
    "Kỳ Lam",
    "Hòa Tiến",
    "Thanh Chiêm",
    "Xuân Đài",
    "Đông Khương",
    "Phong Nhị",
    "Tứ Câu",
]

# The office (Phòng Kinh tế) shown in the footer while demo data is loaded; its name
# comes from settings.OFFICE_NAME.
OFFICE = {
    "address": "Số 7 Trần Nhân Tông, phường Điện Bàn, thành phố Đà Nẵng (dữ liệu mẫu)",
    "phone": "0235 3867 123",
    "email": "kinhte.dienban@example.com",
}

MOBILE_PREFIXES = [
    "090",
    "093",
    "070",
    "076",
    "077",
    "078",
    "079",
    "091",
    "094",
    "088",
    "081",
    "082",
    "083",
    "084",
    "085",
    "086",
    "096",
    "097",
    "098",
    "032",
    "033",
    "034",
    "035",
    "036",
    "037",
    "038",
    "039",
]

# Where demo products' traceability records "are": a placeholder, like the rest.
TRACEABILITY_DEMO_URL = "https://example.com/truy-xuat/"

# Other certifications a trade may show; "other" names a collective trademark.
CERTIFICATION_ISSUERS = {
    "vietgap": "Trung tâm Chứng nhận Phù hợp",
    "globalgap": "Control Union Việt Nam",
    "organic": "Tổ chức chứng nhận hữu cơ PGS Quảng Nam",
    "haccp": "Trung tâm Kỹ thuật Tiêu chuẩn Đo lường Chất lượng 2",
    "iso22000": "Trung tâm Kỹ thuật Tiêu chuẩn Đo lường Chất lượng 2",
    "other": "Cục Sở hữu trí tuệ",
    # Sample issuer of food-safety facility certificates; a self-declaration is the
    # producer's own, filed with the authority, so it has no issuer.
    "food_safety": "Ban Quản lý An toàn thực phẩm thành phố Đà Nẵng",
    "self_declaration": "",
}
# The OCOP groups whose products need the food-safety papers.
FOOD_SAFETY_GROUPS = ("thuc-pham", "do-uong")

# When every producer is hand-written, each gets this many products first; after that,
# generated producers get GENERATED_PRODUCER_PRODUCTS each (20 = 4 items × 5 variants).
HAND_WRITTEN_ROUNDS = 5
GENERATED_PRODUCER_PRODUCTS = 20


@dataclass(frozen=True)
class ImageStyle:
    """Two colours per OCOP group for the generated images."""

    start: tuple[int, int, int]
    end: tuple[int, int, int]
    ink: tuple[int, int, int] = field(default=(255, 255, 255))


GROUP_STYLES = {
    "thuc-pham": ImageStyle((196, 88, 38), (240, 180, 60)),
    "do-uong": ImageStyle((120, 40, 70), (214, 120, 90)),
    "duoc-lieu": ImageStyle((46, 110, 62), (170, 200, 90)),
    "thu-cong-my-nghe": ImageStyle((110, 70, 40), (200, 150, 100)),
    "sinh-vat-canh": ImageStyle((30, 100, 90), (120, 190, 150)),
    "du-lich-cong-dong": ImageStyle((30, 70, 140), (100, 170, 210)),
}

# What each trade does, for producer summaries and stories: vi, en.
TRADE_CRAFTS = {
    "nuoc-mam": ("nước mắm", "fish sauce"),
    "banh-trang": ("bánh tráng", "rice paper"),
    "mi-quang": ("mì Quảng", "Quảng noodles"),
    "banh-truyen-thong": ("bánh truyền thống", "traditional cakes"),
    "gia-vi": ("gia vị", "condiments"),
    "mat-ong": ("mật ong", "honey"),
    "gao": ("lúa gạo", "rice"),
    "nem-cha": ("nem chả", "cured meats"),
    "rau-cu": ("rau sạch", "clean vegetables"),
    "ruou": ("rượu truyền thống", "rice wine"),
    "tra-ca-phe": ("trà và cà phê", "tea and coffee"),
    "nuoc-ep": ("nước ép trái cây", "fruit drinks"),
    "tra-thao-moc": ("trà thảo mộc", "herbal tea"),
    "tinh-dau": ("tinh dầu", "essential oils"),
    "cao-duoc-lieu": ("dược liệu", "herbal remedies"),
    "chieu-coi": ("chiếu cói", "sedge mats"),
    "gom": ("gốm đất nung", "terracotta"),
    "may-tre-dan": ("mây tre đan", "rattan and bamboo"),
    "do-go": ("mộc mỹ nghệ", "fine woodwork"),
    "do-dong": ("đúc đồng", "bronze casting"),
    "to-lua": ("dệt lụa tơ tằm", "silk weaving"),
    "cay-canh": ("cây cảnh", "bonsai"),
    "hoa-lan": ("hoa lan", "orchids"),
    "tour-lang-nghe": ("du lịch làng nghề", "craft-village tourism"),
    "homestay": ("homestay", "homestays"),
}

# Stars of demo recognitions (3★, 4★, 5★): Điện Bàn had 13 three-star and 1 four-star
# products in 2018–2020 and no five-star one; there are about 126 nationwide.
OCOP_STAR_WEIGHTS = (85, 15, 0)

# The sub-group of Decision 148/2023 (certificates.ocop.PRODUCT_SUBGROUPS) of each trade's
# products; tea is 1.5 and coffee 1.6, both of the food group.
TRADE_SUBGROUPS = {
    "nuoc-mam": "1.4",
    "banh-trang": "1.3",
    "mi-quang": "1.3",
    "banh-truyen-thong": "1.3",
    "gia-vi": "1.4",
    "mat-ong": "1.2",
    "gao": "1.2",
    "nem-cha": "1.3",
    "rau-cu": "1.1",
    "ruou": "2.1",
    "tra-ca-phe": "1.5",
    "nuoc-ep": "2.2",
    "tra-thao-moc": "3.3",
    "tinh-dau": "3.3",
    "cao-duoc-lieu": "3.1",
    "chieu-coi": "4.1",
    "gom": "4.1",
    "may-tre-dan": "4.1",
    "do-go": "4.1",
    "do-dong": "4.1",
    "to-lua": "4.2",
    "cay-canh": "5.2",
    "hoa-lan": "5.1",
    "tour-lang-nghe": "6.1",
    "homestay": "6.1",
}

# The 2019 OCOP groups (Decision 1048/QĐ-TTg), written on certificates issued before
# Decision 148/2023 (24 February 2023).
OCOP_GROUPS_2019 = {
    "thuc-pham": ("Thực phẩm", "Food"),
    "do-uong": ("Đồ uống", "Beverages"),
    "duoc-lieu": ("Thảo dược", "Herbal products"),
    "thu-cong-my-nghe": ("Lưu niệm – nội thất – trang trí", "Souvenirs, furniture and decor"),
    "sinh-vat-canh": ("Lưu niệm – nội thất – trang trí", "Souvenirs, furniture and decor"),
    "du-lich-cong-dong": ("Dịch vụ du lịch nông thôn và bán hàng", "Rural tourism and sales"),
}

# The six groups of Decision 148/QĐ-TTg (2023), as the products migration names them.
OCOP_GROUPS_2023 = {
    "thuc-pham": ("Thực phẩm", "Food"),
    "do-uong": ("Đồ uống", "Beverages"),
    "duoc-lieu": ("Dược liệu và sản phẩm từ dược liệu", "Medicinal herbs and herbal products"),
    "thu-cong-my-nghe": ("Thủ công mỹ nghệ", "Handicrafts"),
    "sinh-vat-canh": ("Sinh vật cảnh", "Ornamental plants and animals"),
    "du-lich-cong-dong": (
        "Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch",
        "Community and eco-tourism services and destinations",
    ),
}

# Payment settings of demo producers. Banks people in the town use, by NAPAS BIN
# (marketplace/payments/banks.py): Agribank first, as in the countryside.
DEMO_BANK_BINS = [
    "970405",  # Agribank
    "970405",
    "970436",  # Vietcombank
    "970415",  # VietinBank
    "970418",  # BIDV
    "970403",  # Sacombank
    "970422",  # MB
    "970407",  # Techcombank
]
# Demo account numbers start with this, so nobody takes them for real ones.
DEMO_ACCOUNT_PREFIX = "0000999"
# Shares of demo producers that take cash on delivery, give VietQR bank details, take cards.
CASH_ON_DELIVERY_SHARE = 0.85
BANK_DETAILS_SHARE = 0.5
CARD_SHARE = 0.15
# Share of demo producers that also chat on WhatsApp (with foreign visitors).
WHATSAPP_SHARE = 0.2

# Delivery settings of demo producers (ProducerPage.delivery_*): where they usually
# deliver, by weight, and fixed fees to draw from (VND).
DELIVERY_AREA_WEIGHTS = {"locality": 4, "province": 4, "nationwide": 2}
DELIVERY_FEE_WEIGHTS = {"free": 3, "fixed": 4, "agreed": 3}
DEMO_DELIVERY_FEES_VND = (15_000, 20_000, 25_000, 30_000, 35_000, 50_000)

# The ward or commune of Đà Nẵng each old locality became part of on 1 July 2025 (by the
# name in the vietnam-provinces package). APPROXIMATE SAMPLE DATA, like the rest of this
# file: check it against Resolution 1659/NQ-UBTVQH15 before using it for real records.
LOCALITY_WARDS_2025 = {
    "vinh-dien": "Phường Điện Bàn",
    "dien-minh": "Phường Điện Bàn",
    "dien-phuong": "Phường Điện Bàn",
    "dien-nam-bac": "Phường Điện Bàn Đông",
    "dien-nam-trung": "Phường Điện Bàn Đông",
    "dien-nam-dong": "Phường Điện Bàn Đông",
    "dien-duong": "Phường Điện Bàn Đông",
    "dien-an": "Phường An Thắng",
    "dien-thang-nam": "Phường An Thắng",
    "dien-phuoc": "Phường An Thắng",
    "dien-ngoc": "Phường Điện Bàn Bắc",
    "dien-thang-bac": "Phường Điện Bàn Bắc",
    "dien-thang-trung": "Phường Điện Bàn Bắc",
    "dien-hoa": "Xã Điện Bàn Tây",
    "dien-tien": "Xã Điện Bàn Tây",
    "dien-hong": "Xã Điện Bàn Tây",
    "dien-tho": "Xã Điện Bàn Tây",
    "dien-phong": "Xã Gò Nổi",
    "dien-trung": "Xã Gò Nổi",
    "dien-quang": "Xã Gò Nổi",
}

# Reviews of fulfilled demo inquiries (marketplace/demo/reviews.py): who wrote them, in
# which language, and what the producer replied. Written for any product.
# (full name, language, stars, text, reply)
REVIEWS = [
    (
        "Nguyễn Thị Lan",
        "vi",
        5,
        "Đóng gói rất cẩn thận, giao đúng hẹn. Chất lượng đúng như mô tả, cả nhà đều khen.",
        "Cảm ơn chị Lan đã tin dùng sản phẩm của cơ sở!",
    ),
    (
        "Emma Clarke",
        "en",
        5,
        "Bought it while visiting Hội An: lovely quality, and the producer explained how it "
        "is made. It travelled home to Manchester without a scratch.",
        "",
    ),
    (
        "Trần Văn Hùng",
        "vi",
        4,
        "Sản phẩm tốt, giá hợp lý. Giao hàng hơi chậm một ngày nhưng người bán có gọi báo trước.",
        "Cảm ơn anh đã góp ý, cơ sở sẽ giao nhanh hơn vào lần sau.",
    ),
    ("Lê Thị Mai", "vi", 5, "Mua làm quà Tết cho bố mẹ, ai cũng thích.", ""),
    ("Lukas Weber", "en", 4, "Good value and a friendly producer. Would order again.", ""),
    ("Phạm Minh Tuấn", "vi", 3, "", ""),
]
# How many products get reviews, and how many each (cycling through REVIEWS).
REVIEWED_PRODUCTS = 6
REVIEWS_PER_PRODUCT = (3, 2, 1)
