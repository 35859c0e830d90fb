from django.contrib import admin

from talentpools.models import TalentPool, TalentPoolMember


@admin.register(TalentPool)
class TalentPoolAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "system_key", "created_at"]
    list_filter = ["system_key"]
    search_fields = ["name", "owner__username"]
    filter_horizontal = ["contributors"]
    list_select_related = ["owner"]

    def has_delete_permission(self, request, obj=None):
        return obj is None or not obj.is_system


@admin.register(TalentPoolMember)
class TalentPoolMemberAdmin(admin.ModelAdmin):
    list_display = ["pool", "candidate", "added_by", "added_at"]
    list_filter = ["pool"]
    search_fields = ["candidate__last_name", "pool__name"]
    list_select_related = ["pool", "candidate", "added_by"]
    raw_id_fields = ["candidate", "added_by"]
