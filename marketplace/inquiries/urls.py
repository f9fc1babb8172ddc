"""The consumer's inquiry pages, under the language prefix (/vi/…, /en/…).

The payment routes point at payment_views; Stripe's webhook is in marketplace/urls.py,
outside the language prefix.
"""

from django.urls import path

from marketplace.core.url_segments import localized_route
from marketplace.inquiries import payment_views, views

app_name = "inquiries"

urlpatterns = [
    path(localized_route("inquiry-list/"), views.inquiry_list, name="list"),
    path(localized_route("inquiry-list/add/"), views.add, name="add"),
    path(localized_route("inquiry-list/update/"), views.update, name="update"),
    path(localized_route("inquiry-list/remove/"), views.remove, name="remove"),
    path(localized_route("inquiry-list/send/"), views.send, name="send"),
    path(localized_route("inquiry-list/sent/<str:key>/"), views.sent, name="sent"),
    path(localized_route("find-my-request/"), views.find, name="find"),
    path(localized_route("wards/<int:province>/"), views.wards, name="wards"),
    path(localized_route("inquiry/<str:token>/"), views.track, name="track"),
    path(localized_route("inquiry/<str:token>/cancel/"), views.cancel, name="cancel"),
    path(localized_route("inquiry/<str:token>/pay/card/"), payment_views.pay_card, name="pay_card"),
    path(
        localized_route("inquiry/<str:token>/pay/return/"),
        payment_views.pay_return,
        name="pay_return",
    ),
    path(
        localized_route("inquiry/<str:token>/pay/cancel/"),
        payment_views.pay_cancel,
        name="pay_cancel",
    ),
    path(
        localized_route("inquiry/<str:token>/vietqr-png/"),
        payment_views.vietqr_png,
        name="vietqr_png",
    ),
    path(localized_route("privacy/"), views.privacy, name="privacy"),
]
