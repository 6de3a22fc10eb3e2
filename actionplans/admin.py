from django.contrib import admin

from actionplans.models import ActionPlan, Activity, AnnualReport, FollowUp, Goal, ItemLink
from core.admin import AuditedModelAdmin


class GoalInline(admin.TabularInline):
    model = Goal
    extra = 0
    fields = ["position", "title"]
    show_change_link = True


@admin.register(ActionPlan)
class ActionPlanAdmin(AuditedModelAdmin):
    list_display = ["title", "council", "year", "revision"]
    list_filter = ["year", "council"]
    readonly_fields = ["revision"]
    list_select_related = ["council"]
    search_fields = ["title", "council__name"]
    autocomplete_fields = ["council"]
    inlines = [GoalInline]


class ActivityInline(admin.StackedInline):
    model = Activity
    extra = 0
    fields = ["position", "title", "responsible", "start_date", "end_date", "status", "indicator"]


@admin.register(Goal)
class GoalAdmin(AuditedModelAdmin):
    list_display = ["title", "plan", "position"]
    list_select_related = ["plan"]
    search_fields = ["title", "plan__title"]
    inlines = [ActivityInline]


class FollowUpInline(admin.TabularInline):
    """Follow-ups are part of minutes: recorded at a meeting, shown here only."""

    model = FollowUp
    extra = 0
    fields = ["date", "meeting", "status", "text"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Activity)
class ActivityAdmin(AuditedModelAdmin):
    list_display = ["title", "goal", "responsible", "status", "start_date", "end_date"]
    list_filter = ["status"]
    list_select_related = ["goal"]
    search_fields = ["title", "responsible"]
    inlines = [FollowUpInline]


@admin.register(AnnualReport)
class AnnualReportAdmin(AuditedModelAdmin):
    list_display = ["title", "council", "year", "adopted_at"]
    list_filter = ["year", "council"]
    list_select_related = ["council"]
    search_fields = ["title", "council__name"]
    readonly_fields = ["assembled_at", "adopted_at", "pdf_name", "pdf_sha256", "pdf_size"]


@admin.register(ItemLink)
class ItemLinkAdmin(admin.ModelAdmin):
    """Links are made from the item; adoption follows from them, so they are only shown."""

    list_display = ["item", "kind", "plan", "plan_revision", "report", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["item", "plan", "report"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
