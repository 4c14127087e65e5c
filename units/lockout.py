"""The sign-in lockout: one limit per user name, a higher one per client address.

django-axes records every failed sign-in (page and API token endpoint) as rows keyed by
user name and address. Two kinds of attack are limited:

- guessing one person's password from many addresses: the failures of a user name are
  counted whatever the address (``AXES_FAILURE_LIMIT``);
- password spraying, a guess or two per account from one address: the failures of an
  address are counted across user names (``SIGN_IN_ADDRESS_FAILURE_LIMIT``, higher,
  because an office behind NAT signs in from one address).

The client address is read by ``client_address``: ``REMOTE_ADDR`` only unless a number of
trusted proxies is configured, so a forged ``X-Forwarded-For`` cannot give each guess a
fresh address.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    """Return the address the lockout and the audit trail count for this request.

    ``AXES_IPWARE_PROXY_COUNT`` is the number of reverse proxies in front of the portal that
    are trusted. With 0, ``X-Forwarded-For`` is ignored entirely: anyone can write it. With N,
    each trusted proxy appended the address it saw, so the client is the N-th address from the
    right (one nginx: the right-most); whatever a client wrote itself stays further left and is
    never read. A request whose header is missing or too short did not come through the
    proxies and counts under ``REMOTE_ADDR``.
    """
    remote = request.META.get("REMOTE_ADDR")
    trusted = settings.AXES_IPWARE_PROXY_COUNT
    if not trusted:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    return hops[-trusted] if len(hops) >= trusted else remote


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with a limit of its own for each lockout parameter.

    Axes compares a single number of failures with ``AXES_FAILURE_LIMIT``. This handler
    answers, for that number, the highest count among the parameters after shifting each by
    the difference between its own limit and ``AXES_FAILURE_LIMIT``: a user name with 5
    failures, or an address with 30, both reach the limit, and nothing else does.
    """

    def get_failures(self, request, credentials: dict | None = None) -> int:
        base = settings.AXES_FAILURE_LIMIT
        limits = {"username": base, "ip_address": settings.SIGN_IN_ADDRESS_FAILURE_LIMIT}
        parameters = get_lockout_parameters(request, credentials)
        attempts_list = self.get_user_attempts(request, credentials)
        failures = 0
        for parameter, attempts in zip(parameters, attempts_list, strict=True):
            count = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            failures = max(failures, count - limits[parameter] + base)
        return failures

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        """After a successful sign-in, forget the failures of that user name only.

        Axes would also forget every failure from the address, so someone with an account
        of their own could clear the count of a spraying run by signing in between rounds.
        """
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count
