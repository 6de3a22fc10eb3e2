"""The public pages of bevakning: the request (from the form on a council's page, the search
results and the anslagstavla), its confirmation, an address's subscriptions reached from any of
its e-mails, the one-click unsubscribe (RFC 8058) and the privacy text.

The pages reached by a link with an address's key are for that address alone: never cached,
never indexed, and the key never leaves in a Referer (the site's policy is same-origin)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from alerts import services
from alerts.forms import FrequencyForm, SubscribeForm
from alerts.models import Subscriber, Subscription
from core.audit import client_ip
from councils.models import Council, Municipality
from minutes import search

KINDS = {
    "rad": Subscription.Kind.COUNCIL,
    "sokning": Subscription.Kind.SEARCH,
    "anslagstavla": Subscription.Kind.NOTICEBOARD,
}


def _target(form: SubscribeForm) -> services.Target | None:
    """What a valid form asks to follow, or None (the form then says why)."""
    data = form.cleaned_data
    kind = KINDS[data["slag"]]
    council = None
    if data.get("rad"):
        council = (
            Council.objects.select_related("municipality")
            .filter(municipality__slug=data.get("kommun", ""), slug=data["rad"])
            .first()
        )
        if council is None:
            form.add_error(None, _("Rådet eller nämnden finns inte. Gå tillbaka och försök igen."))
            return None
    if kind == Subscription.Kind.COUNCIL:
        if council is None:
            form.add_error(None, _("Välj ett råd eller en nämnd att bevaka."))
            return None
        return services.Target(kind, council=council)
    if kind == Subscription.Kind.NOTICEBOARD:
        municipality = Municipality.objects.filter(slug=data.get("kommun", "")).first()
        if municipality is None:
            form.add_error(None, _("Kommunen finns inte. Gå tillbaka och försök igen."))
            return None
        return services.Target(kind, municipality=municipality)
    words = search.query_words(data.get("q", ""))
    if not words:
        form.add_error(None, _("Skriv minst ett ord att bevaka."))
        return None
    query = " ".join(words)
    if len(query) > Subscription._meta.get_field("query").max_length:
        form.add_error(None, _("Sökningen är för lång att bevaka. Använd färre eller kortare ord."))
        return None
    return services.Target(kind, council=council, query=query)


def _initial(request: HttpRequest) -> dict:
    """The target a link to the request page names (?slag=rad&kommun=…&rad=…)."""
    return {key: request.GET.get(key, "")[:200] for key in ("slag", "kommun", "rad", "q")} | {
        "slag": request.GET.get("slag", "") if request.GET.get("slag") in KINDS else "rad"
    }


def _describe(form: SubscribeForm) -> dict:
    """What the page says is followed, from the form's target fields, as far as they name
    something that exists."""
    data = form.data if form.is_bound else form.initial
    council = None
    if data.get("rad"):
        council = (
            Council.objects.select_related("municipality")
            .filter(municipality__slug=str(data.get("kommun", ""))[:60], slug=str(data["rad"])[:80])
            .first()
        )
    municipality = Municipality.objects.filter(slug=str(data.get("kommun", ""))[:60]).first()
    return {
        "kind": data.get("slag", "rad"),
        "council": council,
        "municipality": municipality,
        "query": str(data.get("q", ""))[:200],
    }


# The form posts here from pages that set no cookie (a council's page is the same for everyone,
# and cacheable): without a CSRF token. A forged request can do no more than anyone can with
# the form itself: ask for a confirmation e-mail, which the rate limits bound.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        form = SubscribeForm(initial=_initial(request))
        return render(request, "alerts/subscribe.html", {"form": form, **_describe(form)})
    form = SubscribeForm(request.POST)
    status = 200
    if form.is_valid() and (target := _target(form)) is not None:
        try:
            services.request_subscription(
                form.cleaned_data["epost"], target, client=client_ip(request)
            )
        except services.Throttled:
            form.add_error(
                None,
                _(
                    "Det har kommit många anmälningar från din anslutning den senaste timmen. "
                    "Vänta en stund och försök igen – det du skrev finns kvar."
                ),
            )
            status = 429
        else:
            return redirect("alerts:requested")
    else:
        status = 400
        if any(field.errors for field in form.hidden_fields()):
            form.add_error(
                None,
                _(
                    "Formuläret kom inte fram helt. Gå tillbaka till sidan du vill bevaka och "
                    "försök igen."
                ),
            )
    return render(
        request, "alerts/subscribe.html", {"form": form, **_describe(form)}, status=status
    )


def requested(request: HttpRequest) -> HttpResponse:
    return render(request, "alerts/requested.html")


def privacy(request: HttpRequest) -> HttpResponse:
    municipalities = Municipality.objects.order_by("name")
    return render(request, "alerts/privacy.html", {"municipalities": municipalities})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, key: str) -> HttpResponse:
    """The link in the confirmation e-mail shows what is to be followed and a button: only its
    POST confirms, so that a mail scanner or a link preview that fetches the link (GET, HEAD)
    confirms nobody's subscription for them."""
    if request.method == "POST":
        result = services.confirm(key)
    else:
        subscription = (
            Subscription.objects.select_related("council__municipality", "municipality")
            .filter(key=key)
            .first()
        )
        if subscription is None:
            result = services.Confirmation("unknown")
        elif subscription.confirmed_at is not None:
            result = services.Confirmation("already", subscription)
        elif services.is_expired(subscription):
            result = services.Confirmation("expired")
        else:
            result = services.Confirmation("ask", subscription)
    status = {"unknown": 404, "expired": 410}.get(result.state, 200)
    subscriber = result.subscription.subscriber if result.subscription else None
    return render(
        request,
        "alerts/confirm.html",
        {"result": result, "subscriber": subscriber},
        status=status,
    )


