from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core.admin import AuditedModelAdmin
from core.sanitize import sanitize_html
from councils.admin import CouncilAdmin, MunicipalityAdmin
from councils.models import Council, Municipality
from minutes.models import (
    AdjustmentSignature,
    AgendaItem,
    AgendaItemSection,
    Announcement,
    ApprovedRevision,
    Attendance,
    Extract,
    Meeting,
    Minutes,
    MinutesEvent,
    PublicationWithdrawal,
    Signature,
    StandingItem,
)
from minutes.services import publication_withdraw, standing_agenda_default
from minutes.services.errors import InvalidInput
from minutes.services.meetings import check_date_free, forget_moved_meeting


class SanitizedBodyForm(forms.ModelForm):
    """Rich text typed in the admin passes the same allow-list as everywhere else."""

    def clean_body(self) -> str:
        return sanitize_html(self.cleaned_data.get("body", ""))


class MinutesInline(admin.TabularInline):
    """The meeting's minutes, to open; their status changes through the workflow (and approved
    minutes stay approved, which the database enforces)."""

    model = Minutes
    fk_name = "meeting"
    extra = 0
    fields = ["revision", "status"]
    readonly_fields = ["revision", "status"]
    show_change_link = True


class MeetingForm(forms.ModelForm):
    """A meeting on a day its council has no other meeting on, as the services keep it: the
    public addresses are by date."""

    def clean(self):
        cleaned = super().clean()
        council = cleaned.get("council", getattr(self.instance, "council", None))
        day = cleaned.get("date")
        if council is not None and day is not None:
            try:
                check_date_free(council, day, meeting=self.instance, lock=False)
            except InvalidInput as taken:
                self.add_error("date" if "date" in self.fields else None, str(taken))
        return cleaned


