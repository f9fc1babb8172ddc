"""Load the demo catalogue into the database: `load_demo(products=200)`.

Idempotent: snippets are keyed by slug and pages by a translation key derived from the
seed, and what exists is skipped. Product i is always the same product, so
`--products 500` after `--products 200` adds the 300 missing ones.
"""

import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from multiprocessing import get_context
from typing import Any

from django.db import transaction
from django.utils import timezone
from taggit.models import Tag
from wagtail.models import Collection, Locale, Page, Site

from marketplace.base.models import (
    HomePage,
    HomePageFeaturedProducer,
    HomePageFeaturedProduct,
    SiteFooter,
)
from marketplace.base.structure import SiteStructure, ensure_site_structure
from marketplace.certificates.models import OcopCertificate
from marketplace.core import places
from marketplace.core.models import CustomImage
from marketplace.core.page_writer import (
    ChildAppender,
    add_to_wagtail_indexes,
    missing_from_wagtail_indexes,
    save_images,
    search_and_reference_index_paused,
)
from marketplace.core.renditions_ahead import make_all, renditions_ahead_paused
from marketplace.curation.models import (
    CraftVillageHighlight,
    FeaturedCollection,
    FeaturedCollectionItem,
    HeroSlide,
    ProducerOfTheMonth,
)
from marketplace.demo import catalogue, data
from marketplace.demo.images import COVER_SIZE, LOGO_SIZE, PRODUCT_SIZE, ImageJob, render
from marketplace.demo.reviews import ensure_demo_reviews
from producers.models import CraftVillage, Locality, ProducerPage
from products.models import (
    ProductCategory,
    ProductCertification,
    ProductImage,
    ProductPage,
    ProductTag,
)
from search.backends import database_backend
from search.completeness import IndexCheck, complete_indexes
from search.signals import batched_updates

# Translation keys of demo pages and inline rows derive from this namespace.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, f"https://cho-ocop.example/demo/{data.SEED}")
COLLECTION_NAME = "Sample data"
BATCH_SIZE = 500
FEATURED_PRODUCTS = 8
FEATURED_PRODUCERS = 6
# Below this many products, starting worker processes costs more than it saves.
PARALLEL_FROM_PRODUCTS = 300
SIZES = {"product": PRODUCT_SIZE, "cover": COVER_SIZE, "logo": LOGO_SIZE}

# A Vietnamese object and its English translation.
Pair = tuple[Any, Any]


class DemoDataError(Exception):
    """The database holds demo data the loader cannot complete."""


def demo_key(name: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, name)


def demo_certificate_status(product_key: str) -> str:
    """Verified, except about one certificate in twenty, left for the office to check."""
    pending = demo_key(f"{product_key}/ocop").int % 20 == 0
    return OcopCertificate.Status.PENDING if pending else OcopCertificate.Status.VERIFIED


@dataclass
class LoadResult:
    created: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    # The catalogue search's indexes after the load, and pages, images and snippets from
    # an earlier load that Wagtail's search and reference indexes had missed.
    search: list[IndexCheck] = field(default_factory=list)
    wagtail_indexes_completed: int = 0

    def add(self, name: str, count: int) -> None:
        self.created[name] = self.created.get(name, 0) + count


@dataclass
class Context:
    structure: SiteStructure
    collection: Collection
    localities: dict[str, Pair]
    villages: dict[str, Pair]
    categories: dict[str, Pair]
    result: LoadResult
    log: Callable[[str], None]
    workers: int

    @property
    def locales(self) -> tuple[Locale, Locale]:
        return self.structure.home.locale, self.structure.home_en.locale


