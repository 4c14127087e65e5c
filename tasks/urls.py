from django.urls import path

from tasks import views

# The dashboards, reports and province view keep their names in this namespace
# (tasks:dashboard, …): config/urls.py adds reports.urls.under_tasks to it.
app_name = "tasks"
urlpatterns = [
    path("", views.my_tasks, name="mine"),
    path("unit/", views.unit_tasks, name="unit"),
    path("supervised/", views.supervised, name="supervised"),
    path("all/", views.browse, name="browse"),
    path("new/", views.create, name="create"),
    path("from-document/<int:document_pk>/", views.create_from_document, name="create_from_document"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/act/<slug:action>/", views.act, name="act"),
    path("<int:pk>/files/<int:file_pk>/", views.task_file, name="file"),
]