@admin.register(Meeting)
class MeetingAdmin(AuditedModelAdmin):
    form = MeetingForm
    list_display = ["date", "council", "start_time", "end_time", "place", "chaired_by"]
    list_filter = ["council__municipality", "council"]
    list_select_related = ["council", "chaired_by"]
    search_fields = ["council__name", "place"]
    date_hierarchy = "date"
    autocomplete_fields = ["council", "chaired_by", "secretary"]
    inlines = [MinutesInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Meeting | None = None):
        """Once some minutes are approved, the record states the meeting's date, times, place
        and council: read-only here (the database refuses too while the newest minutes are
        approved); a correction proposes new ones on the secretary's page for the meeting, and
        its approval makes them the meeting's."""
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.has_approved_record():
            readonly += [f for f in Meeting.FROZEN_FIELDS if f not in readonly]
        return readonly

    def save_model(self, request: HttpRequest, obj: Meeting, form, change: bool) -> None:
        old_date = form.initial.get("date") if change else None
        super().save_model(request, obj, form, change)
        if change and "date" in form.changed_data and old_date:
            forget_moved_meeting(obj, old_date)


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
    # a correction's proposed date, times and place are written by meeting_update only (the
    # secretary's page for the meeting), which checks that a correction is open
    readonly_fields = [
        "version",
        "attendance_version",
        "proposed_date",
        "proposed_start_time",
        "proposed_end_time",
        "proposed_place",
    ]
    inlines = [AttendanceInline, AgendaItemInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Minutes | None = None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.status == Minutes.Status.APPROVED:
            readonly += ["meeting", "revision", "status"]  # approved minutes stay approved
        return readonly


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


class StandingItemForm(SanitizedBodyForm):
    """Sub-section headings as one line each, instead of a JSON list."""

    sections_text = forms.CharField(
        label=_("Underavsnitt"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("En rubrik per rad, till exempel en per organisation."),
    )

    class Meta:
        model = StandingItem
        fields = ["council", "position", "title", "body", "decision", "first_meeting_of_year"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["sections_text"].initial = "\n".join(self.instance.sections or [])

    def save(self, commit: bool = True) -> StandingItem:
        lines = self.cleaned_data.get("sections_text", "").splitlines()
        self.instance.sections = [line.strip() for line in lines if line.strip()]
        return super().save(commit)


@admin.register(StandingItem)
class StandingItemAdmin(AuditedModelAdmin):
    form = StandingItemForm
    list_display = ["position", "title", "council", "first_meeting_of_year"]
    list_display_links = ["title"]
    list_filter = ["council__municipality", "council", "first_meeting_of_year"]
    list_select_related = ["council"]
    search_fields = ["title", "council__name"]
    autocomplete_fields = ["council"]
    ordering = ["council", "position"]


# A nämnd created in the admin, or a råd made a nämnd there, without a standing agenda gets its
# opening items ("Val av justerare", "Godkännande av dagordning"; minutes.services.standing).
# Other edits leave the standing agenda alone, so one emptied on purpose stays empty. The
# council's admin belongs to councils, which cannot know standing items, so minutes registers
# it again with this step.
class CouncilWithStandingAgendaAdmin(CouncilAdmin):
    def save_model(self, request: HttpRequest, obj: Council, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if not change or "kind" in form.changed_data:
            standing_agenda_default(council=obj, actor=request.user, request=request)


class MunicipalityWithStandingAgendaAdmin(MunicipalityAdmin):
    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        super().save_formset(request, form, formset, change)
        if formset.model is not Council:
            return
        kind_changed = [obj for obj, fields in formset.changed_objects if "kind" in fields]
        for council in [*formset.new_objects, *kind_changed]:
            standing_agenda_default(council=council, actor=request.user, request=request)


admin.site.unregister(Council)
admin.site.register(Council, CouncilWithStandingAgendaAdmin)
admin.site.unregister(Municipality)
admin.site.register(Municipality, MunicipalityWithStandingAgendaAdmin)


class ReadOnlyAdmin(admin.ModelAdmin):
    """The approved record can be read in the admin, never changed or deleted (the database
    refuses it anyway; this keeps the admin from offering it)."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class SignatureInline(admin.TabularInline):
    model = Signature
    extra = 0
    fields = ["name", "role", "signed_at", "method", "ip_address", "user"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ApprovedRevision)
class ApprovedRevisionAdmin(ReadOnlyAdmin):
    list_display = ["minutes", "approved_at", "pdf_sha256", "pdf_size", "supersedes"]
    list_filter = ["minutes__meeting__council"]
    list_select_related = ["minutes__meeting__council", "supersedes"]
    search_fields = ["pdf_sha256", "minutes__meeting__council__name"]
    date_hierarchy = "approved_at"
    inlines = [SignatureInline]


@admin.register(MinutesEvent)
class MinutesEventAdmin(ReadOnlyAdmin):
    list_display = ["minutes", "kind", "actor_name", "created_at"]
    list_filter = ["kind", "minutes__meeting__council"]
    list_select_related = ["minutes__meeting__council"]
    search_fields = ["actor_name", "comment"]
    exclude = ["snapshot"]


@admin.register(PublicationWithdrawal)
class PublicationWithdrawalAdmin(admin.ModelAdmin):
    """Withdraw the public copy of approved minutes with a reason; nothing else can be done
    with a withdrawal afterwards."""

    list_display = ["revision", "withdrawn_at", "withdrawn_by", "reason"]
    list_select_related = ["revision__minutes__meeting__council", "withdrawn_by"]
    fields = ["revision", "reason"]
    autocomplete_fields = ["revision"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        withdrawal = publication_withdraw(
            revision=obj.revision, actor=request.user, reason=obj.reason, request=request
        )
        obj.pk = withdrawal.pk


@admin.register(AdjustmentSignature)
class AdjustmentSignatureAdmin(ReadOnlyAdmin):
    """Each justerande's signature of a submission (a return voids it, the row stays)."""

    list_display = ["minutes", "item", "name", "role", "signed_at", "ip_address"]
    list_filter = ["role", "minutes__meeting__council"]
    list_select_related = ["minutes__meeting__council", "item"]
    search_fields = ["name", "minutes__meeting__council__name"]
    date_hierarchy = "signed_at"


@admin.register(Announcement)
class AnnouncementAdmin(ReadOnlyAdmin):
    """The anslagstavla's announcements, as they went up: they are never changed or removed (a
    withdrawal of the publication takes one down)."""

    list_display = [
        "organ",
        "kind",
        "meeting_date",
        "paragraphs",
        "posted_on",
        "last_day_to_appeal",
        "down_on",
    ]
    list_filter = ["kind", "municipality", "council"]
    search_fields = ["organ", "paragraphs", "kept_at"]
    date_hierarchy = "posted_on"


@admin.register(Extract)
class ExtractAdmin(ReadOnlyAdmin):
    list_display = ["label", "title", "minutes", "immediate", "is_public", "adjusted_at"]
    list_filter = ["immediate", "is_public", "minutes__meeting__council"]
    list_select_related = ["minutes__meeting__council"]
    search_fields = ["label", "title", "pdf_sha256"]
    exclude = ["snapshot"]
