"""django-storages' S3 storage as the site uses it (marketplace.core.media_storage routes
names to these; STORAGES names them only when S3_BUCKET is set, so boto3 is imported
only then)."""

from botocore.config import Config
from storages.backends.s3 import S3Storage

# A bucket that does not answer must not hold a visitor's request for botocore's default
# minute per attempt: a few seconds to connect, and three attempts in all.
CLIENT_CONFIG = Config(
    connect_timeout=5,
    read_timeout=30,
    retries={"mode": "standard", "max_attempts": 3},
)
# Files read from a bucket (a document being served, an original being resized) stay in
# memory up to this size, then go to a temporary file.
MAX_MEMORY_SIZE = 8 * 1024 * 1024


class BucketStorage(S3Storage):
    """S3Storage with the site's client settings."""

    def __init__(self, **options) -> None:
        options.setdefault("max_memory_size", MAX_MEMORY_SIZE)
        super().__init__(**options)
        # Merged into the one S3Storage builds from addressing_style and signature_version.
        self.client_config = self.client_config.merge(CLIENT_CONFIG)


class PublicS3Storage(BucketStorage):
    """The public bucket: pictures and renditions, at plain (unsigned) addresses."""


class PrivateS3Storage(BucketStorage):
    """The private bucket: documents. No URL at all, signed or not, as PrivateStorage:
    Wagtail's document view then streams the file itself, after its permission check,
    and no address that skips that check ever leaves the site."""

    def url(self, name, parameters=None, expire=None, http_method=None) -> str:
        raise NotImplementedError("Private files have no URL: link the view that serves them.")
