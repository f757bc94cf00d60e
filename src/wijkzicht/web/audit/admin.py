"""The audit log in the admin: viewable and searchable, never editable."""

from __future__ import annotations

from django.contrib import admin

from wijkzicht.web.audit.models import AccessEvent


@admin.register(AccessEvent)
class AccessEventAdmin(admin.ModelAdmin):
    list_display = ("when", "user", "role", "on_behalf_of", "event", "object_type", "object_id",
                    "purpose", "result")  # fmt: skip
    list_filter = ("event", "result", "role", "purpose")
    search_fields = ("user", "object_id", "object_type")
    date_hierarchy = "when"

    # Staff users (in the demo: the analist) may read the log; nobody may change it.
    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