def load_demo(
    products: int = 200,
    *,
    log: Callable[[str], None] = print,
    batch_size: int = BATCH_SIZE,
    workers: int | None = None,
    renditions: bool = True,
) -> LoadResult:
    """Create (or complete) the demo catalogue with `products` products in vi and en, and
    (unless `renditions` is false) every rendition its pages show, so that no visitor of
    a fresh demo waits while an image is resized."""
    started = time.monotonic()
    result = LoadResult()
    structure = ensure_site_structure()
    locales = structure.home.locale, structure.home_en.locale
    collection = ensure_collection()
    localities = ensure_localities(locales, result)
    context = Context(
        structure=structure,
        collection=collection,
        localities=localities,
        villages=ensure_craft_villages(localities, locales, collection, result),
        categories=ensure_categories(locales, result),
        result=result,
        log=log,
        workers=(2 if products >= PARALLEL_FROM_PRODUCTS else 0) if workers is None else workers,
    )
    # The curation's search updates wait for the indexes to be complete (see below).
    with batched_updates(), renditions_ahead_paused():
        with search_and_reference_index_paused():
            producers = ensure_producers(context, catalogue.producer_count(products), batch_size)
            ensure_products(context, producers, products, batch_size)
        result.wagtail_indexes_completed = complete_wagtail_indexes()
        feature_on_home_pages(structure, producers)
        curate_home_pages(context, producers)
        result.add("reviews", ensure_demo_reviews(*locales))
        mark_as_sample_data(structure)
        log("Checking the catalogue search…")
        result.search = complete_indexes()
    if renditions:
        log("Making the images' renditions…")
        result.add("renditions", make_all()[0])
    result.seconds = time.monotonic() - started
    return result


def complete_wagtail_indexes() -> int:
    """Add what Wagtail's search and reference indexes miss of the demo's bulk-written
    objects: those of this load are indexed batch by batch, but not those of a load
    interrupted between a batch and its indexing, nor of loaders before they were."""
    missed = 0
    for model in (CustomImage, ProducerPage, ProductPage):
        pks = missing_from_wagtail_indexes(model)
        add_to_wagtail_indexes(model, pks)
        missed += len(pks)
    return missed


# --- Snippets -----------------------------------------------------------------------


def ensure_collection() -> Collection:
    root = Collection.get_first_root_node()
    return root.get_children().filter(name=COLLECTION_NAME).first() or root.add_child(
        name=COLLECTION_NAME
    )


def _ensure_pair(model, slug: str, locales: Pair, vi_fields: dict, en_fields: dict):
    """The vi and en rows of a translatable snippet, and how many were created."""
    vi, en = locales
    original = model.objects.filter(slug=slug, locale=vi).first()
    created = 0
    if original is None:
        original = model.objects.create(slug=slug, locale=vi, **vi_fields)
        created += 1
    translation = (
        model.objects.filter(translation_key=original.translation_key, locale=en).first()
        or model.objects.filter(slug=slug, locale=en).first()
    )
    if translation is None:
        translation = model.objects.create(
            slug=slug, locale=en, translation_key=original.translation_key, **en_fields
        )
        created += 1
    return (original, translation), created


def ensure_localities(locales: Pair, result: LoadResult) -> dict[str, Pair]:
    localities = {}
    for order, (slug, name, kind, _, _) in enumerate(data.LOCALITIES, start=1):
        ward = places.find_ward(places.HOME_PROVINCE_CODE, data.LOCALITY_WARDS_2025[slug])
        fields = {"name": name, "kind": kind, "display_order": order, "ward_code": ward.code}
        localities[slug], created = _ensure_pair(Locality, slug, locales, fields, fields)
        # Localities loaded before they had a 2025 ward get theirs.
        Locality.objects.filter(pk__in=[row.pk for row in localities[slug]]).update(
            ward_code=ward.code
        )
        result.add("localities", created)
    return localities


def ensure_categories(locales: Pair, result: LoadResult) -> dict[str, Pair]:
    """The six OCOP groups (from the products migration) and the demo sub-categories."""
    vi, en = locales
    groups = ProductCategory.objects.filter(parent=None, ocop_group__isnull=False)
    english = {group.translation_key: group for group in groups.filter(locale=en)}
    categories = {
        group.slug: (group, english[group.translation_key]) for group in groups.filter(locale=vi)
    }
    for order, (slug, group_slug, name_vi, name_en) in enumerate(data.SUBCATEGORIES, start=1):
        group_vi, group_en = categories[group_slug]
        common = {"ocop_group": group_vi.ocop_group, "display_order": order}
        categories[slug], created = _ensure_pair(
            ProductCategory,
            slug,
            locales,
            {"name": name_vi, "parent": group_vi, **common},
            {"name": name_en, "parent": group_en, **common},
        )
        # Categories loaded under an earlier grouping move (tea and coffee: food, not drinks).
        vi_row, en_row = categories[slug]
        ProductCategory.objects.filter(pk=vi_row.pk).update(parent=group_vi, **common)
        ProductCategory.objects.filter(pk=en_row.pk).update(parent=group_en, **common)
        result.add("categories", created)
    return categories


