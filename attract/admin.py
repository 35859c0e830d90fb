from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from attract.models import ApiToken, Counter, Event, Notification, Organisation, User, UserRole


class UserRoleInline(admin.TabularInline):
    model = UserRole
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [UserRoleInline]
    list_display = ["username", "email", "first_name", "last_name", "is_active", "roles"]
    list_filter = ["is_active", "security_roles__role", "is_superuser"]
    search_fields = ["username", "email", "first_name", "last_name"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("security_roles")

    @admin.display(description="Security roles")
    def roles(self, obj: User) -> str:
        return ", ".join(r.get_role_display() for r in obj.security_roles.all())


@admin.register(UserRole)
class UserRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "role"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__email"]
    list_select_related = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["company_name", "public_site_url", "retention_days", "updated_at"]
    search_fields = ["company_name"]
    list_filter = ["retention_days"]

    def has_add_permission(self, request):
        return not Organisation.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "type", "actor", "subject_type", "subject_id", "job"]
    list_filter = ["type", "subject_type", "created_at"]
    search_fields = ["type", "subject_id", "actor__username", "job__number"]
    list_select_related = ["actor", "subject_type", "job"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in Event._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Counter)
class CounterAdmin(admin.ModelAdmin):
    list_display = ["name", "value"]
    search_fields = ["name"]
    list_filter = ["name"]
    readonly_fields = ["name", "value"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "verb", "text", "read_at"]
    list_filter = ["verb", "read_at"]
    search_fields = ["text", "recipient__username"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient", "job"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "user__username", "prefix"]
    list_select_related = ["user"]
    readonly_fields = ["digest", "prefix", "created_at", "last_used_at"]
