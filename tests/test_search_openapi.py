"""search/openapi.json: valid OpenAPI 3.1, served, and in step with the API it describes.

The parameters are checked against what search/forms.py reads (ProductQuery's fields),
the enums against their sources, and real API answers against the response schemas.
"""

import dataclasses
import json

import pytest
from django.conf import settings
from django.http import QueryDict
from django.urls import reverse
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate

from products.models import ProductCertification, ProductPage
from search import api_urls
from search.forms import MAX_NUMBER, parse_query
from search.openapi import SPEC_PATH
from search.query import (
    FACETS,
    MAX_QUERY_LENGTH,
    MAX_SUGGESTIONS,
    PRICE_RANGES,
    SORTS,
    FacetValue,
    ProductHit,
    ProductQuery,
    Suggestion,
)

pytest_plugins = ["tests.search_fixtures"]

PRODUCTS = "/api/search/products"
SUGGEST = "/api/search/suggest"


@pytest.fixture(scope="module")
def spec() -> dict:
    return json.loads(SPEC_PATH.read_text())


def parameters(spec: dict, path: str) -> dict[str, dict]:
    return {p["name"]: p for p in spec["paths"][path]["get"]["parameters"]}


def schema(spec: dict, name: str) -> dict:
    return spec["components"]["schemas"][name]


def check_against(spec: dict, path: str, response) -> None:
    """The response's status is documented for `path` and its body fits the schema."""
    documented = spec["paths"][path]["get"]["responses"][str(response.status_code)]
    if "$ref" in documented:
        documented = spec["components"]["responses"][documented["$ref"].rsplit("/", 1)[1]]
    body_schema = documented["content"]["application/json"]["schema"]
    # The whole description as the root, so that "#/components/…" references resolve.
    OAS31Validator({**body_schema, "components": spec["components"]}).validate(response.json())
    for name, header in documented.get("headers", {}).items():
        if "$ref" in header:
            header = spec["components"]["headers"][header["$ref"].rsplit("/", 1)[1]]
        if response.has_header(name):
            OAS31Validator(header["schema"]).validate(response[name])


def test_the_description_is_valid_openapi_3_1(spec):
    validate(spec)
    assert spec["openapi"].startswith("3.1.")


