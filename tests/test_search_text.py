import unicodedata

import pytest

from marketplace.core.text import fold, normalise, strip_diacritics


@pytest.mark.parametrize(
    "typed, folded",
    [
        ("Nước mắm", "nuoc mam"),
        ("ĐIỆN BÀN", "dien ban"),
        ("Bánh tráng", "banh trang"),
        ("gốm", "gom"),
        ("Mì Quảng", "mi quang"),
        ("thuỷ", "thuy"),
        ("  chiếu   cói ", "chieu coi"),
    ],
)
def test_fold_removes_every_mark_and_maps_d(typed, folded):
    assert fold(typed) == folded


def test_fold_and_normalise_accept_decomposed_input():
    decomposed = unicodedata.normalize("NFD", "Nước mắm Điện Dương")
    assert fold(decomposed) == "nuoc mam dien duong"
    assert normalise(decomposed) == "nước mắm điện dương"


@pytest.mark.parametrize(
    "old, new",
    [
        ("hoà", "hòa"),
        ("thuỷ", "thủy"),
        ("khoẻ", "khỏe"),
        ("Hoà Bình", "hòa bình"),
    ],
)
def test_tone_placements_are_made_one(old, new):
    assert normalise(old) == normalise(new) == new


@pytest.mark.parametrize(
    "word",
    ["người", "quyển", "giữ", "gì", "ngoài", "mía", "cháu", "hoàng", "thuở", "khuỷu", "quý"],
)
def test_well_placed_tones_stay_where_they_are(word):
    assert normalise(word) == word


def test_strip_diacritics_keeps_case():
    assert strip_diacritics("Điện Bàn") == "Dien Ban"
