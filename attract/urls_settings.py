from django.urls import path

from attract.views import admin_reasons, admin_templates, admin_users, api_tokens
from attract.views import settings as views
from linkedin import views_rsc

app_name = "settings"
urlpatterns = [
    # Admin settings: "admin" is the first tab (Company).
    path("admin/", views.company, name="admin"),
    path("admin/", views.company, name="company"),
    path("admin/linkedin/", views.linkedin, name="linkedin"),
    path("admin/users/", admin_users.users, name="users"),
    path("admin/users/new/", admin_users.user_new, name="user_new"),
    path("admin/users/<int:pk>/", admin_users.user_edit, name="user_edit"),
    path(
        "admin/users/<int:pk>/deactivate/",
        admin_users.user_deactivate_view,
        name="user_deactivate",
    ),
    path(
        "admin/users/<int:pk>/reactivate/",
        admin_users.user_reactivate_view,
        name="user_reactivate",
    ),
    path("admin/templates/", admin_templates.templates, name="templates"),
    path("admin/templates/new/", admin_templates.template_new, name="template_new"),
    path("admin/templates/<int:pk>/", admin_templates.template_edit, name="template_edit"),
    path(
        "admin/templates/<int:pk>/default/",
        admin_templates.template_make_default,
        name="template_make_default",
    ),
    path("admin/reasons/", admin_reasons.reasons, name="reasons"),
    path("admin/reasons/<int:pk>/rename/", admin_reasons.reason_rename, name="reason_rename"),
    path(
        "admin/reasons/<int:pk>/deactivate/",
        admin_reasons.reason_deactivate,
        name="reason_deactivate",
    ),
    path(
        "admin/reasons/<int:pk>/reactivate/",
        admin_reasons.reason_reactivate,
        name="reason_reactivate",
    ),
    path(
        "admin/reasons/<int:pk>/up/",
        admin_reasons.reason_move,
        {"direction": "up"},
        name="reason_up",
    ),
    path(
        "admin/reasons/<int:pk>/down/",
        admin_reasons.reason_move,
        {"direction": "down"},
        name="reason_down",
    ),
    # The organisation logo is public (the career site shows it); media is never served directly.
    path("logo", views.logo, name="logo"),
    # User settings: every signed-in user.
    path("me/", views.profile, name="profile"),
    path("me/password/", views.password, name="password"),
    path("me/connections/", views_rsc.connections, name="connections"),
    path("me/api-tokens/", api_tokens.api_tokens, name="api_tokens"),
    path(
        "me/api-tokens/<int:pk>/revoke/",
        api_tokens.api_token_revoke_view,
        name="api_token_revoke",
    ),
]
