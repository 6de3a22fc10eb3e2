"""Sign-in, sign-out, password change and the user's own page, under /konto/."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from councils import views

app_name = "accounts"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("csrf/", views.csrf_token, name="csrf"),
    path(
        "logga-in/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True, authentication_form=views.LoginForm
        ),
        name="login",
    ),
    path("logga-ut/", views.LogoutView.as_view(), name="logout"),
    path(
        "losenord/",
        auth_views.PasswordChangeView.as_view(
            success_url=reverse_lazy("accounts:password_change_done")
        ),
        name="password_change",
    ),
    path(
        "losenord/klart/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "losenord/aterstall/",
        auth_views.PasswordResetView.as_view(
            email_template_name="registration/password_reset_email.txt",
            subject_template_name="registration/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "losenord/aterstall/skickat/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "losenord/aterstall/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            success_url=reverse_lazy("accounts:password_reset_complete")
        ),
        name="password_reset_confirm",
    ),
    path(
        "losenord/aterstall/klart/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("tvastegsverifiering/", views.otp_setup, name="otp_setup"),
]
