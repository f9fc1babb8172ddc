"""A product review by the consumer of a fulfilled inquiry, the producer's public reply,
and the office's decision to hide it.

A review belongs to one item of one inquiry, and so to one product; it is about the
product in every language (`product_key` is the product's translation key), while its
text stays in the language it was written in (the inquiry's). The reviewer is named by a
first name only, copied here: anonymising the inquiry later removes everything else.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.core import rendition_specs as specs

MAX_TEXT_LENGTH = 1500
MAX_REPLY_LENGTH = 1500
MAX_NAME_LENGTH = 40


class ReviewQuerySet(models.QuerySet):
    def visible(self) -> "ReviewQuerySet":
        """What the public sees: reviews the office has not hidden."""
        return self.filter(hidden_at__isnull=True)

    def of_product(self, translation_key) -> "ReviewQuerySet":
        return self.filter(product_key=translation_key)


class Review(models.Model):
    inquiry = models.ForeignKey(
        "inquiries.Inquiry",
        verbose_name=_("inquiry"),
        on_delete=models.CASCADE,
        related_name="reviews",
        editable=False,
    )
    item = models.ForeignKey(
        "inquiries.InquiryItem",
        verbose_name=_("item"),
        on_delete=models.CASCADE,
        related_name="reviews",
        editable=False,
    )
    # The product in every language: ProductPage.translation_key.
    product_key = models.UUIDField(db_index=True, editable=False)
    rating = models.PositiveSmallIntegerField(_("rating"))
    text = models.TextField(_("review"), max_length=MAX_TEXT_LENGTH, blank=True)
    # The language the text is written in: the inquiry's.
    language = models.CharField(_("language"), max_length=10)
    display_name = models.CharField(_("shown name"), max_length=MAX_NAME_LENGTH)
    photo = models.ForeignKey(
        "core.CustomImage",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("written on"), default=timezone.now, db_index=True)

    # The producer's public answer: once per review.
    reply = models.TextField(_("producer’s reply"), max_length=MAX_REPLY_LENGTH, blank=True)
    replied_at = models.DateTimeField(_("replied on"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # The office's moderation: a hidden review leaves the product page and its average.
    hidden_at = models.DateTimeField(_("hidden on"), null=True, blank=True, db_index=True)
    hidden_reason = models.TextField(_("why it is hidden"), max_length=1000, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["inquiry", "product_key"], name="reviews_one_review_per_product_per_inquiry"
            ),
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="reviews_rating_1_to_5"
            ),
            # Hiding always says why, to the consumer and the producer.
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True) | ~Q(hidden_reason=""),
                name="reviews_hidden_with_a_reason",
            ),
            models.CheckConstraint(
                condition=Q(replied_at__isnull=True) | ~Q(reply=""),
                name="reviews_reply_has_text",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.product_title} ★{self.rating} ({self.display_name})"

    def rendition_plan(self) -> list[tuple]:
        """The photo on the product page (thumbnail and large) and in the office's view."""
        return [(self.photo, (specs.REVIEW_THUMBNAIL, specs.REVIEW_LARGE, specs.REVIEW_ADMIN))]

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def has_reply(self) -> bool:
        return self.replied_at is not None