def ensure_craft_villages(
    localities: dict[str, Pair], locales: Pair, collection: Collection, result: LoadResult
) -> dict[str, Pair]:
    villages = {}
    for village in data.CRAFT_VILLAGES:
        existing = CraftVillage.objects.filter(slug=village.slug, locale=locales[0]).first()
        image = existing.image if existing else _village_image(village, collection)
        locality_vi, locality_en = localities[village.locality]
        vi_fields = {
            "name": village.name_vi,
            "locality": locality_vi,
            "history": village.history_vi,
            "main_crafts": village.crafts_vi,
            "image": image,
        }
        en_fields = {
            "name": village.name_en,
            "locality": locality_en,
            "history": village.history_en,
            "main_crafts": village.crafts_en,
            "image": image,
        }
        villages[village.slug], created = _ensure_pair(
            CraftVillage, village.slug, locales, vi_fields, en_fields
        )
        result.add("craft villages", created)
    return villages


def _village_image(village: data.Village, collection: Collection) -> CustomImage:
    trade = next(trade for trade in data.TRADES if trade.village == village.slug)
    style = data.GROUP_STYLES[trade.group]
    job = ImageJob(
        "cover", village.name_vi, village.crafts_vi, style.start, style.end, village.slug
    )
    row = _image(
        "cover",
        village.name_vi,
        f"{village.name_vi}: {village.crafts_vi}",
        f"{village.name_en}: {village.crafts_en}",
        collection,
    )
    images = save_images([(_file_name(f"village-{village.slug}"), render(job))], [row])
    add_to_wagtail_indexes(CustomImage, [image.pk for image in images])
    return images[0]


# --- Images -------------------------------------------------------------------------


def _file_name(stem: str) -> str:
    return f"original_images/demo/{stem}.jpg"


def _image(kind: str, title: str, alt_vi: str, alt_en: str, collection) -> CustomImage:
    width, height = SIZES[kind]
    return CustomImage(
        title=title[:255],
        description=alt_vi[:255],
        description_en=alt_en[:255],
        width=width,
        height=height,
        collection=collection,
    )


def _rendered(
    batches: list[list], jobs_for: Callable[[list], list[ImageJob]], workers: int
) -> Iterator[tuple[list, list[bytes]]]:
    """Each batch with its pictures. With workers, the next batch's pictures are drawn in
    other processes while the caller writes this batch to the database."""
    if not workers:
        for batch in batches:
            yield batch, [render(job) for job in jobs_for(batch)]
        return
    # spawn, not fork: the children need no copy of Django's open database connection.
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
        pending = None
        for batch in batches:
            drawing = pool.map(render, jobs_for(batch), chunksize=16)
            if pending:
                yield pending[0], list(pending[1])
            pending = (batch, drawing)
        if pending:
            yield pending[0], list(pending[1])


def _chunks(items: list, size: int) -> list[list]:
    return [items[start : start + size] for start in range(0, len(items), size)]


# --- Producers ----------------------------------------------------------------------


def _producer_jobs(specs: list[catalogue.ProducerSpec]) -> list[ImageJob]:
    jobs = []
    for spec in specs:
        style = data.GROUP_STYLES[spec.trade.group]
        jobs.append(ImageJob("logo", spec.name_vi, "", style.start, style.end, spec.key))
        jobs.append(ImageJob("cover", spec.name_vi, spec.address, style.end, style.start, spec.key))
    return jobs


def _producer_images(context: Context, batch: list[catalogue.ProducerSpec], pictures):
    files, rows = [], []
    for spec in batch:
        for kind, label_vi, label_en in (("logo", "Logo", "Logo"), ("cover", "Ảnh", "Photo")):
            files.append(_file_name(f"producer-{spec.index}-{kind}"))
            rows.append(
                _image(
                    kind,
                    f"{label_vi} {spec.name_vi}",
                    f"{label_vi} {spec.name_vi}",
                    f"{label_en} {spec.name_en}",
                    context.collection,
                )
            )
    return save_images(zip(files, pictures, strict=True), rows)