def _subscriber(key: str) -> Subscriber:
    subscriber = Subscriber.objects.filter(key=key).first()
    if subscriber is None:
        raise Http404(
            _("Länken gäller inte längre. Kanske har du redan avslutat dina bevakningar.")
        )
    return subscriber


@never_cache
@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, key: str) -> HttpResponse:
    """An address's subscriptions, each with its end, and how often it wants e-mail."""
    subscriber = _subscriber(key)
    form = FrequencyForm(request.POST or None, instance=subscriber)
    if request.method == "POST" and form.is_valid():
        # an update, not a save: an address ended meanwhile in another tab stays ended
        Subscriber.objects.filter(pk=subscriber.pk).update(frequency=form.cleaned_data["frequency"])
        messages.success(request, _("Sparat."))
        return redirect("alerts:manage", key=key)
    subscriptions = subscriber.subscriptions.select_related(
        "council__municipality", "municipality"
    ).order_by("confirmed_at", "id")
    return render(
        request,
        "alerts/manage.html",
        {"subscriber": subscriber, "subscriptions": subscriptions, "form": form},
        status=400 if form.errors else 200,
    )


@never_cache
@require_POST
def end_one(request: HttpRequest, key: str, subscription_id: str) -> HttpResponse:
    subscriber = _subscriber(key)
    subscription = subscriber.subscriptions.filter(pk=subscription_id).first()
    if subscription is None:  # ended already (a second click, another tab)
        return redirect("alerts:manage", key=key)
    label = subscription.label
    if services.end(subscription):
        return render(request, "alerts/unsubscribed.html", {"ended": 1})
    messages.success(request, _("Bevakningen är avslutad: %(label)s.") % {"label": label})
    return redirect("alerts:manage", key=key)


# RFC 8058: a mail client ends the subscriptions with one POST, without a cookie or a token of
# ours; the key in the address is the authority.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, key: str) -> HttpResponse:
    subscriber = Subscriber.objects.filter(key=key).first()
    if request.method == "POST":
        ended = services.end_all(subscriber) if subscriber is not None else 0
        # a second POST (the mail client's, then the page's) finds nothing and says the same
        return render(request, "alerts/unsubscribed.html", {"ended": ended})
    if subscriber is None:
        raise Http404(
            _("Länken gäller inte längre. Kanske har du redan avslutat dina bevakningar.")
        )
    return render(
        request,
        "alerts/unsubscribe.html",
        {"subscriber": subscriber, "count": subscriber.subscriptions.count()},
    )
