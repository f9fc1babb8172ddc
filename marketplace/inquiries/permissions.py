"""Who may see and answer which inquiries: the one rule every admin view follows.

The office (and superusers) sees every inquiry. A member of a producer's
account group sees that producer's inquiries. Anyone else sees none. Access follows
group membership rather than model permissions, so the account that
`producers.accounts.create_producer_account` gives a producer is all it takes.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from marketplace.core.office import is_office_user
from marketplace.inquiries.models import Inquiry
from producers.models import ProducerPage

AnyUser = AbstractBaseUser | AnonymousUser


def sees_all_inquiries(user: AnyUser) -> bool:
    return is_office_user(user)


def inquiries_for(user: AnyUser) -> QuerySet[Inquiry]:
    """The inquiries `user` may see and answer."""
    if not user.is_authenticated or not user.is_active:
        return Inquiry.objects.none()
    if sees_all_inquiries(user):
        return Inquiry.objects.all()
    # Inquiry.producer is the page holding the account group (the default language).
    return Inquiry.objects.filter(producer__account_group__user=user)


def can_manage(user: AnyUser, inquiry: Inquiry) -> bool:
    return inquiries_for(user).filter(pk=inquiry.pk).exists()


def has_inquiry_access(user: AnyUser) -> bool:
    """Whether `user` answers inquiries at all: the office, or a producer's account."""
    if not user.is_authenticated or not user.is_active:
        return False
    return (
        sees_all_inquiries(user) or ProducerPage.objects.filter(account_group__user=user).exists()
    )


def new_inquiries_for(user: AnyUser) -> QuerySet[Inquiry]:
    """What waits for `user`'s first answer."""
    return inquiries_for(user).filter(status=Inquiry.Status.NEW)
