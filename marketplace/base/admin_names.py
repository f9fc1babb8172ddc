"""Names kept in the database that the admin shows: the approval workflow, its task and
the roles (groups), in the admin user's language.

Wagtail stores a workflow's, a task's and a group's name in one column and shows it as it
is (buttons, listings, history, emails). The column keeps a stable English name, which is
also the msgid; each instance loaded from the database gets a `TranslatedName` instead of
the plain string: a `str` whose value stays the English name (what is saved, compared,
looked up or put in JSON) but which shows itself, wherever Django or Wagtail turns it into
text (templates, `%s`, f-strings), in the language active then: the admin user's, or an
email recipient's, which Wagtail activates for each recipient.
"""

import copy
import re
from functools import cache

from django.conf import settings
from django.contrib.auth.models import Group
from django.db.models.signals import post_init
from django.utils.translation import gettext, override
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import LogFormatter
from wagtail.models import GroupApprovalTask, Task, Workflow

# The stable names, and what makemessages needs to find them.
NAMES = (
    _("OCOP listing approval"),
    _("Office review"),
    # Wagtail's own default workflow and task (inactive here, still listed).
    _("Moderators approval"),
    _("Producers"),
    _("Agriculture office"),
)
# A producer's own group: "Producer: <name> (#<page id>)", from producers.accounts.
PRODUCER_GROUP = re.compile(r"^Producer: (?P<name>.*)$", re.DOTALL)


class TranslatedName(str):
    """A stable English name that renders as its translation in the active language."""

    def __str__(self) -> str:
        return gettext(str.__str__(self))


class ProducerGroupName(str):
    """A producer's group name, rendered with "Producer" in the active language."""

    def __str__(self) -> str:
        name = PRODUCER_GROUP.match(str.__str__(self)).group("name")
        return gettext("Producer: %(name)s") % {"name": name}


def english(name) -> str:
    with override(None):
        return str(name)


@cache
def names_by_text() -> dict[str, str]:
    """Each name's English text and its translations, mapped to the English name: a name
    saved from an admin form in another language (the form shows the translation) is
    recognised as the same name."""
    found = {}
    for name in NAMES:
        for code, _label in settings.LANGUAGES:
            with override(code):
                found[str(name)] = english(name)
        found[english(name)] = english(name)
    return found


def translated(name: str) -> str:
    """`name` as a TranslatedName or ProducerGroupName when it is one of ours, else as is."""
    if isinstance(name, TranslatedName | ProducerGroupName) or not isinstance(name, str):
        return name
    known = names_by_text().get(name)
    if known is not None:
        return TranslatedName(known)
    if PRODUCER_GROUP.match(name):
        return ProducerGroupName(name)
    return name


def translate_name(sender, instance, **kwargs) -> None:
    """post_init: a known name (deferred or not loaded: left alone) is translated."""
    name = instance.__dict__.get("name")
    if name is not None:
        instance.__dict__["name"] = translated(name)


def connect() -> None:
    # post_init is sent for the concrete class only: the base Task and its one subclass.
    for model in (Workflow, Task, GroupApprovalTask, Group):
        post_init.connect(translate_name, sender=model, dispatch_uid=f"admin-name-{model}")


WORKFLOW_LOG_ACTIONS = (
    "wagtail.workflow.start",
    "wagtail.workflow.approve",
    "wagtail.workflow.reject",
    "wagtail.workflow.resume",
    "wagtail.workflow.cancel",
)


def translated_titles(data):
    """Log entry data with every "title" (workflow, task, next task) translated."""
    if isinstance(data, dict):
        return {
            key: translated(value) if key == "title" else translated_titles(value)
            for key, value in data.items()
        }
    return data


class TranslatedNamesLogFormatter(LogFormatter):
    """Wagtail's workflow log formatter, given the entry with its names translated."""

    def __init__(self, formatter: LogFormatter) -> None:
        self.formatter = formatter
        self.label = formatter.label

    def format_message(self, log_entry):
        entry = copy.copy(log_entry)
        entry.data = translated_titles(log_entry.data)
        return self.formatter.format_message(entry)

    def format_comment(self, log_entry):
        return self.formatter.format_comment(log_entry)
