"""The portal's answer when the database cannot be reached.

While PostgreSQL restarts (or the network to it drops) any query fails with OperationalError or
InterfaceError, wherever it runs: in a view, in the login check before the view, in a context
processor, or when the session is saved. Django turns every such exception into a call of the
500 handler; this handler tells a lost database apart and answers 503 with a plain Vietnamese
page and Retry-After, so users (and the proxy) know to try again in a moment instead of reading
"server error". Nothing was written: every write is one transaction, rolled back with the
connection. The exception is still logged by Django with its traceback, for the operators.
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token
from django.views.defaults import server_error as django_server_error

RETRY_AFTER_SECONDS = 30


def is_database_unavailable(exception: BaseException | None) -> bool:
    """A connection that failed or was lost, not a bad query (those stay 500s, as bugs)."""
    return isinstance(exception, OperationalError | InterfaceError)


def database_unavailable() -> HttpResponse:
    """503 from a template that needs neither the database nor the request (no user, no menu)."""
    body = loader.get_template("503.html").render()
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


@requires_csrf_token
def server_error(request, template_name: str = "500.html"):
    """handler500: 503 when the database is away, else Django's own 500 page."""
    if is_database_unavailable(sys.exc_info()[1]):
        return database_unavailable()
    return django_server_error(request, template_name=template_name)