def test_it_is_served_as_json(client, spec):
    response = client.get(reverse("search_api:openapi"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == spec
    assert client.post(reverse("search_api:openapi")).status_code == 405


def test_every_api_route_is_described(spec):
    routes = {f"/api/search/{pattern.pattern}" for pattern in api_urls.urlpatterns}
    assert set(spec["paths"]) == routes


def test_search_parameters_are_the_query_fields(spec):
    documented = parameters(spec, PRODUCTS)
    fields = {f.name for f in dataclasses.fields(ProductQuery)}
    # The language is asked as "lang"; the page size is not the client's to choose.
    assert set(documented) == fields - {"language", "page_size"} | {"lang"}
    repeated = {name for name, p in documented.items() if p["schema"]["type"] == "array"}
    assert repeated == set(FACETS)
    assert all(documented[name]["explode"] for name in repeated)
    assert set(parameters(spec, SUGGEST)) == {"q", "lang"}


def test_enums_and_bounds_follow_their_sources(spec):
    documented = parameters(spec, PRODUCTS)

    def items(name: str) -> list:
        return documented[name]["schema"]["items"]["enum"]

    assert documented["sort"]["schema"]["enum"] == list(SORTS)
    assert items("price") == [key for key, _low, _high in PRICE_RANGES]
    assert items("certification") == ProductCertification.Kind.values
    assert items("availability") == ProductPage.Availability.values
    assert items("stars") == [3, 4, 5]
    languages = [code for code, _name in settings.LANGUAGES]
    for path in (PRODUCTS, SUGGEST):
        lang = parameters(spec, path)["lang"]["schema"]
        assert (lang["enum"], lang["default"]) == (languages, settings.LANGUAGE_CODE)
    assert documented["q"]["schema"]["maxLength"] == MAX_QUERY_LENGTH
    for name, minimum in (("price_min", 0), ("price_max", 0), ("page", 1)):
        bounds = documented[name]["schema"]
        assert (bounds["minimum"], bounds["maximum"]) == (minimum, MAX_NUMBER)


def test_response_schemas_name_what_the_api_returns(spec):
    def properties(name: str) -> list[str]:
        return list(schema(spec, name)["properties"])

    assert properties("Facets") == list(FACETS)
    hit_fields = [f.name for f in dataclasses.fields(ProductHit)]
    assert properties("ProductHit") == [name for name in hit_fields if name != "page_id"]
    assert properties("FacetValue") == [f.name for f in dataclasses.fields(FacetValue)]
    assert properties("Suggestion") == [f.name for f in dataclasses.fields(Suggestion)]
    suggestions = schema(spec, "Suggestions")["properties"]["suggestions"]
    assert suggestions["maxItems"] == MAX_SUGGESTIONS


def test_the_backend_header_names_the_backends(spec):
    from search.backends.database import DatabaseBackend
    from search.backends.elasticsearch.backend import ElasticsearchBackend

    header = spec["components"]["headers"]["SearchBackend"]
    assert header["schema"]["enum"] == [ElasticsearchBackend.name, DatabaseBackend.name]
    for path in (PRODUCTS, SUGGEST):
        headers = spec["paths"][path]["get"]["responses"]["200"]["headers"]
        assert headers == {"X-Search-Backend": {"$ref": "#/components/headers/SearchBackend"}}


def test_every_documented_parameter_is_read(spec, catalogue, db):
    """The documented examples, sent together, set every field of the query."""
    params = QueryDict(mutable=True)
    for name, parameter in parameters(spec, PRODUCTS).items():
        example = parameter["example"]
        params.setlist(
            name, [str(v) for v in (example if isinstance(example, list) else [example])]
        )
    query = parse_query(params, params["lang"])
    defaults = ProductQuery()
    unchanged = [
        f.name
        for f in dataclasses.fields(query)
        if getattr(query, f.name) == getattr(defaults, f.name) and f.name != "page_size"
    ]
    assert unchanged == []


def test_parameter_examples_fit_their_schemas(spec):
    for path in (PRODUCTS, SUGGEST):
        for name, parameter in parameters(spec, path).items():
            assert OAS31Validator(parameter["schema"]).is_valid(parameter["example"]), name


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "nuoc mam", "sort": "price_asc"},
        {"category": ["thu-cong-my-nghe", "sinh-vat-canh"], "stars": ["3", "4"], "page": "2"},
        {"certification": "organic", "price": "200k-500k", "price_min": "1000"},
        {"q": "fish sauce", "lang": "en"},
        {"q": "banh trangg"},  # nothing found: did_you_mean
        {"q": "%"},  # no words
        {"page": "999"},
    ],
)
def test_search_answers_fit_the_schema(spec, client, catalogue, db, params):
    response = client.get(PRODUCTS, params)
    assert response.status_code == 200
    check_against(spec, PRODUCTS, response)


@pytest.mark.parametrize(
    ("path", "params", "status"),
    [
        (SUGGEST, {"q": "gom"}, 200),
        (SUGGEST, {"q": "herbal", "lang": "en"}, 200),
        (SUGGEST, {}, 200),
        (SUGGEST, {"q": "gom", "lang": "fr"}, 400),
        (PRODUCTS, {"page": "0"}, 400),
        (PRODUCTS, {"price_min": "abc"}, 400),
        (PRODUCTS, {"sort": "random", "lang": "en"}, 400),
        (PRODUCTS, {"q": "a" * 201}, 400),
    ],
)
def test_suggestions_and_errors_fit_the_schema(spec, client, catalogue, db, path, params, status):
    response = client.get(path, params)
    assert response.status_code == status
    check_against(spec, path, response)


def test_the_schema_rejects_what_the_api_must_not_answer(spec):
    """The check above is not vacuous: a missing field or a stray one fails."""
    validator = OAS31Validator(
        {"$ref": "#/components/schemas/ProductResults", "components": spec["components"]}
    )
    good = {
        "results": [],
        "total": 0,
        "page": 1,
        "pages": 1,
        "facets": {
            **{name: [] for name in FACETS},
            "stars": [{"value": "4", "label": "4 sao", "count": 0, "selected": True}],
        },
        "did_you_mean": "",
    }
    validator.validate(good)
    # Every facet is always listed, whichever backend answers.
    assert not validator.is_valid({**good, "facets": {"stars": []}})
    assert not validator.is_valid({**good, "extra": 1})
    assert not validator.is_valid({k: v for k, v in good.items() if k != "total"})
    assert not validator.is_valid({**good, "facets": {**good["facets"], "colour": []}})
    assert not validator.is_valid({**good, "facets": {**good["facets"], "stars": [{"value": 4}]}})
