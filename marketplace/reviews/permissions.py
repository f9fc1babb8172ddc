"""Who sees, answers and moderates which reviews in the admin.

The same rule as inquiries (marketplace.inquiries.permissions): the office sees every
review, a producer's account those of its own products; the producer replies, the
office hides.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from marketplace.core.office import is_office_user
from marketplace.inquiries.permissions import has_inquiry_access
from marketplace.reviews.models import Review

AnyUser = AbstractBaseUser | AnonymousUser


def has_review_access(user: AnyUser) -> bool:
    return has_inquiry_access(user)


def moderates_reviews(user: AnyUser) -> bool:
    return is_office_user(user)


def reviews_for(user: AnyUser) -> QuerySet[Review]:
    """The reviews `user` may see in the admin."""
    if not user.is_authenticated or not user.is_active:
        return Review.objects.none()
    if moderates_reviews(user):
        return Review.objects.all()
    return own_reviews(user)


def own_reviews(user: AnyUser) -> QuerySet[Review]:
    """The reviews of the products of the producer(s) whose account `user` is in."""
    if not user.is_authenticated or not user.is_active:
        return Review.objects.none()
    # Inquiry.producer is the page holding the account group (the default language).
    return Review.objects.filter(inquiry__producer__account_group__user=user)


def can_reply(user: AnyUser, review: Review) -> bool:
    """Only the producer answers, in its own name: not the office, not another producer."""
    return own_reviews(user).filter(pk=review.pk).exists()
