from django.urls import path

from marketplace.certificates import views
from marketplace.core.url_segments import localized_route

app_name = "certificates"

urlpatterns = [
    path("<uuid:key>/", views.certificate_detail, name="detail"),
    path(localized_route("<uuid:key>/label/"), views.certificate_label, name="label"),
    path("<uuid:key>/qr.png", views.certificate_qr, {"fmt": "png"}, name="qr_png"),
    path("<uuid:key>/qr.svg", views.certificate_qr, {"fmt": "svg"}, name="qr_svg"),
]
