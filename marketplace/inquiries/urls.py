"""The consumer's inquiry pages, under the language prefix (/vi/…, /en/…).

The payment routes point at payment_views; Stripe's webhook is in marketplace/urls.py,
outside the language prefix.
"""

from django.urls import path

from marketplace.inquiries import payment_views, views

app_name = "inquiries"

urlpatterns = [
    path("inquiry-list/", views.inquiry_list, name="list"),
    path("inquiry-list/add/", views.add, name="add"),
    path("inquiry-list/update/", views.update, name="update"),
    path("inquiry-list/remove/", views.remove, name="remove"),
    path("inquiry-list/send/", views.send, name="send"),
    path("inquiry-list/sent/<str:key>/", views.sent, name="sent"),
    path("find-my-request/", views.find, name="find"),
    path("wards/<int:province>/", views.wards, name="wards"),
    path("inquiry/<str:token>/", views.track, name="track"),
    path("inquiry/<str:token>/cancel/", views.cancel, name="cancel"),
    path("inquiry/<str:token>/pay/card/", payment_views.pay_card, name="pay_card"),
    path("inquiry/<str:token>/pay/return/", payment_views.pay_return, name="pay_return"),
    path("inquiry/<str:token>/pay/cancel/", payment_views.pay_cancel, name="pay_cancel"),
    path("inquiry/<str:token>/vietqr-png/", payment_views.vietqr_png, name="vietqr_png"),
    path("privacy/", views.privacy, name="privacy"),
]
