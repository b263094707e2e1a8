from django.contrib import admin

from hct.partnership.models import Cycle, Membership, Partner, Partnership


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
