from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView

from directives import urls as directive_urls
from ops.views import favicon, healthz
from reports import urls as report_urls
from tasks import urls as task_urls
from tasks.feeds import calendar_feed
from units.forms import SignInForm
from units.views import home

api_v1 = [
    path("", include("units.api")),
    # intake.api first: it takes over "incoming" (a file alone fills the register's values).
    path("", include("intake.api")),
    path("", include("directives.api")),
    path("", include("reports.api.registers")),
    path("", include("tasks.api")),
    path("", include("reports.api.dashboards")),
    path("", include("reports.api.province")),
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="openapi"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="openapi"), name="api-docs"),
]

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=SignInForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # The reporting pages stay in the namespaces and under the paths they had (reports/urls.py).
    path("directives/", include((directive_urls.urlpatterns + report_urls.under_directives, "directives"))),
    path("tasks/", include((task_urls.urlpatterns + report_urls.under_tasks, "tasks"))),
    path("intake/", include("intake.urls")),
    path("exchange/", include("exchange.urls")),
    path("notifications/", include("notifications.urls")),
    path("calendar/<str:token>.ics", calendar_feed, name="calendar-feed"),
    path("admin/", admin.site.urls),
    path("audit/", include("audit.urls")),
    path("api/v1/", include(api_v1)),
]

# bench/run only (PORTAL_BENCH_QUERY_HEADER, never in production): each page's floor and a stock admin.
if settings.PORTAL_BENCH_QUERY_HEADER:
    from bench import floors

    urlpatterns += floors.urlpatterns

# Vietnamese pages in the portal's layout; JSON {"message", "extra"} under /api/ (lib/error_pages.py).
handler400 = "lib.error_pages.bad_request"
handler403 = "lib.error_pages.permission_denied"
handler404 = "lib.error_pages.page_not_found"
handler500 = "lib.error_pages.server_error"
