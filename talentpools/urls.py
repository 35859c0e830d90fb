from django.urls import path

from talentpools import views

app_name = "talentpools"
urlpatterns = [
    path("", views.pool_list, name="list"),
    path("new/", views.pool_create, name="create"),
    path("add-members/", views.pool_add_members, name="add_members"),
    path("<int:pk>/", views.pool_detail, name="detail"),
    path("<int:pk>/edit/", views.pool_edit, name="edit"),
    path("<int:pk>/delete/", views.pool_delete, name="delete"),
    path("<int:pk>/sharing/", views.pool_sharing, name="sharing"),
    path("<int:pk>/sharing/<int:user_id>/revoke/", views.pool_unshare, name="unshare"),
    path("<int:pk>/members/remove/", views.pool_remove_members, name="remove_members"),
    path("<int:pk>/members/move/", views.pool_move_members, name="move_members"),
]
