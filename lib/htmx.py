from django.utils.cache import patch_vary_headers


class VaryOnHtmxMiddleware:
    """Send ``Vary: HX-Request`` so a cache never serves a fragment as a page (or back)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_vary_headers(response, ("HX-Request",))
        return response
