"""Routes of the LinkedIn feed: the public feed, the admin tab's actions, a job's LinkedIn row."""

from django.urls import path

from linkedin import views_feed as views

urlpatterns = [
    # Public (LinkedIn fetches it without signing in); the token makes it unguessable.
    path("feed/<str:token>.xml", views.feed, name="feed"),
    path("feed/settings/", views.settings_save, name="feed_settings"),
    path("feed/rotate/", views.token_rotate, name="feed_rotate"),
    path("feed/build/", views.build_now, name="feed_build"),
    path("jobs/<str:number>/post/", views.posting_post, name="job_post"),
    path("jobs/<str:number>/repost/", views.posting_repost, name="job_repost"),
    path("jobs/<str:number>/unpost/", views.posting_unpost, name="job_unpost"),
]
