"""Documents are served only to whom may see them: the public gets the scans public pages
link (a verified certificate's scan the office allowed), nothing else; every other
document only to the producer owning it and the office. No document file is ever a
public media file."""

import importlib
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.test import Client
from wagtail.documents.models import Document
from wagtail.models import CollectionViewRestriction
from wagtail.utils import sendfile

from marketplace.certificates import decisions
from marketplace.certificates.models import OcopCertificate
from marketplace.core import media_storage
from products.models import ProductCertification
from tests.factories import make_image, make_product

pytest_plugins = ["tests.producer_accounts_fixtures"]

SCAN = b"%PDF-1.4 quyet dinh OCOP"


def make_document(collection, name: str = "quyet-dinh.pdf", content: bytes = SCAN) -> Document:
    return Document.objects.create(
        title="Quyết định OCOP", collection=collection, file=ContentFile(content, name=name)
    )


def scanned_certificate(producer, status: str, *, public: bool = True) -> OcopCertificate:
    """A certificate of `producer` with its scan (in the producer's collection), decided by
    the office: shown publicly when `public` (as far as its status lets it)."""
    product = make_product(
        producer.page, f"Sản phẩm {status}", stars=4, certificate_status="pending"
    )
    certificate = product.ocop_certificates.get()
    document = make_document(producer.account.collection)
    OcopCertificate.objects.filter(pk=certificate.pk).update(document=document)
    certificate.refresh_from_db()
    if status in ("verified", "revoked"):
        decisions.verify(certificate, None, show_document=public)
    if status == "revoked":
        decisions.revoke(certificate, None, "Không đạt khi đánh giá lại.")
    if status in ("pending", "rejected"):
        # As if the office had allowed it: the status alone must keep the scan private.
        OcopCertificate.objects.filter(pk=certificate.pk).update(document_public=public)
    if status == "rejected":
        decisions.reject(certificate, None, "Số quyết định không khớp.")
    certificate.refresh_from_db()
    return certificate


def body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def media_path(document: Document) -> str:
    """Where the file would be if it were a public media file."""
    return f"/media/{document.file.name}"


def downloads(client: Client, document: Document) -> bool:
    """True when `client` gets the file at the document's link; False on a 404."""
    response = client.get(document.url)
    if response.status_code == 404:
        return False
    assert response.status_code == 200, response
    assert body(response) == SCAN
    return True


@pytest.fixture
def consumer_client(db) -> Client:
    user = get_user_model().objects.create_user("khach@example.com", "khach@example.com")
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def outsiders(client, consumer_client, producer_b) -> dict[str, Client]:
    """Everyone who must not get producer A's private documents."""
    return {"anonymous": client, "consumer": consumer_client, "producer B": producer_b.client}


@pytest.fixture
def private_scan(producer_a) -> Document:
    """A verified certificate's scan the office did not allow to be shown."""
    return scanned_certificate(producer_a, "verified", public=False).document


def test_private_scan_is_refused_to_outsiders_at_every_address(outsiders, private_scan):
    for who, client in outsiders.items():
        assert not downloads(client, private_scan), who
        assert client.get(media_path(private_scan)).status_code == 404, who


def test_private_scan_is_served_to_its_producer_and_the_office(
    producer_a, office_client, private_scan
):
    assert downloads(producer_a.client, private_scan)
    assert downloads(office_client, private_scan)
    # Not as a media file, not even to them.
    assert producer_a.client.get(media_path(private_scan)).status_code == 404
    assert office_client.get(media_path(private_scan)).status_code == 404


def test_superuser_gets_a_private_scan(private_scan):
    admin = get_user_model().objects.create_superuser("root@example.com", "root@example.com")
    client = Client()
    client.force_login(admin)

    assert downloads(client, private_scan)


def test_document_files_are_kept_outside_the_media_root(settings, private_scan):
    path = Path(private_scan.file.path)

    assert path.read_bytes() == SCAN
    assert path.is_relative_to(settings.PRIVATE_MEDIA_ROOT)
    assert not path.is_relative_to(settings.MEDIA_ROOT)
    assert not (Path(settings.MEDIA_ROOT) / private_scan.file.name).exists()


def test_public_verified_scan_downloads_for_anyone(client, consumer_client, producer_a):
    certificate = scanned_certificate(producer_a, "verified", public=True)
    scan = certificate.document

    assert downloads(client, scan)
    assert downloads(consumer_client, scan)
    # Still never a media file.
    assert client.get(media_path(scan)).status_code == 404


def test_the_verification_page_links_the_public_scan_and_it_downloads(client, producer_a):
    certificate = scanned_certificate(producer_a, "verified", public=True)

    html = client.get(f"/vi/chung-nhan/{certificate.translation_key}/").content.decode()
    links = re.findall(r'href="(/documents/[^"]+)"', html)

    assert links == [certificate.document.url]
    assert body(client.get(links[0])) == SCAN


@pytest.mark.parametrize("status", ["revoked", "rejected", "pending"])
def test_scan_of_a_certificate_not_verified_is_not_public(client, producer_a, status):
    certificate = scanned_certificate(producer_a, status, public=True)
    product_html = client.get(certificate.page.url).content.decode()

    assert not downloads(client, certificate.document)
    assert certificate.document.url not in product_html
    assert downloads(producer_a.client, certificate.document)


def test_revoking_a_certificate_withdraws_its_scan(client, producer_a):
    certificate = scanned_certificate(producer_a, "verified", public=True)
    assert downloads(client, certificate.document)

    decisions.revoke(certificate, None, "Không đạt khi đánh giá lại.")
    page = client.get(f"/vi/chung-nhan/{certificate.translation_key}/").content.decode()

    assert not downloads(client, certificate.document)
    assert "certificate-verdict--revoked" in page
    assert certificate.document.url not in page


