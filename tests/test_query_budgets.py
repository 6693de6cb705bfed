"""Query budgets: every list and dashboard page issues the same number of queries whatever its size, and no more
than its budget.

Each page is measured with a small data set (SMALL rows of every kind it lists) and again after more rows were
added (LARGE in all); the two counts must be equal (no per-row queries) and within BUDGETS. A new page whose name
looks like a list or dashboard, or any new page without parameters, fails `test_every_list_page_has_a_budget`
until it is given a budget here or named in NOT_LISTS with the reason."""

import datetime
import re
from itertools import count

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lienhiep.advisory import services as advisory_services
from lienhiep.advisory import services_council
from lienhiep.advisory.models import Case, Seat
from lienhiep.contests import awards, certificates, editions, judging
from lienhiep.contests.models import Edition, Entry
from lienhiep.core.models import AdminUnit, Agency, MemberAssociation, Person, Role, Union
from lienhiep.paperwork.models import IssuedDocument
from lienhiep.portal.models import Article, Certificate, LegalDocument, Publication
from tests.advisory import factories as advisory_f
from tests.contests import factories as contests_f
from tests.experts import factories as experts_f
from tests.outreach import factories as outreach_f
from tests.test_url_access import all_patterns

from .conftest import Cast, make_user

pytestmark = pytest.mark.django_db

SMALL, LARGE = 2, 12  # rows of every kind a page lists
SMALL_EDITION, LARGE_EDITION = 2, 5  # entries of a judged contest edition (each makes certificate PDFs)

