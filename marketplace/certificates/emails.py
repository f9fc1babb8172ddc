"""The expiry reminder emails: one for the producer, one for the office.

Producers read Vietnamese unless their account's admin language says otherwise; each
address gets the message in its own language. Plain text and HTML parts, with absolute
links on the site's public address (PUBLIC_BASE_URL) like the inquiry emails (whose
layout they share).
"""

import datetime
from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.models import Locale

from marketplace.certificates.models import OcopCertificate
from marketplace.certificates.public import verification_path
from marketplace.core.office import OFFICE_GROUP
from marketplace.core.site_address import absolute_url
from producers.accounts import account_page
from producers.contacts import producer_name, producer_recipients
from producers.models import ProducerPage
from products.models import ProductPage


def office_recipients() -> list[str]:
    """The addresses of the office's active members."""
    users = get_user_model().objects.filter(is_active=True, groups__name=OFFICE_GROUP)
    return sorted(set(users.exclude(email="").values_list("email", flat=True)))


def language_of(address: str) -> str:
    """The admin language of the account with this address, else the site's (Vietnamese)."""
    language = (
        get_user_model()
        .objects.filter(
            email__iexact=address,
            is_active=True,
            wagtail_userprofile__preferred_language__in=dict(settings.LANGUAGES),
        )
        .values_list("wagtail_userprofile__preferred_language", flat=True)
        .first()
    )
    return language or settings.LANGUAGE_CODE


def by_language(addresses: list[str]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = defaultdict(list)
    for address in addresses:
        grouped[language_of(address)].append(address)
    return dict(grouped)


def product_in(product: ProductPage, language: str) -> ProductPage:
    """The product page in `language` when it is translated and live, else `product`."""
    locale = Locale.objects.filter(language_code=language).first()
    translated = product.get_translation_or_none(locale) if locale else None
    return translated.specific if translated is not None and translated.live else product


def subject_for(certificate: OcopCertificate, product: ProductPage, days_left: int) -> str:
    facts = {"number": certificate.decision_number, "product": product.title}
    if days_left > 0:
        return ngettext(
            "OCOP certificate %(number)s of %(product)s expires in %(days)s day",
            "OCOP certificate %(number)s of %(product)s expires in %(days)s days",
            days_left,
        ) % {**facts, "days": days_left}
    if days_left == 0:
        return _("OCOP certificate %(number)s of %(product)s expires today") % facts
    return _("OCOP certificate %(number)s of %(product)s has expired") % facts


def _message(template: str, context: dict, subject: str, to: list[str]) -> EmailMultiAlternatives:
    """Render certificates/emails/<template>.txt and .html in the active language."""
    context = {"site_name": settings.WAGTAIL_SITE_NAME, "subject": subject, **context}
    text = render_to_string(f"certificates/emails/{template}.txt", context)
    html = render_to_string(f"certificates/emails/{template}.html", context)
    # A header must not contain a line break, whatever the data in the subject.
    subject = " ".join(f"{subject} – {settings.WAGTAIL_SITE_NAME}".split())
    message = EmailMultiAlternatives(subject, text, to=to)
    message.attach_alternative(html, "text/html")
    return message


def reminder_messages(
    certificate: OcopCertificate, on: datetime.date
) -> list[EmailMultiAlternatives]:
    """The reminders about `certificate` on day `on`: to the producer and to the office,
    one message per language; none when nobody has an address."""
    product = certificate.page.specific
    producer = ProducerPage.objects.parent_of(product).first()
    producer = account_page(producer.specific) if producer is not None else None
    to_producer = producer_recipients(producer) if producer is not None else []
    to_office = [a for a in office_recipients() if a.lower() not in map(str.lower, to_producer)]
    days_left = (certificate.expiry_date - on).days
    edit_url = absolute_url(reverse("wagtailadmin_pages:edit", args=[product.pk]))
    messages = []
    audiences = (("producer_reminder", to_producer), ("office_reminder", to_office))
    for template, addresses in audiences:
        for language, to in by_language(addresses).items():
            with translation.override(language):
                shown = product_in(product, language)
                context = {
                    "certificate": certificate,
                    "product_title": shown.title,
                    "producer_name": producer_name(producer, language) if producer else "",
                    "producer": producer,
                    "producer_emailed": bool(to_producer),
                    "days_left": days_left,
                    "expired": days_left < 0,
                    "verification_url": absolute_url(
                        verification_path(certificate.translation_key, language)
                    ),
                    "edit_url": edit_url,
                }
                subject = subject_for(certificate, shown, days_left)
                messages.append(_message(template, context, subject, to))
    return messages
