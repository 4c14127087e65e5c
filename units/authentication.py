"""``Authorization: Bearer <token>`` for the API, with tokens stored only as digests."""

import hashlib

from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from units.models import ApiToken, User


def token_digest(token: str) -> str:
    """The SHA-256 digest under which a secret token (API or calendar) is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def password_fingerprint(user: User) -> str:
    """A digest of the person's stored password hash; it changes whenever the password does.

    ``set_password`` draws a new salt every time, so even setting the same password again
    changes it. A digest, not the hash itself, so the token table holds nothing a password
    could be tested against.
    """
    return hashlib.sha256(user.password.encode()).hexdigest()


class BearerTokenAuthentication(TokenAuthentication):
    keyword = "Bearer"
    model = ApiToken

    def authenticate_credentials(self, key: str):
        try:
            token = ApiToken.objects.select_related("user").get(digest=token_digest(key))
        except ApiToken.DoesNotExist:
            raise exceptions.AuthenticationFailed(_("Mã truy cập không hợp lệ hoặc đã bị thu hồi.")) from None
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Tài khoản đã bị khóa."))
        now = timezone.now()
        if token.expires_at <= now:
            raise exceptions.AuthenticationFailed(_("Mã truy cập đã hết hạn. Hãy đăng nhập lại để lấy mã mới."))
        # Issued under another password: the password changed since, by whatever path.
        if not constant_time_compare(token.password_fingerprint, password_fingerprint(token.user)):
            raise exceptions.AuthenticationFailed(_("Mã truy cập không hợp lệ hoặc đã bị thu hồi."))
        # Write at most once a minute per token, not on every request.
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token
