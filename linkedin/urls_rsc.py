"""Recruiter System Connect routes (namespace `linkedin`, mounted at /linkedin/)."""

from django.urls import path

from linkedin import views_rsc, webhooks

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
