from django.urls import path

from notifications import views
from units import views as unit_views

# The person's own pages under /notifications/ (the namespace of every name below, as before
# notices had their own app); the API token pages are units' and keep their names here.
app_name = "notifications"
urlpatterns = [
    path("", views.notifications, name="list"),
    path("read-all/", views.notifications_read_all, name="read_all"),
    path("badge/", views.notifications_badge, name="badge"),
    path("<int:pk>/", views.notification_open, name="open"),
    path("settings/", views.notification_settings, name="settings"),
    path("settings/calendar/issue/", views.calendar_issue, name="calendar_issue"),
    path("settings/calendar/revoke/", views.calendar_revoke, name="calendar_revoke"),
    path("settings/api-tokens/", unit_views.api_tokens, name="api_tokens"),
    path("settings/api-tokens/<int:pk>/revoke/", unit_views.api_token_revoke, name="api_token_revoke"),
    path("log/", views.delivery_log, name="delivery_log"),
]
