from django.urls import path

from marketplace.certificates import views

app_name = "certificates"

urlpatterns = [
    path("<uuid:key>/", views.certificate_detail, name="detail"),
    path("<uuid:key>/label/", views.certificate_label, name="label"),
    path("<uuid:key>/qr.png", views.certificate_qr, {"fmt": "png"}, name="qr_png"),
    path("<uuid:key>/qr.svg", views.certificate_qr, {"fmt": "svg"}, name="qr_svg"),
]
