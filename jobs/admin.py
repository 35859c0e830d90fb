from django.contrib import admin

from jobs.models import HiringTeamMember, Job, JobApproval, JobStage, ProcessTemplate, TemplateStage


class TemplateStageInline(admin.TabularInline):
    model = TemplateStage
    extra = 0


@admin.register(ProcessTemplate)
class ProcessTemplateAdmin(admin.ModelAdmin):
    inlines = [TemplateStageInline]
    list_display = ["name", "is_default", "requires_approval", "updated_at"]
    list_filter = ["is_default", "requires_approval"]
    search_fields = ["name", "description"]


@admin.register(TemplateStage)
class TemplateStageAdmin(admin.ModelAdmin):
    list_display = ["template", "position", "name", "kind"]
    list_filter = ["kind", "template"]
    search_fields = ["name", "template__name"]
    list_select_related = ["template"]


class JobStageInline(admin.TabularInline):
    model = JobStage
    extra = 0


class HiringTeamInline(admin.TabularInline):
    model = HiringTeamMember
    extra = 0
    raw_id_fields = ["user", "delegate_of"]


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    inlines = [JobStageInline, HiringTeamInline]
    list_display = ["number", "title", "status", "city", "country", "internal_only", "created_at"]
    list_filter = ["status", "workplace_type", "employment_type", "country", "internal_only"]
    search_fields = ["number", "title", "city", "poster__email"]
    readonly_fields = [
        "number",
        "status",
        "close_reason",
        "approval_round",
        "activated_at",
        "closed_at",
    ]
    raw_id_fields = ["poster", "created_by"]
    date_hierarchy = "created_at"


@admin.register(JobStage)
class JobStageAdmin(admin.ModelAdmin):
    list_display = ["job", "position", "name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "job__number", "job__title"]
    list_select_related = ["job"]


@admin.register(HiringTeamMember)
class HiringTeamMemberAdmin(admin.ModelAdmin):
    list_display = ["job", "user", "role", "delegate_of"]
    list_filter = ["role"]
    search_fields = ["job__number", "user__username", "user__email"]
    list_select_related = ["job", "user", "delegate_of__user"]
    raw_id_fields = ["job", "user", "delegate_of"]


@admin.register(JobApproval)
class JobApprovalAdmin(admin.ModelAdmin):
    list_display = ["job", "approver", "round", "decision", "decided_at"]
    list_filter = ["decision"]
    search_fields = ["job__number", "approver__username"]
    list_select_related = ["job", "approver"]
    raw_id_fields = ["job", "approver"]
