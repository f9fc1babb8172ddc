"""Dashboard panels: a producer's score and what to fix; the office's lowest scores."""

from django.contrib.auth.models import AbstractBaseUser
from django.urls import reverse
from wagtail.admin.ui.components import Component

from marketplace.office.quality.access import own_producers, pages_to_fix
from marketplace.office.quality.checks import listing_quality


class ProducerQualityPanel(Component):
    """Each of the user's producers: its score and the first pages to fix."""

    name = "listing_quality"
    template_name = "quality/panels/producer_quality_panel.html"
    order = 60  # after new inquiries: customers first, then the listing
    pages_shown = 8

    def __init__(self, user: AbstractBaseUser):
        self.user = user

    def get_context_data(self, parent_context: dict | None = None) -> dict:
        producers = []
        for quality in listing_quality(own_producers(self.user)):
            pages = pages_to_fix(quality, self.user)
            producers.append(
                {
                    "quality": quality,
                    "pages": pages[: self.pages_shown],
                    "more": max(len(pages) - self.pages_shown, 0),
                    "detail_url": reverse(
                        "listing_quality_producer", args=[quality.producer.page_id]
                    ),
                }
            )
        return {"producers": producers}


class LowestScoresPanel(Component):
    """For the office: the producers with the lowest scores, and the full report."""

    name = "listing_quality_summary"
    template_name = "quality/panels/lowest_scores_panel.html"
    order = 60
    limit = 5

    def get_context_data(self, parent_context: dict | None = None) -> dict:
        qualities = sorted(
            listing_quality(), key=lambda quality: (quality.score, quality.producer.title)
        )
        return {
            "lowest": [
                (quality, reverse("listing_quality_producer", args=[quality.producer.page_id]))
                for quality in qualities[: self.limit]
            ],
            "producer_count": len(qualities),
            "report_url": reverse("listing_quality_report"),
        }
