"""Recruiter System Connect routes (namespace `linkedin`, mounted at /linkedin/)."""

from django.urls import path

from linkedin import views_prospects, views_rsc, webhooks

urlpatterns = [
    # LinkedIn's push notifications: one URL per organisation (LINKEDIN.md 2.10).
    path("callback/<str:token>/", webhooks.callback, name="callback"),
    # Administrators: Recruiter System Connect on the admin LinkedIn tab.
    path("rsc/connect/", views_rsc.rsc_connect, name="rsc_connect"),
    path("rsc/signed-in/", views_rsc.rsc_signed_in, name="rsc_signed_in"),
    path("rsc/contract/", views_rsc.rsc_choose_contract, name="rsc_contract"),
    path("rsc/request/", views_rsc.rsc_request, name="rsc_request"),
    path("rsc/requested/", views_rsc.rsc_requested, name="rsc_requested"),
    path("rsc/notify/", views_rsc.rsc_notify, name="rsc_notify"),
    path("rsc/refresh/", views_rsc.rsc_refresh, name="rsc_refresh"),
    path("rsc/disconnect/", views_rsc.rsc_disconnect, name="rsc_disconnect"),
    path("rsc/secret/", views_rsc.rsc_rotate_secret, name="rsc_secret"),
    # Every user: their own LinkedIn account (user settings → Connections).
    path("me/connect/", views_rsc.account_connect, name="account_connect"),
    path("oauth/callback/", views_rsc.oauth_callback, name="oauth_callback"),
    path("me/disconnect/", views_rsc.account_disconnect, name="account_disconnect"),
]

from linkedin import views_sync  # noqa: E402 - the sync dashboard's routes, appended

urlpatterns += [
    path("sync/run-now/", views_sync.sync_run_now, name="sync_run_now"),
    path("sync/settings/", views_sync.sync_settings, name="sync_settings"),
    path("sync/history/", views_sync.sync_history_again, name="sync_history_again"),
    path("sync/outbox/retry/", views_sync.outbox_retry_all, name="outbox_retry_all"),
    path("sync/outbox/<int:pk>/retry/", views_sync.outbox_retry, name="outbox_retry"),
    # The candidate's LinkedIn tab (candidates:linkedin): link or unlink a LinkedIn member.
    path("candidates/<int:pk>/link/", views_prospects.candidate_link, name="candidate_link"),
    path("candidates/<int:pk>/unlink/", views_prospects.candidate_unlink, name="candidate_unlink"),
    # ... and act in LinkedIn Recruiter with the user's own connection.
    path(
        "candidates/<int:pk>/project/",
        views_prospects.candidate_save_to_project,
        name="candidate_project",
    ),
    path(
        "candidates/<int:pk>/inmail/",
        views_prospects.candidate_send_inmail,
        name="candidate_inmail",
    ),
    path(
        "candidates/<int:pk>/alert/", views_prospects.candidate_keep_updated, name="candidate_alert"
    ),
]
