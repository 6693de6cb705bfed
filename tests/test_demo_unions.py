"""The demo's three Unions (Kon Tum, Quảng Ngãi, Gia Lai) each have a year of work, so the national body's view
compares something: cases of last year with the agencies' answers, a published contest edition with entries
nominated to the national contest, working sessions with action items; and no Union's records point at
another Union's (agency, person, expert, place outside its province)."""

import datetime

from django.apps import apps
from django.conf import settings
from django.db import models

from lienhiep.advisory.models import Case, Kind, Recommendation, Status
from lienhiep.advisory.queries import acceptance_by
from lienhiep.contests.models import Award, Edition, Entry
from lienhiep.core.models import AdminUnit, Attachment, Membership, Role, Union, User
from lienhiep.core.places import REFORM_DATE
from lienhiep.experts.models import Expert
from lienhiep.outreach.forms import locality_choices
from lienhiep.outreach.models import ActionItem, WorkSession

SLUGS = {"kontum", "quangngai", "gialai"}
NEW = ("quangngai", "gialai")  # the Unions whose whole year the demo makes


def last_year() -> int:
    return datetime.date.today().year - 1


def test_three_unions_each_with_a_year_of_work(demo):
    year = last_year()
    assert set(Union.objects.values_list("slug", flat=True)) == SLUGS
    for union in Union.objects.all():
        answered = Case.objects.filter(
            union=union, year=year, status__in=[Status.ANSWERED, Status.ASSESSED, Status.CLOSED]
        )
        assert answered.exists(), union
        assert Recommendation.objects.filter(case__in=answered, response__in=["accepted", "partly"]).exists(), union
        assert not Recommendation.objects.filter(case__in=answered, response="").exists(), union
        nominated = Entry.objects.filter(
            union=union, edition__status=Edition.Status.PUBLISHED, nominated_at__isnull=False
        )
        assert nominated.exists(), union
        assert WorkSession.objects.filter(union=union, held_on__year=year).exists(), union
        assert ActionItem.objects.filter(union=union, session__held_on__year=year).exists(), union


def test_the_new_unions_year_in_detail(demo):
    year, today = last_year(), datetime.date.today()
    for union in Union.objects.filter(slug__in=NEW):
        assert union.province.short_name in union.name and union.governing_body and union.email
        assert {m.role for m in Membership.objects.filter(union=union)} >= {Role.STAFF, Role.LEADER}
        assert 10 <= Expert.objects.filter(union=union).count() <= 20
        cases = Case.objects.filter(union=union)
        assert 8 <= cases.count() <= 16
        assert set(cases.values_list("kind", flat=True)) == set(Kind.values)
        assert cases.filter(year=year).count() >= 6 and cases.filter(year=today.year).count() >= 3
        assert len(set(cases.values_list("status", flat=True))) >= 7
        sent = cases.filter(sent_on__isnull=False)
        assert sent.filter(sent_on__gt=models.F("requested_deadline")).exists(), "some reports went out late"
        assert sent.filter(sent_on__lte=models.F("requested_deadline")).exists()
        # the agencies' answers are dated on the day of their letter, within the case's life
        for case in cases.filter(answered_on__isnull=False):
            for rec in case.recommendations.all():
                assert rec.answered_at.date() == case.answered_on

        edition = Edition.objects.get(union=union)
        assert edition.status == Edition.Status.PUBLISHED and edition.results_on.year == year
        entries = edition.entries.exclude(status="draft")
        assert 15 <= entries.count() <= 30
        assert entries.values("field").distinct().count() >= 4
        assert entries.values("locality").distinct().count() >= 4
        if edition.is_youth:
            assert entries.values("school").distinct().count() >= 4
        assert Award.objects.filter(entry__edition=edition, tier__isnull=False).count() >= 5
        nominated = entries.filter(nominated_at__isnull=False)
        assert 1 <= nominated.count() <= edition.national_quota
        assert all(n.award.tier_id for n in nominated)
        assert edition.approved_at.date().year == year and nominated.first().nominated_at.year == year

        items = ActionItem.objects.filter(union=union)
        assert items.filter(status=ActionItem.Status.DONE).exists()
        assert items.filter(status__in=ActionItem.ACTIVE, due_on__lt=today).exists(), "an overdue action item"
        assert items.filter(status__in=ActionItem.ACTIVE, due_on__gte=today).exists(), "an action item still open"
        assert all(i.completed_on <= today for i in items.filter(status=ActionItem.Status.DONE))


