"""Pictures and documents in S3-compatible object storage, against a real S3 API server
(moto's, in server mode): uploads, renditions, private documents, the demo loader and
backups, each checked over HTTP and in the buckets themselves.

The server: S3_MOCK_URL when set (CI: scripts/s3), else a moto_server of this session on
a free port of the loopback, stopped at its end. When none can run the tests are skipped,
except in CI, where they fail.
"""

import io
import json
import os
import re
import socket
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from email.message import Message
from pathlib import Path

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.files.storage import default_storage, storages
from django.core.management import call_command
from PIL import Image as PILImage
from wagtail.documents.models import Document

from bench.common import stop_process
from marketplace.base.backup import backup
from marketplace.core.media_storage import (
    PRIVATE_MEDIA,
    PUBLIC_MEDIA,
    ObjectStorage,
    media_storages,
)
from marketplace.core.models import CustomImage
from marketplace.core.renditions_ahead import make_renditions
from tests.factories import make_image, make_producer, make_product
from tests.producer_accounts_helpers import upload_image
from tests.test_backup import database_url, empty_database, script  # noqa: F401 (fixture)
from tests.test_private_documents import SCAN, scanned_certificate

pytest_plugins = ["tests.producer_accounts_fixtures"]

REPO = Path(__file__).resolve().parent.parent
MOTO_SERVER = Path(sys.executable).with_name("moto_server")
START_TIMEOUT = 30
# Any key does for moto; boto3 signs nothing without one.
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
REGION = "us-east-1"


def unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"S3 tests cannot run in CI: {reason}")
    pytest.skip(f"S3 tests skipped: {reason}")


def fetch(url: str) -> tuple[int, Message, bytes]:
    """GET `url` as a browser would, with no credentials: status, headers (any case), body."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def answers(url: str) -> bool:
    try:
        return fetch(f"{url}/")[0] == 200  # S3's ListBuckets
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """The S3 API server's address."""
    url = os.environ.get("S3_MOCK_URL", "").rstrip("/")
    if url:
        if not answers(url):
            pytest.fail(f"S3_MOCK_URL={url}: no S3 server answers there")
        yield url
        return
    if not MOTO_SERVER.exists():
        unavailable(f"{MOTO_SERVER} is not installed (requirements-dev.txt)")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tempfile.TemporaryFile()
    server = subprocess.Popen(
        [str(MOTO_SERVER), "--host", "127.0.0.1", "--port", str(port)],
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # Ctrl-C of the test run reaches pytest, which stops it
    )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not answers(url):
            if server.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                unavailable(f"moto_server did not start at {url}: {log.read().decode()[-2000:]}")
            time.sleep(0.2)
        yield url
    finally:
        stop_process(server, 10)
        log.close()


@pytest.fixture(scope="session")
def s3(s3_endpoint):
    """A client of the server with the site's own credentials, to look into buckets."""
    return boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name=REGION,
        aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )


def make_buckets(s3, config: ObjectStorage) -> None:
    """The two buckets as docs/deploy.md has them made: anyone may read the public one's
    objects (a bucket policy, no ACLs); the private one blocks public access."""
    s3.create_bucket(Bucket=config.bucket)
    s3.put_bucket_policy(
        Bucket=config.bucket,
        Policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "PublicRead",
                        "Effect": "Allow",
                        "Principal": "*",
                        "Action": "s3:GetObject",
                        "Resource": f"arn:aws:s3:::{config.bucket}/*",
                    }
                ],
            }
        ),
    )
    s3.create_bucket(Bucket=config.private_bucket)
    s3.put_public_access_block(
        Bucket=config.private_bucket,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )


def new_object_storage(s3, s3_endpoint: str) -> ObjectStorage:
    """Two new buckets on the server, their names this test's own."""
    key = uuid.uuid4().hex[:12]
    config = ObjectStorage(
        bucket=f"chocop-media-{key}",
        private_bucket=f"chocop-private-{key}",
        endpoint_url=s3_endpoint,
        region=REGION,
    )
    make_buckets(s3, config)
    return config


@pytest.fixture
def object_storage(settings, monkeypatch, s3, s3_endpoint, tmp_path_factory) -> ObjectStorage:
    """The site's files in new buckets of the server, as S3_BUCKET and friends select."""
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    config = new_object_storage(s3, s3_endpoint)
    settings.STORAGES = {**settings.STORAGES, **media_storages(config)}
    # An empty local folder: files other tests of this process wrote there (the same
    # names: upload.jpg, the demo's pictures) must not pass for files written locally.
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))
    return config


