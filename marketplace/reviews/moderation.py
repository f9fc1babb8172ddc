"""The producer's reply and the office's hiding of a review: each a single UPDATE, so two
clicks (or two people) cannot both apply. An UPDATE sends no save signal: each drops the
kept public pages itself (the product page shows the review)."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.core.page_cache import bump_generation
from marketplace.reviews.models import Review


def reply(review: Review, text: str, user) -> None:
    """Publish the producer's one reply; ValidationError when empty or already replied."""
    text = text.strip()
    if not text:
        raise ValidationError(_("Write your reply."))
    updated = Review.objects.filter(pk=review.pk, replied_at__isnull=True).update(
        reply=text, replied_at=timezone.now(), replied_by=user
    )
    if not updated:
        raise ValidationError(_("This review has a reply already: a review gets one reply."))
    bump_generation()
    review.refresh_from_db()


def hide(review: Review, reason: str, user) -> None:
    """Take a review off the product page and its average; the reason is required."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            _("Say why the review is hidden: the customer and the producer see it.")
        )
    Review.objects.filter(pk=review.pk).update(
        hidden_at=timezone.now(), hidden_reason=reason, hidden_by=user
    )
    bump_generation()
    review.refresh_from_db()


def show_again(review: Review) -> None:
    Review.objects.filter(pk=review.pk).update(hidden_at=None, hidden_reason="", hidden_by=None)
    bump_generation()
    review.refresh_from_db()
