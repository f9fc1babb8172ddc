"""Banks that receive VietQR transfers, by their NAPAS BIN (the 6 digits in a VietQR code).

Banks renamed in 2024–2025 keep their BIN; their former name helps producers find them.
Every BIN here appears alike in at least two independent published bank lists.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Bank:
    bin: str
    short_name: str
    name: str
    formerly: str = ""

    @property
    def label(self) -> str:
        short_name = f"{self.short_name} ({self.formerly})" if self.formerly else self.short_name
        return f"{short_name} – {self.name}"


BANKS: tuple[Bank, ...] = (
    Bank("970425", "ABBANK", "Ngân hàng TMCP An Bình"),
    Bank("970416", "ACB", "Ngân hàng TMCP Á Châu"),
    Bank("970405", "Agribank", "Ngân hàng Nông nghiệp và Phát triển Nông thôn Việt Nam"),
    Bank("970409", "Bac A Bank", "Ngân hàng TMCP Bắc Á"),
    Bank("970438", "BaoViet Bank", "Ngân hàng TMCP Bảo Việt"),
    Bank("970418", "BIDV", "Ngân hàng TMCP Đầu tư và Phát triển Việt Nam"),
    Bank("970454", "BVBank", "Ngân hàng TMCP Bản Việt", formerly="Viet Capital Bank"),
    Bank("970446", "Co-opBank", "Ngân hàng Hợp tác xã Việt Nam"),
    Bank("970431", "Eximbank", "Ngân hàng TMCP Xuất Nhập khẩu Việt Nam"),
    Bank("970408", "GPBank", "Ngân hàng Thương mại TNHH MTV Dầu Khí Toàn Cầu"),
    Bank("970437", "HDBank", "Ngân hàng TMCP Phát triển Thành phố Hồ Chí Minh"),
    Bank("970442", "Hong Leong Bank", "Ngân hàng TNHH MTV Hong Leong Việt Nam"),
    Bank("970455", "IBK Hà Nội", "Ngân hàng Công nghiệp Hàn Quốc – Chi nhánh Hà Nội"),
    Bank("970456", "IBK TP.HCM", "Ngân hàng Công nghiệp Hàn Quốc – Chi nhánh TP. Hồ Chí Minh"),
    Bank("970434", "Indovina Bank", "Ngân hàng TNHH Indovina"),
    Bank("970452", "KienlongBank", "Ngân hàng TMCP Kiên Long"),
    Bank("970449", "LPBank", "Ngân hàng TMCP Lộc Phát Việt Nam", formerly="LienVietPostBank"),
    Bank("970422", "MB", "Ngân hàng TMCP Quân đội"),
    Bank("970414", "MBV", "Ngân hàng TNHH MTV Việt Nam Hiện Đại", formerly="OceanBank"),
    Bank("970426", "MSB", "Ngân hàng TMCP Hàng Hải Việt Nam"),
    Bank("970428", "Nam A Bank", "Ngân hàng TMCP Nam Á"),
    Bank("970419", "NCB", "Ngân hàng TMCP Quốc Dân"),
    Bank("970448", "OCB", "Ngân hàng TMCP Phương Đông"),
    Bank("970430", "PGBank", "Ngân hàng TMCP Thịnh vượng và Phát triển"),
    Bank("970439", "Public Bank", "Ngân hàng TNHH MTV Public Việt Nam"),
    Bank("970412", "PVcomBank", "Ngân hàng TMCP Đại Chúng Việt Nam"),
    Bank("970403", "Sacombank", "Ngân hàng TMCP Sài Gòn Thương Tín"),
    Bank("970400", "SAIGONBANK", "Ngân hàng TMCP Sài Gòn Công Thương"),
    Bank("970429", "SCB", "Ngân hàng TMCP Sài Gòn"),
    Bank("970440", "SeABank", "Ngân hàng TMCP Đông Nam Á"),
    Bank("970443", "SHB", "Ngân hàng TMCP Sài Gòn – Hà Nội"),
    Bank("970424", "Shinhan Bank", "Ngân hàng TNHH MTV Shinhan Việt Nam"),
    Bank("970410", "Standard Chartered", "Ngân hàng TNHH MTV Standard Chartered Bank Việt Nam"),
    Bank("970407", "Techcombank", "Ngân hàng TMCP Kỹ thương Việt Nam"),
    Bank("970423", "TPBank", "Ngân hàng TMCP Tiên Phong"),
    Bank("970458", "UOB", "Ngân hàng TNHH MTV United Overseas Bank (Việt Nam)"),
    Bank(
        "970444",
        "VCBNeo",
        "Ngân hàng Thương mại TNHH MTV Ngoại thương Công nghệ số",
        formerly="CBBank",
    ),
    Bank("970441", "VIB", "Ngân hàng TMCP Quốc tế Việt Nam"),
    Bank("970427", "VietABank", "Ngân hàng TMCP Việt Á"),
    Bank("970433", "VietBank", "Ngân hàng TMCP Việt Nam Thương Tín"),
    Bank("970436", "Vietcombank", "Ngân hàng TMCP Ngoại thương Việt Nam"),
    Bank("970415", "VietinBank", "Ngân hàng TMCP Công thương Việt Nam"),
    Bank("970406", "Vikki Bank", "Ngân hàng TNHH MTV Số Vikki", formerly="DongA Bank"),
    Bank("970432", "VPBank", "Ngân hàng TMCP Việt Nam Thịnh Vượng"),
    Bank("970421", "VRB", "Ngân hàng Liên doanh Việt – Nga"),
    Bank("970457", "Woori Bank", "Ngân hàng TNHH MTV Woori Việt Nam"),
)

BANKS_BY_BIN: dict[str, Bank] = {bank.bin: bank for bank in BANKS}

# For a form field or a model field's choices: the BIN is what a VietQR code needs.
BANK_CHOICES: list[tuple[str, str]] = [(bank.bin, bank.label) for bank in BANKS]


def bank_by_bin(bank_bin: str) -> Bank | None:
    return BANKS_BY_BIN.get(bank_bin)
