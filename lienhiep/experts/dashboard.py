from django.http import HttpRequest


def section(request: HttpRequest) -> dict:
    """What this module shows on the dashboard of request.union for request.roles (one query per figure)."""
    return {}
