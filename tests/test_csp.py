"""The strict Content Security Policy holds: the header is sent, and no page we render carries inline script or
style (which the policy would block, breaking the page)."""

import re

import pytest
from django.urls import reverse

# A script element the browser would run: one without `src`, unless it is data (`json_script`'s
# type="application/json", which is never executed and which the CSP does not govern).
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*\btype=\"application/json\")[^>]*>", re.I)
STYLE_ATTR = re.compile(r"<[^>]+\sstyle\s*=", re.I)
STYLE_TAG = re.compile(r"<style[\s>]", re.I)


def pages(cast):
    slug = cast.union.slug
    return [
        (None, "/"),
        (None, f"/{slug}/"),
        (None, f"/{slug}/documents/"),
        (None, f"/{slug}/documents/{cast.public_document.pk}/"),
        (None, reverse("account_login")),
        (None, reverse("account_signup")),
        (None, reverse("account_reset_password")),
        (cast.staff, f"/{slug}/app/"),
        (cast.staff, f"/{slug}/app/agencies/"),
        (cast.staff, f"/{slug}/app/agencies/{cast.agency.pk}/"),
        (cast.staff, f"/{slug}/app/agencies/new/"),
        (cast.staff, f"/{slug}/app/people/"),
        (cast.staff, f"/{slug}/app/associations/{cast.association.pk}/edit/"),
        (cast.staff, f"/{slug}/app/documents/{cast.private_document.pk}/"),
        (cast.staff, "/places/"),
        (cast.union_admin, f"/{slug}/app/members/"),
        (cast.union_admin, f"/{slug}/app/settings/"),
        (cast.platform_admin, "/platform/unions/"),
        (cast.staff, reverse("mfa_index")),
        (cast.staff, reverse("account_reauthenticate")),
        (cast.staff, reverse("account_email")),
        (cast.staff, reverse("account_change_password")),
        (cast.expert, f"/{slug}/app/"),
        (cast.entrant, f"/{slug}/app/"),
        (cast.agency_rep, f"/{slug}/app/"),
    ]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_pages_obey_the_strict_csp(cast, client_for, language):
    for user, url in pages(cast):
        client = client_for(user)
        client.cookies["django_language"] = language
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "style-src 'self'" in policy and "'unsafe-inline'" not in policy
        html = response.content.decode()
        assert not INLINE_SCRIPT.search(html), f"inline script on {url}"
        assert not STYLE_ATTR.search(html), f"style attribute on {url}"
        assert not STYLE_TAG.search(html), f"style element on {url}"


def test_english_is_the_second_language(cast, client):
    client.cookies["django_language"] = "en"
    html = client.get(f"/{cast.union.slug}/").content.decode()
    assert 'lang="en"' in html and "Sign in" in html and "Tiếng Việt" in html
