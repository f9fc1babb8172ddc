"""Renditions made ahead (publish, image changes, the demo, `make_renditions`), the one
list of specs the templates use, and a rendition cache that never writes on a hit."""

import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.images.models import Filter

from marketplace.core import rendition_specs
from marketplace.core.models import CustomImage, CustomRendition
from marketplace.core.renditions_ahead import THREAD_NAME, make_all, merged_plan
from marketplace.demo import loader
from products.models import ProductImage
from tests.factories import make_image, make_producer, make_product

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# {% image photo fill-160x160 format-jpeg as thumb %}, {% picture image format-{…} fill-… %}
WAGTAIL_TAG = re.compile(r"{%\s*(?:image|picture|srcset_image)\s+\S+\s+(.*?)%}")
# {% responsive_picture image "format-{…}|fill-{…}" sizes=… %}
RESPONSIVE_TAG = re.compile(r"""{%\s*responsive_picture\s+\S+\s+["']([^"']+)["']""")


def template_specs() -> dict[str, str]:
    """Every literal rendition spec of the templates, as the tags join it, with its file."""
    found = {}
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        for match in WAGTAIL_TAG.finditer(text):
            operations = []
            for token in match.group(1).split():
                if token == "as" or "=" in token:
                    break
                operations.append(token)
            found["|".join(operations)] = str(path.relative_to(TEMPLATES))
        for match in RESPONSIVE_TAG.finditer(text):
            found[match.group(1)] = str(path.relative_to(TEMPLATES))
    return found


def test_every_spec_a_template_uses_is_in_the_one_list():
    specs = template_specs()
    assert len(specs) >= 10  # the parser still finds the tags
    missing = {spec: path for spec, path in specs.items() if spec not in rendition_specs.ALL_SPECS}
    assert missing == {}, "add these to marketplace/core/rendition_specs.py and to a plan"


def our_python() -> str:
    return "\n".join(
        path.read_text()
        for folder in ("marketplace", "products", "producers", "search")
        for path in (Path(settings.BASE_DIR) / folder).rglob("*.py")
        if path.name != "rendition_specs.py" and "migrations" not in path.parts
    )


def test_python_code_writes_no_spec_of_its_own():
    literal = re.compile(r"""(?:get_renditions?|responsive_picture|Filter)\(\s*["']""")
    assert literal.findall(our_python()) == []


def test_every_spec_of_the_list_is_shown_somewhere():
    python = our_python()
    names = [name for name in dir(rendition_specs) if name.isupper() and name != "ALL_SPECS"]
    unused = [name for name in names if not re.search(rf"\b{name}\b", python)]
    assert unused == []


def renditions_of(*images: CustomImage) -> set[tuple[int, str, str]]:
    rows = CustomRendition.objects.filter(image__in=images)
    return set(rows.values_list("image_id", "filter_spec", "focal_point_key"))


def published_product(site, capture, images: int = 5):
    producer = make_producer(site.producers, logo=make_image("Logo"), cover_image=make_image())
    with capture(execute=True):
        product = make_product(producer, publish=False)
        for n in range(1, images):
            ProductImage.objects.create(page=product, image=make_image(), sort_order=n)
        product.save_revision().publish()
        producer.save_revision().publish()
    return producer, product


def test_publishing_makes_every_rendition_the_pages_show(
    site, client, django_capture_on_commit_callbacks
):
    producer, product = published_product(site, django_capture_on_commit_callbacks)
    images = [item.image for item in product.gallery_images.all()]
    assert len(images) == 5
    expected = {
        (image.pk, spec)
        for image, specs in merged_plan([product, producer]).values()
        for spec in rendition_specs.expand(*specs)
    }
    made = {
        (pk, spec) for pk, spec, _key in renditions_of(*images, producer.logo, producer.cover_image)
    }
    assert expected <= made
    first = images[0].pk
    assert (first, "format-avif|fill-400x300") in made  # the card
    assert (images[4].pk, "format-webp|max-960x960") in made  # the gallery

    before = CustomRendition.objects.count()
    for url in (product.url, producer.url, site.products.url, site.producers.url, "/vi/"):
        assert client.get(url).status_code == 200, url
    assert CustomRendition.objects.count() == before  # no visitor waited for a resize


def test_a_draft_makes_nothing(site, django_capture_on_commit_callbacks):
    producer = make_producer(site.producers, publish=False)
    with django_capture_on_commit_callbacks(execute=True):
        make_product(producer, publish=False)
    assert CustomRendition.objects.count() == 0


def test_moving_the_focal_point_makes_the_cropped_renditions_again(
    site, django_capture_on_commit_callbacks
):
    _producer, product = published_product(site, django_capture_on_commit_callbacks, images=1)
    image = product.gallery_images.get().image
    with django_capture_on_commit_callbacks(execute=True):
        image.focal_point_x, image.focal_point_y = 10, 10
        image.focal_point_width = image.focal_point_height = 8
        image.save()
    key = Filter("format-avif|fill-400x300").get_cache_key(image)
    assert (image.pk, "format-avif|fill-400x300", key) in renditions_of(image)


