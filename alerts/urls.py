from django.urls import path, re_path

from alerts import views

app_name = "alerts"

KEY = r"(?P<key>[-A-Za-z0-9_]{20,64})"

urlpatterns = [
    path("bevaka/", views.subscribe, name="subscribe"),
    path("bevaka/skickat/", views.requested, name="requested"),
    path("bevaka/integritet/", views.privacy, name="privacy"),
    re_path(rf"^bevaka/bekrafta/{KEY}/$", views.confirm, name="confirm"),
    re_path(rf"^bevaka/{KEY}/$", views.manage, name="manage"),
    re_path(rf"^bevaka/{KEY}/avsluta/$", views.unsubscribe, name="unsubscribe"),
    re_path(
        rf"^bevaka/{KEY}/avsluta/(?P<subscription_id>[0-9]{{1,18}})/$",
        views.end_one,
        name="end_one",
    ),
]
