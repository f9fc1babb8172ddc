"""Every admin user has an admin language, Vietnamese unless they chose another.

Wagtail falls back, for a user without a preferred language, on the language active at
the moment: the admin follows the browser, and a moderation email goes out in the
language of whoever acted (an English-speaking officer's approval would reach a
producer in English). A profile is therefore created with the site's default language
(settings.LANGUAGE_CODE), which the user can change in their account.
"""

from django.conf import settings
from django.db.models.signals import post_save
from wagtail.users.models import UserProfile


def default_admin_language(sender, instance: UserProfile, created: bool, **kwargs) -> None:
    if created and not instance.preferred_language:
        # update(): no second post_save, and no other field written.
        UserProfile.objects.filter(pk=instance.pk).update(preferred_language=settings.LANGUAGE_CODE)
        instance.preferred_language = settings.LANGUAGE_CODE


def connect() -> None:
    post_save.connect(default_admin_language, sender=UserProfile, dispatch_uid="admin-language")
