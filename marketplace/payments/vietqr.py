"""VietQR: the NAPAS 247 bank-transfer QR code, an EMVCo merchant-presented payload.

Every field is an ID (2 digits), the value's length (2 digits) and the value; templates
hold fields of their own. A transfer to a bank account:

    00 "01"                 payload format indicator
    01 "11" or "12"         static, or dynamic when the amount is fixed
    38                      merchant account information, NAPAS's template
       00 "A000000727"        NAPAS's globally unique identifier
       01                     beneficiary organisation
          00 BIN                the bank's 6-digit NAPAS BIN
          01 account            the account number, at most 19 characters
       02 "QRIBFTTA"          service: inter-bank fund transfer to an account
    53 "704"                currency: Vietnamese đồng (ISO 4217)
    54 amount               in đồng, digits only; absent when the payer types it
    58 "VN"                 country
    62                      additional data, absent without a note
       08 note                purpose of transaction, at most 25 characters
    63 CRC                  CRC-16/CCITT-FALSE of everything before it, "6304" included

After NAPAS's "Technical specifications on NAPAS QR switching", part IV, and EMVCo's
merchant-presented QR specification.
"""

import binascii
import re

from marketplace.core.qr import qr_png, qr_svg
from marketplace.core.text import strip_diacritics

PAYLOAD_FORMAT = "01"
STATIC = "11"
DYNAMIC = "12"
NAPAS_GUID = "A000000727"
TRANSFER_TO_ACCOUNT = "QRIBFTTA"
CURRENCY_VND = "704"
COUNTRY_VN = "VN"
# The amount field holds at most 13 characters.
MAX_AMOUNT_VND = 9_999_999_999_999
MAX_NOTE_LENGTH = 25

BIN = re.compile(r"[0-9]{6}")
ACCOUNT = re.compile(r"[A-Za-z0-9]{1,19}")
# Bank apps drop or garble punctuation in transfer notes: letters, digits and spaces only.
NOT_IN_NOTE = re.compile(r"[^A-Za-z0-9]+")
FIELD_HEADER = re.compile(r"[0-9]{4}")


def tlv(field_id: str, value: str) -> str:
    """One field: ID, two-digit length, value."""
    if not 1 <= len(value) <= 99:
        raise ValueError(f"Field {field_id} must hold 1 to 99 characters, not {len(value)}.")
    return f"{field_id}{len(value):02d}{value}"


def crc16(data: str) -> str:
    """CRC-16/CCITT-FALSE (polynomial 0x1021, start 0xFFFF) as four upper-case hex digits."""
    # binascii.crc_hqx is the CCITT CRC; started at 0xFFFF it is the -FALSE variant.
    return f"{binascii.crc_hqx(data.encode('ascii'), 0xFFFF):04X}"


def transfer_note(text: str) -> str:
    """`text` as a note every bank carries intact: no diacritics, only letters, digits and
    single spaces, at most 25 characters ("Đơn DB-2026-000123" → "Don DB 2026 000123")."""
    note = NOT_IN_NOTE.sub(" ", strip_diacritics(text)).strip()
    return note[:MAX_NOTE_LENGTH].rstrip()


def validate_transfer(bank_bin: str, account: str, amount_vnd: int | None) -> None:
    if not isinstance(bank_bin, str) or not BIN.fullmatch(bank_bin):
        raise ValueError(f"A bank BIN is 6 digits, not {bank_bin!r}.")
    if not isinstance(account, str) or not ACCOUNT.fullmatch(account):
        raise ValueError(f"An account number is 1 to 19 letters or digits, not {account!r}.")
    if amount_vnd is None:
        return
    if isinstance(amount_vnd, bool) or not isinstance(amount_vnd, int):
        raise ValueError(f"The amount is a whole number of đồng, not {amount_vnd!r}.")
    if not 1 <= amount_vnd <= MAX_AMOUNT_VND:
        raise ValueError(f"The amount must be 1 to {MAX_AMOUNT_VND} đồng, not {amount_vnd}.")


def vietqr_payload(bank_bin: str, account: str, amount_vnd: int | None, note: str = "") -> str:
    """The VietQR text for a transfer to `account` at the bank with NAPAS BIN `bank_bin`.

    With `amount_vnd` the code is dynamic and the payer's app fills the amount in; with
    None the payer types it. `note` becomes the transfer's description (see
    `transfer_note`). Raises ValueError for a malformed BIN, account or amount.
    """
    validate_transfer(bank_bin, account, amount_vnd)
    beneficiary = tlv("00", bank_bin) + tlv("01", account)
    merchant_account = (
        tlv("00", NAPAS_GUID) + tlv("01", beneficiary) + tlv("02", TRANSFER_TO_ACCOUNT)
    )
    fields = [
        tlv("00", PAYLOAD_FORMAT),
        tlv("01", STATIC if amount_vnd is None else DYNAMIC),
        tlv("38", merchant_account),
        tlv("53", CURRENCY_VND),
    ]
    if amount_vnd is not None:
        fields.append(tlv("54", str(amount_vnd)))
    fields.append(tlv("58", COUNTRY_VN))
    if note := transfer_note(note):
        fields.append(tlv("62", tlv("08", note)))
    # The CRC covers its own ID and length.
    payload = "".join(fields) + "6304"
    return payload + crc16(payload)


def parse_tlv(data: str) -> dict[str, str]:
    """The fields of one level of an EMVCo payload, by ID, in order; parse templates again.

    Raises ValueError when `data` is not a sequence of whole fields.
    """
    fields: dict[str, str] = {}
    position = 0
    while position < len(data):
        header = data[position : position + 4]
        if not FIELD_HEADER.fullmatch(header):
            raise ValueError(f"No field header at {position}: {data[position:]!r}")
        field_id, length = header[:2], int(header[2:])
        value = data[position + 4 : position + 4 + length]
        if len(value) != length:
            raise ValueError(f"Field {field_id} at {position} is cut short.")
        if field_id in fields:
            raise ValueError(f"Field {field_id} appears twice.")
        fields[field_id] = value
        position += 4 + length
    return fields


def vietqr_png(payload: str) -> bytes:
    """The payload as a PNG QR code, drawn like every QR code of the site."""
    return qr_png(payload)


def vietqr_svg(payload: str) -> str:
    """The payload as a standalone SVG QR code."""
    return qr_svg(payload)
