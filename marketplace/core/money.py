"""How amounts of money are written."""


def vnd(amount) -> str:
    """120000 → "120.000 ₫", the way Vietnamese prices are written (in both languages)."""
    try:
        value = int(amount)
    except (TypeError, ValueError):
        return ""
    return f"{value:,}".replace(",", ".") + " ₫"
