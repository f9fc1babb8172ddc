"""Importing producers and products from a spreadsheet.

`run_import()` reads the file, checks every row against the models' own validation and
the user's permissions, and, unless it is a dry run and only when no row has an error,
writes all rows in one transaction: each new or changed page gets a new revision,
published when the user may publish, otherwise submitted to the page's workflow. Rows
that change nothing are left alone.
"""

import logging
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext_lazy as _
from modelcluster.models import get_all_child_relations
from wagtail.log_actions import log
from wagtail.models import Page
from wagtail.signals import page_published

from marketplace.certificates.models import OcopCertificate
from marketplace.core.page_writer import ChildAppender
from marketplace.office.bulk import search_updates
from marketplace.office.bulk.catalogue import (
    MODELS,
    RELATIONS,
    Catalogue,
    certificate_values,
    certificates,
    current_version,
    page_values,
    unique_slug,
)
from marketplace.office.bulk.cells import CellError
from marketplace.office.bulk.columns import CERTIFICATE_COLUMNS, COLUMNS, Column
from marketplace.office.bulk.models import ExternalId
from marketplace.office.bulk.reading import (
    PRODUCERS,
    PRODUCTS,
    Problem,
    Row,
    Sheet,
    UnreadableFile,
    read_file,
)
from products.models import ProductPage

CREATED, UPDATED, UNCHANGED, ERROR = "created", "updated", "unchanged", "error"

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]  # (rows done, rows in all)


@dataclass
class RowOutcome:
    kind: str
    row: int
    external_id: str
    action: str = UNCHANGED
    problems: list[Problem] = field(default_factory=list)
    page: Page | None = None  # the page as it will be saved
    parent_external_id: str = ""


@dataclass
class ImportReport:
    problems: list[Problem]  # every problem: of the file and of each row
    outcomes: list[RowOutcome]
    dry_run: bool
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def count(self, action: str) -> int:
        return Counter(outcome.action for outcome in self.outcomes)[action]

    @property
    def summary(self) -> dict[str, int]:
        rows_with_errors = {(p.sheet, p.row) for p in self.problems}
        return {
            CREATED: self.count(CREATED),
            UPDATED: self.count(UPDATED),
            UNCHANGED: self.count(UNCHANGED),
            "errors": len(rows_with_errors),
        }


# Checking the sheets -------------------------------------------------------------------


def header_problems(sheet: Sheet) -> list[Problem]:
    """Missing required columns, unknown or repeated ones: the sheet cannot be read."""
    known = {column.name for column in COLUMNS[sheet.kind]}
    problems = []
    for column in COLUMNS[sheet.kind]:
        if column.required and column.name not in sheet.columns:
            problems.append(Problem(_("This column is missing."), sheet.kind, 1, column.name))
    seen = set()
    for name in sheet.columns:
        if not name:
            continue
        if name not in known:
            problems.append(
                Problem(_("Unknown column: remove it or correct its name."), sheet.kind, 1, name)
            )
        elif name in seen:
            problems.append(Problem(_("This column appears twice."), sheet.kind, 1, name))
        seen.add(name)
    return problems


def parse_row(sheet: Sheet, row: Row) -> tuple[dict[str, object], list[Problem]]:
    """The row's value for each column of the sheet, and the cells that could not be read."""
    values, problems = {}, []
    for column in COLUMNS[sheet.kind]:
        if column.name not in sheet.columns:
            continue
        cell = row.cells.get(column.name)
        try:
            values[column.name] = column.empty if cell is None else column.parse(cell)
        except CellError as error:
            problems.append(Problem(str(error), sheet.kind, row.number, column.name))
    return values, problems


def _errors_by_column(error: ValidationError, columns: dict[str, str]) -> list[tuple[str, str]]:
    """(column, message) for a model's ValidationError; columns maps field → column."""
    if not hasattr(error, "error_dict"):
        return [("", message) for message in error.messages]
    return [
        (columns.get(name, "" if name == "__all__" else name), message)
        for name, errors in error.message_dict.items()
        for message in errors
    ]


