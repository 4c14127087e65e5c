from django.urls import path

from tasks import views

app_name = "tasks"
urlpatterns = [
    path("", views.my_tasks, name="mine"),
    path("unit/", views.unit_tasks, name="unit"),
    path("dashboard/", views.dashboard, name="dashboard"),
]
