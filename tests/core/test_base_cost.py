"""What every page pays before its own work: a signed-in user's memberships, the Union of the URL and the menu are
kept across requests (core/rules.py `read_shared`, the `{% cache %}` fragments of base.html), under keys that change
when what they were read from changes, so that an action takes effect on the very next request.

And a visitor's public page carries no CSRF token (the language switch needs none), so a shared cache may keep it."""

import re
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lienhiep.core import services
from lienhiep.core.models import Membership, Role, Union
from lienhiep.core.rules import UNION_PERMISSIONS

pytestmark = pytest.mark.django_db


def tables_read(client: Client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        status = client.get(url).status_code
    return status, " ".join(q["sql"] for q in queries.captured_queries)


def test_a_signed_in_page_reads_memberships_and_union_once_then_keeps_them(cast, client_for):
    staff = client_for(cast.staff)
    url = reverse("core:people_list", args=[cast.union.slug])
    assert staff.get(url).status_code == 200
    status, sql = tables_read(staff, url)
    assert status == 200
    assert '"core_membership"' not in sql and '"core_union"' not in sql


def test_a_role_withdrawn_or_restored_takes_effect_on_the_next_request(cast, client_for):
    staff = client_for(cast.staff)
    url = reverse("core:people_list", args=[cast.union.slug])
    assert staff.get(url).status_code == 200
    membership = Membership.objects.get(user=cast.staff, union=cast.union, role=Role.STAFF)
    services.set_membership_active(membership, actor=cast.union_admin, active=False)
    assert staff.get(url).status_code in (403, 404)
    services.set_membership_active(membership, actor=cast.union_admin, active=True)
    assert staff.get(url).status_code == 200


def test_a_role_added_shows_in_the_menu_at_once(cast, client_for):
    entrant = client_for(cast.entrant)
    dashboard = reverse("core:dashboard", args=[cast.union.slug])
    people = reverse("core:people_list", args=[cast.union.slug])
    assert people not in entrant.get(dashboard).content.decode()
    services.add_member(
        cast.union,
        actor=cast.union_admin,
        username=cast.entrant.username,
        full_name=cast.entrant.full_name,
        email=cast.entrant.email,
        role=Role.STAFF,
    )
    assert people in entrant.get(dashboard).content.decode()
    assert entrant.get(people).status_code == 200


def test_changes_made_without_signals_are_seen_too(cast, client_for):
    """A queryset's update() sends no signal; the querysets of memberships and Unions renew the keys themselves."""
    staff = client_for(cast.staff)
    url = reverse("core:people_list", args=[cast.union.slug])
    assert staff.get(url).status_code == 200
    Membership.objects.filter(user=cast.staff).update(is_active=False)
    assert staff.get(url).status_code in (403, 404)
    Membership.objects.filter(user=cast.staff).update(is_active=True)
    assert staff.get(url).status_code == 200
    Union.objects.filter(pk=cast.union.pk).update(short_name="LHH Măng Đen")
    assert "LHH Măng Đen" in staff.get(url).content.decode()


def test_a_union_renamed_or_closed_is_seen_by_its_members_at_once(cast, client_for):
    staff = client_for(cast.staff)
    url = reverse("core:people_list", args=[cast.union.slug])
    assert "LHH Kon Tum" in staff.get(url).content.decode()
    union = Union.objects.get(pk=cast.union.pk)
    union.short_name = "LHH Đăk Tô"
    services.update_letterhead(union, actor=cast.union_admin)
    html = staff.get(url).content.decode()
    assert "LHH Đăk Tô" in html and "LHH Kon Tum" not in html
    union.is_active = False
    union.save()
    assert staff.get(url).status_code == 404


def test_an_authenticator_removed_is_asked_for_again_at_once(cast, client_for):
    assert Role.LEADER in settings.LIENHIEP_MFA_REQUIRED_ROLES
    leader = client_for(cast.leader)
    dashboard = reverse("core:dashboard", args=[cast.union.slug])
    assert leader.get(dashboard).status_code == 200
    Authenticator.objects.filter(user=cast.leader, type=Authenticator.Type.TOTP).delete()
    response = leader.get(dashboard)
    assert response.status_code == 302 and response["Location"].startswith(reverse("mfa_activate_totp"))


def test_the_menu_is_each_roles_own_and_each_languages_own(cast, client_for):
    """The menu is cached by language, Union and roles: two roles, two languages, four menus."""
    dashboard = reverse("core:dashboard", args=[cast.union.slug])
    registry = reverse("core:agencies_list", args=[cast.union.slug])
    for _ in range(2):  # the second round comes from the cache
        for user, sees_registry in ((cast.staff, True), (cast.entrant, False)):
            client = client_for(user)
            for language, sign_out in (("vi", "Đăng xuất"), ("en", "Sign out")):
                client.cookies["django_language"] = language
                html = client.get(dashboard).content.decode()
                assert f'lang="{language}"' in html and sign_out in html
                assert (registry in html) is sees_registry, (user, language)
                assert user.get_full_name() in html


def menu_templates() -> list[Path]:
    package = Path(__file__).resolve().parents[2] / "lienhiep"
    return [package / "templates" / "base.html", *package.glob("*/templates/*/nav*.html")]


def test_every_menu_entry_is_decided_by_roles_alone():
    """The menu is cached under the roles a user holds (core/context_processors.py `menu_key`): every permission
    it asks must be one that roles alone decide (a Union-wide permission, or a platform role's)."""
    platform_permissions = {"national.view_figures", "core.manage_platform"}
    asked = set()
    for template in menu_templates():
        asked |= set(re.findall(r'has_perm "([\w.]+)"', template.read_text()))
    assert asked, "no menu template found"
    assert asked - set(UNION_PERMISSIONS) <= platform_permissions, asked - set(UNION_PERMISSIONS)


def test_a_visitors_public_page_has_no_csrf_cookie_and_may_be_shared(cast):
    visitor = Client()
    for url in (f"/{cast.union.slug}/", reverse("portal:search", args=[cast.union.slug]) + "?q=tu+van"):
        response = visitor.get(url)
        assert response.status_code == 200
        assert not response.cookies, (url, response.cookies)
        assert (
            "csrfmiddlewaretoken" not in response.content.decode()
            and 'name="csrf-token"' not in response.content.decode()
        )
        cache_control = response["Cache-Control"]
        assert "public" in cache_control and "max-age=60" in cache_control and "private" not in cache_control


def test_signed_in_and_form_pages_stay_private(cast, client_for):
    staff = client_for(cast.staff)
    for url in (f"/{cast.union.slug}/", reverse("core:dashboard", args=[cast.union.slug])):
        cache_control = staff.get(url)["Cache-Control"]
        assert "private" in cache_control and "public" not in cache_control, (url, cache_control)
    login = Client().get(reverse("account_login"))
    assert "csrftoken" in login.cookies and "public" not in login.get("Cache-Control", "")


def test_the_language_switch_needs_no_csrf_token_and_stays_on_this_site(cast):
    visitor = Client(enforce_csrf_checks=True)
    home = f"/{cast.union.slug}/"
    form = visitor.get(home).content.decode()
    assert 'action="/i18n/setlang/"' in form
    response = visitor.post(reverse("set_language"), {"language": "en", "next": home})
    assert response.status_code == 302 and response["Location"] == home
    assert response.cookies["django_language"].value == "en"
    assert 'lang="en"' in visitor.get(home).content.decode()
    response = visitor.post(reverse("set_language"), {"language": "vi", "next": "https://example.com/"})
    assert response.status_code == 302 and response["Location"] == "/"


def test_saving_a_copy_of_the_user_read_before_a_change_keeps_the_new_key(cast, client_for):
    from lienhiep.core.models import User

    staff = client_for(cast.staff)
    url = reverse("core:people_list", args=[cast.union.slug])
    copy = User.objects.get(pk=cast.staff.pk)  # e.g. the request's user, read before the change
    assert staff.get(url).status_code == 200
    membership = Membership.objects.get(user=cast.staff, union=cast.union, role=Role.STAFF)
    services.set_membership_active(membership, actor=cast.union_admin, active=False)
    copy.full_name = "Phạm Thị Hồng Nhung"
    copy.save()
    assert User.objects.get(pk=cast.staff.pk).full_name == "Phạm Thị Hồng Nhung"
    assert staff.get(url).status_code in (403, 404)
