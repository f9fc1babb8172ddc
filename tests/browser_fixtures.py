"""Helpers for the browser, accessibility and HTML-validity tests: a small bilingual
catalogue, the external tools (Chromium, axe-core, the Nu HTML Checker) and their reports,
and a watch on the Content-Security-Policy violations of the pages a browser opens."""

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from wagtail.models import Locale, Page

from marketplace.base.models import HomePageFeaturedProducer
from marketplace.base.structure import SiteStructure
from marketplace.certificates.public import verification_path
from marketplace.curation.models import (
    CraftVillageHighlight,
    FeaturedCollection,
    FeaturedCollectionItem,
    HeroSlide,
    ProducerOfTheMonth,
)
from producers.models import ProducerPage
from products.models import ProductPage
from tests.factories import category, make_craft_village, make_image, make_producer, make_product

BASE_DIR = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_JS = BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = BASE_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
BLOCKING_IMPACTS = {"serious", "critical"}
# Run in every page before its own scripts (Playwright's init scripts are the DevTools
# protocol's Page.addScriptToEvaluateOnNewDocument, which the page's policy does not
# govern): each `securitypolicyviolation` goes to the test through an exposed binding.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
    window.reportCspViolation({
        directive: event.effectiveDirective,
        blocked: event.blockedURI,
        source: event.sourceFile,
        line: event.lineNumber,
        sample: event.sample,
    });
});
"""


def require_tool(present: bool, reason: str) -> None:
    """Skip a test whose tool is missing locally; in CI a missing tool is a failure."""
    if present:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so this fails instead of skipping)", pytrace=False)
    pytest.skip(reason)


def require_chromium() -> None:
    require_tool(CHROMIUM.exists(), f"Chromium is not installed at {CHROMIUM}")


def require_axe() -> None:
    require_tool(AXE_JS.exists(), "axe-core is missing: run `npm ci` (make test does)")


def require_vnu() -> None:
    require_tool(shutil.which("java") is not None, "Java is not installed (needed by vnu.jar)")
    require_tool(VNU_JAR.exists(), "vnu-jar is missing: run `npm ci` (make test does)")


@dataclass
class Catalogue:
    structure: SiteStructure
    producer: ProducerPage
    producer_en: ProducerPage
    products: list[ProductPage]
    products_en: list[ProductPage]

    def urls(self) -> dict[str, str]:
        """The pages every language must render well, by a short name."""
        s = self.structure
        certificate = self.products[0].ocop_certificates.get().translation_key
        return {
            "vi-collection": "/vi/bo-suu-tap/qua-tet-ocop/",
            "vi-certificate": verification_path(certificate, "vi"),
            "en-collection": "/en/collections/qua-tet-ocop/",
            "en-certificate": verification_path(certificate, "en"),
            "vi-home": s.home.url,
            "vi-products": s.products.url,
            "vi-category": s.products.url + "danh-muc/thuc-pham/",
            "vi-producers": s.producers.url,
            "vi-producer": self.producer.url,
            "vi-product": self.products[0].url,
            "vi-craft-villages": s.producers.url + "lang-nghe/",
            "vi-craft-village": s.producers.url + "lang-nghe/gom-thanh-ha/",
            "vi-search": "/vi/tim-kiem/?q=nuoc+mam",
            "en-home": s.home_en.url,
            "en-products": s.products_en.url,
            "en-category": s.products_en.url + "category/thuc-pham/",
            "en-producers": s.producers_en.url,
            "en-producer": self.producer_en.url,
            "en-product": self.products_en[0].url,
        }


def translate(page: Page, locale: Locale, **fields) -> Page:
    """An English copy of a page, as an editor would make it: copy, edit, publish."""
    translated = page.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(translated, name, value)
    translated.save_revision().publish()
    translated.refresh_from_db()
    return translated


def build_catalogue(structure: SiteStructure) -> Catalogue:
    # Pages published through a revision are stale in memory (their url_path is the one
    # from before the slug changed): read them again.
    for page in vars(structure).values():
        page.refresh_from_db()
    en = structure.home_en.locale
    producer = make_producer(
        structure.producers,
        name="HTX Nước mắm Điện Dương",
        slug="htx-nuoc-mam-dien-duong",
        summary="Nước mắm cá cơm ủ chượp truyền thống trong thùng gỗ.",
    )
    producer_en = translate(
        producer,
        en,
        title="Điện Dương Fish Sauce Cooperative",
        display_name="Điện Dương Fish Sauce Cooperative",
        slug="dien-duong-fish-sauce-cooperative",
        summary="Anchovy fish sauce fermented the traditional way in wooden barrels.",
    )
    products = [
        make_product(
            producer,
            title="Nước mắm cá cơm 40 độ đạm",
            slug="nuoc-mam-ca-com-40-do-dam",
            stars=4,
        ),
        make_product(
            producer,
            title="Mắm ruốc Điện Dương",
            slug="mam-ruoc-dien-duong",
            category=category("thuc-pham"),
        ),
    ]
    english = [
        ("Anchovy fish sauce, 40° protein", "anchovy-fish-sauce-40"),
        ("Điện Dương shrimp paste", "dien-duong-shrimp-paste"),
    ]
    products_en = [
        translate(
            product,
            en,
            title=title,
            slug=slug,
            short_description=f"{title}, made by {producer_en.display_name}.",
            category=category(product.category.slug, en),
        )
        for product, (title, slug) in zip(products, english, strict=True)
    ]
    structure.home.featured_producers.add(HomePageFeaturedProducer(producer=producer))
    structure.home.save_revision().publish()
    curate_home_page(structure, producer, products)
    return Catalogue(structure, producer, producer_en, products, products_en)


def curate_home_page(
    structure: SiteStructure, producer: ProducerPage, products: list[ProductPage]
) -> None:
    """Every block the office puts on the home page, so the browser checks them too."""
    vi = structure.home.locale
    HeroSlide.objects.create(
        locale=vi,
        title="Quà Tết OCOP Điện Bàn",
        text="Đặt quà Tết từ người làm ra.",
        image=make_image("Quà Tết"),
        link_page=structure.products,
        button_label="Xem quà Tết",
    )
    HeroSlide.objects.create(locale=vi, title="Làng gốm Thanh Hà", link_page=producer)
    ProducerOfTheMonth.objects.create(locale=vi, producer=producer, note="Ba thế hệ làm mắm.")
    CraftVillageHighlight.objects.create(
        locale=vi, craft_village=make_craft_village(), note="Ghé làng xem làm gốm."
    )
    collection = FeaturedCollection.objects.create(
        locale=vi, title="Quà Tết OCOP", slug="qua-tet-ocop", intro="Quà biếu ngày Tết."
    )
    for product in products:
        FeaturedCollectionItem.objects.create(collection=collection, product=product)


def watch_csp(context) -> list[dict]:
    """The list every Content-Security-Policy violation in the Playwright browser
    context's pages is added to, with the URL of the page, as it happens."""
    violations: list[dict] = []

    def report(source: dict, violation: dict) -> None:
        violations.append({"page": source["page"].url, **violation})

    context.expose_binding("reportCspViolation", report)
    context.add_init_script(CSP_LISTENER)
    return violations