def ensure_producers(context: Context, count: int, batch_size: int) -> list[Pair]:
    """The (vi, en) ProducerPage pairs of producers 0…count-1, created if missing."""
    specs = [catalogue.producer_spec(index) for index in range(count)]
    keys = [demo_key(spec.key) for spec in specs]
    found = [_pages_by_key(ProducerPage, locale, keys) for locale in context.locales]
    if untranslated := found[0].keys() - found[1].keys():
        names = ", ".join(found[0][key].title for key in untranslated)
        raise DemoDataError(f"Demo producers without their English page: {names}.")
    missing = [spec for spec, key in zip(specs, keys, strict=True) if key not in found[0]]
    appenders = [ChildAppender(context.structure.producers)]
    appenders.append(ChildAppender(context.structure.producers_en))
    for batch, pictures in _rendered(_chunks(missing, batch_size), _producer_jobs, context.workers):
        with transaction.atomic():
            images = _producer_images(context, batch, pictures)
            pages = []
            for spec, (logo, cover) in zip(batch, _chunks(images, 2), strict=True):
                for position, page in enumerate(_producer_pages(context, spec, logo, cover)):
                    found[position][page.translation_key] = appenders[position].add(page)
                    pages.append(page)
            for appender in appenders:
                appender.save_numchild()
            add_to_wagtail_indexes(CustomImage, [image.pk for image in images])
            add_to_wagtail_indexes(ProducerPage, [page.pk for page in pages])
        context.result.add("producers", len(batch))
        context.result.add("images", len(images))
        context.log(f"Producers: {len(found[0])}/{count}")
    return [(found[0][key], found[1][key]) for key in keys]


def _pages_by_key(model: type[Page], locale: Locale, keys: list[uuid.UUID]) -> dict:
    # Filtered here, not with translation_key__in: SQLite limits query parameters.
    wanted = set(keys)
    pages = model.objects.filter(locale=locale)
    return {page.translation_key: page for page in pages if page.translation_key in wanted}


def _producer_pages(context: Context, spec: catalogue.ProducerSpec, logo, cover):
    """The unsaved vi and en pages of one producer."""
    common = {
        "legal_form": spec.legal_form,
        "artisan_title": spec.artisan_title,
        "address": spec.address,
        "latitude": spec.latitude,
        "longitude": spec.longitude,
        "phone": spec.phone,
        "zalo_phone": spec.zalo_phone,
        "whatsapp_phone": spec.whatsapp_phone,
        "email": spec.email,
        "founded_year": spec.founded_year,
        "logo": logo,
        "cover_image": cover,
        "translation_key": demo_key(spec.key),
        # The same on both pages: payment settings are synchronised across translations.
        **asdict(spec.payment),
        **asdict(spec.delivery),
    }
    for position, language in enumerate(("vi", "en")):
        name = getattr(spec, f"name_{language}")
        yield ProducerPage(
            title=name,
            display_name=name,
            slug=getattr(spec, f"slug_{language}"),
            locale=context.locales[position],
            locality=context.localities[spec.locality][position],
            craft_village=context.villages[spec.village][position] if spec.village else None,
            summary=getattr(spec, f"summary_{language}"),
            story=_paragraph(getattr(spec, f"story_{language}"), f"{spec.key}/story"),
            **common,
        )


def _paragraph(html: str, key: str) -> list[dict]:
    """A StreamField value with one paragraph block, in its stored JSON form."""
    return [{"type": "paragraph", "value": html, "id": str(demo_key(key))}]


# --- Products -----------------------------------------------------------------------


def _product_jobs(specs: list[catalogue.ProductSpec]) -> list[ImageJob]:
    jobs = []
    for spec in specs:
        style = data.GROUP_STYLES[spec.producer.trade.group]
        for number in range(spec.image_count):
            start, end = (style.start, style.end) if number == 0 else (style.end, style.start)
            title, producer = spec.title_vi, spec.producer.name_vi
            jobs.append(ImageJob("product", title, producer, start, end, f"{spec.key}/{number}"))
    return jobs