# (URL name, role that views it) → most queries the page may issue, at any size. "anonymous" is a visitor.
# A page seen by several roles with different content is measured for each.
BUDGETS: dict[tuple[str, str], int] = {
    ("core:home", "anonymous"): 1,
    ("core:home", "platform_admin"): 6,
    ("core:places", "staff"): 5,
    ("core:platform_unions", "platform_admin"): 6,
    ("portal:union_home", "anonymous"): 5,
    # the dashboard: the request's own (session, user, roles, Union; TOTP for some), then one query for every figure
    # and list of every section (core.onequery)
    ("core:dashboard", "staff"): 5,
    ("core:dashboard", "leader"): 6,
    ("core:dashboard", "union_admin"): 6,
    ("core:dashboard", "expert"): 11,  # 6 of them: which of their councils a conflict of interest closed to them
    ("core:dashboard", "agency_rep"): 6,  # 1 of them: which action items of the agency they may open
    ("core:dashboard", "entrant"): 5,
    ("core:dashboard", "platform_admin"): 6,
    ("core:members", "union_admin"): 8,
    ("core:agencies_list", "staff"): 6,
    ("core:associations_list", "staff"): 6,
    ("core:people_list", "staff"): 6,
    # the pickers' endpoints: at most 20 matches in one query (the representative's: its agencies' units first)
    ("core:people_pick", "staff"): 4,
    ("core:people_pick", "agency_rep"): 5,
    ("core:agencies_pick", "staff"): 4,
    ("core:agencies_pick", "agency_rep"): 4,
    ("experts:pick", "staff"): 4,
    ("contests:workplaces_pick", "entrant"): 4,  # an entry form's school and workplace pickers
    ("portal:document_pick", "staff"): 4,
    ("portal:document_list", "anonymous"): 5,
    ("portal:article_list", "anonymous"): 4,
    ("portal:article_feed", "anonymous"): 3,
    ("portal:publication_list", "anonymous"): 3,
    ("portal:search", "anonymous"): 3,
    ("portal:sitemap", "anonymous"): 4,
    ("portal:document_manage_list", "staff"): 8,
    ("portal:article_manage_list", "staff"): 6,
    ("portal:publication_manage_list", "staff"): 6,
    ("portal:certificate_manage_list", "staff"): 6,
    ("experts:list", "staff"): 11,
    ("experts:fields", "staff"): 5,
    ("experts:batches", "staff"): 5,
    ("experts:find", "staff"): 7,
    ("outreach:plan_list", "staff"): 6,
    ("outreach:calendar", "staff"): 9,
    ("outreach:calendar_ics", "staff"): 6,
    ("outreach:calendar_feed", "anonymous"): 5,
    ("outreach:session_list", "staff"): 7,
    ("outreach:session_list", "agency_rep"): 8,
    ("outreach:action_list", "staff"): 10,
    ("outreach:action_list", "agency_rep"): 7,
    ("outreach:action_overdue", "staff"): 10,
    ("outreach:project_list", "staff"): 6,
    ("outreach:localities", "staff"): 11,
    ("advisory:case_list", "staff"): 7,
    ("advisory:case_list", "expert"): 17,  # 9 of them: the same conflict check, for the page's cases at once
    ("advisory:case_list", "agency_rep"): 8,
    ("advisory:stats", "staff"): 21,
    ("paperwork:register", "staff"): 8,
    ("contests:public_list", "anonymous"): 2,
    ("contests:editions", "staff"): 5,
    ("contests:my_entries", "entrant"): 7,
    # one edition's pages (a judged edition of SMALL_EDITION entries, then another of LARGE_EDITION)
    ("contests:edition", "staff"): 15,
    ("contests:entries", "staff"): 12,
    ("contests:round", "staff"): 15,  # a jury's picker counts its choices (it listed them all before)
    ("contests:results", "staff"): 10,  # the stored results: fields' counts, one field's rows; + dossiers reopened
    ("contests:awards", "staff"): 11,
    ("contests:certificates", "staff"): 12,
    ("contests:nominate", "staff"): 8,
    ("contests:stats", "staff"): 16,
    ("contests:public_results", "anonymous"): 4,
    ("contests:my_judging", "judge"): 5,
    ("core:dashboard", "judge"): 5,
    # the national body's pages: every Union's figures in grouped queries, whatever the number of Unions
    ("national:overview", "national"): 15,
    ("national:reports", "national"): 15,
    ("national:nominations", "national"): 5,
    ("national:union_reports", "staff"): 9,  # a few per year shown (last year, this year, those sent), not per row
}
EDITION_PAGES = {name for name, _role in BUDGETS if name.startswith("contests:")} - {
    "contests:public_list",
    "contests:editions",
    "contests:my_entries",
    "contests:my_judging",
    "contests:workplaces_pick",
}


# Pages without parameters (or named like lists) that are not list or dashboard pages, and why.
NOT_LISTS: dict[str, str] = {
    "advisory:answers": "one case's recommendations and answers form: bounded by the one case",
    "advisory:case_create": "a form to fill in, not a list",
    "advisory:reviews": "one case's reviews: bounded by its council's size, not by the data",
    "advisory:stats_docx": "a file download (its page, advisory:stats, is budgeted)",
    "advisory:stats_pdf": "a file download (its page, advisory:stats, is budgeted)",
    "advisory:stats_sign": "an action (POST) of the page advisory:stats",
    "advisory:stats_xlsx": "a file download (its page, advisory:stats, is budgeted)",
    "contests:edition_create": "a form to fill in, not a list",
    "national:due_date": "an action (POST) of the page national:reports",
    "national:table_xlsx": "an Excel download of the national table (national:overview is budgeted)",
    "national:union_submit": "an action (POST) of the page national:union_reports",
    "core:agencies_create": "a form to fill in, not a list",
    "core:associations_create": "a form to fill in, not a list",
    "core:healthz": "the health check: no query, or one with ?db=1 (tests/test_scale_data.py counts them)",
    "core:people_create": "a form to fill in, not a list",
    "core:places_import": "an upload form",
    "core:union_settings": "the Union's own settings form",
    "experts:batch_create": "a form to fill in, not a list",
    "experts:create": "a form to fill in, not a list",
    "experts:export": "an Excel download of the registry (experts:list is budgeted)",
    "experts:import": "an upload form",
    "experts:item_conflicts": "one batch item's conflicts: bounded by the one item",
    "experts:template": "an empty Excel template",
    "outreach:action_create": "a form to fill in, not a list",
    "outreach:calendar_token": "POST only: makes the private calendar address",
    "outreach:plan_create": "a form to fill in, not a list",
    "outreach:project_create": "a form to fill in, not a list",
    "outreach:session_create": "a form to fill in, not a list",
    "portal:article_create": "a form to fill in, not a list",
    "portal:certificate_check": "a form that looks up one code",
    "portal:verify": "a form that checks one uploaded file or one number and code",
    "portal:document_create": "a form to fill in, not a list",
    "portal:publication_create": "a form to fill in, not a list",
}


