from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from councils import access, selectors


def index(request: HttpRequest) -> HttpResponse:
    """The front page: every municipality and its councils."""
    return render(
        request,
        "councils/index.html",
        {"municipalities": selectors.municipalities_with_councils()},
    )


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """The signed-in user's councils and their roles in each."""
    memberships = list(access.current_memberships(request.user))
    councils: dict[int, dict] = {}
    for membership in memberships:
        entry = councils.setdefault(
            membership.council_id, {"council": membership.council, "roles": []}
        )
        entry["roles"].append(membership.get_role_display())
    return render(request, "councils/profile.html", {"councils": list(councils.values())})


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
