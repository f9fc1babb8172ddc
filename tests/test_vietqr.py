"""VietQR payloads: field by field, their CRC, published examples, the NAPAS bank list."""

import binascii

import pytest

from marketplace.payments.banks import BANK_CHOICES, BANKS, bank_by_bin
from marketplace.payments.vietqr import (
    crc16,
    parse_tlv,
    transfer_note,
    vietqr_payload,
    vietqr_png,
    vietqr_svg,
)
from tests.test_qr import decode_png, decode_svg

# Published by the vietnam-qr-pay library (github.com/xuannghia/vietnam-qr-pay, README):
# ACB (970416), account 257678859, static; then 10 000 đồng with the note "Chuyen tien".
PUBLISHED_STATIC = (
    "00020101021138530010A0000007270123000697041601092576788590208QRIBFTTA53037045802VN6304AE9F"
)
PUBLISHED_DYNAMIC = (
    "00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA"
    "53037045405100005802VN62150811Chuyen tien630453E6"
)
# Published by the Dart package vietqr_generator (pub.dev): Techcombank, 1 000 000 đồng.
# Its method field says static ("11") although the amount is set, so only its CRC is used.
PUBLISHED_OTHER = (
    "00020101021138540010A00000072701240006970407011003865776720208QRIBFTTA"
    "5303704540710000005802VN62160812henry an cut6304A322"
)