def ensure_products(context: Context, producers: list[Pair], count: int, batch_size: int) -> None:
    keys = [demo_key(f"product/{index}") for index in range(count)]
    existing = set(
        ProductPage.objects.filter(locale=context.locales[0], translation_key__in=keys).values_list(
            "translation_key", flat=True
        )
    )
    missing = [index for index, key in enumerate(keys) if key not in existing]
    batches = [
        [catalogue.product_spec(index) for index in chunk] for chunk in _chunks(missing, batch_size)
    ]
    writer = ProductWriter(context, producers)
    started, done = time.monotonic(), 0
    for batch, pictures in _rendered(batches, _product_jobs, context.workers):
        with transaction.atomic():
            writer.write(batch, pictures)
        done += len(batch)
        rate = done / (time.monotonic() - started)
        context.log(f"Products: {count - len(missing) + done}/{count} ({rate:.0f} products/s)")
    context.result.add("products", done)


class ProductWriter:
    """Writes batches of products: images, vi and en pages, and their inline rows."""

    def __init__(self, context: Context, producers: list[Pair]):
        self.context = context
        self.producers = producers
        self.appenders: dict[int, ChildAppender] = {}
        self.tags: dict[str, Tag] = {}

    def write(self, batch: list[catalogue.ProductSpec], pictures: list[bytes]) -> None:
        images = save_images(zip(self._files(batch), pictures, strict=True), self._rows(batch))
        unused_images = iter(images)
        pages = []
        inlines: dict[type, list] = {
            ProductImage: [],
            OcopCertificate: [],
            ProductCertification: [],
            ProductTag: [],
        }
        for spec in batch:
            gallery = [next(unused_images) for _ in range(spec.image_count)]
            for position, language in enumerate(("vi", "en")):
                page = self._page(spec, position, language)
                self._appender(self.producers[spec.producer.index][position]).add(page)
                pages.append(page)
                _add_inlines(inlines, spec, page, gallery, language, self._tag)
        for model, objects in inlines.items():
            model.objects.bulk_create(objects)
        for appender in self.appenders.values():
            appender.save_numchild()
        # In the batch's transaction: a load cut short leaves no page unindexed.
        page_ids = [page.pk for page in pages]
        add_to_wagtail_indexes(CustomImage, [image.pk for image in images])
        add_to_wagtail_indexes(ProductPage, page_ids)
        database_backend().update(page_ids)
        self.context.result.add("images", len(images))

    def _appender(self, parent: Page) -> ChildAppender:
        if parent.pk not in self.appenders:
            self.appenders[parent.pk] = ChildAppender(parent)
        return self.appenders[parent.pk]

    def _tag(self, name: str) -> Tag:
        if name not in self.tags:
            self.tags[name] = Tag.objects.get_or_create(name=name)[0]
        return self.tags[name]

    def _files(self, batch: list[catalogue.ProductSpec]) -> list[str]:
        return [
            _file_name(f"product-{spec.index}-{number + 1}")
            for spec in batch
            for number in range(spec.image_count)
        ]

    def _rows(self, batch: list[catalogue.ProductSpec]) -> list[CustomImage]:
        return [
            _image(
                "product",
                spec.title_vi if number == 0 else f"{spec.title_vi} ({number + 1})",
                f"{spec.title_vi} – {spec.producer.name_vi}",
                f"{spec.title_en} – {spec.producer.name_en}",
                self.context.collection,
            )
            for spec in batch
            for number in range(spec.image_count)
        ]

    def _page(self, spec: catalogue.ProductSpec, position: int, language: str) -> ProductPage:
        def text(name: str) -> str:
            return getattr(spec, f"{name}_{language}")

        return ProductPage(
            title=text("title"),
            slug=text("slug"),
            locale=self.context.locales[position],
            translation_key=demo_key(spec.key),
            category=self.context.categories[spec.category][position],
            short_description=text("short_description"),
            body=_paragraph(text("body"), f"{spec.key}/body"),
            price_vnd=spec.price_vnd,
            price_on_request=spec.price_on_request,
            unit=text("unit"),
            minimum_order_quantity=spec.minimum_order_quantity,
            availability=spec.availability,
            season_months=spec.season_months,
            lead_time_days=spec.lead_time_days,
            shelf_life=text("shelf_life"),
            ingredients=text("ingredients"),
            storage_advice=text("storage"),
            traceability_code=spec.traceability_code,
            traceability_url=spec.traceability_url,
            search_description=text("short_description")[:160],
        )


