from django.urls import path

from marketplace.office.bulk import views

app_name = "bulk"
urlpatterns = [
    path("", views.import_page, name="import"),
    path("apply/", views.apply_import, name="apply"),
    path("export/", views.export_catalogue, name="export"),
    path("template/", views.download_template, name="template"),
]
