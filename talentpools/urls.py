from django.urls import path

from talentpools import views

app_name = "talentpools"
urlpatterns = [
    path("", views.pool_list, name="list"),
]
