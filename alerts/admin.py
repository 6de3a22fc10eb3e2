"""The administrators' view of bevakning: how many follow each council and anslagstavla, the
addresses masked (never one in full in a list), and ending every subscription of an address
when its owner asks (GDPR art. 17) — by the address typed in full, which the page then forgets.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from alerts import services
from alerts.forms import EndAddressForm
from alerts.models import Subscriber, Subscription, mask
from core import audit
from core.admin import AuditedModelAdmin


class SubscriptionInline(admin.TabularInline):
    model = Subscription
    fields = ["label", "created_at", "confirmed_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    @admin.display(description=_("bevakar"))
    def label(self, obj: Subscription) -> str:
        return obj.label

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Subscriber)
class SubscriberAdmin(AuditedModelAdmin):
    """Addresses as ``a•••@e•••.se``, and no search: an address typed into a search box would
    travel in the address bar (and the web server's log); the overview finds one by POST."""

    list_display = ["masked_email", "frequency", "subscription_count", "created_at"]
    list_filter = ["frequency"]
    fields = ["masked_email", "frequency", "created_at"]
    readonly_fields = ["masked_email", "frequency", "created_at"]
    inlines = [SubscriptionInline]
    change_list_template = "admin/alerts/subscriber/change_list.html"

    @admin.display(description=_("e-postadress"))
    def masked_email(self, obj: Subscriber) -> str:
        return mask(obj.email)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(subscription_total=Count("subscriptions"))

    @admin.display(description=_("bevakningar"), ordering="subscription_total")
    def subscription_count(self, obj: Subscriber) -> int:
        return obj.subscription_total

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def get_urls(self):
        own = [
            path(
                "oversikt/",
                self.admin_site.admin_view(self.overview),
                name="alerts_subscriber_overview",
            ),
        ]
        return own + super().get_urls()

    def overview(self, request: HttpRequest) -> HttpResponse:
        """Counts per council and anslagstavla, and the form that ends an address's
        subscriptions."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = EndAddressForm(request.POST or None)
        if request.method == "POST" and self.has_delete_permission(request) and form.is_valid():
            address = form.cleaned_data["email"]
            subscriber = Subscriber.objects.filter(email=services.normalize(address)).first()
            if subscriber is not None:
                audit.record("alerts.end_address", request=request, obj=subscriber)
            ended = services.end_address(address)
            if not ended:
                messages.info(request, _("Adressen bevakar ingenting."))
            else:
                messages.success(
                    request,
                    _("%(n)s bevakningar för %(address)s avslutades och adressen togs bort.")
                    % {"n": ended, "address": mask(address.strip().lower())},
                )
            return redirect(reverse("admin:alerts_subscriber_overview"))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Bevakningar"),
            "counts": services.counts(),
            "form": form,
            "can_end": self.has_delete_permission(request),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/alerts/overview.html", context)
