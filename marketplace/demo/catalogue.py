"""The demo catalogue as plain values: producer j and product i, computed from the seed.

No database here. Product i is the same product whatever `--products N` is, so a bigger
demo extends a smaller one instead of reshuffling it.
"""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from django.utils import timezone

from marketplace.certificates import ocop
from marketplace.core import places
from marketplace.demo import data
from marketplace.demo.text import ascii_slug
from producers.models import normalise_account_holder
from products.models import food_safety_expiry

LOCALITIES = {slug: (name, kind, lat, lng) for slug, name, kind, lat, lng in data.LOCALITIES}
VILLAGES = {village.slug: village for village in data.CRAFT_VILLAGES}

# Certificates are dated against this fixed day, not today, so every run is identical.
# As real time passes, more demo certificates show as expired — like a real catalogue.
REFERENCE_DATE = datetime.date(2026, 6, 30)
FIRST_ISSUE_DATE = datetime.date(2019, 6, 1)
MINISTRY_RENAMED = datetime.date(2025, 3, 1)
WHATSAPP_SHARE = data.WHATSAPP_SHARE
PAYMENT_SHARES = (data.BANK_DETAILS_SHARE, data.CARD_SHARE, data.CASH_ON_DELIVERY_SHARE)

FORM_VI = {
    data.COOPERATIVE: "Hợp tác xã",
    data.COOPERATIVE_GROUP: "Tổ hợp tác",
    data.COMPANY: "Doanh nghiệp",
    data.HOUSEHOLD: "Hộ kinh doanh",
    data.ARTISAN: "Nghệ nhân",
}
FORM_EN = {
    data.COOPERATIVE: "A cooperative",
    data.COOPERATIVE_GROUP: "A cooperative group",
    data.COMPANY: "A company",
    data.HOUSEHOLD: "A household business",
    data.ARTISAN: "An artisan",
}


def rng_for(*parts: object) -> random.Random:
    return random.Random("/".join([data.SEED, *map(str, parts)]))


@dataclass(frozen=True)
class PaymentSpec:
    """How customers may pay a producer: ProducerPage's payment settings."""

    accepts_cash_on_delivery: bool
    accepts_card_payment: bool
    bank_bin: str
    bank_account_number: str
    bank_account_holder: str


@dataclass(frozen=True)
class DeliverySpec:
    """Where a producer usually delivers and its fee: ProducerPage's delivery settings."""

    delivery_area: str
    delivery_fee: str
    delivery_fee_vnd: int | None


@dataclass(frozen=True)
class ProducerSpec:
    index: int
    trade: data.Trade
    legal_form: str
    artisan_title: bool
    locality: str
    village: str
    name_vi: str
    name_en: str
    slug_vi: str
    slug_en: str
    address: str
    latitude: Decimal
    longitude: Decimal
    phone: str
    zalo_phone: str
    whatsapp_phone: str
    email: str
    founded_year: int
    summary_vi: str
    summary_en: str
    story_vi: str
    story_en: str
    payment: PaymentSpec
    delivery: DeliverySpec

    @property
    def key(self) -> str:
        return f"producer/{self.index}"

    @property
    def place(self) -> str:
        return _place(self.locality, self.village)


def _place(locality: str, village: str) -> str:
    """Where people would say a producer is: its craft village's hamlet, or its locality."""
    return VILLAGES[village].hamlet if village else LOCALITIES[locality][0]


@dataclass(frozen=True)
class OcopSpec:
    stars: int
    score: int | None
    issuing_level: str
    issuing_body: str
    decision_number: str
    issue_date: datetime.date
    expiry_date: datetime.date
    product_group_vi: str
    product_group_en: str
    product_subgroup: str = ""


@dataclass(frozen=True)
class CertificationSpec:
    kind: str
    name_vi: str
    name_en: str
    number: str
    issuer: str
    valid_from: datetime.date
    valid_until: datetime.date | None


