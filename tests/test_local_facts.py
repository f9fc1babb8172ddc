"""The local facts (issue 14, docs/local-facts.md): who issued OCOP certificates when, the
Decision 148 sub-groups, legal forms, food-safety papers, traceability links, 2025
addresses, the office's name, and a demo that keeps to them."""

import datetime
import importlib
from collections import Counter

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import translation
from wagtail.models import Site

from marketplace.base.models import SiteFooter
from marketplace.certificates import ocop
from marketplace.certificates.models import OcopCertificate
from marketplace.core import places
from marketplace.demo import catalogue, data
from producers.models import ProducerPage, legal_form_label
from products.models import ProductCertification, food_safety_expiry
from tests.certificates_fixtures import translated_product
from tests.factories import en, make_locality, make_producer, make_product
from tests.public_pages_fixtures import translate_page, url_of

BEFORE_148 = datetime.date(2022, 5, 10)
UNDER_148 = datetime.date(2024, 3, 1)
AFTER_MERGER = datetime.date(2025, 9, 1)
DIEN_BAN_WARD = places.find_ward(places.HOME_PROVINCE_CODE, "Điện Bàn")


@pytest.fixture
def in_english():
    """Messages and labels read in English, whatever language is active."""
    with translation.override("en"):
        yield


def errors(**fields) -> dict:
    facts = {"stars": 3, "score": None, "expiry_date": None, **fields}
    return ocop.certificate_errors(**facts)


# --- Who issued OCOP certificates when ------------------------------------------------


@pytest.mark.parametrize(
    ("level", "stars", "issued", "wrong"),
    [
        ("district", 3, BEFORE_148, True),  # the province issued them before Decision 148
        ("province", 3, BEFORE_148, False),
        ("province", 4, BEFORE_148, False),
        ("district", 3, ocop.DECISION_148_SIGNED, False),
        ("district", 3, UNDER_148, False),
        ("district", 4, UNDER_148, True),  # the district certified 3★ only
        ("district", 3, ocop.DISTRICT_LEVEL_ABOLISHED, True),
        ("province", 4, AFTER_MERGER, False),
        ("central", 5, AFTER_MERGER, False),
        ("province", 5, AFTER_MERGER, True),
    ],
)
def test_the_issuing_level_must_fit_the_date_and_stars(level, stars, issued, wrong):
    found = errors(issuing_level=level, stars=stars, issue_date=issued)
    assert ("issuing_level" in found) is wrong


@pytest.mark.usefixtures("in_english")
def test_a_district_certificate_before_decision_148_says_to_choose_the_province():
    message = str(errors(issuing_level="district", issue_date=BEFORE_148)["issuing_level"])
    assert "Decision 148/2023" in message
    assert "province" in message


@pytest.mark.usefixtures("in_english")
def test_tea_and_coffee_are_sub_groups_of_food():
    food = dict(ocop.PRODUCT_SUBGROUPS[0][1])
    assert str(food["1.5"]).endswith("Tea")
    assert str(food["1.6"]).endswith("Coffee and cocoa")
    assert ocop.subgroup_group("1.5") == ocop.subgroup_group("1.6") == 1
    codes = [code for _group, subgroups in ocop.PRODUCT_SUBGROUPS for code, _ in subgroups]
    assert len(codes) == len(set(codes))
    assert {ocop.subgroup_group(code) for code in codes} == {1, 2, 3, 4, 5, 6}


def test_a_sub_group_must_belong_to_the_products_group():
    assert "product_subgroup" in errors(
        issuing_level="province", issue_date=UNDER_148, product_subgroup="2.1", ocop_group=1
    )
    assert not errors(
        issuing_level="province", issue_date=UNDER_148, product_subgroup="1.5", ocop_group=1
    )


def test_the_model_refuses_a_town_certificate_from_2021(site):
    product = make_product(make_producer(site.producers))
    certificate = OcopCertificate(
        page=product,
        stars=3,
        decision_number="1032/QĐ-UBND",
        issuing_level="district",
        issuing_body="UBND thị xã Điện Bàn",
        issue_date=datetime.date(2021, 7, 21),
    )
    with pytest.raises(ValidationError) as raised:
        certificate.full_clean(exclude=["locale", "translation_key"])
    assert "issuing_level" in raised.value.message_dict


def test_the_product_page_gives_level_and_sub_group_without_nested_brackets(site, client):
    product = make_product(
        make_producer(site.producers),
        stars=3,
        certificate_issued=UNDER_148,
    )
    OcopCertificate.objects.filter(page__translation_key=product.translation_key).update(
        issuing_level="district", issuing_body="UBND thị xã Điện Bàn", product_subgroup="1.4"
    )
    page = client.get(url_of(translated_product(product))).content.decode()
    assert "UBND thị xã Điện Bàn (district level, until June 2025)" in page
    assert "(District (before July 2025))" not in page
    assert "1.4 Condiments" in page


# --- Legal forms ----------------------------------------------------------------------


