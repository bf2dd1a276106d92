"""Request wiring that is not specific to one app."""

from django.utils.deprecation import MiddlewareMixin


class VietnameseUnlessChosenMiddleware(MiddlewareMixin):
    """Serve Vietnamese unless the user picked another language with the language switch.

    Many officials use browsers set to English; the browser's Accept-Language header must not turn
    the portal English by surprise. The choice made with the switch (a cookie) still wins.
    Place it before django.middleware.locale.LocaleMiddleware.
    """

    def process_request(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