@dataclass(frozen=True)
class ProductSpec:
    index: int
    producer: ProducerSpec
    title_vi: str
    title_en: str
    slug_vi: str
    slug_en: str
    category: str
    short_description_vi: str
    short_description_en: str
    body_vi: str
    body_en: str
    price_vnd: int | None
    unit_vi: str
    unit_en: str
    minimum_order_quantity: int
    availability: str
    season_months: list[int]
    lead_time_days: int | None
    shelf_life_vi: str
    shelf_life_en: str
    ingredients_vi: str
    ingredients_en: str
    storage_vi: str
    storage_en: str
    traceability_code: str
    traceability_url: str
    tags_vi: tuple[str, ...]
    tags_en: tuple[str, ...]
    image_count: int
    ocop: OcopSpec | None
    certification: CertificationSpec | None

    @property
    def key(self) -> str:
        return f"product/{self.index}"

    @property
    def price_on_request(self) -> bool:
        return self.price_vnd is None


# --- Which producer makes product i -------------------------------------------------


def producer_position(product_index: int) -> tuple[int, int]:
    """(producer index, rank of the product among that producer's products)."""
    hand_written = len(data.PRODUCERS)
    first_rounds = hand_written * data.HAND_WRITTEN_ROUNDS
    if product_index < first_rounds:
        return product_index % hand_written, product_index // hand_written
    rest = product_index - first_rounds
    per_producer = data.GENERATED_PRODUCER_PRODUCTS
    return hand_written + rest // per_producer, rest % per_producer


def producer_count(products: int) -> int:
    """Every hand-written producer, plus the generated ones the products need."""
    if products <= 0:
        return len(data.PRODUCERS)
    return max(len(data.PRODUCERS), producer_position(products - 1)[0] + 1)


# --- Producers ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Identity:
    legal_form: str
    trade: str
    locality: str
    village: str
    part_vi: str
    part_en: str
    founded_year: int


def _names(identity: _Identity) -> tuple[str, str]:
    trade = data.TRADES_BY_KEY[identity.trade]
    part_en = identity.part_en or identity.part_vi
    if identity.legal_form == data.COOPERATIVE:
        return (
            f"HTX {trade.noun_vi} {identity.part_vi}",
            f"{part_en} {trade.noun_en} Cooperative",
        )
    if identity.legal_form == data.COOPERATIVE_GROUP:
        return (
            f"Tổ hợp tác {trade.noun_vi} {identity.part_vi}",
            f"{part_en} {trade.noun_en} Cooperative Group",
        )
    if identity.legal_form == data.COMPANY:
        return f"Công ty TNHH {identity.part_vi}", f"{part_en} Co., Ltd."
    if identity.legal_form == data.HOUSEHOLD:
        return (
            trade.household_vi.format(noun=trade.noun_vi, part=identity.part_vi),
            trade.household_en.format(noun=trade.noun_en, part=part_en),
        )
    return f"Nghệ nhân {identity.part_vi}", f"Artisan {part_en}"


def _generated_identity(index: int, attempt: int) -> _Identity:
    rng = rng_for("producer", index, attempt)
    trade = data.TRADES[index % len(data.TRADES)]
    if trade.village and rng.random() < 0.5:
        village = trade.village
        locality = VILLAGES[village].locality
    else:
        village = ""
        locality = rng.choice(trade.localities)
    forms = [data.COOPERATIVE, data.COOPERATIVE_GROUP, data.COMPANY, data.HOUSEHOLD]
    weights = [3, 1, 2, 4]
    if trade.group == "thu-cong-my-nghe":
        forms.append(data.ARTISAN)
        weights.append(2)
    form = rng.choices(forms, weights)[0]
    place = _place(locality, village)
    if form in (data.COOPERATIVE, data.COOPERATIVE_GROUP):
        part_vi = part_en = rng.choice([place, *data.BRAND_PLACES])
        founded = rng.randint(1997, 2022)
    elif form == data.COMPANY:
        brand = rng.choice(data.BRAND_PLACES)
        part_vi, part_en = f"{trade.noun_vi} {brand}", f"{brand} {trade.noun_en}"
        founded = rng.randint(2005, 2023)
    elif form == data.HOUSEHOLD:
        part_vi = part_en = f"{rng.choice(data.HONORIFICS)} {rng.choice(data.NICKNAMES)}"
        founded = rng.randint(1985, 2021)
    else:
        part_vi = part_en = " ".join(
            rng.choice(names) for names in (data.FAMILY_NAMES, data.MIDDLE_NAMES, data.GIVEN_NAMES)
        )
        founded = rng.randint(1975, 2012)
    return _Identity(form, trade.key, locality, village, part_vi, part_en, founded)


