from django.urls import path

from search import api, openapi

app_name = "search_api"

urlpatterns = [
    path("products", api.products, name="products"),
    path("suggest", api.suggest, name="suggest"),
    path("openapi.json", openapi.openapi, name="openapi"),
]