# ---------------------------------------------------------------------------------------------- the data builders
_serial = count(1)


def populate_core(cast: Cast, n: int) -> None:
    """n agencies (with parents and places), associations, people, members of the Union."""
    for _ in range(n):
        i = next(_serial)
        agency = Agency.objects.create(
            union=cast.union,
            name=f"UBND xã số {i}",
            kind=Agency.Kind.PEOPLES_COMMITTEE,
            admin_unit=cast.district,
            parent=cast.agency,
        )
        association = MemberAssociation.objects.create(union=cast.union, name=f"Hội số {i}", short_name=f"H{i}")
        Person.objects.create(union=cast.union, name=f"Nguyễn Văn Số {i}", agency=agency, association=association)
        make_user(f"member{i}", f"Lê Thị Thành Viên {i}", Role.STAFF, cast.union)
        rep = make_user(f"rep{i}", f"Đại Diện {i}", Role.AGENCY_REP, cast.union, agency=agency)
        Person.objects.create(union=cast.union, name=f"Đại Diện {i}", agency=agency, user=rep)
        Union.objects.create(name=f"Liên hiệp hội số {i}", short_name=f"LHH {i}", slug=f"lhh-{i}")
        AdminUnit.objects.create(
            code=f"9{i:04d}",
            name=f"Xã Số {i}",
            short_name=f"Số {i}",
            kind="Xã",
            level=AdminUnit.Level.COMMUNE,
            parent=cast.district,
            valid_to=datetime.date(2025, 6, 30),
        )


def populate_portal(cast: Cast, n: int) -> None:
    """n public and private documents, published and draft articles, publications and certificates."""
    now = timezone.now()
    for _ in range(n):
        i = next(_serial)
        for public in (True, False):
            LegalDocument.objects.create(
                union=cast.union,
                number_symbol=f"{i}/QĐ-UBND{'' if public else '-M'}",
                doc_type="decision",
                issuer="UBND tỉnh Kon Tum",
                is_public=public,
                issued_on=datetime.date(2021, 1 + i % 12, 1),
                summary=f"Quyết định về khoa học Đăk Tô số {i}",
            )
        for status in (Article.Status.PUBLISHED, Article.Status.DRAFT):
            Article.objects.create(
                union=cast.union,
                title=f"Tin Đăk Tô số {i} {status}",
                lead="Tóm tắt Đăk Tô.",
                body="<p>Nội dung.</p>",
                status=status,
                published_at=now - datetime.timedelta(hours=i) if status == Article.Status.PUBLISHED else None,
                author="Quang Mạnh",
                created_by=cast.staff,
            )
        for status in (Publication.Status.PUBLISHED, Publication.Status.DRAFT):
            Publication.objects.create(
                union=cast.union,
                kind=Publication.Kind.CRITIQUE_SUMMARY,
                title=f"Tóm tắt phản biện Đăk Tô {i}",
                summary="Kiến nghị.",
                status=status,
                published_at=now if status == Publication.Status.PUBLISHED else None,
            )
        Certificate.objects.create(
            union=cast.union, holder_name=f"Y Blong {i}", title="Giải Ba", issued_on=datetime.date(2021, 12, 1)
        )
        replaced = None
        for number in (2 * i, 2 * i + 1):  # a document and the correction that replaces it
            replaced = IssuedDocument.objects.create(
                union=cast.union,
                kind=IssuedDocument.Kind.ANNUAL_REPORT,
                year=2021,
                number=number,
                type_code="BC",
                number_symbol=f"{number:02d}/BC-LHH",
                doc_type="BÁO CÁO",
                subject=f"Báo cáo số {number}",
                issued_on=datetime.date(2021, 12, 1),
                signer_name="Nguyễn Văn Sơn",
                source=cast.private_document,
                file_stem=f"bao-cao-{number}",
                replaces=replaced,
            )