class _Identities:
    """Hand-written producers first; generated ones are drawn in order, redrawing any
    name already taken, so producer j is the same whichever order specs are asked for."""

    def __init__(self) -> None:
        self.items = [
            _Identity(form, trade, locality, village, part_vi, part_en, founded)
            for form, trade, locality, village, (part_vi, part_en), founded in data.PRODUCERS
        ]
        self.taken = {slug for identity in self.items for slug in _slugs(identity)}

    def __getitem__(self, index: int) -> _Identity:
        while len(self.items) <= index:
            attempt = 0
            while True:
                candidate = _generated_identity(len(self.items), attempt)
                slugs = _slugs(candidate)
                if not self.taken.intersection(slugs):
                    break
                attempt += 1
            self.items.append(candidate)
            self.taken.update(slugs)
        return self.items[index]


@cache
def _identities() -> _Identities:
    return _Identities()


def _slugs(identity: _Identity) -> tuple[str, str]:
    name_vi, name_en = _names(identity)
    return ascii_slug(name_vi), "en:" + ascii_slug(name_en)


def _phone(rng: random.Random) -> str:
    """A Vietnamese mobile number in E.164 form."""
    prefix = rng.choice(data.MOBILE_PREFIXES)
    return f"+84{prefix[1:]}{rng.randint(0, 9_999_999):07d}"


def _clamp(value: float, box: tuple[float, float], margin: float = 0.002) -> Decimal:
    low, high = box
    return Decimal(f"{min(max(value, low + margin), high - margin):.6f}")


def _address(rng: random.Random, locality: str, village: str) -> str:
    """Written as since July 2025: the hamlet or street, then the 2025 ward or commune the
    old locality became part of (data.LOCALITY_WARDS_2025) and the city."""
    _name, kind, _, _ = LOCALITIES[locality]
    unit = places.address_name(data.LOCALITY_WARDS_2025[locality])
    if village:
        hamlet = VILLAGES[village].hamlet
        street = f"Khối phố {hamlet}" if kind == data.WARD else f"Thôn {hamlet}"
    elif kind == data.WARD:
        street = f"Số {rng.randint(2, 180)}, khối phố {rng.randint(1, 8)}"
    else:
        street = f"Thôn {rng.randint(1, 10)}"
    return f"{street}, {unit}, thành phố Đà Nẵng"


def _story(identity: _Identity, name_vi: str, name_en: str, place: str) -> tuple[str, str]:
    trade = data.TRADES_BY_KEY[identity.trade]
    craft_vi, craft_en = data.TRADE_CRAFTS[trade.key]
    year = identity.founded_year
    members = 7 + identity.founded_year % 23
    if identity.legal_form == data.COOPERATIVE:
        vi = f"{name_vi} được thành lập năm {year} với {members} xã viên ở {place}."
        en = f"{name_en} was founded in {year} by {members} members in {place}."
    elif identity.legal_form == data.COOPERATIVE_GROUP:
        vi = f"{name_vi} gồm {members} hộ ở {place} cùng làm {craft_vi} từ năm {year}."
        en = f"{name_en} brings together {members} households in {place}, working since {year}."
    elif identity.legal_form == data.COMPANY:
        vi = f"{name_vi} ra đời năm {year}, đưa {craft_vi} của {place} đến khách hàng cả nước."
        en = (
            f"{name_en} was set up in {year} to bring the {craft_en} of {place} to customers "
            "across the country."
        )
    elif identity.legal_form == data.HOUSEHOLD:
        vi = f"{name_vi} là cơ sở gia đình ở {place}, làm {craft_vi} từ năm {year}."
        en = f"{name_en} is a family business in {place}, working in {craft_en} since {year}."
    else:
        part = identity.part_vi
        vi = f"{part} theo nghề {craft_vi} từ năm {year} và đã truyền nghề cho nhiều thợ trẻ."
        en = f"{part} has practised {craft_en} since {year} and has trained many young makers."
    return f"<p>{vi} {trade.story_vi}</p>", f"<p>{en} {trade.story_en}</p>"


def _whatsapp(index: int, phone: str) -> str:
    """A few producers, used to foreign visitors, chat on WhatsApp too: on their own
    phone. A random stream of its own, so the rest of the producer stays as it was."""
    return phone if rng_for("producer-whatsapp", index).random() < WHATSAPP_SHARE else ""


