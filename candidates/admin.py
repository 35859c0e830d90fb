from django.contrib import admin

from candidates.models import (
    Application,
    ApplicationEvent,
    Candidate,
    CandidateEmail,
    Document,
    InterviewFeedback,
    Note,
    RejectionReason,
    Tag,
)


class CandidateEmailInline(admin.TabularInline):
    model = CandidateEmail
    extra = 0


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    inlines = [CandidateEmailInline]
    list_display = [
        "last_name",
        "first_name",
        "current_title",
        "current_company",
        "source",
        "created_at",
    ]
    list_filter = ["source", "country", "tags"]
    search_fields = ["first_name", "last_name", "emails__email", "current_company", "current_title"]
    filter_horizontal = ["tags"]
    date_hierarchy = "created_at"


@admin.register(CandidateEmail)
class CandidateEmailAdmin(admin.ModelAdmin):
    list_display = ["email", "candidate", "is_primary"]
    list_filter = ["is_primary"]
    search_fields = ["email", "candidate__last_name"]
    list_select_related = ["candidate"]
    raw_id_fields = ["candidate"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]
    list_filter = ["name"]


@admin.register(RejectionReason)
class RejectionReasonAdmin(admin.ModelAdmin):
    list_display = ["name", "is_active", "position"]
    list_filter = ["is_active"]
    search_fields = ["name"]


class ApplicationEventInline(admin.TabularInline):
    model = ApplicationEvent
    extra = 0
    readonly_fields = ["kind", "from_stage", "to_stage", "reason", "actor", "at"]
    can_delete = False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    inlines = [ApplicationEventInline]
    list_display = ["candidate", "job", "stage", "status", "source", "stage_entered_at"]
    list_filter = ["status", "source", "stage__kind"]
    search_fields = ["candidate__first_name", "candidate__last_name", "job__number", "job__title"]
    list_select_related = ["candidate", "job", "stage"]
    raw_id_fields = ["candidate", "job", "stage", "created_by"]


@admin.register(ApplicationEvent)
class ApplicationEventAdmin(admin.ModelAdmin):
    list_display = ["application", "kind", "from_stage", "to_stage", "actor", "at"]
    list_filter = ["kind"]
    search_fields = ["application__candidate__last_name", "application__job__number"]
    list_select_related = [
        "application__candidate",
        "application__job",
        "from_stage",
        "to_stage",
        "actor",
    ]


@admin.register(Note)
class NoteAdmin(admin.ModelAdmin):
    list_display = ["candidate", "author", "visibility", "created_at"]
    list_filter = ["visibility"]
    search_fields = ["body", "candidate__last_name", "author__username"]
    list_select_related = ["candidate", "author"]
    raw_id_fields = ["candidate", "application", "author"]


@admin.register(InterviewFeedback)
class InterviewFeedbackAdmin(admin.ModelAdmin):
    list_display = ["application", "interviewer", "recommendation", "submitted_at"]
    list_filter = ["recommendation"]
    search_fields = ["application__candidate__last_name", "interviewer__username"]
    list_select_related = ["application__candidate", "application__job", "interviewer"]
    raw_id_fields = ["application", "interviewer"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "candidate", "kind", "content_type", "size", "created_at"]
    list_filter = ["kind", "content_type"]
    search_fields = ["original_name", "candidate__last_name"]
    list_select_related = ["candidate"]
    raw_id_fields = ["candidate", "application", "uploaded_by"]
