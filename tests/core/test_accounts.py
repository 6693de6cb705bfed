"""Accounts: signing in (user name or e-mail, TOTP for the roles that need it), lock-out after repeated failures,
self-registration of entrants, password reset, and Union administrators giving and withdrawing roles."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from axes.models import AccessAttempt
from django.core import mail
from django.urls import reverse

from lienhiep.core.mfa import current_code, totp_secret
from lienhiep.core.models import ActivityLog, Membership, Role, User

from ..conftest import PASSWORD, Cast

LOGIN_URL = "/accounts/login/"
DASHBOARD = "/kontum/app/"


def sign_in(client, login: str, password: str = PASSWORD, follow: bool = False):
    return client.post(LOGIN_URL, {"login": login, "password": password}, follow=follow)


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- signing in -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("login", ["staff", "staff@example.test", "STAFF"])
def test_staff_signs_in_by_user_name_or_email_and_lands_on_the_union_dashboard(cast: Cast, client, login):
    response = sign_in(client, login, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain, "a successful sign-in redirects"
    assert response.redirect_chain[-1][0] == DASHBOARD
    assert is_signed_in(client)
    assert int(client.session["_auth_user_id"]) == cast.staff.pk


def test_wrong_password_does_not_sign_in(cast: Cast, client):
    response = sign_in(client, "staff", "not-the-password-at-all")
    assert response.status_code == 200  # the form again, with an error
    assert response.context["form"].errors
    assert not is_signed_in(client)
    assert client.get(DASHBOARD).status_code == 302


def test_leader_is_asked_for_the_totp_code_and_a_right_code_lets_them_in(cast: Cast, client):
    response = sign_in(client, "leader")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_authenticate"))
    assert reverse("mfa_authenticate") == "/accounts/2fa/authenticate/"
    assert not is_signed_in(client)
    assert client.get(DASHBOARD).status_code == 302  # not in yet

    code = current_code(totp_secret(cast.leader))
    response = client.post(reverse("mfa_authenticate"), {"code": code}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == DASHBOARD
    assert is_signed_in(client)
    assert int(client.session["_auth_user_id"]) == cast.leader.pk


def test_leader_with_a_wrong_totp_code_stays_out(cast: Cast, client):
    assert sign_in(client, "leader")["Location"].startswith(reverse("mfa_authenticate"))
    right = current_code(totp_secret(cast.leader))
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = client.post(reverse("mfa_authenticate"), {"code": wrong})
    assert response.status_code == 200  # the code form again
    assert response.context["form"].errors
    assert not is_signed_in(client)
    assert client.get(DASHBOARD).status_code == 302


def test_leader_without_totp_is_sent_to_activate_it(cast: Cast, client_for):
    Authenticator.objects.filter(user=cast.leader).delete()
    response = client_for(cast.leader).get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))
    assert response["Location"].endswith("?next=/kontum/app/")
    # the way to activation is open (allauth first asks to confirm the password): no redirect loop
    followed = client_for(cast.leader).get(DASHBOARD, follow=True)
    assert followed.status_code == 200
    assert followed.redirect_chain[-1][0].startswith("/accounts/")


def test_staff_needs_no_totp(cast: Cast, client_for):
    assert not Authenticator.objects.filter(user=cast.staff).exists()
    assert client_for(cast.staff).get(DASHBOARD).status_code == 200


def test_leader_without_totp_passes_when_no_role_requires_it(cast: Cast, client_for, settings):
    Authenticator.objects.filter(user=cast.leader).delete()
    settings.LIENHIEP_MFA_REQUIRED_ROLES = []
    assert client_for(cast.leader).get(DASHBOARD).status_code == 200


# --- lock-out (django-axes) ---------------------------------------------------------------------------------------


def _is_locked_out(response) -> bool:
    templates = [t.name for t in (response.templates or [])]
    return response.status_code in (403, 429) or "core/locked_out.html" in templates


def fail_five_times(client, login: str = "staff") -> None:
    for _attempt in range(5):
        sign_in(client, login, "wrong-password-123")
        assert not is_signed_in(client)


def test_after_five_wrong_passwords_the_right_one_is_refused(cast: Cast, client):
    """With the settings as deployed (allauth's own login rate limit and django-axes)."""
    fail_five_times(client)
    response = sign_in(client, "staff", PASSWORD)
    assert response.status_code in (200, 403, 429)
    assert not is_signed_in(client)
    assert client.get(DASHBOARD).status_code == 302


def test_django_axes_on_its_own_locks_the_user_out_after_five_failures(cast: Cast, client, settings):
    settings.ACCOUNT_RATE_LIMITS = False  # take allauth's limit away: django-axes alone must lock
    fail_five_times(client)
    assert AccessAttempt.objects.exists()  # django-axes saw the failures ...
    response = sign_in(client, "staff", PASSWORD)  # ... but must refuse even the right password now
    assert _is_locked_out(response), response.status_code
    assert not is_signed_in(client)


def test_the_lockout_holds_whichever_login_the_user_types(cast: Cast, client):
    fail_five_times(client, "staff")
    sign_in(client, "staff@example.test", PASSWORD)
    assert not is_signed_in(client)


@pytest.mark.parametrize("login", ["expert", "expert@example.test"])
def test_a_lockout_spares_another_user(cast: Cast, client, login):
    fail_five_times(client)
    response = sign_in(client, login, PASSWORD, follow=True)
    assert response.status_code == 200
    assert is_signed_in(client)
    assert int(client.session["_auth_user_id"]) == cast.expert.pk
    assert response.redirect_chain[-1][0] == DASHBOARD


# --- self-registration --------------------------------------------------------------------------------------------


def signup_data(cast: Cast, **extra) -> dict:
    data = {
        "email": "thi.sinh@example.test",
        "username": "thisinh",
        "password1": "Mot-mat-khau-dai-2024",
        "password2": "Mot-mat-khau-dai-2024",
        "full_name": "Hoàng Thị Mai",
        "union": cast.union.pk,
    }
    data.update(extra)
    return data


def test_self_registration_makes_an_entrant_of_that_union_only_and_asks_to_confirm_the_email(cast: Cast, client):
    mail.outbox.clear()
    response = client.post("/accounts/signup/", signup_data(cast, role="staff"))
    assert response.status_code == 302
    user = User.objects.get(username="thisinh")
    assert user.full_name == "Hoàng Thị Mai"
    memberships = list(Membership.objects.filter(user=user).values_list("union_id", "role"))
    assert memberships == [(cast.union.pk, Role.ENTRANT)]
    assert ActivityLog.objects.filter(verb="core.membership.entrant_registered", actor=user).exists()

    # a confirmation e-mail, and nothing usable before confirming
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["thi.sinh@example.test"]
    assert not EmailAddress.objects.get(user=user).verified
    assert not is_signed_in(client)
    assert client.get(DASHBOARD).status_code == 302
    response = sign_in(client, "thisinh", "Mot-mat-khau-dai-2024")
    assert not is_signed_in(client)
    assert client.get(DASHBOARD).status_code == 302

    # following the link in the e-mail confirms the address; then the entrant is in
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", mail.outbox[-1].body)
    assert link, mail.outbox[-1].body
    assert client.post(link.group(1)).status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    sign_in(client, "thisinh", "Mot-mat-khau-dai-2024")
    assert is_signed_in(client)
    assert client.get(DASHBOARD).status_code == 200
    assert client.get("/quangngai/app/").status_code == 403


def test_self_registration_refuses_a_one_word_name(cast: Cast, client):
    response = client.post("/accounts/signup/", signup_data(cast, full_name="Mai"))
    assert response.status_code == 200
    assert "full_name" in response.context["form"].errors
    assert not User.objects.filter(username="thisinh").exists()
    assert not mail.outbox


def test_self_registration_has_no_role_field(cast: Cast, client):
    response = client.get("/accounts/signup/")
    assert response.status_code == 200
    assert "role" not in response.context["form"].fields
    client.post("/accounts/signup/", signup_data(cast, role=Role.STAFF, username="thisinh2", email="ts2@example.test"))
    user = User.objects.get(username="thisinh2")
    assert set(Membership.objects.filter(user=user).values_list("role", flat=True)) == {Role.ENTRANT}


# --- password reset -----------------------------------------------------------------------------------------------


def test_password_reset_for_a_known_email_sends_one_reset_link(cast: Cast, client):
    mail.outbox.clear()
    response = client.post("/accounts/password/reset/", {"email": "staff@example.test"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["staff@example.test"]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_password_reset_for_an_unknown_email_sends_no_reset_link(cast: Cast, client):
    """allauth prevents account enumeration: same response, and (ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS) an e-mail
    telling the address that it has no account, without any reset link."""
    mail.outbox.clear()
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.test"})
    assert response.status_code == 302
    assert len(mail.outbox) <= 1
    for message in mail.outbox:
        assert message.to == ["nobody@example.test"]
        assert "/accounts/password/reset/key/" not in message.body


# --- Union administrators give and withdraw roles -----------------------------------------------------------------


def member_data(**extra) -> dict:
    data = {
        "username": "chuyengia2",
        "full_name": "Rơ Mah Thị Hoa",
        "email": "hoa@example.test",
        "role": Role.EXPERT,
        "agency": "",
    }
    data.update(extra)
    return data


@pytest.mark.django_db(transaction=True)  # the e-mail goes out on commit, inside the request as in production
def test_union_admin_adds_a_member_who_sets_a_password_by_email(cast: Cast, client_for):
    mail.outbox.clear()
    response = client_for(cast.union_admin).post("/kontum/app/members/", member_data())
    assert response.status_code == 302
    user = User.objects.get(username="chuyengia2")
    assert not user.has_usable_password()
    assert list(Membership.objects.filter(user=user).values_list("union_id", "role", "is_active")) == [
        (cast.union.pk, Role.EXPERT, True)
    ]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["hoa@example.test"]
    assert PASSWORD not in mail.outbox[0].body
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/[^\s]+/)", mail.outbox[0].body)
    assert link, mail.outbox[0].body

    # the link lets the new member choose a password, and then sign in with it
    visitor = client_for(None)
    form_page = visitor.get(link.group(1), follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link.group(1)
    new_password = "Hoa-dat-mat-khau-2026"
    assert visitor.post(set_url, {"password1": new_password, "password2": new_password}).status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)
    sign_in(visitor, "chuyengia2", new_password)
    assert is_signed_in(visitor)


def test_adding_an_agency_rep_requires_an_agency(cast: Cast, client_for):
    response = client_for(cast.union_admin).post("/kontum/app/members/", member_data(role=Role.AGENCY_REP))
    assert response.status_code == 200
    assert "agency" in response.context["form"].errors
    assert not User.objects.filter(username="chuyengia2").exists()
    assert not mail.outbox


def test_adding_an_agency_rep_of_this_union_works(cast: Cast, client_for):
    response = client_for(cast.union_admin).post(
        "/kontum/app/members/", member_data(role=Role.AGENCY_REP, agency=cast.agency.pk)
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user__username="chuyengia2")
    assert membership.agency == cast.agency


def test_an_agency_of_another_union_is_refused(cast: Cast, client_for):
    before = Membership.objects.count()
    response = client_for(cast.union_admin).post(
        "/kontum/app/members/", member_data(role=Role.AGENCY_REP, agency=cast.outsider_agency.pk)
    )
    assert response.status_code == 200
    assert "agency" in response.context["form"].errors
    assert not User.objects.filter(username="chuyengia2").exists()
    assert Membership.objects.count() == before


def test_giving_a_role_to_an_existing_account_creates_no_new_account(cast: Cast, client_for):
    mail.outbox.clear()
    users_before = User.objects.count()
    response = client_for(cast.union_admin).post(
        "/kontum/app/members/",
        member_data(username="Entrant", full_name="Đinh Văn Khang", email="entrant@example.test", role=Role.EXPERT),
    )
    assert response.status_code == 302
    assert User.objects.count() == users_before
    assert set(Membership.objects.filter(user=cast.entrant).values_list("role", flat=True)) == {
        Role.ENTRANT,
        Role.EXPERT,
    }
    assert cast.entrant.has_usable_password()
    assert not mail.outbox


def test_an_existing_user_name_with_another_email_is_refused(cast: Cast, client_for):
    response = client_for(cast.union_admin).post(
        "/kontum/app/members/", member_data(username="entrant", email="someone-else@example.test")
    )
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert set(Membership.objects.filter(user=cast.entrant).values_list("role", flat=True)) == {Role.ENTRANT}


def test_a_role_already_held_is_refused(cast: Cast, client_for):
    response = client_for(cast.union_admin).post(
        "/kontum/app/members/",
        member_data(username="staff", full_name="Phạm Thị Nhung", email="staff@example.test", role=Role.STAFF),
    )
    assert response.status_code == 200
    assert "role" in response.context["form"].errors
    assert Membership.objects.filter(user=cast.staff).count() == 1


def test_the_platform_admin_role_cannot_be_given_by_a_union_admin(cast: Cast, client_for):
    response = client_for(cast.union_admin).post("/kontum/app/members/", member_data(role=Role.PLATFORM_ADMIN))
    assert response.status_code == 200
    assert "role" in response.context["form"].errors
    assert not User.objects.filter(username="chuyengia2").exists()


@pytest.mark.parametrize("role", ["staff", "leader", "expert", "entrant", "outsider_staff"])
def test_only_union_admins_add_members(cast: Cast, client_for, role):
    response = client_for(cast.users_by_role()[role]).post("/kontum/app/members/", member_data())
    assert response.status_code == 403
    assert not User.objects.filter(username="chuyengia2").exists()


def test_withdrawing_a_role_removes_access(cast: Cast, client_for):
    staff_client = client_for(cast.staff)
    assert staff_client.get(DASHBOARD).status_code == 200
    membership = Membership.objects.get(user=cast.staff, union=cast.union)
    response = client_for(cast.union_admin).post(f"/kontum/app/members/{membership.pk}/toggle/")
    assert response.status_code == 302
    membership.refresh_from_db()
    assert not membership.is_active
    assert ActivityLog.objects.filter(verb="core.membership.deactivated", target_id=membership.pk).exists()
    assert staff_client.get(DASHBOARD).status_code == 403

    # restoring gives it back
    client_for(cast.union_admin).post(f"/kontum/app/members/{membership.pk}/toggle/")
    membership.refresh_from_db()
    assert membership.is_active
    assert staff_client.get(DASHBOARD).status_code == 200


def test_toggling_needs_a_post(cast: Cast, client_for):
    membership = Membership.objects.get(user=cast.staff, union=cast.union)
    response = client_for(cast.union_admin).get(f"/kontum/app/members/{membership.pk}/toggle/")
    assert response.status_code == 405
    membership.refresh_from_db()
    assert membership.is_active


def test_an_admin_cannot_withdraw_their_own_admin_role(cast: Cast, client_for):
    admin = client_for(cast.union_admin)
    membership = Membership.objects.get(user=cast.union_admin, union=cast.union, role=Role.UNION_ADMIN)
    response = admin.post(f"/kontum/app/members/{membership.pk}/toggle/")
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.is_active
    assert admin.get("/kontum/app/members/").status_code == 200


def test_a_membership_of_another_union_cannot_be_toggled(cast: Cast, client_for):
    membership = Membership.objects.get(user=cast.outsider_staff)
    response = client_for(cast.union_admin).post(f"/kontum/app/members/{membership.pk}/toggle/")
    assert response.status_code == 404
    membership.refresh_from_db()
    assert membership.is_active


@pytest.mark.django_db
def test_the_signup_page_chooses_the_union_named_in_its_address(cast, client):
    """The contest's «Create an account» link names its Union: that one is chosen, not the first in the list."""
    page = client.get("/accounts/signup/?union=quangngai").content.decode()
    assert f'<option value="{cast.outsider_union.pk}" selected>' in page
    page = client.get("/accounts/signup/?union=kontum").content.decode()
    assert f'<option value="{cast.union.pk}" selected>' in page