def _payment(index: int, legal_form: str, name_vi: str) -> PaymentSpec:
    """Most take cash on delivery, about half give bank details for VietQR, a few take
    cards; every producer takes at least one. A random stream of its own, so the rest of
    the producer stays as it was before payments existed."""
    rng = rng_for("producer-payment", index)
    has_bank, card, cash = (rng.random() < share for share in PAYMENT_SHARES)
    bank_bin = rng.choice(data.DEMO_BANK_BINS)
    account = f"{data.DEMO_ACCOUNT_PREFIX}{rng.randint(0, 999_999):06d}"
    # An artisan's account is in their own name.
    holder = name_vi.removeprefix("Nghệ nhân ") if legal_form == data.ARTISAN else name_vi
    return PaymentSpec(
        accepts_cash_on_delivery=cash or not (has_bank or card),
        accepts_card_payment=card,
        bank_bin=bank_bin if has_bank else "",
        bank_account_number=account if has_bank else "",
        bank_account_holder=normalise_account_holder(holder) if has_bank else "",
    )


def _delivery(index: int) -> DeliverySpec:
    """Varied areas and fee rules, from a random stream of their own (the rest of the
    producer stays as it was before delivery settings existed)."""
    rng = rng_for("producer-delivery", index)
    area = _weighted(rng, data.DELIVERY_AREA_WEIGHTS)
    fee = _weighted(rng, data.DELIVERY_FEE_WEIGHTS)
    amount = rng.choice(data.DEMO_DELIVERY_FEES_VND)
    return DeliverySpec(area, fee, amount if fee == "fixed" else None)


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


@cache
def producer_spec(index: int) -> ProducerSpec:
    identity = _identities()[index]
    trade = data.TRADES_BY_KEY[identity.trade]
    rng = rng_for("producer-details", index)
    name_vi, name_en = _names(identity)
    _, _, lat, lng = LOCALITIES[identity.locality]
    if identity.village:
        # Producers of a village cluster around it, a little apart from the locality centre.
        village_rng = rng_for("village", identity.village)
        lat += village_rng.uniform(-0.004, 0.004)
        lng += village_rng.uniform(-0.004, 0.004)
        spread = 0.0015
    else:
        spread = 0.006
    place = _place(identity.locality, identity.village)
    craft_vi, craft_en = data.TRADE_CRAFTS[trade.key]
    since_vi = "vào nghề" if identity.legal_form == data.ARTISAN else "thành lập"
    since_en = "at work since" if identity.legal_form == data.ARTISAN else "founded in"
    phone = _phone(rng)
    zalo_draw = rng.random()
    zalo = phone if zalo_draw < 0.7 else (_phone(rng) if zalo_draw < 0.85 else "")
    slug_vi = ascii_slug(name_vi)
    story_vi, story_en = _story(identity, name_vi, name_en, place)
    return ProducerSpec(
        index=index,
        trade=trade,
        # An artisan (nghệ nhân, a conferred title) runs a household business.
        legal_form=data.HOUSEHOLD if identity.legal_form == data.ARTISAN else identity.legal_form,
        artisan_title=identity.legal_form == data.ARTISAN,
        locality=identity.locality,
        village=identity.village,
        name_vi=name_vi,
        name_en=name_en,
        slug_vi=slug_vi,
        slug_en=ascii_slug(name_en),
        address=_address(rng, identity.locality, identity.village),
        latitude=_clamp(lat + rng.uniform(-spread, spread), data.LATITUDE_BOX),
        longitude=_clamp(lng + rng.uniform(-spread, spread), data.LONGITUDE_BOX),
        phone=phone,
        zalo_phone=zalo,
        whatsapp_phone=_whatsapp(index, phone),
        email=f"{slug_vi[:40].strip('-')}@example.com" if rng.random() < 0.8 else "",
        founded_year=identity.founded_year,
        summary_vi=(
            f"{FORM_VI[identity.legal_form]} chuyên {craft_vi} tại {place}, "
            f"{since_vi} năm {identity.founded_year}."
        ),
        summary_en=(
            f"{FORM_EN[identity.legal_form]} specialising in {craft_en} in {place}, "
            f"{since_en} {identity.founded_year}."
        ),
        story_vi=story_vi,
        story_en=story_en,
        payment=_payment(index, identity.legal_form, name_vi),
        delivery=_delivery(index),
    )