def test_make_renditions_fills_the_gaps(site, django_capture_on_commit_callbacks):
    published_product(site, django_capture_on_commit_callbacks, images=2)
    made = renditions_of(*CustomImage.objects.all())
    CustomRendition.objects.filter(filter_spec__startswith="format-avif").delete()

    call_command("make_renditions", verbosity=0)

    assert renditions_of(*CustomImage.objects.all()) == made
    assert make_all()[0] == 0  # nothing left to make


def test_an_image_without_its_file_is_skipped(site, django_capture_on_commit_callbacks, caplog):
    producer = make_producer(site.producers)
    product = make_product(producer, publish=False)
    product.gallery_images.get().image.file.delete(save=False)
    with django_capture_on_commit_callbacks(execute=True):
        product.save_revision().publish()  # published all the same
    assert "no readable file" in caplog.text


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_in_production_they_are_made_in_a_thread_after_the_commit(site, settings, postgresql):
    settings.RENDITIONS_AHEAD_IN_BACKGROUND = True
    producer = make_producer(site.producers, publish=False)
    product = make_product(producer, publish=False)
    product.save_revision().publish()  # autocommit: the thread starts at once
    for thread in threading.enumerate():
        if thread.name == THREAD_NAME:
            thread.join(timeout=60)
    image = product.gallery_images.get().image
    assert (image.pk, "format-avif|fill-400x300") in {
        (pk, spec) for pk, spec, _key in renditions_of(image)
    }


# The rendition cache ------------------------------------------------------------------


class Writes:
    """The rendition cache's writes (the real LocMemCache of settings.CACHES)."""

    def __init__(self, monkeypatch):
        self.keys: list[str] = []
        backend = CustomRendition.cache_backend
        set_one, set_many = backend.set, backend.set_many

        def spy_set(key, value, *args, **kwargs):
            self.keys.append(key)
            return set_one(key, value, *args, **kwargs)

        def spy_set_many(data, *args, **kwargs):
            self.keys.extend(data)
            return set_many(data, *args, **kwargs)

        monkeypatch.setattr(backend, "set", spy_set)
        monkeypatch.setattr(backend, "set_many", spy_set_many)


def rendition_queries(queries) -> list[str]:
    return [query["sql"] for query in queries if "customrendition" in query["sql"]]


def test_the_rendition_cache_is_in_memory_not_the_database(tmp_path):
    """In production too, where the default cache is the database."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "marketplace.settings.production",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "cho-ocop.example.org",
        "DATABASE_URL": "postgres://chocop:not-used@127.0.0.1:5432/chocop_production",
        "PUBLIC_BASE_URL": "https://cho-ocop.example.org/",
        "VAR_DIR": str(tmp_path),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    code = "from marketplace.settings import production as p; print(p.CACHES['renditions'])"
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=settings.BASE_DIR, capture_output=True, text=True
    )
    assert result.stdout.strip() == str(settings.CACHES["renditions"]), result.stderr
    assert settings.CACHES["renditions"]["BACKEND"].endswith("LocMemCache")


def test_a_cache_hit_is_not_written_again(db, monkeypatch):
    image = make_image()
    image.get_rendition("max-120x120")
    image.get_renditions("format-webp|max-480x480", "format-jpeg|max-480x480")
    writes = Writes(monkeypatch)

    fresh = CustomImage.objects.get(pk=image.pk)
    with CaptureQueriesContext(connection) as queries:
        fresh.get_rendition("max-120x120")
        fresh.get_renditions("format-webp|max-480x480", "format-jpeg|max-480x480")
    assert writes.keys == []
    assert rendition_queries(queries) == []


def test_a_warm_page_writes_no_rendition_and_reads_none_from_the_database(
    site, client, monkeypatch, django_capture_on_commit_callbacks
):
    producer, product = published_product(site, django_capture_on_commit_callbacks)
    urls = (product.url, producer.url, "/vi/")
    for url in urls:
        client.get(url)  # warms this process's rendition cache
    writes = Writes(monkeypatch)

    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        assert rendition_queries(queries) == [], url
    assert writes.keys == []


def test_a_cached_rendition_is_small(db):
    import pickle

    image = make_image()
    rendition = image.get_rendition("max-120x120")
    assert len(pickle.dumps(rendition)) < 1500
    assert pickle.loads(pickle.dumps(rendition))._from_cache


# The demo -----------------------------------------------------------------------------


def test_the_demo_leaves_no_image_without_its_renditions(db, site, client):
    loader.load_demo(2, workers=0, log=lambda message: None)

    without = CustomImage.objects.filter(renditions__isnull=True)
    assert list(without.values_list("title", flat=True)) == []
    assert make_all()[0] == 0
    before = CustomRendition.objects.count()
    for url in ("/vi/", "/en/", site.products.url, site.producers.url):
        assert client.get(url).status_code == 200
    assert CustomRendition.objects.count() == before