class Importer:
    def __init__(self, user: AbstractBaseUser | None = None) -> None:
        self.user = user
        self.catalogue = Catalogue()
        self.outcomes: dict[str, dict[str, RowOutcome]] = {PRODUCERS: {}, PRODUCTS: {}}
        self.slugs: dict[object, set[str]] = {}  # parent (page id or external id) → slugs
        self.appenders: dict[int, ChildAppender] = {}  # parent page id → its new children

    # One row -----------------------------------------------------------------------

    def check(self, sheet: Sheet, row: Row) -> RowOutcome:
        values, problems = parse_row(sheet, row)
        external_id = str(values.get("external_id") or "")
        for cell_problem in problems:
            cell_problem.external_id = external_id
        outcome = RowOutcome(sheet.kind, row.number, external_id, problems=problems)

        def problem(column: str, message: str) -> None:
            outcome.problems.append(Problem(message, sheet.kind, row.number, column, external_id))

        if not external_id:
            problem("external_id", _("Every row needs an external id."))
            return self._finish(outcome)
        if external_id in self.outcomes[sheet.kind]:
            first = self.outcomes[sheet.kind][external_id].row
            problem("external_id", _("This id is already on row %(row)s.") % {"row": first})
            return self._finish(outcome)
        self.outcomes[sheet.kind][external_id] = outcome
        if problems:
            return self._finish(outcome)

        existing = self.catalogue.page(sheet.kind, external_id)
        page = current_version(existing) if existing else MODELS[sheet.kind]()
        if existing is None:
            page.locale = self.catalogue.locale
            # A new page has no inline rows: held in memory, the revision need not ask.
            for relation in get_all_child_relations(page):
                setattr(page, relation.get_accessor_name(), [])
        outcome.page = page
        for column in COLUMNS[sheet.kind]:
            if column.required and values.get(column.name, "x") in ("", None):
                problem(column.name, _("This column must be filled in."))
        parent_key = self.parent_key(outcome, values, problem)
        before = page_values(
            sheet.kind, page, self.catalogue, parent_key, self.certificate(page, values)
        )
        self.apply(outcome, values, problem)
        certificate = self.apply_certificate(outcome, values, problem)
        after = page_values(sheet.kind, page, self.catalogue, parent_key, certificate)
        if existing is None:
            outcome.action = CREATED
        elif any(before[name] != after[name] for name in values):
            outcome.action = UPDATED
        if outcome.action != UNCHANGED:
            self.validate(outcome, problem)
            self.check_permission(outcome, problem)
        return self._finish(outcome)

    def _finish(self, outcome: RowOutcome) -> RowOutcome:
        if outcome.problems:
            outcome.action = ERROR
        return outcome

    def parent_key(self, outcome: RowOutcome, values: dict, problem) -> uuid.UUID | None:
        """Products: their producer's translation key (None when it is new)."""
        if outcome.kind != PRODUCTS:
            return None
        page = outcome.page
        if page.pk is not None and "producer_external_id" not in values:
            return Page.objects.get(path=page.path[: -Page.steplen]).translation_key
        producer_id = str(values.get("producer_external_id") or "")
        outcome.parent_external_id = producer_id
        in_file = self.outcomes[PRODUCERS].get(producer_id)
        producer = self.catalogue.page(PRODUCERS, producer_id)
        key = producer.translation_key if producer is not None else None
        if in_file is None and key is None and producer_id:
            problem(
                "producer_external_id",
                _("No producer has the id “%(id)s”, in this file or the catalogue.")
                % {"id": producer_id},
            )
        if in_file is not None and in_file.action == ERROR:
            problem("producer_external_id", _("This product's producer has errors."))
        if page.pk is not None and key is not None and not page.path.startswith(producer.path):
            problem(
                "producer_external_id",
                _("A product cannot move to another producer: add it as a new product."),
            )
        return key

    def apply(self, outcome: RowOutcome, values: dict, problem) -> None:
        """Set the row's values on the page."""
        page = outcome.page
        for name, value in values.items():
            column = next(c for c in COLUMNS[outcome.kind] if c.name == name)
            if name in RELATIONS:
                self.apply_relation(page, column, value, problem)
            elif column.attribute and not name.startswith("ocop_") and name != "slug":
                setattr(page, column.attribute, value)
        if outcome.kind == PRODUCERS and not page.display_name:
            page.display_name = page.title
        if values.get("slug"):
            page.slug = values["slug"]
        elif page.pk is None and page.title:
            page.slug = unique_slug(page.title, self.sibling_slugs(outcome))
        if page.pk is None and values.get("slug"):
            taken = self.sibling_slugs(outcome)
            if page.slug in taken:
                problem("slug", _("Another page under the same parent has this slug."))
            taken.add(page.slug)

    def apply_relation(self, page: Page, column: Column, slug: object, problem) -> None:
        if not slug:
            setattr(page, column.name, None)
            return
        related = self.catalogue.by_slug[column.name].get(str(slug))
        if related is None:
            problem(column.name, _("Nothing has the slug “%(slug)s”.") % {"slug": slug})
        else:
            setattr(page, column.name, related)

    def sibling_slugs(self, outcome: RowOutcome) -> set[str]:
        """The slugs taken under the new page's parent (in the catalogue and this file)."""
        if outcome.kind == PRODUCERS:
            parent = self.catalogue.producer_index
        else:
            parent = self.catalogue.page(PRODUCERS, outcome.parent_external_id)
        scope = parent.pk if parent else outcome.parent_external_id
        if scope not in self.slugs:
            self.slugs[scope] = (
                set(parent.get_children().values_list("slug", flat=True)) if parent else set()
            )
        return self.slugs[scope]

    # The certificate ---------------------------------------------------------------

    def certificate(self, page: Page, values: dict) -> OcopCertificate | None:
        """The certificate the row is about: the page's one with the row's decision number."""
        number = str(values.get("ocop_decision_number") or "").casefold()
        if not number or page.pk is None:
            return None
        return next(
            (
                cert
                for cert in page.ocop_certificates.all()
                if cert.decision_number.casefold() == number
            ),
            None,
        )

    def apply_certificate(self, outcome: RowOutcome, values: dict, problem):
        """Create or update the row's certificate; None when the row has none."""
        given = {name: values[name] for name in values if name.startswith("ocop_")}
        if not any(value not in ("", None) for value in given.values()):
            return None
        page = outcome.page
        certificate = self.certificate(page, values)
        held = certificates(page) if page.pk is not None else []
        if certificate is not None:
            certificate = next(cert for cert in held if cert.pk == certificate.pk)
            before = certificate_values(certificate)
        else:
            certificate = OcopCertificate(locale=self.catalogue.locale)
            before = None
        for column in CERTIFICATE_COLUMNS:
            if column.name in given:
                setattr(certificate, column.attribute, given[column.name])
        if certificate.issue_date and "ocop_expiry_date" in given and not given["ocop_expiry_date"]:
            certificate.expiry_date = None  # clean() sets 36 months
        columns = {column.attribute: column.name for column in CERTIFICATE_COLUMNS}
        skipped = [f.name for f in OcopCertificate._meta.fields if f.name not in columns]
        try:
            certificate.full_clean(
                exclude=skipped, validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            for column, message in _errors_by_column(error, columns):
                problem(column or "ocop_stars", message)
        if before is None:
            page.ocop_certificates.add(certificate)
        # A changed certificate goes back to pending when saved (OcopCertificate.save).
        return certificate

    # Validation and permission -----------------------------------------------------

    def validate(self, outcome: RowOutcome, problem) -> None:
        """The model's own validation of the imported fields (and its clean())."""
        page = outcome.page
        columns = {c.attribute or c.name: c.name for c in COLUMNS[outcome.kind]}
        # Related objects come from the catalogue's lookups: they exist, no query needed.
        imported = set(columns) - {c.attribute for c in CERTIFICATE_COLUMNS} - set(RELATIONS)
        skipped = [f.name for f in page._meta.fields if f.name not in imported]
        try:
            page.full_clean(exclude=skipped, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for column, message in _errors_by_column(error, columns):
                problem(column, message)

    def check_permission(self, outcome: RowOutcome, problem) -> None:
        if self.user is None:
            return
        page = outcome.page
        if page.pk is None:
            parent = self.parent_page(outcome)
            allowed = parent is None or parent.permissions_for_user(self.user).can_add_subpage()
        else:
            allowed = page.permissions_for_user(self.user).can_edit()
        if not allowed:
            problem("external_id", _("You may not edit this page."))

    def may_publish(self, outcome: RowOutcome) -> bool:
        if outcome.page.pk is None:
            parent = self.parent_page(outcome)
            return parent.permissions_for_user(self.user).can_publish_subpage()
        return outcome.page.permissions_for_user(self.user).can_publish()

    def parent_page(self, outcome: RowOutcome) -> Page | None:
        """The parent of a new page; None for a product whose producer is new too."""
        if outcome.kind == PRODUCERS:
            return self.catalogue.producer_index
        in_file = self.outcomes[PRODUCERS].get(outcome.parent_external_id)
        if in_file is not None and in_file.page is not None and in_file.page.pk is not None:
            return in_file.page
        return self.catalogue.page(PRODUCERS, outcome.parent_external_id)

    # Writing -----------------------------------------------------------------------

    def write(self, outcomes: list[RowOutcome], progress: Progress | None) -> None:
        new_ids = []
        for done, outcome in enumerate(outcomes, start=1):
            if outcome.action in (CREATED, UPDATED):
                self.save(outcome)
                if outcome.action == CREATED:
                    new_ids.append(
                        ExternalId(
                            kind=outcome.kind,
                            external_id=outcome.external_id,
                            translation_key=outcome.page.translation_key,
                        )
                    )
            if progress:
                progress(done, len(outcomes))
        for appender in self.appenders.values():
            appender.save_numchild()
        for kind in (PRODUCERS, PRODUCTS):
            # Ids left behind by deleted pages: the new pages take them over.
            reused = [row.external_id for row in new_ids if row.kind == kind]
            ExternalId.objects.filter(kind=kind, external_id__in=reused).delete()
        ExternalId.objects.bulk_create(new_ids)

    def save(self, outcome: RowOutcome) -> None:
        page = outcome.page
        publish = self.user is None or self.may_publish(outcome)
        if outcome.action == CREATED and publish:
            self.publish_new(page, self.parent_page(outcome))
            return
        if outcome.action == CREATED:
            page.live = False
            self.parent_page(outcome).add_child(instance=page)
        # Validated in check(): clean=False spares the model validation's queries. A page
        # published at once is logged once, by the publication.
        revision = page.save_revision(user=self.user, log_action=not publish, clean=False)
        if publish:
            revision.publish(user=self.user, skip_permission_checks=self.user is None)
            return
        workflow = page.get_workflow()
        if workflow is not None and not page.workflow_in_progress:
            workflow.start(page, self.user)

    def publish_new(self, page: Page, parent: Page) -> None:
        """Add a new page, live, with its first revision as the live one.

        What Page.add_child + save_revision + publish do for a new page, without saving
        and validating it three times (the rows were validated in check()): this is
        what makes thousands of rows import in minutes.
        """
        if parent.pk not in self.appenders:
            self.appenders[parent.pk] = ChildAppender(parent)
        self.appenders[parent.pk].add(page)  # live, without a revision yet
        if isinstance(page, ProductPage):
            page.ocop_certificates.commit()
        revision = page.save_revision(user=self.user, changed=False, clean=False)
        page.live_revision = revision
        Page.objects.filter(pk=page.pk).update(live_revision=revision)
        log(page, "wagtail.publish", user=self.user, revision=revision, content_changed=True)
        page_published.send(sender=type(page), instance=page, revision=revision)

    def run(
        self, sheets: list[Sheet], dry_run: bool, progress: Progress | None
    ) -> list[RowOutcome]:
        ordered = sorted(sheets, key=lambda sheet: sheet.kind != PRODUCERS)
        outcomes = []
        for sheet in ordered:
            outcomes.extend(self.check(sheet, row) for row in sheet.rows)
        if not dry_run and not any(outcome.problems for outcome in outcomes):
            self.write(outcomes, progress)
        return outcomes


def run_import(
    content: bytes,
    filename: str = "",
    *,
    kind: str | None = None,
    dry_run: bool = False,
    user: AbstractBaseUser | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Check the file and, unless dry_run or anything is wrong, write it all."""
    try:
        sheets, problems = read_file(content, filename, kind)
    except UnreadableFile as error:
        return ImportReport([Problem(str(error))], [], dry_run)
    except Exception:  # a reader's own failure on a malformed file: never a 500
        logger.warning("Could not read the import file %r", filename, exc_info=True)
        return ImportReport([Problem(_("This file cannot be read as a spreadsheet."))], [], dry_run)
    for sheet in sheets:
        problems.extend(header_problems(sheet))
    if problems:
        return ImportReport(problems, [], dry_run)
    importer = Importer(user)
    try:
        with transaction.atomic(), search_updates.batched() as changed:
            outcomes = importer.run(sheets, dry_run, progress)
            problems = [p for outcome in outcomes for p in outcome.problems]
            written = not dry_run and not problems
            if written:
                changed.update(o.page.pk for o in outcomes if o.action in (CREATED, UPDATED))
    except (DatabaseError, ValidationError) as error:
        # Something the checks did not foresee (e.g. a page changed meanwhile): rolled back.
        logger.exception("The import of %r failed", filename)
        message = _("The import failed and nothing was written: %(error)s") % {"error": error}
        return ImportReport([Problem(message)], [], dry_run)
    return ImportReport(problems, outcomes, dry_run, written)
