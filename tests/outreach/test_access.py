"""The security harness applied to this module's pages alone (the project-wide one covers them too): every
page refuses anonymous visitors, outsiders and unlisted roles; listed roles open it."""

import pytest
from django.urls import reverse

from lienhiep.core.access import PUBLIC, ROLE_RESTRICTED
from tests.test_url_access import all_patterns, classify, is_login_redirect

from .url_args import URL_ARGS


def outreach_urls(cast):
    for name, _route, callback in all_patterns():
        if not name or not name.startswith("outreach:"):
            continue
        access = classify(name, callback)
        assert access is not None, name
        if access.level == PUBLIC:
            continue
        assert name in URL_ARGS, f"{name}: add it to tests/outreach/url_args.py"
        kwargs = URL_ARGS[name](cast, None)
        kwargs["union_slug"] = cast.union.slug
        yield name, reverse(name, kwargs=kwargs), access


@pytest.mark.django_db
def test_outreach_pages_refuse_anonymous_outsiders_and_unlisted_roles(cast, client_for):
    anonymous, outsider = client_for(None), client_for(cast.outsider_staff)
    clients = {role: client_for(user) for role, user in cast.users_by_role().items() if role != "outsider_staff"}
    seen = 0
    for name, url, access in outreach_urls(cast):
        seen += 1
        for method in ("get", "post"):
            response = getattr(anonymous, method)(url)
            assert is_login_redirect(response) or response.status_code in (403, 404, 405), (name, method)
            assert getattr(outsider, method)(url, {"title": "x"}).status_code in (403, 404, 405), (name, method)
        assert access.level == ROLE_RESTRICTED
        for role, client in clients.items():
            status = client.get(url).status_code
            if role in access.roles:
                assert status in (200, 202, 302, 405), f"{role} GET {name} → {status}"  # 202: a PDF being made
            else:
                assert status in (403, 405), f"{role} GET {name} → {status}"
                assert client.post(url).status_code == 403, f"{role} POST {name}"
    assert seen >= 30
