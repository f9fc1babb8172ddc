"""What the office's task list calls each task (by its path, so this app imports none)."""

from django.utils.translation import gettext_lazy as _

TASK_LABELS = {
    "marketplace.inquiries.tasks.send_submission_emails": _("Emails about a new inquiry"),
    "marketplace.inquiries.tasks.send_status_email": _("Email about a status change"),
    "marketplace.inquiries.tasks.send_email": _("Email of a tracking link"),
    "marketplace.inquiries.tasks.retry_emails": _("Sending failed emails again"),
    "marketplace.certificates.tasks.send_expiry_reminders": _("Certificate expiry reminders"),
    "marketplace.office.bulk.applying.apply_spreadsheet": _("Spreadsheet import"),
    "search.tasks.update_search_index": _("Search index update"),
    "search.tasks.remove_from_search_index": _("Removal from the search index"),
    "search.tasks.update_place_suggestions": _("Search suggestions of places"),
    "search.tasks.retry_pending_updates": _("Search index updates missed"),
    "search.featured.refresh_featured_products": _("Featured products of the day"),
    "wagtail.tasks.update_reference_index_task": _("Admin reference index update"),
    "modelsearch.tasks.insert_or_update_object_task": _("Admin search index update"),
    "modelsearch.tasks.delete_object_task": _("Admin search index removal"),
}


def task_label(task_path: str) -> str:
    return str(TASK_LABELS.get(task_path, task_path.rsplit(".", 1)[-1].replace("_", " ")))
