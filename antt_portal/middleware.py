"""Request wiring that is not specific to one app."""

from django.contrib import messages
from django.db import OperationalError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.deprecation import MiddlewareMixin
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _


class VietnameseUnlessChosenMiddleware(MiddlewareMixin):
    """Serve Vietnamese unless the user picked another language with the language switch.

    Many officials use browsers set to English; the browser's Accept-Language header must not turn
    the portal English by surprise. The choice made with the switch (a cookie) still wins.
    Place it before django.middleware.locale.LocaleMiddleware.
    """

    def process_request(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)


class DatabaseBusyMiddleware:
    """Shows a write that lost the race for SQLite's lock as a lost race, not as a 500.

    SQLite lets one writer at a time; a second one waits (transaction_mode IMMEDIATE, timeout)
    and, if it still cannot write, fails with OperationalError "database is locked" before
    changing anything. The user is sent back to the page they acted from with the same message
    as any other lost race. PostgreSQL locks rows and never raises this.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not (isinstance(exception, OperationalError) and "database is locked" in str(exception)):
            return None
        messages.error(
            request,
            _(
                "Someone else was faster: the database was busy with their change and yours was "
                "not applied. Reload the page, check, and try again."
            ),
        )
        back = request.META.get("HTTP_REFERER", "")
        if not url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            back = request.path if request.method == "GET" else reverse("home")
        return redirect(back)
