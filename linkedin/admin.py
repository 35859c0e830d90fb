"""The Django admin of the LinkedIn app (operators' view; the product pages are the admin tab)."""

from django.contrib import admin

from linkedin.models import FeedBuild, FeedFetch, LinkedInJobPostingSettings, LinkedInPosting

# --- The limited-listings feed


@admin.register(LinkedInJobPostingSettings)
class LinkedInJobPostingSettingsAdmin(admin.ModelAdmin):
    list_display = ["company_name", "company_id", "enabled", "live_built_at", "updated_at"]
    list_filter = ["enabled"]
    search_fields = ["company_name", "company_id"]
    exclude = ["feed_token"]  # the feed URL's secret: shown (and rotated) on the admin tab only
    readonly_fields = [
        "token_rotated_at",
        "live_build",
        "live_name",
        "live_gzip_name",
        "live_etag",
        "live_built_at",
        "live_bytes",
        "live_gzip_bytes",
    ]

    def has_add_permission(self, request) -> bool:
        return not LinkedInJobPostingSettings.objects.exists()


@admin.register(LinkedInPosting)
class LinkedInPostingAdmin(admin.ModelAdmin):
    list_display = ["job", "status", "excluded", "posted_by", "posted_at", "first_included_at"]
    list_filter = ["status", "excluded", "removed_reason"]
    search_fields = ["job__number", "job__title"]
    list_select_related = ["job", "posted_by"]
    raw_id_fields = ["job", "posted_by", "removed_by"]
    exclude = ["feed_description"]
    readonly_fields = ["feed_description_length", "feed_description_of", "exclusions"]


@admin.register(FeedBuild)
class FeedBuildAdmin(admin.ModelAdmin):
    list_display = [
        "started_at",
        "status",
        "trigger",
        "included",
        "excluded",
        "bytes",
        "duration_ms",
    ]
    list_filter = ["status", "trigger"]
    search_fields = ["error", "storage_name"]
    date_hierarchy = "started_at"
    readonly_fields = [f.name for f in FeedBuild._meta.fields]


@admin.register(FeedFetch)
class FeedFetchAdmin(admin.ModelAdmin):
    list_display = ["fetched_at", "ip", "status", "bytes", "gzip", "user_agent"]
    list_filter = ["status", "gzip"]
    search_fields = ["ip", "user_agent"]
    date_hierarchy = "fetched_at"
    readonly_fields = [f.name for f in FeedFetch._meta.fields]


# --- Recruiter System Connect (secrets and tokens are never shown, not even to operators)

from linkedin.models_rsc import (  # noqa: E402
    LinkedInAccount,
    RecruiterConnection,
    RecruiterSeat,
    WebhookEvent,
)


@admin.register(RecruiterConnection)
class RecruiterConnectionAdmin(admin.ModelAdmin):
    list_display = ["status", "access_level", "contract_name", "tasks_enabled", "updated_at"]
    exclude = ["client_secret", "previous_client_secret", "admin_access_token", "callback_token"]
    readonly_fields = ["status", "access_level", "integration_statuses", "application_urn"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(LinkedInAccount)
class LinkedInAccountAdmin(admin.ModelAdmin):
    list_display = ["user", "member_urn", "member_name", "connected_at"]
    search_fields = ["user__username", "member_urn", "member_name"]
    exclude = ["access_token"]
    readonly_fields = ["member_urn", "token_expires_at"]
    list_select_related = ["user"]


@admin.register(RecruiterSeat)
class RecruiterSeatAdmin(admin.ModelAdmin):
    list_display = ["seat_urn", "contract_urn", "holder_urn", "user", "active"]
    list_filter = ["active", "contract_urn"]
    search_fields = ["seat_urn", "holder_urn", "user__username"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


@admin.register(WebhookEvent)
class WebhookEventAdmin(admin.ModelAdmin):
    list_display = ["received_at", "kind", "request_id", "status", "attempts"]
    list_filter = ["kind", "status"]
    search_fields = ["request_id"]
    date_hierarchy = "received_at"
    readonly_fields = [f.name for f in WebhookEvent._meta.fields]