def csp_report(violations: list[dict]) -> str:
    """One line per violation: the page, the directive, what was blocked and where."""
    return "\n".join(
        f"[{v['page']}] {v['directive']} blocked {v['blocked'] or '(unknown)'}"
        f" at {v['source'] or '?'}:{v['line']}" + (f": {v['sample']}" if v["sample"] else "")
        for v in violations
    )


def axe_report(violations_by_page: dict[str, list[dict]]) -> str:
    """axe-core's serious and critical violations, one block per rule and page."""
    lines = []
    for page_name, violations in violations_by_page.items():
        for violation in violations:
            lines.append(
                f"[{page_name}] {violation['impact']} {violation['id']}: {violation['help']}"
                f" ({violation['helpUrl']})"
            )
            for node in violation["nodes"]:
                lines.append(f"    at {', '.join(map(str, node['target']))}: {node['html']}")
                summary = (node.get("failureSummary") or "").replace("\n", " ")
                if summary:
                    lines.append(f"       {summary}")
    return "\n".join(lines)


def blocking_violations(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]


def validate_html(paths: list[Path]) -> list[dict]:
    """The Nu HTML Checker's errors for all files, from one Java run (it starts slowly)."""
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    # vnu writes its JSON report on stderr; anything else there means it did not run.
    try:
        report = json.loads(result.stderr)
    except json.JSONDecodeError:
        pytest.fail(f"vnu.jar did not report (exit {result.returncode}):\n{result.stderr}")
    return [m for m in report["messages"] if m.get("type") != "info"]


def vnu_report(messages: list[dict]) -> str:
    lines = []
    for message in messages:
        name = Path(message.get("url", "")).name
        where = f"{name}:{message.get('lastLine', '?')}:{message.get('firstColumn', '?')}"
        lines.append(f"{where}: {message['message']}")
        if message.get("extract"):
            lines.append(f"    {message['extract'].strip()}")
    return "\n".join(lines)
