"""The national-scale generator at a tiny scale: counts follow the scale, one seed gives one data set, the rows are
consistent enough for the generated staff to open every key page, and the command refuses a database that has
Unions (so these tests start from a database without the test cast: `empty_db`). Also the health check the
benchmark uses as its trivial page."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse

from lienhiep.advisory.models import Case, Recommendation, Review
from lienhiep.contests.models import Assignment, Edition, Entry, Score
from lienhiep.core.models import Role, Union, User
from lienhiep.devdata import scale_data
from lienhiep.experts.models import Expert
from lienhiep.outreach.models import ActionItem, WorkSession
from lienhiep.portal.models import Article, LegalDocument, SearchEntry

SCALE = 0.002

pytestmark = pytest.mark.django_db


def fingerprint() -> list:
    """What the data says, without database ids (they differ between two runs)."""
    return [
        list(Union.objects.order_by("slug").values_list("slug", "name")),
        list(Expert.objects.order_by("union__slug", "code").values_list("code", "person__name", "keywords")),
        list(Case.objects.order_by("union__slug", "year", "seq").values_list("title", "status", "received_on")),
        list(
            Score.objects.order_by(
                "assignment__entry__number", "assignment__expert__code", "criterion__code"
            ).values_list("assignment__entry__number", "assignment__expert__code", "criterion__code", "points")
        ),
        list(Article.objects.order_by("union__slug", "slug").values_list("slug", "status", "published_at")),
    ]


@pytest.mark.usefixtures("empty_db")
def test_counts_follow_the_scale():
    report = scale_data.generate(SCALE, seed=3)
    n = scale_data.targets(SCALE)
    assert n["experts"] == 40 and n["entries"] == 24 and n["scores"] == n["assignments"] * 5
    assert Union.objects.count() == n["unions"] == 2
    assert Expert.objects.count() == n["experts"]
    assert Case.objects.count() == n["cases"]
    assert Review.objects.count() == n["reviews"]
    assert Recommendation.objects.count() == n["recommendations"]
    assert Recommendation.objects.exclude(response="").exists()
    assert Edition.objects.count() == n["editions"]
    assert Entry.objects.count() == n["entries"]
    assert Assignment.objects.count() == n["assignments"]
    assert Score.objects.count() == n["scores"]
    assert WorkSession.objects.count() == n["sessions"]
    assert ActionItem.objects.count() == n["action_items"]
    assert Article.objects.count() + LegalDocument.objects.count() == n["articles"] + n["documents"]
    assert SearchEntry.objects.count() == n["articles"] + n["documents"]
    assert report.counts["contests_score"] == n["scores"]
    # one account per role per Union, plus the platform administrator
    assert User.objects.count() == 6 * n["unions"] + 1
    assert len(report.logins) == User.objects.count()
    # search columns are filled as save() fills them
    expert = Expert.objects.select_related("person").first()
    assert expert.search_folded and expert.person.name_folded
    assert Case.objects.exclude(search_folded="").count() == n["cases"]
    edition = Edition.objects.first()
    assert edition.next_number == edition.entries.count() + 1


def test_the_scale_multiplies_the_national_figures():
    assert scale_data.targets(1.0)["experts"] == 20_000
    assert scale_data.targets(1.0)["scores"] == 200_000
    assert scale_data.targets(0.5)["entries"] == 6_000
    assert scale_data.split(10, [3, 1, 1]) == [6, 2, 2]


@pytest.mark.usefixtures("empty_db")
def test_same_seed_same_data_other_seed_other_data():
    class Rollback(Exception):
        pass

    prints = []
    for seed in (5, 5, 6):
        try:
            with transaction.atomic():
                scale_data.generate(0.001, seed=seed)
                prints.append(fingerprint())
                raise Rollback
        except Rollback:
            pass
    assert prints[0] == prints[1]
    assert prints[0][1] != prints[2][1]  # other names and keywords
    assert prints[0][3] and isinstance(prints[0][3][0][3], Decimal)


@pytest.mark.usefixtures("empty_db")
def test_generated_staff_open_the_key_pages(client):
    scale_data.generate(SCALE, seed=1)
    union = Union.objects.order_by("pk").first()
    slug = union.slug

    def account(role):
        return User.objects.get(memberships__union=union, memberships__role=role)

    case = Case.objects.filter(union=union, reviews__isnull=False).first()
    edition = Edition.objects.filter(union=union, status=Edition.Status.PUBLISHED).first()
    entry = edition.entries.filter(status=Entry.Status.ACCEPTED).first()
    staff_pages = [
        reverse("core:dashboard", args=[slug]),
        reverse("advisory:case_list", args=[slug]),
        reverse("advisory:case_detail", args=[slug, case.pk]),
        reverse("advisory:reviews", args=[slug, case.pk]),
        reverse("contests:editions", args=[slug]),
        reverse("contests:edition", args=[slug, edition.pk]),
        reverse("contests:entries", args=[slug, edition.pk]),
        reverse("contests:entry", args=[slug, entry.pk]),
        reverse("contests:results", args=[slug, edition.pk]),
        reverse("contests:awards", args=[slug, edition.pk]),
        reverse("experts:list", args=[slug]) + "?q=nguyen",
        reverse("outreach:session_list", args=[slug]),
        reverse("portal:article_manage_list", args=[slug]),
    ]
    for role in (Role.STAFF, Role.LEADER, Role.UNION_ADMIN):
        client.force_login(account(role))
        for url in staff_pages:
            assert client.get(url).status_code == 200, (role, url)

    client.force_login(account(Role.EXPERT))
    assert client.get(reverse("core:dashboard", args=[slug])).status_code == 200
    assert client.get(reverse("contests:my_judging", args=[slug])).status_code == 200
    sheet = Assignment.objects.filter(expert__person__user=account(Role.EXPERT)).first()
    assert sheet is not None
    assert client.get(reverse("contests:sheet", args=[slug, sheet.pk])).status_code == 200
    for role in (Role.AGENCY_REP, Role.ENTRANT):
        client.force_login(account(role))
        assert client.get(reverse("core:dashboard", args=[slug])).status_code == 200, role

    client.logout()
    public = [
        reverse("portal:union_home", args=[slug]),
        reverse("portal:search", args=[slug]) + "?q=hoi+thao",
        reverse("portal:article_list", args=[slug]),
        reverse("portal:document_list", args=[slug]),
        reverse("contests:public_results", args=[slug, edition.pk]),
    ]
    for url in public:
        response = client.get(url)
        assert response.status_code == 200, url
    assert f"/{slug}/news/" in client.get(public[1]).content.decode()  # the query finds the generated news


@pytest.mark.usefixtures("empty_db")
def test_the_command_prints_counts_then_refuses_a_database_with_unions():
    out = StringIO()
    call_command("generate_scale_data", "--scale", "0.001", "--seed", "2", stdout=out)
    assert "contests_score" in out.getvalue() and "canbo." in out.getvalue()
    assert Union.objects.count() == 2
    experts = Expert.objects.count()
    with pytest.raises(CommandError):
        call_command("generate_scale_data", "--scale", "0.001", stdout=StringIO())
    assert Union.objects.count() == 2 and Expert.objects.count() == experts  # untouched


def test_health_check_needs_no_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"
    with django_assert_num_queries(1):
        assert client.get("/healthz?db=1").content == b"ok"