def objects(s3, bucket: str) -> dict[str, bytes]:
    """Every object in `bucket`, by key."""
    keys = [
        entry["Key"]
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket)
        for entry in page.get("Contents", ())
    ]
    return {key: s3.get_object(Bucket=bucket, Key=key)["Body"].read() for key in keys}


def object_url(config: ObjectStorage, bucket: str, name: str) -> str:
    """An object's plain address on the server, unsigned."""
    return f"{config.endpoint_url}/{bucket}/{name}"


# --- Pictures ---------------------------------------------------------------------------


def test_an_image_uploaded_in_the_admin_goes_to_the_public_bucket(
    object_storage, s3, producer_a, settings
):
    response = upload_image(producer_a.client, producer_a.account.collection)
    assert response.status_code == 302, response

    image = CustomImage.objects.get(title="Chai nước mắm")
    name = image.file.name
    stored = objects(s3, object_storage.bucket)
    assert name.startswith("original_images/")
    assert PILImage.open(io.BytesIO(stored[name])).format == "JPEG"
    assert objects(s3, object_storage.private_bucket) == {}
    assert not (Path(settings.MEDIA_ROOT) / name).exists()
    # Its address is the bucket's, readable by anyone.
    assert image.file.url == f"{object_storage.public_base_url}{name}"
    status, headers, body = fetch(image.file.url)
    assert (status, body) == (200, stored[name])
    assert headers["Content-Type"] == "image/jpeg"
    assert headers["Cache-Control"] == "public, max-age=604800"


def test_a_second_upload_of_the_same_name_keeps_the_first_file(object_storage, s3, db):
    first = make_image(title="Một", colour=(200, 0, 0))
    picture = io.BytesIO()
    PILImage.new("RGB", (20, 10), (0, 0, 200)).save(picture, "JPEG")
    second = CustomImage(title="Hai", file=ImageFile(picture, name=Path(first.file.name).name))
    second.save()

    assert second.file.name != first.file.name
    stored = objects(s3, object_storage.bucket)
    assert stored[second.file.name] == picture.getvalue()
    assert stored[first.file.name] != picture.getvalue()
    assert fetch(first.file.url)[2] == stored[first.file.name]


def test_a_page_shows_renditions_made_in_the_bucket_and_served_from_it(
    object_storage, s3, site, client, no_page_cache
):
    producer = make_producer(site.producers, name="HTX Gốm Thanh Hà")
    product = make_product(producer, title="Bình gốm Thanh Hà", stars=4)
    image = product.gallery_images.first().image
    assert image.file.name in objects(s3, object_storage.bucket)

    html = client.get(product.url).content.decode()

    base = re.escape(object_storage.public_base_url)
    addresses = set(re.findall(rf'(?:src|srcset)="({base}images/[^" ]+)', html))
    assert addresses, "the page shows no rendition from the bucket"
    stored = objects(s3, object_storage.bucket)
    for address in addresses:
        name = address.removeprefix(object_storage.public_base_url)
        status, headers, body = fetch(address)
        assert status == 200, address
        assert body == stored[name]
        picture = PILImage.open(io.BytesIO(body))
        assert headers["Content-Type"] == f"image/{picture.format.lower()}"
    # Its own rendition, checked against what Wagtail recorded.
    rendition = image.get_rendition("fill-32x24|format-webp")
    status, headers, body = fetch(rendition.url)
    picture = PILImage.open(io.BytesIO(body))
    assert (status, picture.format, picture.size) == (200, "WEBP", (32, 24))
    assert rendition.file.name in objects(s3, object_storage.bucket)


def test_an_image_whose_object_is_gone_makes_no_rendition_and_no_error(
    object_storage, s3, db, caplog
):
    image = make_image()
    s3.delete_object(Bucket=object_storage.bucket, Key=image.file.name)

    assert make_renditions(image, ["fill-32x24"]) == 0
    assert "no readable file" in caplog.text


# --- Documents --------------------------------------------------------------------------


@pytest.fixture
def private_scan(object_storage, producer_a) -> Document:
    """A verified certificate's scan the office did not allow to be shown."""
    return scanned_certificate(producer_a, "verified", public=False).document


