"""The page tree every installation needs: home, catalogue and producer index pages,
in Vietnamese and English, and the default Site at the public address (PUBLIC_BASE_URL).
Idempotent: `ensure_site_structure()` may run any time."""

from dataclasses import dataclass

from django.db import transaction
from wagtail.models import Locale, Page, Site

from marketplace.base.models import HomePage
from marketplace.base.site_record import sync_default_site
from marketplace.core.site_address import site_hostname_and_port
from producers.models import ProducerIndexPage
from products.models import ProductIndexPage


@dataclass
class SiteStructure:
    home: HomePage
    products: ProductIndexPage
    producers: ProducerIndexPage
    home_en: HomePage
    products_en: ProductIndexPage
    producers_en: ProducerIndexPage


def _publish(page: Page) -> Page:
    page.save_revision().publish()
    return page


def _translate(page: Page, locale: Locale, **fields) -> Page:
    existing = page.get_translation_or_none(locale)
    if existing is not None:
        return existing.specific
    translated = page.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(translated, name, value)
    _publish(translated)
    # The copy keeps the source's url_path in memory until reloaded.
    translated.refresh_from_db()
    return translated


def _child(parent: Page, model: type[Page], **fields) -> Page:
    existing = model.objects.child_of(parent).first()
    if existing is not None:
        return existing
    page = model(**fields)
    parent.add_child(instance=page)
    return _publish(page)


@transaction.atomic
def ensure_site_structure() -> SiteStructure:
    vi, _ = Locale.objects.get_or_create(language_code="vi")
    en, _ = Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node()

    home = HomePage.objects.filter(locale=vi).first()
    if home is None:
        # Wagtail's installer leaves a bare "Welcome" page: ours replaces it.
        Page.objects.filter(depth=2, content_type__model="page").delete()
        root.refresh_from_db()
        home = HomePage(
            title="Chợ OCOP Điện Bàn",
            slug="trang-chu",
            locale=vi,
            hero_title="Sản phẩm OCOP và làng nghề Điện Bàn",
            hero_text=(
                "Mua trực tiếp từ hợp tác xã, hộ kinh doanh và nghệ nhân: "
                "nước mắm, bánh tráng, gốm, chiếu cói và nhiều đặc sản khác."
            ),
            seo_title="Chợ OCOP Điện Bàn – sản phẩm OCOP, làng nghề, nông sản sạch",
        )
        root.add_child(instance=home)
        _publish(home)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        hostname, port = site_hostname_and_port()
        Site.objects.create(
            hostname=hostname,
            port=port,
            root_page=home,
            is_default_site=True,
            site_name="Chợ OCOP",
        )
    else:
        if site.root_page_id != home.pk:
            site.root_page = home
            site.site_name = "Chợ OCOP"
            site.save()
        # Wagtail's installer made it at localhost:80.
        sync_default_site()

    products = _child(
        home,
        ProductIndexPage,
        title="Sản phẩm",
        slug="san-pham",
        intro="Tất cả sản phẩm OCOP, sản phẩm làng nghề và nông sản sạch của thị xã.",
    )
    producers = _child(
        home,
        ProducerIndexPage,
        title="Nhà sản xuất",
        slug="nha-san-xuat",
        intro="Hợp tác xã, doanh nghiệp, hộ kinh doanh và nghệ nhân làng nghề.",
    )

    home_en = _translate(
        home,
        en,
        title="Điện Bàn OCOP Market",
        slug="home",
        hero_title="OCOP products and craft villages of Điện Bàn",
        hero_text=(
            "Buy directly from cooperatives, household businesses and artisans: "
            "fish sauce, rice paper, pottery, sedge mats and many more specialities."
        ),
        seo_title="Điện Bàn OCOP Market – OCOP products, craft villages, clean produce",
    )
    products_en = _translate(
        products,
        en,
        title="Products",
        slug="products",
        intro="Every OCOP product, craft-village product and clean produce of the town.",
    )
    producers_en = _translate(
        producers,
        en,
        title="Producers",
        slug="producers",
        intro="Cooperatives, companies, household businesses and craft-village artisans.",
    )
    return SiteStructure(home, products, producers, home_en, products_en, producers_en)
