"""Sign-ins, successful and refused, on the sign-in page, the admin and the API token endpoint.

Django sends ``user_logged_in`` when a session starts (and the API's token endpoint sends it when
it issues a token) and ``user_login_failed`` from ``authenticate()`` whenever the credentials are
refused, lockout included. Wiring only: the record is written and nothing else happens.
"""

from django.contrib.auth.signals import user_logged_in, user_login_failed


def _signed_in(sender, request, user, **kwargs) -> None:
    from audit.services import audit_sign_in

    audit_sign_in(request=request, user=user)


def _sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    from audit.services import audit_sign_in_failed

    audit_sign_in_failed(request=request, username=str(credentials.get("username") or ""))


def connect() -> None:
    user_logged_in.connect(_signed_in, dispatch_uid="audit_signed_in")
    user_login_failed.connect(_sign_in_failed, dispatch_uid="audit_sign_in_failed")
