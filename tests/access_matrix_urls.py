"""config.urls with one page more and no row for it: test_access_matrix checks the matrix notices."""

from django.http import HttpResponse
from django.urls import include, path

from config.urls import urlpatterns as portal
from directives.urls import urlpatterns as documents


def secret_export(request):
    return HttpResponse()


urlpatterns = [
    path(
        "directives/",
        include(([*documents, path("secret-export/", secret_export, name="secret-export")], "directives")),
    ),  # fmt: skip
    *portal,
]