def test_scan_of_an_unpublished_product_is_not_public(client, producer_a):
    certificate = scanned_certificate(producer_a, "verified", public=True)

    certificate.page.unpublish()

    assert not downloads(client, certificate.document)
    assert downloads(producer_a.client, certificate.document)


def test_other_documents_of_a_producer_are_private(client, producer_a, producer_b):
    """A certification's document, or a document nothing uses: nothing public links them."""
    certification_document = make_document(producer_a.account.collection, "vietgap.pdf")
    ProductCertification.objects.create(
        page=producer_a.product,
        locale=producer_a.product.locale,
        kind="vietgap",
        document=certification_document,
    )
    unused = make_document(producer_a.account.collection, "ghi-chu.pdf")

    for document in (certification_document, unused):
        assert not downloads(client, document)
        assert not downloads(producer_b.client, document)
        assert downloads(producer_a.client, document)


def test_a_collection_password_does_not_open_a_private_scan(client, producer_a, private_scan):
    """Wagtail's collection privacy still applies, and passing it is not enough."""
    restriction = CollectionViewRestriction.objects.create(
        collection=producer_a.account.collection,
        restriction_type=CollectionViewRestriction.PASSWORD,
        password="mat-khau",
    )
    form_url = f"/documents/authenticate_with_password/{restriction.pk}/"

    passed = client.post(form_url, {"password": "mat-khau", "return_url": private_scan.url})

    assert passed.status_code == 302
    assert not downloads(client, private_scan)


def test_a_wrong_filename_is_404(client, producer_a):
    scan = scanned_certificate(producer_a, "verified", public=True).document

    assert client.get(f"/documents/{scan.pk}/other.pdf").status_code == 404
    assert client.get(f"/documents/{scan.pk + 1000}/{scan.filename}").status_code == 404


def test_images_are_still_plain_media_files(client, site):
    image = make_image("Ảnh sản phẩm")
    rendition = image.get_rendition("max-40x40")

    for url in (image.file.url, rendition.url):
        assert url.startswith("/media/")
        assert client.get(url).status_code == 200, url


def test_media_server_serves_nothing_from_a_documents_folder_in_the_media_root(
    client, settings, site
):
    """A file left in the media root (say, one the move could not take) stays unserved."""
    leftover = Path(settings.MEDIA_ROOT) / "documents" / "bo-quen.pdf"
    leftover.parent.mkdir(parents=True, exist_ok=True)
    leftover.write_bytes(SCAN)

    for path in (
        "documents/bo-quen.pdf",
        "./documents/bo-quen.pdf",
        "images/../documents/bo-quen.pdf",
    ):
        assert client.get(f"/media/{path}").status_code == 404, path


@pytest.fixture
def nginx_sendfile(settings):
    """Documents handed to nginx (X-Accel-Redirect) after Django's check."""
    settings.SENDFILE_BACKEND = "django_sendfile.backends.nginx"
    sendfile._get_sendfile.clear()
    yield
    sendfile._get_sendfile.clear()


def test_with_sendfile_the_web_server_sends_the_file_after_the_check(
    nginx_sendfile, client, producer_a, private_scan
):
    refused = client.get(private_scan.url)
    response = producer_a.client.get(private_scan.url)

    assert refused.status_code == 404 and "X-Accel-Redirect" not in refused
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/private-media/{private_scan.file.name}"
    assert body(response) == b""


def test_existing_document_files_move_out_of_the_media_root(settings, producer_a):
    """Files uploaded before documents were private are moved by base migration 0006."""
    old = Path(settings.MEDIA_ROOT) / "documents" / "cu.pdf"
    old.parent.mkdir(parents=True, exist_ok=True)
    old.write_bytes(SCAN)
    document = Document.objects.create(
        title="Quyết định cũ", collection=producer_a.account.collection, file="documents/cu.pdf"
    )
    migration = importlib.import_module("marketplace.base.migrations.0006_private_documents")

    migration.move_documents_out_of_media(None, None)

    assert not old.exists()
    assert (Path(settings.PRIVATE_MEDIA_ROOT) / "documents" / "cu.pdf").read_bytes() == SCAN
    assert downloads(producer_a.client, document)
    # Backwards puts them where the old code looks for them.
    migration.move_documents_back_to_media(None, None)
    assert old.read_bytes() == SCAN


def test_moving_keeps_both_files_when_names_collide(tmp_path):
    source, target = tmp_path / "media", tmp_path / "private"
    for root, content in ((source, b"old"), (target, b"new")):
        (root / "documents").mkdir(parents=True)
        (root / "documents" / "a.pdf").write_bytes(content)
    (source / "documents" / "b.pdf").write_bytes(b"b")

    left = media_storage.move_private_files(source, target)

    assert left == ["documents/a.pdf"]
    assert (source / "documents" / "a.pdf").read_bytes() == b"old"
    assert (target / "documents" / "a.pdf").read_bytes() == b"new"
    assert (target / "documents" / "b.pdf").read_bytes() == b"b"
    assert not (source / "documents" / "b.pdf").exists()
    assert media_storage.move_private_files(source, source) == []
    assert (source / "documents" / "a.pdf").read_bytes() == b"old"


@pytest.mark.parametrize("inside", ["MEDIA_ROOT", "STATIC_ROOT"])
def test_private_media_root_inside_a_served_folder_is_an_error(settings, tmp_path, inside):
    setattr(settings, inside, str(tmp_path))
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")

    errors = media_storage.check_private_media_root(None)

    assert [error.id for error in errors] == ["core.E001"]
    assert inside in errors[0].msg


def test_private_media_root_apart_passes_the_check(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")

    assert media_storage.check_private_media_root(None) == []