def test_a_document_is_kept_in_the_private_bucket_with_no_address(
    object_storage, s3, private_scan, settings
):
    name = private_scan.file.name

    assert objects(s3, object_storage.private_bucket) == {name: SCAN}
    assert name not in objects(s3, object_storage.bucket)
    assert not (Path(settings.PRIVATE_MEDIA_ROOT) / name).exists()
    # No address, signed or not, that would skip the site's check.
    with pytest.raises(NotImplementedError):
        private_scan.file.url  # noqa: B018
    with pytest.raises(NotImplementedError):
        storages[PRIVATE_MEDIA].url(name)
    # The object's own address is refused by the server to anyone without the keys, and
    # the public bucket's address of that name holds nothing.
    assert fetch(object_url(object_storage, object_storage.private_bucket, name))[0] == 403
    assert fetch(f"{object_storage.public_base_url}{name}")[0] in (403, 404)


def test_a_private_scan_is_streamed_from_the_bucket_only_to_whom_may_see_it(
    object_storage, s3, private_scan, client, producer_a, producer_b, office_client, settings
):
    for who, outsider in (("anonymous", client), ("producer B", producer_b.client)):
        assert outsider.get(private_scan.url).status_code == 404, who

    for who, allowed in (("owner", producer_a.client), ("office", office_client)):
        response = allowed.get(private_scan.url)
        assert response.status_code == 200, who
        assert response.streaming  # through Django, not a redirect to the bucket
        assert b"".join(response.streaming_content) == SCAN, who
        assert response["Content-Security-Policy"] == "default-src 'none'"

    # What is served is the bucket's object, read on each request.
    s3.put_object(Bucket=object_storage.private_bucket, Key=private_scan.file.name, Body=b"v2")
    assert b"".join(producer_a.client.get(private_scan.url).streaming_content) == b"v2"
    # Even a site set to redirect to files has no address to send the owner to.
    settings.WAGTAILDOCS_SERVE_METHOD = "redirect"
    assert producer_a.client.get(private_scan.url).status_code == 200
    assert client.get(private_scan.url).status_code == 404


def test_a_public_scan_is_streamed_to_anyone(object_storage, client, producer_a):
    scan = scanned_certificate(producer_a, "verified", public=True).document

    response = client.get(scan.url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == SCAN
    # Still no public object.
    assert (
        fetch(object_url(object_storage, object_storage.private_bucket, scan.file.name))[0] == 403
    )


# --- The demo loader --------------------------------------------------------------------


def test_the_demo_loader_writes_its_pictures_to_the_bucket(object_storage, s3, db, settings):
    # One product: the town's 48 producers and their pictures come with any load (~12 s).
    call_command("load_demo", products=1, renditions=False, verbosity=0)

    names = set(CustomImage.objects.values_list("file", flat=True))
    stored = objects(s3, object_storage.bucket)
    assert len(names) > 50
    assert names <= set(stored)
    assert not any((Path(settings.MEDIA_ROOT) / name).exists() for name in names)
    image = CustomImage.objects.filter(file__in=names).first()
    status, _, body = fetch(image.file.url)
    assert (status, PILImage.open(io.BytesIO(body)).format) == (200, "JPEG")


# --- Backups ----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_holds_the_buckets_and_restores_them_into_other_buckets(
    postgresql,
    object_storage,
    s3,
    s3_endpoint,
    site,
    tmp_path,
    empty_database,  # noqa: F811
):
    producer = make_producer(site.producers, name="HTX Gốm Thanh Hà")
    product = make_product(producer, title="Bình gốm Thanh Hà", stars=4)
    product.gallery_images.first().image.get_rendition("fill-120x90")
    scan = Document.objects.create(title="Quyết định", file=ContentFile(SCAN, name="qd.pdf"))
    public, private = objects(s3, object_storage.bucket), objects(s3, object_storage.private_bucket)
    assert len(public) >= 2 and list(private) == [scan.file.name]

    folder = tmp_path / "backup"
    manifest = backup(folder)

    assert manifest["files"] == {"media.tar.gz": len(public), "private.tar.gz": 1}
    for part, expected in (("media.tar.gz", public), ("private.tar.gz", private)):
        with tarfile.open(folder / part) as archive:
            held = {m.name: archive.extractfile(m).read() for m in archive.getmembers()}
        assert held == expected, part

    # Into an empty database and two other buckets, one holding a file the site never had.
    target = new_object_storage(s3, s3_endpoint)
    s3.put_object(Bucket=target.bucket, Key="original_images/stray.jpg", Body=b"stray")
    restored = script(
        "restore",
        str(folder),
        DATABASE_URL=database_url(empty_database),
        VAR_DIR=str(tmp_path / "var"),
        S3_BUCKET=target.bucket,
        S3_PRIVATE_BUCKET=target.private_bucket,
        S3_ENDPOINT_URL=s3_endpoint,
        S3_REGION=REGION,
        **CREDENTIALS,
    )

    assert restored.returncode == 0, restored.stderr
    assert objects(s3, target.bucket) == public
    assert objects(s3, target.private_bucket) == private
    assert not (tmp_path / "var" / "media").exists()


