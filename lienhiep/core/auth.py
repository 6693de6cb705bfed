"""Sign-in plumbing shared by allauth and django-axes."""

from django.db.models import Q
from django.http import HttpRequest

from lienhiep.core.models import User


def axes_username(request: HttpRequest, credentials: dict | None = None) -> str:
    """The account a sign-in attempt is about, whichever name the person typed (user name or e-mail).

    allauth authenticates with `username=` or `email=`; axes must count both against the same account,
    or a lockout by user name could be dodged by typing the e-mail address.
    """
    credentials = credentials or {}
    typed = (
        credentials.get("username")
        or credentials.get("email")
        or credentials.get("login")
        or (request.POST.get("login") if request is not None and hasattr(request, "POST") else "")
        or ""
    )
    typed = typed.strip()
    user = User.objects.filter(Q(username__iexact=typed) | Q(emailaddress__email__iexact=typed)).first()
    return user.username.lower() if user else typed.lower()
