"""The review form, under the language prefix and the inquiry's secret link."""

from django.urls import path

from marketplace.core.url_segments import localized_route
from marketplace.reviews import views

app_name = "reviews"

urlpatterns = [
    path(localized_route("inquiry/<str:token>/review/<int:item_id>/"), views.write, name="write"),
]
