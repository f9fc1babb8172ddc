"""Vietnam's provinces/cities and wards/communes since 1 July 2025 (two levels: 34 and
3,321), from the `vietnam-provinces` package: delivery addresses are chosen from them.

The data is read once, lazily, from the package's JSON. Names are Vietnamese, as they are
written on parcels in every language.
"""

import functools
import json
from dataclasses import dataclass

from vietnam_provinces import NESTED_DIVISIONS_JSON_PATH

from marketplace.core.text import fold

# Điện Bàn is part of Thành phố Đà Nẵng since 1 July 2025: the site's own province, listed
# first and preselected.
HOME_PROVINCE_CODE = 48

# What a unit's name starts with, by kind; sorting skips it ("Phường Hải Châu" under H).
NAME_PREFIXES = ("Thành phố ", "Tỉnh ", "Phường ", "Xã ", "Đặc khu ")


@dataclass(frozen=True)
class Ward:
    code: int
    name: str
    province_code: int


@dataclass(frozen=True)
class Province:
    code: int
    name: str  # official: "Thành phố Đà Nẵng", "Quảng Ngãi"
    wards: tuple[Ward, ...]

    @property
    def short_name(self) -> str:
        """The name people say: "Đà Nẵng" for "Thành phố Đà Nẵng"."""
        return base_name(self.name)


def base_name(name: str) -> str:
    for prefix in NAME_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def sort_key(name: str) -> tuple[str, str]:
    return fold(base_name(name)), name


@functools.cache
def _divisions() -> tuple[dict[int, Province], dict[int, Ward]]:
    raw = json.loads(NESTED_DIVISIONS_JSON_PATH.read_text(encoding="utf-8"))
    provinces, wards = {}, {}
    for item in raw:
        province_wards = tuple(
            sorted(
                (Ward(w["code"], w["name"], item["code"]) for w in item["wards"]),
                key=lambda ward: sort_key(ward.name),
            )
        )
        provinces[item["code"]] = Province(item["code"], item["name"], province_wards)
        wards.update((ward.code, ward) for ward in province_wards)
    return provinces, wards


def provinces() -> list[Province]:
    """All provinces and cities: the site's own first, then by name."""
    return sorted(
        _divisions()[0].values(),
        key=lambda p: (p.code != HOME_PROVINCE_CODE, sort_key(p.name)),
    )


def province(code: int | None) -> Province | None:
    return _divisions()[0].get(code) if code is not None else None


def ward(code: int | None) -> Ward | None:
    return _divisions()[1].get(code) if code is not None else None


def wards_of(province_code: int | None) -> tuple[Ward, ...]:
    found = province(province_code)
    return found.wards if found else ()


def find_ward(province_code: int, name: str) -> Ward | None:
    """The ward of a province with this name, with or without "Phường"/"Xã" and marks."""
    wanted = fold(base_name(name.strip()))
    for candidate in wards_of(province_code):
        if fold(base_name(candidate.name)) == wanted:
            return candidate
    return None


# What a pre-2025 address ended with that no longer exists: the town (thị xã), the
# district and the province Điện Bàn belonged to ("Quảng Nam", folded).
DISSOLVED_UNITS = ("thi xa dien ban", "tx dien ban", "dien ban", "tinh quang nam", "quang nam")


def address_name(name: str) -> str:
    """A unit as written inside an address: "Phường Điện Bàn" → "phường Điện Bàn"."""
    for prefix in NAME_PREFIXES:
        if name.startswith(prefix):
            return prefix.lower() + name[len(prefix) :]
    return name


def current_address(address: str, ward_code: int | None, old_unit: str = "") -> str:
    """The address ending with its 2025 ward or commune and province, as parcels and the
    office now write it: "Thôn 3, xã Điện Phương, thị xã Điện Bàn" → "Thôn 3, phường
    Điện Bàn, thành phố Đà Nẵng". An address already naming its province, or whose
    locality has no 2025 unit, is left as written."""
    found = ward(ward_code)
    home = province(found.province_code) if found else None
    if not address or home is None or fold(home.short_name) in fold(address):
        return address
    stale = {*DISSOLVED_UNITS}
    if old_unit:
        stale |= {fold(old_unit), fold(f"xa {old_unit}"), fold(f"phuong {old_unit}")}
    parts = [part.strip() for part in address.split(",") if part.strip()]
    while parts and fold(parts[-1]) in stale:
        parts.pop()
    return ", ".join([*parts, address_name(found.name), address_name(home.name)])
