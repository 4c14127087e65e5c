"""The request being served, so that a record written deep inside a service knows who and from where.

The middleware puts the request in a context variable for the duration of the view. The person
is read from it when a record is written, not when the request arrives, so a bearer token the API
authenticates inside the view counts too (DRF sets the Django request's user). Outside a request
(jobs, commands) there is none: such records name no person and say "system".
"""

from contextvars import ContextVar

from axes.helpers import get_client_ip_address
from django.http import HttpRequest

_current: ContextVar[HttpRequest | None] = ContextVar("audit_request", default=None)


class AuditContextMiddleware:
    """Makes the request available to the audit trail; place it after AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current.set(request)
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)


def current_request() -> HttpRequest | None:
    return _current.get()


def client_address(request: HttpRequest | None) -> str | None:
    """The client's address as the sign-in lockout sees it: through django-axes, which trusts only the
    configured number of proxies, never a raw X-Forwarded-For."""
    if request is None:
        return None
    return get_client_ip_address(request) or None


def request_actor(request: HttpRequest | None):
    user = getattr(request, "user", None) if request is not None else None
    return user if user is not None and user.is_authenticated else None


def request_channel(request: HttpRequest | None) -> str:
    from audit.models import AuditRecord

    if request is None:
        return AuditRecord.Channel.SYSTEM
    match = getattr(request, "resolver_match", None)
    if match is not None and "admin" in match.namespaces:
        return AuditRecord.Channel.ADMIN
    if request.path_info.startswith("/api/"):
        return AuditRecord.Channel.API
    return AuditRecord.Channel.PAGE
