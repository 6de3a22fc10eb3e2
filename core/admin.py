from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from core import audit
from core.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only, also for administrators."""

    list_display = [
        "created_at",
        "actor_name",
        "action",
        "object_type",
        "object_repr",
        "ip_address",
    ]
    list_filter = ["action", "object_type", "created_at"]
    search_fields = ["actor_name", "action", "object_repr", "object_id", "ip_address"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AuditedModelAdmin(admin.ModelAdmin):
    """Writes every admin addition, change and deletion to the audit log as well as to Django's
    own admin history."""

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        audit.record("admin.add", request=request, obj=obj)
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        audit.record("admin.change", request=request, obj=obj, message=_plain(message))
        return super().log_change(request, obj, message)

    def log_deletions(self, request: HttpRequest, queryset: QuerySet) -> Any:
        for obj in queryset:
            audit.record("admin.delete", request=request, obj=obj)
        return super().log_deletions(request, queryset)


def _plain(message: Any) -> Any:
    """Admin change messages are lists of dicts with lazy strings; make them JSON-safe."""
    if isinstance(message, (list, tuple)):
        return [_plain(v) for v in message]
    if isinstance(message, dict):
        return {k: _plain(v) for k, v in message.items()}
    return str(message)