def _add_inlines(inlines, spec, page, gallery, language: str, tag: Callable) -> None:
    """The page's gallery, certificate and tag rows; translated rows share a key."""
    for order, image in enumerate(gallery):
        caption = "" if order == 0 else {"vi": "Chi tiết", "en": "Detail"}[language]
        inlines[ProductImage].append(
            ProductImage(page=page, image=image, caption=caption, sort_order=order)
        )
    if certificate := spec.ocop:
        inlines[OcopCertificate].append(
            OcopCertificate(
                page=page,
                locale=page.locale,
                translation_key=demo_key(f"{spec.key}/ocop"),
                sort_order=0,
                stars=certificate.stars,
                score=certificate.score,
                decision_number=certificate.decision_number,
                product_group=getattr(certificate, f"product_group_{language}"),
                product_subgroup=certificate.product_subgroup,
                issuing_level=certificate.issuing_level,
                issuing_body=certificate.issuing_body,
                issue_date=certificate.issue_date,
                expiry_date=certificate.expiry_date,
                # Demo certificates come verified, as the office would have them; a few
                # wait in the office's queue.
                status=demo_certificate_status(spec.key),
                status_changed_at=timezone.now(),
                document_public=True,
            )
        )
    if other := spec.certification:
        inlines[ProductCertification].append(
            ProductCertification(
                page=page,
                locale=page.locale,
                translation_key=demo_key(f"{spec.key}/certification"),
                sort_order=0,
                kind=other.kind,
                name=getattr(other, f"name_{language}"),
                number=other.number,
                issuer=other.issuer,
                valid_from=other.valid_from,
                valid_until=other.valid_until,
            )
        )
    for name in getattr(spec, f"tags_{language}"):
        inlines[ProductTag].append(ProductTag(content_object=page, tag=tag(name)))


# --- Home pages and footer ----------------------------------------------------------


def feature_on_home_pages(structure: SiteStructure, producers: list[Pair]) -> None:
    """Feature well-rated products and the first producers where editors chose none."""
    chosen = _best_products(structure.home.locale, FEATURED_PRODUCTS)
    for position, home_pk in enumerate((structure.home.pk, structure.home_en.pk)):
        home = HomePage.objects.get(pk=home_pk)
        changed = False
        if chosen and not home.featured_products.exists():
            home.featured_products = [
                HomePageFeaturedProduct(
                    product=product if position == 0 else product.get_translation(home.locale),
                    sort_order=order,
                )
                for order, product in enumerate(chosen)
            ]
            changed = True
        if producers and not home.featured_producers.exists():
            home.featured_producers = [
                HomePageFeaturedProducer(producer=pair[position], sort_order=order)
                for order, pair in enumerate(producers[:FEATURED_PRODUCERS])
            ]
            changed = True
        if changed:
            home.save_revision().publish()


def _translated(rows: list, locales: Pair) -> None:
    """Save Vietnamese snippet rows with their English copies (same translation key)."""
    for vi_row, en_fields in rows:
        vi_row.locale = locales[0]
        vi_row.save()
        en_row = vi_row.copy_for_translation(locales[1])
        for name, value in en_fields.items():
            setattr(en_row, name, value)
        en_row.save()


def _translations(pages: list, locale) -> list:
    """The pages' translations in `locale`, leaving out those without one."""
    return [t for page in pages if (t := page.get_translation_or_none(locale)) is not None]


def align_collection_items(locales: Pair) -> int:
    """Point the items of translated collections at pages of their own language: loads
    before the choosers kept to the collection's language copied the Vietnamese ones."""
    moved = 0
    for item in (
        FeaturedCollectionItem.objects.filter(collection__locale=locales[1])
        .exclude(product__locale=locales[1])
        .exclude(product__isnull=True)
    ):
        translation = item.product.get_translation_or_none(locales[1])
        if translation is not None:
            item.product = translation
            item.save(update_fields=["product"])
            moved += 1
    return moved


