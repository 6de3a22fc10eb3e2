from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from core.pagecache import public_page
from councils import access, second_factor, selectors


@public_page
def index(request: HttpRequest) -> HttpResponse:
    """The front page: every municipality and its councils."""
    return render(
        request,
        "councils/index.html",
        {"municipalities": selectors.municipalities_with_councils()},
    )


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """The signed-in user's councils and their roles in each, and their second factor."""
    memberships = list(access.current_memberships(request.user))
    councils: dict[int, dict] = {}
    for membership in memberships:
        entry = councils.setdefault(
            membership.council_id, {"council": membership.council, "roles": []}
        )
        entry["roles"].append(membership.get_role_display())
    return render(
        request,
        "councils/profile.html",
        {
            "councils": list(councils.values()),
            "second_factor": second_factor.for_user(request.user),
            "needs_second_factor": second_factor.is_needed(request.user, memberships),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Enrol a TOTP authenticator app: scan the QR code (or type the key), confirm with a code.
    A confirmed device can be removed again with a code from it."""
    device = second_factor.for_user(request.user)
    error = None
    if request.method == "POST":
        code = request.POST.get("code", "")
        if request.POST.get("action") == "remove" and device is not None:
            if second_factor.verify(request, device, code):
                second_factor.remove(request, device)
                messages.success(request, _("Tvåstegsverifieringen är borttagen."))
                return redirect("accounts:profile")
            error = _("Koden stämmer inte. Skriv de sex siffrorna som appen visar just nu.")
        else:
            pending = second_factor.pending(request.user)
            if second_factor.verify(request, pending, code):
                second_factor.confirm(request, pending)
                messages.success(request, _("Tvåstegsverifieringen är aktiverad. Spara appen väl."))
                return redirect("accounts:profile")
            error = _("Koden stämmer inte. Skriv de sex siffrorna som appen visar just nu.")
    pending = None if device is not None else second_factor.pending(request.user)
    return render(
        request,
        "councils/otp_setup.html",
        {
            "device": device,
            "pending": pending,
            "qr": second_factor.qr_data_uri(pending) if pending else "",
            "key": second_factor.readable_key(pending) if pending else "",
            "error": error,
        },
        status=400 if error else 200,
    )


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' answer to a locked-out sign-in (the login form or the approval page)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)


class LoginForm(AuthenticationForm):
    """Django's sign-in form with its user name's length checked before anything is looked up:
    the form states the model's maximum but, set after the field is made, never checks it, so
    a name of thousands of characters reached the lock-out's record of failed attempts (a
    column of 255) and answered 500."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(
            MaxLengthValidator(
                field.max_length or 150,
                message=_("Användarnamnet är för långt (högst %(limit_value)d tecken)."),
            )
        )


class LogoutView(auth_views.LogoutView):
    """Django's logout (POST only), with a message on the page it lands on."""

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.success(request, _("Du är utloggad."))
        return response


@never_cache
def csrf_token(request: HttpRequest) -> JsonResponse:
    """A fresh CSRF token, for a page that outlived its session: after signing in again in
    another tab, the editor fetches this before it saves what it kept."""
    return JsonResponse(
        {"csrfToken": get_token(request), "authenticated": request.user.is_authenticated}
    )
