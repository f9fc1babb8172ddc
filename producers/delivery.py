"""Where a producer usually delivers and for how much, in words, and whether a chosen
address is inside that area. Customers outside it may still ask: delivery is then agreed.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from marketplace.core import places
from marketplace.core.money import vnd
from producers.models import ProducerPage

Area = ProducerPage.DeliveryArea
Fee = ProducerPage.DeliveryFee


@dataclass(frozen=True)
class DeliveryTerms:
    area: str  # "Delivers in Điện Dương (Phường Điện Bàn Đông)"
    fee: str  # "Delivery fee: ₫30,000"
    area_kind: str  # ProducerPage.DeliveryArea
    province_code: int
    ward_code: int | None  # the producer's own ward, when known


def home_ward(producer: ProducerPage) -> places.Ward | None:
    """The producer's ward or commune on the 2025 map, when its locality says which."""
    return places.ward(producer.locality.ward_code) if producer.locality_id else None


def home_province_code(producer: ProducerPage) -> int:
    ward = home_ward(producer)
    return ward.province_code if ward else places.HOME_PROVINCE_CODE


def area_text(producer: ProducerPage) -> str:
    if producer.delivery_area == Area.NATIONWIDE:
        return _("Delivers all over Vietnam")
    if producer.delivery_area == Area.PROVINCE:
        province = places.province(home_province_code(producer))
        return _("Delivers in %(place)s") % {"place": province.short_name}
    ward = home_ward(producer)
    place = producer.locality.name if producer.locality_id else ""
    if ward and places.base_name(ward.name) != place:
        place = f"{place} ({ward.name})" if place else ward.name
    return _("Delivers in %(place)s only") % {"place": place}


def fee_text(producer: ProducerPage) -> str:
    if producer.delivery_fee == Fee.FREE:
        return _("Free delivery")
    if producer.delivery_fee == Fee.FIXED and producer.delivery_fee_vnd:
        return _("Delivery fee: %(amount)s") % {"amount": vnd(producer.delivery_fee_vnd)}
    return _("Delivery fee to be agreed")


def delivery_terms(producer: ProducerPage) -> DeliveryTerms:
    ward = home_ward(producer)
    return DeliveryTerms(
        area=area_text(producer),
        fee=fee_text(producer),
        area_kind=producer.delivery_area,
        province_code=home_province_code(producer),
        ward_code=ward.code if ward else None,
    )


def is_outside(terms: DeliveryTerms, province_code: int | None, ward_code: int | None) -> bool:
    """Whether the chosen place is surely outside the producer's usual area; False when
    nothing is chosen yet, or the producer's own ward is not known."""
    if province_code is None or terms.area_kind == Area.NATIONWIDE:
        return False
    if province_code != terms.province_code:
        return True
    if terms.area_kind == Area.LOCALITY:
        return None not in (ward_code, terms.ward_code) and ward_code != terms.ward_code
    return False
