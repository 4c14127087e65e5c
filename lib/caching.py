"""``Cache-Control: private, no-store`` on what must not outlive the visit in a shared cache or
the browser's disk: every page a signed-in person sees and every API answer."""

from django.utils.cache import patch_cache_control

from lib.errors import is_api


class PrivateNoStoreMiddleware:
    """Mark signed-in pages and API answers ``private, no-store``.

    Static files never reach it (WhiteNoise answers them first, with long-lived public caching);
    the public sign-in page carries Django's own ``never_cache`` headers. Placed after
    AuthenticationMiddleware, which sets ``request.user``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if is_api(request) or (user is not None and user.is_authenticated):
            patch_cache_control(response, private=True, no_store=True)
        return response
