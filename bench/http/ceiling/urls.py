import http.client
import os
import urllib.parse

from django.http import HttpRequest, HttpResponse
from django.urls import path


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("hello", content_type="text/plain")


# The ceiling of a page that asks Elasticsearch one question: the same view, plus one
# round trip to the node with a body given by bench/http/run.py (the suggestions' own),
# on a connection kept open, its answer passed through as it is.
SEARCH_URL = urllib.parse.urlsplit(os.environ.get("CEILING_ELASTICSEARCH_SEARCH", ""))
SEARCH_BODY = os.environ.get("CEILING_ELASTICSEARCH_BODY", "").encode()
_node: http.client.HTTPConnection | None = None


def ask_node() -> bytes:
    global _node
    if _node is None:
        _node = http.client.HTTPConnection(SEARCH_URL.hostname, SEARCH_URL.port, timeout=30)
    try:
        _node.request("POST", SEARCH_URL.path, SEARCH_BODY, {"Content-Type": "application/json"})
        return _node.getresponse().read()
    except (OSError, http.client.HTTPException):
        _node.close()  # the next request opens another
        _node = None
        raise


def elasticsearch(request: HttpRequest) -> HttpResponse:
    return HttpResponse(ask_node(), content_type="application/json")


urlpatterns = [path("", hello), path("elasticsearch", elasticsearch)]
