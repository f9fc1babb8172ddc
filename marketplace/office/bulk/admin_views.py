"""The office's import and export pages in the Wagtail admin.

Uploading runs a dry run and shows its report; the file waits (a PendingImport) until
the office applies it. The task worker then checks it again and writes it
(applying.py); the run's page shows its progress and, when it finishes, its report.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from marketplace.core.office import is_office_user
from marketplace.office.bulk import applying
from marketplace.office.bulk.admin_forms import ApplyForm, UploadForm
from marketplace.office.bulk.exporting import CONTENT_TYPE, export_workbook, template_workbook
from marketplace.office.bulk.importing import run_import
from marketplace.office.bulk.models import PendingImport
from producers.admin_views import permission_denied

TEMPLATE = "bulk/import.html"


def office_only(view):
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_office_user(request.user):
            return permission_denied(request)
        return view(request, *args, **kwargs)

    return wrapped


def _render(request: HttpRequest, form: UploadForm, **context) -> TemplateResponse:
    return TemplateResponse(
        request,
        TEMPLATE,
        {
            "page_title": _("Import and export"),
            "header_icon": "table",
            "form": form,
            **context,
        },
        status=400 if form.errors else 200,
    )


@office_only
def import_page(request: HttpRequest) -> HttpResponse:
    """The upload form; on upload, the dry run's report and the button to apply it."""
    if request.method != "POST":
        return _render(request, UploadForm())
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, form)
    upload = form.cleaned_data["file"]
    content = upload.read()
    report = run_import(content, upload.name, kind=form.cleaned_data["kind"] or None, dry_run=True)
    pending = None
    if report.ok:
        # The previous uploads of this user not applied are superseded by this one.
        PendingImport.objects.filter(
            uploaded_by=request.user, state=PendingImport.State.CHECKED
        ).delete()
        pending = PendingImport.objects.create(
            filename=upload.name[:255],
            content=content,
            kind=form.cleaned_data["kind"] or "",
            uploaded_by=request.user,
        )
    return _render(
        request,
        UploadForm(initial={"kind": form.cleaned_data["kind"]}),
        report=report,
        filename=upload.name,
        apply_form=(
            ApplyForm(initial={"pending": pending.pk, "kind": form.cleaned_data["kind"]})
            if pending
            else None
        ),
    )


@require_POST
@office_only
def apply_import(request: HttpRequest) -> HttpResponse:
    form = ApplyForm(request.POST)
    if not form.is_valid():
        return _render(request, UploadForm())
    pending = get_object_or_404(
        PendingImport,
        pk=form.cleaned_data["pending"],
        uploaded_by=request.user,
        state=PendingImport.State.CHECKED,
    )
    applying.queue(pending)
    return redirect("bulk:run", pending.pk)


@office_only
def import_run(request: HttpRequest, pk: int) -> HttpResponse:
    """An applied import: its progress while the worker writes it, then its report."""
    pending = get_object_or_404(
        PendingImport.objects.exclude(state=PendingImport.State.CHECKED),
        pk=pk,
        uploaded_by=request.user,
    )
    finished = pending.state == PendingImport.State.DONE
    report = pending.result if finished else None
    if report and report["written"]:
        messages.success(request, summary_message(report["summary"]))
    elif report:
        messages.error(request, _("Nothing was written: the file has errors now."))
    return _render(
        request,
        UploadForm(),
        run=pending,
        report=report,
        filename=pending.filename,
        refresh_seconds=None if finished else 2,
    )


def summary_message(summary: dict[str, int]) -> str:
    return (
        _("Imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.") % summary
    )


def _download(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@office_only
def export_catalogue(request: HttpRequest) -> HttpResponse:
    return _download(export_workbook(), f"catalogue-{timezone.localdate():%Y-%m-%d}.xlsx")


@office_only
def download_template(request: HttpRequest) -> HttpResponse:
    return _download(template_workbook(), "catalogue-template.xlsx")
