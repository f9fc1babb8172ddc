"""How amounts of money are written."""

from django.utils import translation


def vnd(amount, language: str | None = None) -> str:
    """An amount of đồng as readers of the language (the active one) write it.

    Vietnamese: 120000 → "120.000 ₫". English: "₫120,000" — an English reader takes
    "120.000" for a hundred and twenty.
    """
    try:
        value = int(amount)
    except (TypeError, ValueError):
        return ""
    language = language or translation.get_language() or "vi"
    if language.split("-")[0] == "vi":
        return f"{value:,}".replace(",", ".") + " ₫"
    sign = "-" if value < 0 else ""
    return f"{sign}₫{abs(value):,}"