# --- Products -----------------------------------------------------------------------


def _random_date(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


def _ocop_certificate(rng: random.Random, trade: data.Trade, title_vi: str) -> OcopSpec:
    """A recognition as Điện Bàn's were (docs/local-facts.md): mostly 3★, a few 4★ and no
    5★ (the town had none); the province issued them before Decision 148/2023, the town
    only 3★ between it and July 2025, the province (Đà Nẵng) since."""
    stars = rng.choices(ocop.CERTIFIED_STARS, weights=data.OCOP_STAR_WEIGHTS)[0]
    last_day = min(REFERENCE_DATE, timezone.localdate())
    if rng.random() < 0.3:  # older recognitions, most now expired
        issue_date = _random_date(rng, FIRST_ISSUE_DATE, datetime.date(2023, 3, 31))
    else:
        issue_date = _random_date(rng, datetime.date(2023, 9, 1), last_day)
    low, high = {5: (90, 100), 4: (70, 89), 3: (50, 69)}[stars]
    score = rng.randint(low, high) if rng.random() < 0.85 else None
    under_148 = issue_date >= ocop.DECISION_148_SIGNED
    before_merger = issue_date < ocop.DISTRICT_LEVEL_ABOLISHED
    if stars == 5:
        level = "central"
    elif stars == 3 and under_148 and before_merger and rng.random() < 0.6:
        level = "district"
    else:
        level = "province"
    number = rng.randint(120, 3200)
    if level == "central":
        if issue_date < MINISTRY_RENAMED:
            body, decision = "Bộ Nông nghiệp và Phát triển nông thôn", f"{number}/QĐ-BNN-KTHT"
        else:
            body, decision = "Bộ Nông nghiệp và Môi trường", f"{number}/QĐ-BNNMT"
    elif level == "district":
        body, decision = "UBND thị xã Điện Bàn", f"{number}/QĐ-UBND"
    elif before_merger:
        body, decision = "UBND tỉnh Quảng Nam", f"{number}/QĐ-UBND"
    else:
        body, decision = "UBND thành phố Đà Nẵng", f"{number}/QĐ-UBND"
    groups = data.OCOP_GROUPS_2023 if under_148 else data.OCOP_GROUPS_2019
    group_vi, group_en = groups[trade.group]
    return OcopSpec(
        stars=stars,
        score=score,
        issuing_level=level,
        issuing_body=body,
        decision_number=decision,
        issue_date=issue_date,
        expiry_date=ocop.default_expiry(issue_date),
        product_group_vi=group_vi,
        product_group_en=group_en,
        product_subgroup=_subgroup(trade, title_vi) if under_148 else "",
    )


def _subgroup(trade: data.Trade, title_vi: str) -> str:
    """The Decision 148 sub-group: the trade's, coffee apart from tea."""
    if trade.key == "tra-ca-phe" and "cà phê" in title_vi.lower():
        return "1.6"
    return data.TRADE_SUBGROUPS[trade.key]


def _certification(
    rng: random.Random, trade: data.Trade, producer: ProducerSpec
) -> CertificationSpec | None:
    kinds = trade.certifications
    if trade.group in data.FOOD_SAFETY_GROUPS:
        kinds = (*kinds, "food_safety", "self_declaration")
    if not kinds or rng.random() > 0.35:
        return None
    kind = rng.choice(kinds)
    valid_from = _random_date(rng, datetime.date(2021, 1, 1), datetime.date(2026, 3, 31))
    name_vi = name_en = ""
    if kind == "other":
        name_vi = f"Nhãn hiệu tập thể {producer.place}"
        name_en = f"{producer.place} collective trademark"
    if kind == "self_declaration":  # declared by the producer; it does not expire
        valid_until = None
        number = f"{rng.randint(1, 30):02d}/{valid_from.year}/TCB"
    elif kind == "food_safety":
        # Issued since the 2025 merger, so by a body of Đà Nẵng (CERTIFICATION_ISSUERS).
        valid_from = max(valid_from, ocop.DISTRICT_LEVEL_ABOLISHED)
        valid_until = food_safety_expiry(valid_from)
        number = f"{rng.randint(10, 999)}/{valid_from.year}/ATTP-CNĐK"
    else:
        years = 10 if kind == "other" else 3
        valid_until = valid_from + datetime.timedelta(days=365 * years - 1)
        number = f"{kind.upper()[:4]}-{rng.randint(10_000, 99_999)}"
    return CertificationSpec(
        kind=kind,
        name_vi=name_vi,
        name_en=name_en,
        number=number,
        issuer=data.CERTIFICATION_ISSUERS[kind],
        valid_from=valid_from,
        valid_until=valid_until,
    )


def _availability(rng: random.Random, trade: data.Trade) -> str:
    draw = rng.random()
    if draw < 0.07:
        return "out_of_stock"
    if trade.availability == "made_to_order" and draw < 0.3:
        return "in_stock"  # a few ready-made pieces
    return trade.availability


def product_spec(index: int) -> ProductSpec:
    producer_index, rank = producer_position(index)
    producer = producer_spec(producer_index)
    trade = producer.trade
    rng = rng_for("product", index)

    # Each producer walks the trade's items × variants from its own starting point.
    combos = len(trade.items) * len(trade.variants)
    combo = (rank + producer_index * 3) % combos
    item = trade.items[combo % len(trade.items)]
    variant_vi, variant_en, factor = trade.variants[combo // len(trade.items)]
    title_vi = f"{item.vi} {variant_vi}".strip()
    title_en = f"{item.en} ({variant_en})" if variant_en else item.en
    if rank >= combos:
        title_vi += f" – mẫu {rank // combos + 1}"
        title_en += f" – style {rank // combos + 1}"

    availability = _availability(rng, trade)
    # Made-to-order pieces are now and then quoted individually.
    on_request = trade.availability == "made_to_order" and rng.random() < 0.1
    price_vnd = None
    if item.price is not None and not on_request:
        price_vnd = max(1000, int(round(item.price * factor * rng.uniform(0.9, 1.15), -3)))
    lead_time = rng.randint(*trade.lead_time) if trade.lead_time else None
    place = producer.place
    fields = {"product": title_vi, "producer": producer.name_vi, "place": place}
    fields_en = {"product": title_en, "producer": producer.name_en, "place": place}
    tags_vi = tuple(vi for vi, _ in trade.tags)
    tags_en = tuple(en for _, en in trade.tags)
    ocop_spec = None
    if rng.random() < 0.6:
        ocop_spec = _ocop_certificate(rng, trade, title_vi)
        tags_vi += ("OCOP",)
        tags_en += ("OCOP",)
    code = f"DB-{trade.group[:2].upper()}-{index + 1:06d}"
    return ProductSpec(
        index=index,
        producer=producer,
        title_vi=title_vi,
        title_en=title_en,
        slug_vi=ascii_slug(title_vi, 100),
        slug_en=ascii_slug(title_en, 100),
        category=trade.category,
        short_description_vi=trade.blurb_vi.format(**fields)[:300],
        short_description_en=trade.blurb_en.format(**fields_en)[:300],
        body_vi=f"<p>{trade.about_vi.format(place=place)}</p>",
        body_en=f"<p>{trade.about_en.format(place=place)}</p>",
        price_vnd=price_vnd,
        unit_vi=item.unit_vi,
        unit_en=item.unit_en,
        minimum_order_quantity=rng.choice(trade.minimum_order),
        availability=availability,
        season_months=list(trade.season or (5, 6, 7, 8)) if availability == "seasonal" else [],
        lead_time_days=lead_time,
        shelf_life_vi=trade.shelf_life_vi,
        shelf_life_en=trade.shelf_life_en,
        ingredients_vi=item.ingredients_vi or trade.ingredients_vi,
        ingredients_en=item.ingredients_en or trade.ingredients_en,
        storage_vi=trade.storage_vi,
        storage_en=trade.storage_en,
        traceability_code=code,
        # Certified products have a traceability record; the address is a placeholder
        # (example.com), not a real system's.
        traceability_url=f"{data.TRACEABILITY_DEMO_URL}{code}/" if ocop_spec else "",
        tags_vi=tags_vi,
        tags_en=tags_en,
        image_count=2 if rng.random() < 0.3 else 1,
        ocop=ocop_spec,
        certification=_certification(rng, trade, producer),
    )
