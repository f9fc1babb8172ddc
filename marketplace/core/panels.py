"""Admin panels shared by the page types."""

from typing import Any

from wagtail.admin.panels import ObjectList


class NamedTab(ObjectList):
    """A tab of an editor whose address (#tab-<name>) is the same in every admin language.

    Wagtail names a tab after its heading once per process, when the editor is first
    built (TabbedInterface.child_identifiers is cached), so in the language of whoever
    opened it first: a link to a tab (the onboarding checklist's) broke for the others.
    """

    def __init__(self, *args: Any, name: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.name = name

    def clone_kwargs(self) -> dict[str, Any]:
        return {**super().clone_kwargs(), "name": self.name}

    @property
    def clean_name(self) -> str:
        return self.name