def populate_experts(cast: Cast, n: int) -> None:
    """n experts in two fields with relations, n matching batches with items."""
    nn = experts_f.field(cast.union, "NN")
    yt = experts_f.field(cast.union, "YT", "Y tế")
    for _ in range(n):
        i = next(_serial)
        one = experts_f.expert(
            cast.union, f"Trần Văn Chuyên Gia {i}", fields=[nn, yt], agency=cast.agency, keywords="sâm Ngọc Linh"
        )
        experts_f.field(cast.union, f"F{i}", f"Lĩnh vực {i}")
        batch = experts_f.batch(cast.union, title=f"Đợt phân công {i}")
        experts_f.item(batch, fields=[nn], requesting_agency=cast.agency, authors=[one.person])


def populate_outreach(cast: Cast, n: int) -> None:
    """n plans with visits, working sessions, action items (overdue; an agency's and a person's), projects."""
    for _ in range(n):
        i = next(_serial)
        plan = outreach_f.plan(cast, title=f"Kế hoạch {i}")
        outreach_f.visit(cast, plan)
        session = outreach_f.session(cast, title=f"Làm việc số {i}")
        outreach_f.action_item(cast, work_session=session, title=f"Việc {i}")
        outreach_f.action_item(cast, work_session=session, title=f"Việc cá nhân {i}", owner_person=cast.person)
        outreach_f.local_project(cast, name=f"Dự án {i}")
        outreach_f.session(cast, title=f"Làm việc gần đây {i}", held_on=timezone.localdate())  # in the ICS window


def populate_advisory(cast: Cast, n: int) -> None:
    """n cases sent by the agency's representative, each accepted with the cast's expert on its council."""
    people = advisory_f.council_experts(cast)
    for _ in range(n):
        i = next(_serial)
        case = advisory_f.new_case(cast, title=f"Đề án số {i}", request_number=f"{i}/UBND-KT")
        advisory_services.accept_case(case, actor=cast.staff, today=advisory_f.DAY)
        services_council.place_expert(case, actor=cast.staff, expert=people["secretary"], role=Seat.Role.SECRETARY)
        services_council.place_expert(case, actor=cast.staff, expert=people["chair"], role=Seat.Role.CHAIR)


def populate_contests(cast: Cast, n: int) -> None:
    """n editions, open, each with an entry of the cast's entrant."""
    me = cast.entrant.get_full_name()
    for _ in range(n):
        i = next(_serial)
        ed = contests_f.open_edition(cast, code=f"E{i}")
        contests_f.submitted(cast, ed, f"Giải pháp số {i}", people=contests_f.authors((me, 60), (f"Y {i}", 40)))


def populate_national(cast: Cast, n: int) -> None:
    """n more Unions, each with a case of the advisory pages' year; the entrant's latest entries nominated."""
    for _ in range(n):
        i = next(_serial)
        union = Union.objects.create(name=f"Liên hiệp hội số {i}", short_name=f"LHH {i}", slug=f"lhh-{i}")
        Case.objects.create(
            union=union, year=advisory_f.DAY.year, seq=1, title=f"Đề án số {i}", received_on=advisory_f.DAY
        )
    latest = Entry.objects.filter(edition__union=cast.union, nominated_at__isnull=True).order_by("-pk")[:n]
    Entry.objects.filter(pk__in=[entry.pk for entry in latest]).update(nominated_at=timezone.now())


