"""Two-factor policy: who must use TOTP, and when allauth's re-authentication is relaxed (only for a first
authenticator right after a password sign-in)."""

from allauth.mfa.models import Authenticator
from django.urls import reverse

from lienhiep.core.mfa import current_code, totp_secret
from tests.conftest import PASSWORD


def sign_in_with_password(client, username):
    return client.post(reverse("account_login"), {"login": username, "password": PASSWORD})


def test_first_authenticator_right_after_password_sign_in_needs_no_second_password(cast, client):
    Authenticator.objects.filter(user=cast.leader).delete()
    sign_in_with_password(client, "leader")
    response = client.get("/kontum/app/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("mfa_activate_totp"))
    assert client.get(reverse("mfa_activate_totp")).status_code == 200


def test_managing_an_existing_authenticator_still_asks_to_reauthenticate(cast, client):
    sign_in_with_password(client, "leader")
    client.post(reverse("mfa_authenticate"), {"code": current_code(totp_secret(cast.leader))})
    assert client.get("/kontum/app/").status_code == 200  # signed in with both factors
    response = client.get(reverse("mfa_deactivate_totp"))
    assert response.status_code == 302 and "reauthenticate" in response["Location"]


def test_roles_that_need_no_totp_are_not_sent_to_set_it_up(cast, client_for):
    assert client_for(cast.staff).get("/kontum/app/").status_code == 200
    assert client_for(cast.expert).get("/kontum/app/").status_code == 200


def test_a_used_code_cannot_be_replayed_from_another_process(cast, client):
    """The used-code record lives in the shared database cache, not in one worker's memory."""
    from django.conf import settings

    assert settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache")
    code = current_code(totp_secret(cast.leader))
    sign_in_with_password(client, "leader")
    client.post(reverse("mfa_authenticate"), {"code": code})
    assert client.get("/kontum/app/").status_code == 200
    other = client.__class__()
    sign_in_with_password(other, "leader")
    other.post(reverse("mfa_authenticate"), {"code": code})
    assert other.get("/kontum/app/").status_code == 302  # the same code a second time is refused
