"""The portal's URLs plus views that fail on purpose, for the error-handler tests."""

from django.core.exceptions import RequestDataTooBig
from django.urls import path

from config.urls import handler400, handler403, handler404, handler500  # noqa: F401
from config.urls import urlpatterns as portal


def crash(request):
    raise RuntimeError("a bug")


def too_big(request):
    raise RequestDataTooBig("body too large")


urlpatterns = [
    path("crash/", crash),
    path("api/v1/crash", crash),
    path("too-big/", too_big),
    path("api/v1/too-big", too_big),
    *portal,
]
