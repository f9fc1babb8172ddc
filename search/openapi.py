"""The OpenAPI 3.1 description of the search API, served as written in search/openapi.json.

tests/test_search_openapi.py keeps it in step with search/forms.py and search/api.py.
"""

import functools
from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

SPEC_PATH = Path(__file__).with_name("openapi.json")


@functools.cache
def spec_bytes() -> bytes:
    return SPEC_PATH.read_bytes()


@require_GET
def openapi(request: HttpRequest) -> HttpResponse:
    return HttpResponse(spec_bytes(), content_type="application/json")