@pytest.mark.usefixtures("in_english")
def test_a_cooperative_group_is_a_legal_form_and_an_artisan_is_not():
    forms = dict(ProducerPage.LegalForm.choices)
    assert str(forms["cooperative_group"]) == "Cooperative group"
    assert "artisan" not in forms
    assert legal_form_label("artisan") == str(ProducerPage.LegalForm.HOUSEHOLD.label)


def test_artisans_become_household_businesses_holding_the_title(site):
    migration = importlib.import_module("producers.migrations.0007_legal_forms_and_artisan_title")
    artisan = make_producer(site.producers, "Nghệ nhân Lê Thị Sen")
    company = make_producer(site.producers, "Công ty TNHH Gốm", legal_form="company")
    ProducerPage.objects.filter(pk=artisan.pk).update(legal_form="artisan")
    revision = artisan.latest_revision
    revision.content["legal_form"] = "artisan"
    revision.save(update_fields=["content"])

    migration.artisans_to_households(apps, None)

    artisan.refresh_from_db()
    revision.refresh_from_db()
    company.refresh_from_db()
    assert (artisan.legal_form, artisan.artisan_title) == ("household", True)
    assert revision.content["legal_form"] == "household"
    assert revision.content["artisan_title"] is True
    assert (company.legal_form, company.artisan_title) == ("company", False)


def test_the_producer_page_shows_the_artisan_title(site, client):
    producer = make_producer(site.producers, legal_form="household", artisan_title=True)
    page = client.get(url_of(translate_page(producer, slug="artisan-en"))).content.decode()
    assert "Household business" in page
    assert "Artisan (Nghệ nhân), a title conferred by the state" in page


# --- Food-safety papers ---------------------------------------------------------------


def certification(**fields) -> ProductCertification:
    return ProductCertification(**fields)


def test_a_food_safety_certificate_needs_its_number_and_runs_three_years():
    paper = certification(kind="food_safety", number="", valid_from=None)
    with pytest.raises(ValidationError) as raised:
        paper.clean()
    assert {"number", "valid_from"} <= set(raised.value.message_dict)

    paper = certification(kind="food_safety", number="12/2025/ATTP", valid_from=AFTER_MERGER)
    paper.clean()
    assert paper.valid_until == datetime.date(2028, 8, 31)
    assert food_safety_expiry(datetime.date(2024, 2, 29)) == datetime.date(2027, 2, 27)


def test_a_self_declaration_does_not_expire():
    paper = certification(
        kind="self_declaration",
        number="01/2024/TCB",
        valid_from=UNDER_148,
        valid_until=AFTER_MERGER,
    )
    with pytest.raises(ValidationError) as raised:
        paper.clean()
    assert "valid_until" in raised.value.message_dict
    certification(kind="self_declaration", valid_from=UNDER_148).clean()


def test_the_product_page_lists_the_food_safety_papers(site, client):
    product = make_product(make_producer(site.producers))
    product.certifications.add(
        ProductCertification(
            kind="food_safety",
            number="12/2025/ATTP-CNĐK",
            issuer="Ban Quản lý An toàn thực phẩm",
            valid_from=AFTER_MERGER,
            valid_until=food_safety_expiry(AFTER_MERGER),
        )
    )
    product.certifications.add(
        ProductCertification(kind="self_declaration", number="01/2025/TCB", valid_from=AFTER_MERGER)
    )
    product.save_revision().publish()
    page = client.get(url_of(translated_product(product))).content.decode()
    assert "Food-safety facility certificate" in page
    assert "12/2025/ATTP-CNĐK" in page
    assert "Product self-declaration" in page
    assert "Declared on" in page


# --- Traceability link ----------------------------------------------------------------


def test_the_traceability_link_must_be_a_web_address(site):
    product = make_product(make_producer(site.producers))
    for wrong in ("ftp://example.com/record", "javascript:alert(1)", "truy xuất"):
        product.traceability_url = wrong
        with pytest.raises(ValidationError) as raised:
            product.full_clean()
        assert "traceability_url" in raised.value.message_dict
    product.traceability_url = "https://example.com/truy-xuat/DB-TH-000001/"
    product.full_clean()


def test_the_traceability_link_is_shared_and_shown(site, client):
    url = "https://example.com/truy-xuat/DB-TH-000001/"
    product = make_product(make_producer(site.producers), traceability_url=url)
    english = translated_product(product)
    assert english.traceability_url == url
    page = client.get(url_of(english)).content.decode()
    assert f'<a href="{url}" rel="external noopener">' in page


# --- Addresses in the 2025 units ------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        (
            "Thôn 3, xã Điện Phương, thị xã Điện Bàn, tỉnh Quảng Nam",
            "Thôn 3, phường Điện Bàn, thành phố Đà Nẵng",
        ),
        ("Khối phố 2", "Khối phố 2, phường Điện Bàn, thành phố Đà Nẵng"),
        (
            "Thôn 3, phường Điện Bàn, thành phố Đà Nẵng",
            "Thôn 3, phường Điện Bàn, thành phố Đà Nẵng",
        ),
    ],
)
def test_addresses_end_in_the_2025_ward_and_the_city(written, shown):
    assert places.current_address(written, DIEN_BAN_WARD.code, "Điện Phương") == shown