def crc_ccitt_false(data: bytes) -> int:
    """CRC-16/CCITT-FALSE bit by bit, as the EMVCo specification describes it."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def crc_checks_out(payload: str) -> bool:
    body, crc = payload[:-4], payload[-4:]
    return body.endswith("6304") and crc == f"{crc_ccitt_false(body.encode()):04X}"


# CRC


def test_crc16_is_ccitt_false():
    # The check value of CRC-16/CCITT-FALSE in every CRC catalogue.
    assert crc16("123456789") == "29B1"
    assert crc_ccitt_false(b"123456789") == 0x29B1
    assert binascii.crc_hqx(b"123456789", 0xFFFF) == 0x29B1


def test_crc16_is_four_upper_case_hex_digits():
    assert crc16("") == "FFFF"
    assert crc16("A") == f"{crc_ccitt_false(b'A'):04X}"
    for text in ("0002010102", "6304", "VN", "x" * 300):
        assert len(crc16(text)) == 4
        assert crc16(text) == crc16(text).upper()
        assert crc16(text) == f"{crc_ccitt_false(text.encode()):04X}"


@pytest.mark.parametrize("payload", [PUBLISHED_STATIC, PUBLISHED_DYNAMIC, PUBLISHED_OTHER])
def test_published_payloads_carry_our_crc(payload):
    assert crc16(payload[:-4]) == payload[-4:]
    assert crc_checks_out(payload)


# Payload


def test_builds_the_published_payloads_exactly():
    assert vietqr_payload("970416", "257678859", None, "") == PUBLISHED_STATIC
    assert vietqr_payload("970416", "257678859", 10000, "Chuyen tien") == PUBLISHED_DYNAMIC


def test_dynamic_payload_field_by_field():
    payload = vietqr_payload("970436", "0011001234567", 1_250_000, "DB-2026-000123")

    fields = parse_tlv(payload)
    assert list(fields) == ["00", "01", "38", "53", "54", "58", "62", "63"]
    assert fields["00"] == "01"
    assert fields["01"] == "12"
    assert fields["53"] == "704"
    assert fields["54"] == "1250000"
    assert fields["58"] == "VN"

    merchant = parse_tlv(fields["38"])
    assert merchant == {
        "00": "A000000727",
        "01": "0006970436" + "0113" + "0011001234567",
        "02": "QRIBFTTA",
    }
    assert parse_tlv(merchant["01"]) == {"00": "970436", "01": "0011001234567"}
    assert parse_tlv(fields["62"]) == {"08": "DB 2026 000123"}

    assert payload[-8:-4] == "6304"
    assert fields["63"] == crc16(payload[:-4])
    assert crc_checks_out(payload)


def test_lengths_are_two_digits_even_for_one_character():
    payload = vietqr_payload("970415", "1", 1, "x")

    assert payload.startswith("000201010212")
    fields = parse_tlv(payload)
    assert parse_tlv(fields["38"])["01"] == "0006970415" + "01011"
    assert fields["54"] == "1"
    assert fields["62"] == "0801x"


def test_static_payload_has_no_amount():
    fields = parse_tlv(vietqr_payload("970422", "MB123", None, "Hoa don 5"))

    assert fields["01"] == "11"
    assert "54" not in fields
    assert parse_tlv(fields["62"]) == {"08": "Hoa don 5"}


def test_empty_note_has_no_additional_data():
    for note in ("", "   ", "!!!", "—"):
        fields = parse_tlv(vietqr_payload("970422", "123", 5000, note))
        assert "62" not in fields
        assert list(fields) == ["00", "01", "38", "53", "54", "58", "63"]


def test_every_payload_parses_and_checks_out():
    cases = [
        ("970405", "1" * 19, 9_999_999_999_999, "Đặt hàng nước mắm Nam Ô, 20 chai"),
        ("970407", "A1", None, ""),
        ("970454", "99MM24011M34875080", 1, "Zalo: 0905 123 456"),
    ]
    for case in cases:
        payload = vietqr_payload(*case)
        assert crc_checks_out(payload)
        assert payload.isascii()
        fields = parse_tlv(payload)
        assert "".join(f"{k}{len(v):02d}{v}" for k, v in fields.items()) == payload


# The transfer note


@pytest.mark.parametrize(
    ("text", "note"),
    [
        ("DB-2026-000123", "DB 2026 000123"),
        ("Đơn hàng số 12", "Don hang so 12"),
        ("  Bánh   tráng\tĐại Lộc ", "Banh trang Dai Loc"),
        ("<script>alert(1)</script>", "script alert 1 script"),
        ("Mì Quảng 🍜 x2", "Mi Quang x2"),
        ("Thanh toán đơn hàng DB-2026-000123 cho HTX", "Thanh toan don hang DB 20"),
        ("a" * 24 + " b", "a" * 24),
        ("", ""),
    ],
)
def test_transfer_note_is_plain_ascii_of_25_characters_at_most(text, note):
    assert transfer_note(text) == note
    assert len(transfer_note(text)) <= 25


def test_long_note_is_cut_to_25_characters_in_the_payload():
    payload = vietqr_payload(
        "970436", "123456", 50000, "Thanh toán đơn hàng DB-2026-000123 cho HTX"
    )
    assert parse_tlv(parse_tlv(payload)["62"]) == {"08": "Thanh toan don hang DB 20"}


# Bad input


@pytest.mark.parametrize(
    ("bank_bin", "account", "amount", "message"),
    [
        ("97043", "123", 1, "BIN"),
        ("9704366", "123", 1, "BIN"),
        ("97043a", "123", 1, "BIN"),
        ("٩٧٠٤٣٦", "123", 1, "BIN"),  # Arabic-Indic digits are digits, not ASCII ones
        (970436, "123", 1, "BIN"),
        ("970436", "", 1, "account"),
        ("970436", "1" * 20, 1, "account"),
        ("970436", "0011 0012", 1, "account"),
        ("970436", "001-002", 1, "account"),
        ("970436", "số123", 1, "account"),
        ("970436", "123", 0, "amount"),
        ("970436", "123", -5000, "amount"),
        ("970436", "123", 10_000_000_000_000, "amount"),
        ("970436", "123", 1500.0, "amount"),
        ("970436", "123", "1500", "amount"),
        ("970436", "123", True, "amount"),
    ],
)
def test_bad_input_is_a_clear_value_error(bank_bin, account, amount, message):
    with pytest.raises(ValueError, match=message):
        vietqr_payload(bank_bin, account, amount, "note")


def test_parse_tlv_refuses_what_is_not_whole_fields():
    assert parse_tlv("") == {}
    assert parse_tlv("0002015802VN") == {"00": "01", "58": "VN"}
    for bad in ("00", "0003ab", "AB02xy", "000201000201", "00-1x"):
        with pytest.raises(ValueError):
            parse_tlv(bad)


# QR codes


def test_png_and_svg_decode_back_to_the_payload():
    payload = vietqr_payload("970436", "0011001234567", 1_250_000, "DB-2026-000123")

    assert decode_png(vietqr_png(payload)) == [payload]
    assert decode_svg(vietqr_svg(payload)) == [payload]


# Banks


def test_bank_list_has_the_common_banks_by_bin():
    expected = {
        "970436": "Vietcombank",
        "970415": "VietinBank",
        "970418": "BIDV",
        "970405": "Agribank",
        "970407": "Techcombank",
        "970422": "MB",
        "970416": "ACB",
        "970432": "VPBank",
        "970423": "TPBank",
        "970403": "Sacombank",
    }
    for bank_bin, short_name in expected.items():
        assert bank_by_bin(bank_bin).short_name == short_name
    assert bank_by_bin("000000") is None
    assert bank_by_bin("") is None


def test_bank_list_is_well_formed():
    bins = [bank.bin for bank in BANKS]
    assert len(BANKS) >= 40
    assert len(set(bins)) == len(bins)
    assert all(len(b) == 6 and b.isascii() and b.isdigit() for b in bins)
    assert [bank.short_name.casefold() for bank in BANKS] == sorted(
        bank.short_name.casefold() for bank in BANKS
    )
    # Every BIN makes a valid payload.
    for bank in BANKS:
        assert crc_checks_out(vietqr_payload(bank.bin, "123456789", 1000, "test"))


def test_bank_choices_show_short_name_full_name_and_former_name():
    choices = dict(BANK_CHOICES)
    assert choices["970436"] == "Vietcombank – Ngân hàng TMCP Ngoại thương Việt Nam"
    assert choices["970414"] == "MBV (OceanBank) – Ngân hàng TNHH MTV Việt Nam Hiện Đại"
    assert len(choices) == len(BANKS)