def test_acceptance_differs_between_the_unions(demo):
    rates = acceptance_by(Recommendation.objects.filter(case__year=last_year()), "case__union")
    values = [rates[u.pk].rate for u in Union.objects.all()]
    assert len(set(values)) == 3, values


def test_records_dated_before_or_after_the_reform_name_the_places_of_their_day(demo):
    """Before 1 July 2025 a district; from it, a commune or ward (districts were abolished)."""
    for union in Union.objects.filter(slug__in=NEW):
        dated = [
            *((c.admin_unit, c.received_on) for c in Case.objects.filter(union=union).select_related("admin_unit")),
            *((s.admin_unit, s.held_on) for s in WorkSession.objects.filter(union=union).select_related("admin_unit")),
            *(
                (e.locality, e.submitted_at.date())
                for e in Entry.objects.filter(union=union).select_related("locality")
            ),
        ]
        for unit, day in dated:
            if unit is not None:
                assert unit.is_valid_on(day), (union, unit, day)
        for case in Case.objects.filter(union=union).select_related("requesting_agency__admin_unit"):
            unit = case.requesting_agency.admin_unit
            if unit.level != AdminUnit.Level.PROVINCE:
                assert unit.is_valid_on(case.received_on), (case, unit)
                assert (case.received_on < REFORM_DATE) == (unit.level == AdminUnit.Level.DISTRICT)


def test_no_union_points_at_another_unions_rows(demo):
    checked = 0
    places = {u.pk: set(locality_choices(u).values_list("pk", flat=True)) for u in Union.objects.all()}
    for model in apps.get_models():
        if model.__name__.startswith("Historical"):
            continue
        fields = [
            f
            for f in model._meta.get_fields()
            if f.is_relation
            and f.related_model is not None  # not a generic relation (attachments are checked below)
            and (f.many_to_one or f.many_to_many)
            and not f.auto_created
            and f.name != "union"
        ]
        owned = [f for f in fields if any(g.name == "union" for g in f.related_model._meta.get_fields())]
        units = [f for f in fields if f.related_model is AdminUnit and f.many_to_one]
        if not owned and not units:
            continue
        has_union = any(f.name == "union" for f in model._meta.get_fields())
        for row in model._default_manager.all():
            unions = {row.union_id} if has_union and row.union_id else set()
            for field in owned:
                if field.many_to_many:
                    unions |= set(getattr(row, field.name).values_list("union", flat=True))
                else:
                    target = getattr(row, field.name)
                    if target is not None and getattr(target, "union_id", None):
                        unions.add(target.union_id)
            assert len(unions) <= 1, (model.__name__, row.pk, unions)
            if has_union and row.union_id:
                for field in units:
                    unit_id = getattr(row, field.attname)
                    if unit_id is not None:
                        assert unit_id in places[row.union_id], (model.__name__, row.pk, field.name)
            checked += 1
    for attachment in Attachment.objects.all():
        owner = attachment.owner
        if owner is not None and hasattr(owner, "union_id"):
            assert owner.union_id == attachment.union_id, attachment
    assert checked > 1000


def test_the_national_body_has_a_demo_login(demo):
    login = next(login for login in demo if login.username == "trunguong")
    assert login.union == "*"
    user = User.objects.get(username="trunguong")
    membership = Membership.objects.get(user=user)
    assert membership.role == Role.NATIONAL and membership.union is None
    assert (login.totp_secret is not None) == (Role.NATIONAL in settings.LIENHIEP_MFA_REQUIRED_ROLES)
    # each new Union has a leader (with an authenticator) and a staff member among the logins
    usernames = {login.username: login for login in demo}
    for slug in NEW:
        assert usernames[f"canbo.{slug}"].union == slug
        assert usernames[f"lanhdao.{slug}"].totp_secret


def test_an_edition_is_open_for_registration_whenever_the_demo_loads(demo, client):
    """The entrant's journey starts from the dashboard: Kon Tum's 10th technical contest opened two weeks before
    the day the demo was loaded and is still open, and the entrant's dashboard offers to register in it."""
    from django.utils import timezone

    now = timezone.now()
    edition = Edition.objects.get(union__slug="kontum", code="ST10")
    assert edition.status == Edition.Status.OPEN
    assert edition.registration_opens_at < now < edition.registration_closes_at
    client.force_login(User.objects.get(username="thisinh"), backend="lienhiep.core.auth.AuthenticationBackend")
    page = client.get("/kontum/app/").content.decode()
    assert edition.title in page
    assert f"/kontum/app/contests/{edition.pk}/entries/new/" in page
