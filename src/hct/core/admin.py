from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

from hct.core.models import AuditEvent, User


def _sign_in_instead(request, extra_context=None):
    # One sign-in page for everyone, so lockout and the audit trail cover the admin too.
    return redirect_to_login(
        request.GET.get("next", reverse("admin:index")), reverse("core:sign-in")
    )


admin.site.login = _sign_in_instead  # type: ignore[method-assign]
admin.site.site_header = "hct administration"
admin.site.site_title = "hct administration"


@admin.register(User)
class HctUserAdmin(UserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = (*(UserAdmin.fieldsets or ()), ("Role", {"fields": ("role",)}))


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit trail is for reading: nobody can add, change or delete an event."""

    list_display = ("at", "verb", "actor", "actor_role", "subject_type", "subject_id")
    list_filter = ("verb", "actor_role", "subject_type")
    search_fields = ("verb", "subject_type", "subject_id")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
