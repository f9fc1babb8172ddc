from django.urls import path

from search import api

app_name = "search_api"

urlpatterns = [
    path("products", api.products, name="products"),
    path("suggest", api.suggest, name="suggest"),
]