def populate(cast: Cast, n: int) -> None:
    for builder in (
        populate_core,
        populate_portal,
        populate_experts,
        populate_outreach,
        populate_advisory,
        populate_contests,
        populate_national,
    ):
        builder(cast, n)


# ------------------------------------------------------------------------------------------------ the measurement
# Query strings a page is measured with (a search needs words; the calendar shows the month of the sessions).
QUERY = {
    "portal:search": "?q=%C4%90%C4%83k+T%C3%B4",
    "outreach:calendar": "?month=2021-11",
    "core:places": "?on=2022-01-01",
    "core:people_pick": "?q=nguyen",
    "core:agencies_pick": "?q=ubnd",
    "experts:pick": "?q=chuyen+gia",
    "contests:workplaces_pick": "?q=ubnd",
    "portal:document_pick": "?q=quyet+dinh",
    "experts:find": "?text=s%C3%A2m+Ng%E1%BB%8Dc+Linh+d%C6%B0%E1%BB%A3c+li%E1%BB%87u",
    "national:overview": f"?year={advisory_f.DAY.year}",
    "national:reports": f"?year={advisory_f.DAY.year}",
}


def url_of(cast: Cast, name: str, **kwargs) -> str:
    route = next(route for n, route, _cb in all_patterns() if n == name)
    if "union_slug" in route:
        kwargs["union_slug"] = cast.union.slug
    if name == "outreach:calendar_feed":
        from lienhiep.outreach.services import calendar_feed_for

        kwargs["token"] = calendar_feed_for(actor=cast.staff, union=cast.union).token
    return reverse(name, kwargs=kwargs) + QUERY.get(name, "")