def test_an_address_without_a_2025_unit_stays_as_written():
    assert places.current_address("Thôn 3, thị xã Điện Bàn", None) == "Thôn 3, thị xã Điện Bàn"


def test_the_producer_page_shows_the_current_address(site, client):
    locality = make_locality("Điện Phương", "dien-phuong", ward_code=DIEN_BAN_WARD.code)
    producer = make_producer(
        site.producers, locality=locality, address="Thôn 3, xã Điện Phương, thị xã Điện Bàn"
    )
    page = client.get(url_of(producer)).content.decode()
    assert "Thôn 3, phường Điện Bàn, thành phố Đà Nẵng" in page


# --- The office's name ----------------------------------------------------------------


@override_settings(OFFICE_NAME="Phòng Kinh tế phường Điện Bàn", OFFICE_NAME_EN="Điện Bàn Ward")
def test_the_office_is_named_by_the_setting_until_edited(site, client):
    footer = SiteFooter.for_site(Site.objects.get(is_default_site=True))
    assert footer.office_name == "Phòng Kinh tế phường Điện Bàn"
    assert "Phòng Kinh tế phường Điện Bàn" in client.get(url_of(site.home)).content.decode()
    footer.office_name_en = "Economic Office of Điện Bàn Ward"
    footer.save()
    page = client.get(url_of(site.home.get_translation(en())))
    assert "Economic Office of Điện Bàn Ward" in page.content.decode()


def test_footers_with_the_old_agriculture_office_name_take_the_setting(site):
    migration = importlib.import_module(
        "marketplace.base.migrations.0008_office_name_from_settings"
    )
    footer = SiteFooter.for_site(Site.objects.get(is_default_site=True))
    SiteFooter.objects.filter(pk=footer.pk).update(
        office_name="Phòng Nông nghiệp Điện Bàn", office_name_en="Điện Bàn Agriculture Office"
    )
    migration.rename_office(apps, None)
    footer.refresh_from_db()
    assert footer.office_name == "Phòng Kinh tế thị xã Điện Bàn"
    assert footer.office_name_en == "Economic Office of Điện Bàn"


# --- The demo keeps to the facts ------------------------------------------------------

SAMPLE = 600


@pytest.fixture(scope="module")
def products() -> list[catalogue.ProductSpec]:
    return [catalogue.product_spec(index) for index in range(SAMPLE)]


def test_the_demo_has_at_most_one_five_star_product(products):
    stars = Counter(spec.ocop.stars for spec in products if spec.ocop)
    assert stars[5] <= 1
    assert stars[3] > stars[4] > 0


def test_demo_certificates_follow_the_issuing_rules(products):
    for spec in (spec for spec in products if spec.ocop):
        certificate = spec.ocop
        assert not ocop.certificate_errors(
            stars=certificate.stars,
            score=certificate.score,
            issuing_level=certificate.issuing_level,
            issue_date=certificate.issue_date,
            expiry_date=certificate.expiry_date,
        ), spec.title_vi
        if certificate.issue_date < ocop.DECISION_148_SIGNED:
            assert certificate.issuing_body == "UBND tỉnh Quảng Nam"
            assert not certificate.product_subgroup
        else:
            assert ocop.subgroup_group(certificate.product_subgroup) is not None


def test_demo_tea_and_coffee_are_food():
    assert data.TRADES_BY_KEY["tra-ca-phe"].group == "thuc-pham"
    parents = {slug: parent for slug, parent, _vi, _en in data.SUBCATEGORIES}
    assert parents["tra-ca-phe"] == "thuc-pham"


def test_demo_producers_have_real_legal_forms_and_2025_addresses():
    forms = set(ProducerPage.LegalForm.values)
    specs = [catalogue.producer_spec(index) for index in range(80)]
    assert {spec.legal_form for spec in specs} <= forms
    assert "cooperative_group" in {spec.legal_form for spec in specs}
    assert any(spec.artisan_title for spec in specs)
    for spec in specs:
        assert spec.address.endswith(", thành phố Đà Nẵng"), spec.address
        assert "thị xã" not in spec.address


def test_the_demo_sells_no_thanh_ha_pottery():
    loader = importlib.import_module("marketplace.demo.loader")
    sources = [importlib.util.find_spec(module.__name__).origin for module in (data, loader)]
    for source in sources:
        with open(source, encoding="utf-8") as text:
            assert "Thanh Hà" not in text.read()
    villages = {village.name_vi for village in data.CRAFT_VILLAGES}
    assert {"Làng mộc Đông Khương", "Làng mây tre Câu Nhi Đông"} <= villages


@pytest.mark.usefixtures("in_english")
def test_the_spreadsheet_import_takes_a_sub_group_by_code_or_label():
    from marketplace.office.bulk.cells import CellError
    from marketplace.office.bulk.columns import parse_subgroup

    assert parse_subgroup("1.5") == "1.5"
    assert parse_subgroup(" 1.6 coffee and cocoa ") == "1.6"
    with pytest.raises(CellError):
        parse_subgroup("7.1")
