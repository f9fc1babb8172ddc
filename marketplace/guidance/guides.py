"""The one-page guides, as data: sections of short steps, each string translatable.

Kept here rather than in the templates so that each step is one short message for the
translators, and the producer's and the office's guides share one template.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Section:
    anchor: str
    heading: Promise
    steps: tuple[Promise, ...]


PRODUCER_GUIDE = (
    Section(
        "first",
        _("What to do first"),
        (
            _(
                "Change the temporary password you were given: open your account at the bottom of "
                "the menu."
            ),
            _(
                "Follow the checklist on your dashboard: each line links to the place where it is "
                "done."
            ),
            _(
                "Complete your page: a summary of who you are, your phone or Zalo number, your "
                "address, and a logo or cover photo."
            ),
            _(
                "Every change you make is sent to the town’s office: it is published once the "
                "office approves it."
            ),
        ),
    ),
    Section(
        "product",
        _("Adding a product"),
        (
            _("Open Pages, then your producer page, and choose “Add child page”."),
            _(
                "Give the product’s name, its category and one or two sentences saying what it is "
                "and where it comes from."
            ),
            _(
                "Add at least one clear photo taken in daylight; the first photo is the one "
                "shoppers see in lists."
            ),
            _(
                "Give the price in đồng for one sales unit (for example 120000 for one 500 ml "
                "bottle), or tick “price on request” when the price depends on the order."
            ),
            _("Choose the availability; for a seasonal product, tick the months it is available."),
            _(
                "Submit it with the button at the bottom of the editor: the office checks it and "
                "publishes it."
            ),
        ),
    ),
    Section(
        "certificates",
        _("OCOP certificates"),
        (
            _(
                "Enter the certificate on the product it was given to, in “OCOP certificates”, "
                "exactly as the decision is written: its number, date, issuing level and stars."
            ),
            _(
                "Upload a scan or clear photo of the decision: the office verifies the "
                "certificate against it."
            ),
            _(
                "The OCOP badge shows once the office has verified it. You are reminded 60 and 30 "
                "days before it expires: enter the new decision when the product is re-assessed."
            ),
        ),
    ),
    Section(
        "inquiries",
        _("Answering inquiries"),
        (
            _(
                "Customers send inquiries, not orders: open “Inquiries” in the menu, where the "
                "number of new ones is shown."
            ),
            _(
                "Call or message the customer if anything is unclear, then confirm with the final "
                "price and delivery, or decline with a short reason."
            ),
            _("Answer within a day: the customer is told by email at each step."),
        ),
    ),
    Section(
        "payments",
        _("Payments"),
        (
            _("Open your producer page and its “Payments” tab."),
            _(
                "Give your bank, account number and the account holder’s name as the bank prints "
                "it: customers whose inquiry you confirmed then see a VietQR code to pay you by "
                "transfer."
            ),
            _(
                "Say whether you accept cash on delivery, and card payment when the site offers "
                "it. Customers pay you directly."
            ),
        ),
    ),
    Section(
        "translation",
        _("English for foreign visitors"),
        (
            _(
                "Foreign visitors read the English pages. Ask the office to start the English "
                "copy of your page and products."
            ),
            _(
                "Then open the English page and write the English text; prices, photos, stock and "
                "certificates are shared by both languages and need no translation."
            ),
        ),
    ),
)

OFFICE_GUIDE = (
    Section(
        "certificates",
        _("Verifying certificates"),
        (
            _("Open “OCOP certificates” to see the certificates awaiting verification."),
            _(
                "Compare each with its scanned decision: the number, date, issuing body, stars "
                "and product name must match."
            ),
            _(
                "Verify it, or reject it with a reason the producer reads in the editor. Revoke a "
                "verified certificate when the province withdraws it."
            ),
        ),
    ),
    Section(
        "moderation",
        _("Approving producers’ changes"),
        (
            _(
                "Producers cannot publish: their changes wait on your dashboard under “Awaiting "
                "your review”."
            ),
            _(
                "Open the change, compare it with the live version, then approve and publish it, "
                "or request changes with a comment the producer sees."
            ),
        ),
    ),
    Section(
        "curation",
        _("Curation"),
        (
            _(
                "Under “Curation”, choose the featured collections, the home page’s slides, the "
                "producer of the month and the highlighted craft village."
            ),
        ),
    ),
    Section(
        "reports",
        _("Reports"),
        (
            _(
                "Under “Reports”: inquiries, searches and listing quality, each filterable and "
                "exportable to a spreadsheet."
            ),
            _(
                "Use listing quality to see which producers need help with photos, descriptions "
                "or English text."
            ),
        ),
    ),
    Section(
        "import",
        _("Importing a catalogue"),
        (
            _(
                "Under “Settings”, “Import and export” imports products from a spreadsheet and "
                "exports the catalogue."
            ),
        ),
    ),
    Section(
        "acting",
        _("Acting for a producer"),
        (
            _(
                "At the help desk, open “Act for a producer” and choose the producer you are "
                "helping."
            ),
            _(
                "Edit its page, products, photos and documents as usual: the history records "
                "each change as yours, made on behalf of that producer."
            ),
            _(
                "Press “Stop acting” when the producer leaves. Create a producer’s login with "
                "“Create producer account” in its page’s menu."
            ),
        ),
    ),
)
