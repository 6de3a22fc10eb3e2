from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import AuditedModelAdmin
from councils.models import Council, Membership, Municipality, Person


class CouncilInline(admin.TabularInline):
    model = Council
    extra = 0
    fields = ["name", "slug", "kind", "document_title"]
    show_change_link = True
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Municipality)
class MunicipalityAdmin(AuditedModelAdmin):
    list_display = ["name", "slug", "place_name", "council_count"]
    search_fields = ["name", "slug", "place_name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CouncilInline]

    @admin.display(description=_("råd och nämnder"))
    def council_count(self, obj: Municipality) -> int:
        return obj.councils.count()


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    fields = [
        "person",
        "role",
        "party",
        "title",
        "organisation",
        "start_date",
        "end_date",
        "position",
    ]
    autocomplete_fields = ["person"]


@admin.register(Council)
class CouncilAdmin(AuditedModelAdmin):
    list_display = [
        "name",
        "municipality",
        "kind",
        "document_title",
        "paragraph_prefix",
        "default_place",
        "usual_start_time",
        "usual_end_time",
    ]
    list_filter = ["kind", "municipality"]
    list_select_related = ["municipality"]
    search_fields = ["name", "slug", "municipality__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["municipality"]
    inlines = [MembershipInline]


class PersonMembershipInline(MembershipInline):
    fields = [
        "council",
        "role",
        "party",
        "title",
        "organisation",
        "start_date",
        "end_date",
        "position",
    ]
    autocomplete_fields = ["council"]
    extra = 0


@admin.register(Person)
class PersonAdmin(AuditedModelAdmin):
    list_display = ["name", "email", "user"]
    list_select_related = ["user"]
    search_fields = ["name", "email", "user__username"]
    autocomplete_fields = ["user"]
    inlines = [PersonMembershipInline]


@admin.register(Membership)
class MembershipAdmin(AuditedModelAdmin):
    list_display = [
        "person",
        "council",
        "role",
        "party",
        "title",
        "organisation",
        "start_date",
        "end_date",
    ]
    list_filter = ["role", "council__municipality", "council"]
    list_select_related = ["person", "council"]
    search_fields = ["person__name", "council__name", "title", "organisation", "party"]
    autocomplete_fields = ["person", "council"]
    date_hierarchy = "start_date"