def curate_home_pages(context: Context, producers: list[Pair]) -> None:
    """The office's home page blocks, where it has made none: a featured collection, a
    hero slide, the producer of the month and a craft village in focus."""
    locales = context.locales
    today = timezone.localdate()
    if not FeaturedCollection.objects.exists():
        chosen = _best_products(locales[0], FEATURED_PRODUCTS)
        if chosen:
            collection = FeaturedCollection(
                title="Quà Tết OCOP",
                slug="qua-tet-ocop",
                intro="Sản phẩm OCOP của Điện Bàn, gói sẵn làm quà.",
                items=[
                    FeaturedCollectionItem(product=product, sort_order=order)
                    for order, product in enumerate(chosen)
                ],
            )
            _translated(
                [
                    (
                        collection,
                        {
                            "title": "OCOP gifts for Tết",
                            "intro": "Điện Bàn's OCOP products, ready to give.",
                            # The English collection shows the English pages.
                            "items": [
                                FeaturedCollectionItem(product=translation, sort_order=order)
                                for order, translation in enumerate(
                                    _translations(chosen, locales[1])
                                )
                            ],
                        },
                    )
                ],
                locales,
            )
    align_collection_items(locales)
    village_pair = next(iter(context.villages.values()), None)
    if not HeroSlide.objects.exists():
        products_index = context.structure.products
        _translated(
            [
                (
                    HeroSlide(
                        title="Đặc sản OCOP Điện Bàn",
                        text="Nước mắm Hà Quảng, đồ gỗ Đông Khương, mây tre Câu Nhi Đông, "
                        "chiếu cói và hơn thế: đặt hàng thẳng từ người làm ra.",
                        image=village_pair[0].image if village_pair else None,
                        link_page=products_index,
                        button_label="Xem sản phẩm",
                        starts_on=today,
                    ),
                    {
                        "title": "Điện Bàn's OCOP specialities",
                        "text": "Hà Quảng fish sauce, Đông Khương woodwork, Câu Nhi Đông "
                        "bamboo, sedge mats and more: order straight from the people who "
                        "make them.",
                        "link_page": context.structure.products_en,
                        "button_label": "See the products",
                    },
                )
            ],
            locales,
        )
    if producers and not ProducerOfTheMonth.objects.exists():
        _translated(
            [
                (
                    ProducerOfTheMonth(
                        producer=producers[0][0],
                        month=today,
                        note="Ba thế hệ giữ nghề, nay đưa sản phẩm lên chợ trực tuyến.",
                    ),
                    {
                        "producer": producers[0][1],
                        "note": "Three generations in the trade, now selling online.",
                    },
                )
            ],
            locales,
        )
    if village_pair and not CraftVillageHighlight.objects.exists():
        _translated(
            [
                (
                    CraftVillageHighlight(
                        craft_village=village_pair[0],
                        starts_on=today,
                        note="Ghé làng, xem nghệ nhân làm việc và mua tận nơi.",
                    ),
                    {
                        "craft_village": village_pair[1],
                        "note": "Visit the village, watch the artisans and buy on the spot.",
                    },
                )
            ],
            locales,
        )


def _best_products(locale: Locale, count: int) -> list[ProductPage]:
    """Products with a valid certificate, one per producer: the 4★ ones first (the town
    has few, and no 5★), then 3★, each in tree order."""
    chosen, producers = [], set()
    for min_stars in (4, 3):
        candidates = (
            ProductPage.objects.live()
            .filter(
                locale=locale,
                ocop_certificates__stars__gte=min_stars,
                ocop_certificates__status=OcopCertificate.Status.VERIFIED,
                ocop_certificates__expiry_date__gte=timezone.localdate(),
            )
            .order_by("path")
            .distinct()
        )
        for product in candidates.iterator():
            producer_path = product.path[: -Page.steplen]
            if producer_path not in producers:
                producers.add(producer_path)
                chosen.append(product)
                if len(chosen) == count:
                    return chosen
    return chosen


def mark_as_sample_data(structure: SiteStructure) -> None:
    """Turn on the site-wide sample-data notice; fill in the office if it is empty."""
    footer = SiteFooter.for_site(Site.objects.get(root_page=structure.home))
    footer.is_sample_data = True
    if not (footer.address or footer.phone or footer.email):
        footer.address = data.OFFICE["address"]
        footer.phone = data.OFFICE["phone"]
        footer.email = data.OFFICE["email"]
    footer.save()
