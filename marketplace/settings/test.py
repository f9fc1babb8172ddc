"""pytest: fast hashing, in-memory mail, media and private files in temporary folders."""

import os
import tempfile

os.environ.setdefault("DEBUG", "0")

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests of a hung mail server (tests/test_mail_timeout.py) wait this long, not 10 s.
EMAIL_TIMEOUT = 3
MEDIA_ROOT = tempfile.mkdtemp(prefix="chocop-media-")
PRIVATE_MEDIA_ROOT = SENDFILE_ROOT = tempfile.mkdtemp(prefix="chocop-private-")
# WhiteNoise warns when STATIC_ROOT is missing; tests serve static files through finders.
STATIC_ROOT = tempfile.mkdtemp(prefix="chocop-static-")
STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "django.contrib.staticfiles.storage.StaticFilesStorage"
)
# Local folders whatever S3_* a developer's shell holds: no test writes to a real bucket
# (tests/test_s3_storage.py points these at an S3 server of its own).
OBJECT_STORAGE = None
STORAGES.update(media_storages(OBJECT_STORAGE))  # noqa: F405
ALLOWED_HOSTS = ["*"]
# Tasks run inside the request that queues them, so a test sees their effect at once;
# tests of the task worker (tests/test_task_worker.py) queue in the database and run
# `manage.py run_worker` in processes of their own.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND") or "immediate"
TASKS = {"default": {"BACKEND": TASKS_BACKENDS[TASKS_BACKEND]}}  # noqa: F405
# The host Django's test client sends: the site is served where it says it is, as in
# production. Tests of the address itself override it (the `public_address` fixture).
PUBLIC_BASE_URL = WAGTAILADMIN_BASE_URL = "http://testserver"
# Tests use the database backend unless they ask for Elasticsearch: the node's URL
# reaches them through the `elasticsearch_url` fixture, not through the settings.
ELASTICSEARCH_URL = ""
# Likewise Stripe: a developer's real keys never reach the tests; the `stripe_api`
# fixture points them at stripe-mock.
STRIPE_SECRET_KEY = STRIPE_PUBLISHABLE_KEY = STRIPE_WEBHOOK_SECRET = ""
STRIPE_API_BASE = ""
# Buffered writes (product views, the search log) are written when each request ends, so
# a test reads them at once, and never from another thread, which would not see the test's
# transaction. tests/test_counting_buffer.py sets production's values.
WRITE_BUFFER_SECONDS = 0
WRITE_BUFFER_TIMER = False
# Renditions made ahead in the test's own thread: a thread of their own would not see the
# test's transaction (tests of the thread turn it back on).
RENDITIONS_AHEAD_IN_BACKGROUND = False
# Pages in memory (one process); conftest's fresh_caches empties them before each test.
CACHES = {
    **CACHES,  # noqa: F405
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
}
# Likewise Redis: REDIS_URL reaches only the tests of the shared cache, through the
# `redis_url` fixture (tests/test_redis_cache.py). Every other test keeps a cache of its
# own, which fresh_caches empties; on a Redis that test processes share, that would
# empty the others' too.
REDIS_URL = ""
CACHES["default"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
PAGE_CACHE_GENERATION_CACHE = "pages"
# Tests of the page cache ask for a page twice: kept on the first, served on the second.
# tests/test_page_cache.py checks the production setting (2) on its own.
PAGE_CACHE_KEEP_AFTER = 1
