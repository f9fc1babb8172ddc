from django.urls import path

from marketplace.curation import views

app_name = "curation"

urlpatterns = [
    path("<slug:slug>/", views.collection_detail, name="collection"),
]