def queries(client, url: str) -> tuple[int, int]:
    """(queries issued, hash of the page) for a GET of url."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, f"{url} → {response.status_code}"
    return len(captured), hash(response.content)


def measure(clients: dict, pages: dict[tuple[str, str], str]) -> dict[tuple[str, str], tuple[int, int]]:
    return {(name, role): queries(clients[role], url) for (name, role), url in pages.items()}


def check(small: dict, large: dict) -> None:
    """Same queries at both sizes, within budget, and the added data really shows (the page changed)."""
    table = [f"{'page':34} {'role':15} {SMALL:>3} {LARGE:>3} budget"] + [
        f"{name:34} {role:15} {small[key][0]:3} {large[key][0]:3} {BUDGETS[key]:6}"
        for key in small
        for name, role in [key]
    ]
    grows = [key for key in small if small[key][0] != large[key][0]]
    over = [key for key in small if large[key][0] > BUDGETS[key]]
    blind = [key for key in small if large[key][1] == small[key][1]]
    print("\n".join(table))
    assert not grows, f"per-row queries on {grows}\n" + "\n".join(table)
    assert not over, f"over budget on {over}\n" + "\n".join(table)
    assert not blind, f"these pages did not show the added rows: {blind}"


def clients_for(cast: Cast, client_for, **extra) -> dict:
    users = cast.users_by_role() | {"anonymous": None} | extra
    return {role: client_for(user) for role, user in users.items()}


UNION_PAGES = [key for key in BUDGETS if key[0] not in EDITION_PAGES and key[1] != "judge"]


def test_list_and_dashboard_pages_at_two_sizes(cast, client_for):
    clients = clients_for(cast, client_for)
    populate(cast, SMALL)
    pages = {key: url_of(cast, key[0]) for key in UNION_PAGES}
    small = measure(clients, pages)
    populate(cast, LARGE - SMALL)
    check(small, measure(clients, pages))


# ------------------------------------------------------------------- one contest edition's pages, at two sizes
def judged_edition(cast: Cast, judges, code: str, n: int, *, certify: bool = True) -> Edition:
    """An edition of n entries taken through judging and awards, then (certify) certificates and publication."""
    ed = contests_f.open_edition(cast, code=code)
    me = cast.entrant.get_full_name()
    entries = [
        contests_f.accepted(
            cast, ed, f"Giải pháp {code} {i}", people=contests_f.authors((me, 60), (f"Y {code}{i}", 40))
        )
        for i in range(n)
    ]
    ed.start_judging()
    ed.save()
    r = ed.rounds.get()
    judging.set_jury(actor=cast.staff, round=r, field=contests_f.field(ed), experts=judges)
    judging.propose_judges(actor=cast.staff, round=r)
    judging.confirm_judges(actor=cast.staff, round=r, today=datetime.date(2022, 6, 20))
    for i, entry in enumerate(entries):
        for seat in entry.assignments.filter(status="confirmed"):
            contests_f.score(seat, 20 + i, 25 + i, 28)
    editions.move_edition(actor=cast.staff, edition=ed, move="start_review")
    awards.apply_proposal(actor=cast.staff, edition=ed)
    awards.approve_awards(actor=cast.leader, edition=ed, number="", day=datetime.date(2022, 9, 1), signatory="A")
    if certify:
        certificates.start_certificates(actor=cast.staff, edition=ed, base_url="http://x.test")
        awards.publish_results(actor=cast.staff, edition=ed)
    return Edition.objects.get(pk=ed.pk)


def edition_pages(cast: Cast, ed: Edition) -> dict[tuple[str, str], str]:
    args = {name: {"pk": ed.pk} for name in EDITION_PAGES} | {"contests:round": {"pk": ed.rounds.get().pk}}
    return {
        key: url_of(cast, key[0], **args.get(key[0], {}))
        for key in BUDGETS
        if key[0] in EDITION_PAGES or key[1] == "judge"
    }


def test_contest_edition_pages_at_two_sizes(cast, client_for):
    names = [("gk1", "Hà Văn Một"), ("gk2", "Lò Thị Hai"), ("gk3", "Vi Văn Ba")]
    judges = [
        contests_f.judge(cast.union, name, user=make_user(username, name, Role.EXPERT, cast.union))
        for username, name in names
    ]
    clients = clients_for(cast, client_for, judge=judges[0].person.user)
    small = measure(clients, edition_pages(cast, judged_edition(cast, judges, "A", SMALL_EDITION)))
    large = measure(clients, edition_pages(cast, judged_edition(cast, judges, "B", LARGE_EDITION)))
    check(small, large)


# ------------------------------------------------------------------------------------------ no page left unbudgeted
# A page is list-like when it takes no parameter but the Union, or its name says so (…list, …dashboard, …index,
# …overdue, …stats, …feed, …search, …results, or a plural such as entries, editions, members).
LIST_NAME = re.compile(r"(list|dashboard|index|home|overdue|stats|statistics|feed|sitemap|search|results|[^s]s)$")


def list_like_pages() -> set[str]:
    found = set()
    for name, route, _callback in all_patterns():
        if not name or ":" not in name or route.startswith("static"):
            continue  # third-party pages (allauth) are not ours
        takes_parameters = "<" in route.replace("<slug:union_slug>", "")
        if not takes_parameters or LIST_NAME.search(name.split(":")[-1]):
            found.add(name)
    return found


def test_every_list_page_has_a_budget():
    budgeted = {name for name, _role in BUDGETS}
    missing = sorted(list_like_pages() - budgeted - set(NOT_LISTS))
    assert not missing, "Give these pages a budget in BUDGETS, or say in NOT_LISTS why they are not lists:\n" + (
        "\n".join(missing)
    )
    stale = sorted((budgeted | set(NOT_LISTS)) - {name for name, _route, _cb in all_patterns()})
    assert not stale, f"no such pages any more: {stale}"
    assert not budgeted & set(NOT_LISTS)
