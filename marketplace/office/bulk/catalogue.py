"""The catalogue as the spreadsheets see it: pages by external id, related objects by slug,
and each page's values per column (what the export writes and the import compares)."""

import datetime
import itertools
import uuid
from collections.abc import Iterable

from django.db.models import Model
from django.utils.text import slugify
from wagtail.models import Locale, Page

from marketplace.certificates.models import OcopCertificate
from marketplace.core.text import strip_diacritics
from marketplace.office.bulk.columns import CERTIFICATE_COLUMNS, COLUMNS
from marketplace.office.bulk.models import ExternalId
from producers.models import CraftVillage, Locality, ProducerIndexPage, ProducerPage
from products.models import ProductCategory, ProductPage

MODELS: dict[str, type[Page]] = {"producers": ProducerPage, "products": ProductPage}
RELATIONS: dict[str, type[Model]] = {
    "locality": Locality,
    "craft_village": CraftVillage,
    "category": ProductCategory,
}

Values = dict[str, object]


class Catalogue:
    """Lookups for one import or export, loaded once: a few queries, not one per row."""

    def __init__(self) -> None:
        self.locale = Locale.get_default()
        self.producer_index = (
            ProducerIndexPage.objects.filter(locale=self.locale).order_by("path").first()
        )
        self.by_slug: dict[str, dict[str, Model]] = {}
        self.slug_of: dict[str, dict[int, str]] = {}
        for column, model in RELATIONS.items():
            objects = list(model.objects.filter(locale=self.locale))
            self.by_slug[column] = {obj.slug: obj for obj in objects}
            self.slug_of[column] = {obj.pk: obj.slug for obj in objects}
        self.keys: dict[str, dict[str, uuid.UUID]] = {kind: {} for kind in MODELS}
        self.external_ids: dict[uuid.UUID, str] = {}
        for kind, external_id, key in ExternalId.objects.values_list(
            "kind", "external_id", "translation_key"
        ):
            self.keys[kind][external_id] = key
            self.external_ids[key] = external_id
        self._pages: dict[str, dict[uuid.UUID, Page]] = {}

    def pages(self, kind: str) -> dict[uuid.UUID, Page]:
        """The pages in the default language of this kind, by translation key."""
        if kind not in self._pages:
            queryset = MODELS[kind].objects.filter(locale=self.locale)
            if kind == "products":
                queryset = queryset.prefetch_related("ocop_certificates")
            self._pages[kind] = {page.translation_key: page for page in queryset}
        return self._pages[kind]

    def page(self, kind: str, external_id: str) -> Page | None:
        key = self.keys[kind].get(external_id)
        return self.pages(kind).get(key) if key else None


def current_version(page: Page) -> Page:
    """What an editor would edit: the latest draft, when there is one."""
    if page.has_unpublished_changes and page.latest_revision_id:
        return page.get_latest_revision_as_object()
    return page


def certificates(page: ProductPage) -> list[OcopCertificate]:
    """The page's certificates held in memory, so changes go into its next revision."""
    held = list(page.ocop_certificates.all())
    page.ocop_certificates = held
    return held


def latest_certificate(page: ProductPage) -> OcopCertificate | None:
    return max(
        page.ocop_certificates.all(),
        key=lambda cert: (cert.issue_date or datetime.date.min, cert.pk or 0),
        default=None,
    )


def certificate_values(certificate: OcopCertificate | None) -> Values:
    if certificate is None:
        return {column.name: column.empty for column in CERTIFICATE_COLUMNS}
    return {column.name: getattr(certificate, column.attribute) for column in CERTIFICATE_COLUMNS}


def page_values(
    kind: str,
    page: Page,
    catalogue: Catalogue,
    parent_key: uuid.UUID | None = None,
    certificate: OcopCertificate | None = None,
) -> Values:
    """The page's value for each column of its sheet (certificate: the one to show)."""
    values: Values = {}
    for column in COLUMNS[kind]:
        if column.name in RELATIONS:
            pk = getattr(page, f"{column.name}_id")
            values[column.name] = catalogue.slug_of[column.name].get(pk, "") if pk else ""
        elif column.attribute and not column.name.startswith("ocop_"):
            value = getattr(page, column.attribute)
            values[column.name] = column.empty if value in (None, "") else value
    values["external_id"] = catalogue.external_ids.get(page.translation_key, "")
    if kind == "products":
        values["producer_external_id"] = catalogue.external_ids.get(parent_key, "")
        values.update(certificate_values(certificate))
    return values


def unique_slug(title: str, taken: set[str]) -> str:
    """An ASCII slug from the title, with -2, -3… when a sibling has it."""
    base = slugify(strip_diacritics(title))[:240] or "page"
    for n in itertools.count(1):
        slug = base if n == 1 else f"{base}-{n}"
        if slug not in taken:
            taken.add(slug)
            return slug
    raise AssertionError  # unreachable: count() never ends


def ensure_external_ids(kind: str, pages: Iterable[Page], catalogue: Catalogue) -> None:
    """Give pages without an external id one ("producer-12"), so an export re-imports
    onto the same pages."""
    prefix = {"producers": "producer", "products": "product"}[kind]
    new = [
        ExternalId(
            kind=kind, external_id=f"{prefix}-{page.pk}", translation_key=page.translation_key
        )
        for page in pages
        if page.translation_key not in catalogue.external_ids
    ]
    taken = set(catalogue.keys[kind])
    new = [row for row in new if row.external_id not in taken]
    ExternalId.objects.bulk_create(new)
    for row in new:
        catalogue.keys[kind][row.external_id] = row.translation_key
        catalogue.external_ids[row.translation_key] = row.external_id
