from django.urls import path

from marketplace.core.url_segments import localized_route
from search import views

app_name = "search"

urlpatterns = [
    path("", views.search, name="search"),
    path(localized_route("click/"), views.click, name="click"),
]
