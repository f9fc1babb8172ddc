"""Producer accounts: a login that may edit one producer's pages and media, nothing else.

A producer's changes are never published directly: they have no publish permission, so
every change goes through the office's approval workflow (see base migration 0004).
"""

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    ReferenceIndex,
)

from producers.models import ProducerPage

PRODUCERS_GROUP = "Producers"

# No publish_page: producers submit their changes for moderation.
PRODUCER_PAGE_PERMISSIONS = ("add_page", "change_page")
# Wagtail checks image permissions against wagtailimages.Image, even for our custom image
# model (see wagtail.images.get_permission_policy): base.add_customimage would grant nothing.
PRODUCER_MEDIA_PERMISSIONS = {
    "wagtailimages": ("add_image", "change_image", "choose_image"),
    "wagtaildocs": ("add_document", "change_document", "choose_document"),
}

GROUP_NAME_MAX_LENGTH = 150


@dataclass
class ProducerAccount:
    user: AbstractBaseUser
    created: bool
    # The temporary password of a new user, shown once; None for an existing user.
    password: str | None
    group: Group
    collection: Collection


def normalise_email(email: str) -> str:
    """The login for an email address; raises ValidationError when it is not one."""
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValidationError(
            _("“%(email)s” is not a valid email address."),
            code="invalid_email",
            params={"email": email},
        ) from error
    return email


def account_page(producer_page: ProducerPage) -> ProducerPage:
    """The translation that holds the account: the one in the default language.

    Every translation shares one account, whichever of them the office starts from.
    """
    original = producer_page.get_translation_or_none(Locale.get_default())
    return original.specific if original is not None else producer_page


def get_or_create_user(email: str, first_name: str, last_name: str):
    User = get_user_model()
    user = User.objects.filter(username=email).first()
    if user is not None:
        return user, None
    password = secrets.token_urlsafe(12)
    user = User.objects.create_user(
        username=email,
        email=email,
        password=password,
        first_name=first_name,
        last_name=last_name,
    )
    return user, password


def producer_group_name(page: ProducerPage) -> str:
    suffix = f" (#{page.pk})"
    name = f"Producer: {page.display_name or page.title}"
    return name[: GROUP_NAME_MAX_LENGTH - len(suffix)] + suffix


def get_or_create_group(page: ProducerPage) -> Group:
    if page.account_group_id is not None:
        return page.account_group
    group, _created = Group.objects.get_or_create(name=producer_group_name(page))
    return group


def get_or_create_collection(page: ProducerPage) -> Collection:
    if page.collection_id is not None:
        return page.collection
    return Collection.get_first_root_node().add_child(name=page.display_name or page.title)


def permissions(app_label: str, codenames: tuple[str, ...]) -> list[Permission]:
    found = list(
        Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    )
    if len(found) != len(codenames):
        # A missing permission would silently give the producer less than intended.
        missing = set(codenames) - {permission.codename for permission in found}
        raise LookupError(f"Missing permissions: {app_label} {sorted(missing)}")
    return found


def grant_page_permissions(group: Group, page: Page) -> None:
    """Edit rights on the producer page in every language (and so on its products)."""
    for translation in page.get_translations(inclusive=True):
        for permission in permissions("wagtailcore", PRODUCER_PAGE_PERMISSIONS):
            GroupPagePermission.objects.get_or_create(
                group=group, page=translation, permission=permission
            )


def grant_collection_permissions(group: Group, collection: Collection) -> None:
    for app_label, codenames in PRODUCER_MEDIA_PERMISSIONS.items():
        for permission in permissions(app_label, codenames):
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=collection, permission=permission
            )


def producer_pages(page: ProducerPage) -> QuerySet[Page]:
    """The producer page in every language, and its products."""
    paths = Q()
    for translation in page.get_translations(inclusive=True):
        paths |= Q(path__startswith=translation.path)
    return Page.objects.filter(paths)


def adopt_media(page: ProducerPage, collection: Collection) -> int:
    """Move into `collection` the images and documents that only this producer's pages use.

    The office (or the demo, or an import) often adds a producer's photos before the
    producer has an account: they sit in a shared collection, so the producer's chooser
    and image listing showed none of them. Media another page or object also uses, or
    that another producer's collection holds, stay where they are. Returns how many moved.
    """
    own = [str(pk) for pk in producer_pages(page).values_list("pk", flat=True)]
    page_type = ContentType.objects.get_for_model(Page)
    others = ProducerPage.objects.exclude(collection=None).exclude(collection=collection)
    moved = 0
    for model in (get_image_model(), get_document_model()):
        references = ReferenceIndex.objects.filter(
            to_content_type=ContentType.objects.get_for_model(model)
        )
        used_here = references.filter(base_content_type=page_type, object_id__in=own)
        used_elsewhere = references.exclude(base_content_type=page_type, object_id__in=own)
        ids = set(used_here.values_list("to_object_id", flat=True)) - set(
            used_elsewhere.values_list("to_object_id", flat=True)
        )
        media = (
            model.objects.filter(pk__in=[int(pk) for pk in ids if pk.isdigit()])
            .exclude(collection=collection)
            .exclude(collection__in=others.values("collection"))
        )
        for item in media:
            # save(), not update(): the admin's search filters media by collection.
            item.collection = collection
            item.save(update_fields=["collection"])
            moved += 1
    return moved


@transaction.atomic
def create_producer_account(
    producer_page: ProducerPage, email: str, *, first_name: str = "", last_name: str = ""
) -> ProducerAccount:
    """Give the owner of `email` an account that manages this producer. Idempotent."""
    email = normalise_email(email)
    page = account_page(producer_page)

    user, password = get_or_create_user(email, first_name.strip(), last_name.strip())
    group = get_or_create_group(page)
    collection = get_or_create_collection(page)
    user.groups.add(Group.objects.get(name=PRODUCERS_GROUP), group)
    grant_page_permissions(group, page)
    grant_collection_permissions(group, collection)
    adopt_media(page, collection)

    # update() rather than save(): no new revision, and no draft changes published.
    ProducerPage.objects.filter(pk=page.pk).update(account_group=group, collection=collection)
    ProducerPage.objects.filter(
        translation_key=page.translation_key, collection__isnull=True
    ).update(collection=collection)
    producer_page.refresh_from_db(fields=["account_group", "collection"])

    return ProducerAccount(
        user=user,
        created=password is not None,
        password=password,
        group=group,
        collection=collection,
    )
