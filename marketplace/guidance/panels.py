"""Dashboard panels: the producer's onboarding checklist (also shown to the office while
it acts for the producer)."""

from wagtail.admin.ui.components import Component

from marketplace.guidance.checklist import Checklist


class OnboardingChecklistPanel(Component):
    name = "onboarding_checklist"
    template_name = "guidance/panels/onboarding_checklist.html"
    order = 40  # before inquiries and listing quality: what a new producer does first

    def __init__(self, checklist: Checklist, acting: bool = False):
        self.checklist = checklist
        self.acting = acting

    def get_context_data(self, parent_context: dict | None = None) -> dict:
        return {"checklist": self.checklist, "acting": self.acting}
