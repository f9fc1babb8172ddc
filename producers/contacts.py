"""Writing to a producer: who receives its mail, and its name in the reader's language."""

from wagtail.models import Locale

from producers.models import ProducerPage


def producer_recipients(producer: ProducerPage) -> list[str]:
    """The producer's public address and its managers' addresses, each once."""
    managers = producer.managers.filter(is_active=True).exclude(email="")
    addresses = [producer.email, *managers.values_list("email", flat=True)]
    unique: dict[str, str] = {}
    for address in addresses:
        if address:
            unique.setdefault(address.strip().lower(), address.strip())
    return list(unique.values())


def producer_name(producer: ProducerPage, language: str) -> str:
    """The producer's name as shown on the site in `language`."""
    locale = Locale.objects.filter(language_code=language).first()
    translated = producer.get_translation_or_none(locale) if locale else None
    return str(translated or producer)
