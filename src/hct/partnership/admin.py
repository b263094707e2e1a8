from django.contrib import admin

from hct.partnership.models import (
    Cycle,
    Invitation,
    Membership,
    Partner,
    Partnership,
    PastMembership,
)


class PartnerInline(admin.TabularInline):
    model = Partner
    extra = 0


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    inlines = [PartnerInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "partnership", "partner", "title")
    list_filter = ("partnership", "partner")
    filter_horizontal = ("neighbourhoods",)


@admin.register(Cycle)
class CycleAdmin(admin.ModelAdmin):
    list_display = ("partnership", "number", "neighbourhood", "current_stage")


@admin.register(PastMembership)
class PastMembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "partnership", "partner", "ended_at", "ended_by")
    list_filter = ("partnership",)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """For operators: who was invited and where it stands. The secrets are only hashes, so
    nothing here lets anyone in."""

    list_display = ("invitee", "partnership", "role", "created_at", "expires_at", "accepted_at")
    list_filter = ("partnership", "role")
    exclude = ("token_hash", "code_hash")
    readonly_fields = ("accepted_at", "accepted_by", "cancelled_at", "cancelled_by")

    def has_add_permission(self, request):
        # Made on the invitations page, which shows the code and link once.
        return False
