"""Who may download a document: anyone only what a public page links, the rest its owner.

Documents are served by Wagtail's document view alone (/documents/<id>/<file name>):
their files are kept outside MEDIA_ROOT (marketplace.core.media_storage) and
WAGTAILDOCS_SERVE_METHOD is "serve_view". Before it serves one, `refuse_private_document`
(a before_serve_document hook) answers 404 to whoever may not have it.

Public is only what something public uses: the scan of a verified certificate the office
allowed to be shown (OcopCertificate.scan_is_public), of a live product the public may
see. Everything else is private, served only to its owner and the office: scans of
pending, rejected or revoked certificates, scans the office keeps hidden, and any other
document of a producer's collection (other certifications' documents, documents nothing
uses). Wagtail's collection privacy (CollectionViewRestriction) still applies on top.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import Http404, HttpRequest
from wagtail.documents import get_document_model
from wagtail.documents.models import AbstractDocument
from wagtail.permissions import policy_registry

from marketplace.certificates.public import public_certificates
from marketplace.core.office import is_office_user


def is_public_document(document: AbstractDocument) -> bool:
    """Whether a public page links the document: a certificate's scan anyone may see."""
    return public_certificates().with_public_scan().filter(document=document).exists()


def is_owner(user: AbstractBaseUser | AnonymousUser, document: AbstractDocument) -> bool:
    """The producer whose collection holds it (Wagtail's "change" permission on the
    document: its collection's, or its uploader's), the office, a superuser."""
    if not user.is_authenticated:
        return False
    policy = policy_registry.get_by_type(get_document_model())
    return is_office_user(user) or policy.user_has_permission_for_instance(user, "change", document)


def may_download(user: AbstractBaseUser | AnonymousUser, document: AbstractDocument) -> bool:
    return is_public_document(document) or is_owner(user, document)


def refuse_private_document(document: AbstractDocument, request: HttpRequest) -> None:
    """Wagtail's before_serve_document hook: a 404, as for a document that does not exist,
    to anyone who may not have it."""
    if not may_download(request.user, document):
        raise Http404
