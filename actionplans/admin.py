from django.contrib import admin

from actionplans.models import ActionPlan, Activity, FollowUp, Goal
from core.admin import AuditedModelAdmin


class GoalInline(admin.TabularInline):
    model = Goal
    extra = 0
    fields = ["position", "title"]
    show_change_link = True


@admin.register(ActionPlan)
class ActionPlanAdmin(AuditedModelAdmin):
    list_display = ["title", "council", "year", "status"]
    list_filter = ["status", "year", "council"]
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
    model = FollowUp
    extra = 0
    fields = ["date", "meeting", "status", "text"]
    autocomplete_fields = ["meeting"]


@admin.register(Activity)
class ActivityAdmin(AuditedModelAdmin):
    list_display = ["title", "goal", "responsible", "status", "start_date", "end_date"]
    list_filter = ["status"]
    list_select_related = ["goal"]
    search_fields = ["title", "responsible"]
    inlines = [FollowUpInline]
