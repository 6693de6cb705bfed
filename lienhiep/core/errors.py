"""The error page of last resort: when the database cannot be reached (down, restarting, out of connections,
locked too long) the visitor gets 503 «try again in a minute» instead of the generic 500; neither shows a trace.

Django calls handler500 for any exception a view or a middleware lets through, inside its `except` block, so the
exception is at hand here. The pages are rendered without a request: they must not touch the database."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views import defaults


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    if isinstance(sys.exception(), (OperationalError, InterfaceError)):
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "60"
        return response
    return defaults.server_error(request, template_name)
