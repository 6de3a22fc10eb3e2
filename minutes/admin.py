from django import forms
from django.contrib import admin

from core.admin import AuditedModelAdmin
from core.sanitize import sanitize_html
from minutes.models import AgendaItem, AgendaItemSection, Attendance, Meeting, Minutes


class SanitizedBodyForm(forms.ModelForm):
    """Rich text typed in the admin passes the same allow-list as everywhere else."""

    def clean_body(self) -> str:
        return sanitize_html(self.cleaned_data.get("body", ""))


class MinutesInline(admin.TabularInline):
    model = Minutes
    extra = 0
    fields = ["revision", "status"]
    show_change_link = True


@admin.register(Meeting)
class MeetingAdmin(AuditedModelAdmin):
    list_display = ["date", "council", "start_time", "end_time", "place", "chaired_by"]
    list_filter = ["council__municipality", "council"]
    list_select_related = ["council", "chaired_by"]
    search_fields = ["council__name", "place"]
    date_hierarchy = "date"
    autocomplete_fields = ["council", "chaired_by", "secretary"]
    inlines = [MinutesInline]


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    fields = ["position", "person", "membership", "status", "substitute_for"]
    autocomplete_fields = ["person", "membership", "substitute_for"]


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["position", "number", "title", "is_public"]
    show_change_link = True


@admin.register(Minutes)
class MinutesAdmin(AuditedModelAdmin):
    list_display = ["meeting", "revision", "status", "updated_at"]
    list_filter = ["status", "meeting__council"]
    list_select_related = ["meeting__council"]
    search_fields = ["meeting__council__name", "items__title"]
    readonly_fields = ["version", "attendance_version"]
    inlines = [AttendanceInline, AgendaItemInline]


class SectionInline(admin.StackedInline):
    model = AgendaItemSection
    form = SanitizedBodyForm
    extra = 0
    fields = ["position", "heading", "body"]


@admin.register(AgendaItem)
class AgendaItemAdmin(AuditedModelAdmin):
    form = SanitizedBodyForm
    list_display = ["title", "number", "minutes", "is_public"]
    list_filter = ["is_public", "minutes__meeting__council"]
    list_select_related = ["minutes__meeting__council"]
    search_fields = ["title", "body", "decision"]
    readonly_fields = ["version"]
    inlines = [SectionInline]
