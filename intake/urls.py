from django.urls import path

from intake import views

app_name = "intake"
urlpatterns = [
    path("read/", views.read, name="read"),
    path("<int:pk>/", views.register, name="register"),
    path("<int:pk>/status/", views.status, name="status"),
    path("route/<int:pk>/", views.route, name="route"),
]