def test_a_backup_of_local_files_restores_into_buckets(object_storage, s3, settings, tmp_path):
    """The file part alone, from folders to buckets: how a site moves to object storage."""
    from marketplace.base.backup import restore_part

    media = tmp_path / "media"
    (media / "original_images").mkdir(parents=True)
    (media / "original_images" / "a.jpg").write_bytes(b"a")
    with tarfile.open(tmp_path / "media.tar.gz", "w:gz") as archive:
        archive.add(media / "original_images" / "a.jpg", arcname="original_images/a.jpg")

    assert restore_part("media.tar.gz", tmp_path / "media.tar.gz") == 1
    assert objects(s3, object_storage.bucket) == {"original_images/a.jpg": b"a"}
    assert default_storage.open("original_images/a.jpg").read() == b"a"


# --- Settings ---------------------------------------------------------------------------


def settings_in(environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The base settings loaded with `environment`: their storages and image policy."""
    code = (
        "import json; from marketplace.settings import base as s; print(json.dumps("
        "{'storages': {k: v['BACKEND'] for k, v in s.STORAGES.items()},"
        " 'img': s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'],"
        " 'admin_img': s.CONTENT_SECURITY_POLICY_ADMIN['DIRECTIVES']['img-src']}))"
    )
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("S3_") or key == "S3_MOCK_URL"
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        # A key of its own: no generated one is written under VAR_DIR.
        env={**env, "SECRET_KEY": "settings-test", **environment},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_environment_selects_the_buckets_or_the_folders():
    local = json.loads(settings_in({}).stdout)
    assert local["storages"]["public_media"] == "django.core.files.storage.FileSystemStorage"
    assert local["storages"]["private_media"] == "marketplace.core.media_storage.PrivateStorage"

    chosen = settings_in(
        {
            "S3_BUCKET": "cho-media",
            "S3_PRIVATE_BUCKET": "cho-private",
            "S3_CUSTOM_DOMAIN": "cdn.example.org",
        }
    )
    assert chosen.returncode == 0, chosen.stderr
    selected = json.loads(chosen.stdout)
    assert selected["storages"][PUBLIC_MEDIA] == "marketplace.core.s3_storage.PublicS3Storage"
    assert selected["storages"][PRIVATE_MEDIA] == "marketplace.core.s3_storage.PrivateS3Storage"
    assert selected["storages"]["default"] == "marketplace.core.media_storage.MediaStorage"
    assert "https://cdn.example.org" in selected["img"]
    assert "https://cdn.example.org" in selected["admin_img"]

    refused = settings_in({"S3_BUCKET": "cho-media"})
    assert refused.returncode != 0
    assert "S3_PRIVATE_BUCKET is not" in refused.stderr
    same = settings_in({"S3_BUCKET": "cho", "S3_PRIVATE_BUCKET": "cho"})
    assert "documents need another one" in same.stderr


@pytest.mark.parametrize(
    ("environment", "base_url"),
    [
        ({"S3_REGION": "ap-southeast-1"}, "https://media.s3.ap-southeast-1.amazonaws.com/"),
        ({}, "https://media.s3.us-east-1.amazonaws.com/"),
        ({"S3_ENDPOINT_URL": "https://s3.example.org/"}, "https://s3.example.org/media/"),
        ({"S3_ENDPOINT_URL": "http://127.0.0.1:9023"}, "http://127.0.0.1:9023/media/"),
        ({"S3_CUSTOM_DOMAIN": "cdn.example.org"}, "https://cdn.example.org/"),
        ({"S3_CUSTOM_DOMAIN": "https://cdn.example.org/anh/"}, "https://cdn.example.org/anh/"),
    ],
)
def test_public_files_are_read_at_the_bucket_or_the_cdn(environment, base_url):
    config = ObjectStorage.from_environ(
        {"S3_BUCKET": "media", "S3_PRIVATE_BUCKET": "private", **environment}
    )
    assert config.public_base_url == base_url
    options = config.storages()[PUBLIC_MEDIA]["OPTIONS"]
    built = f"{options['url_protocol']}//{options['custom_domain']}/"
    assert built == base_url
    assert ObjectStorage.from_environ({"S3_BUCKET": " "}) is None
