"""Confidentiality rules, checked from the outside (HTTP, as each role of the authorization matrix):

1. A draft under critique opens only for the council's members (not one whose conflict of interest appeared
   after seating), staff and the leader; its file also for the requesting agency that wrote it.
2. A judge never sees another judge's scores before locking their own sheet.
3. Entrants never see judges' names: not on their entry, its receipt, their list of entries, nor the public pages.
4. Unpublished results and critique reports are invisible on the public pages and in the public search.
5. Every file download checks permission on every request: the right lost, the next download is refused.

Module tests cover neighbouring cases (tests/advisory/test_access.py: a conflict recorded later; tests/contests/
test_judging.py: the others' totals after locking); the authorization matrix (tests/authz/expected.py) states who
opens every page; these tests look at what the pages contain.
"""

import io
import zipfile

from django.urls import reverse

from lienhiep.advisory.models import CaseFile
from lienhiep.core.models import Membership
from lienhiep.experts import services as expert_services
from tests.authz import world as world_module
from tests.authz.world import JUDGE_LOCKED_NAME, JUDGE_UNLOCKED_NAME, LOCKED_POINTS

# The draft's working page (paragraphs to comment on) is the council's and staff's; its file also the requesting
# agency's, which wrote it.
ADMITTED_TO_DRAFT_PAGE = {"expert_council", "staff", "leader", "union_admin"}
ADMITTED_TO_DRAFT_FILE = ADMITTED_TO_DRAFT_PAGE | {"agency_rep"}


def test_a_draft_under_critique_opens_only_for_its_council_staff_and_author(cast, client_for):
    world = world_module.build(cast)
    slug = cast.union.slug
    draft = world.case.files.get(kind=CaseFile.Kind.DRAFT)
    urls = [
        (reverse("advisory:draft", args=[slug, world.case.pk]), ADMITTED_TO_DRAFT_PAGE),
        (reverse("advisory:file_download", args=[slug, draft.pk]), ADMITTED_TO_DRAFT_FILE),
    ]
    for row, user in world.users.items():
        client = client_for(user)
        for url, admitted in urls:
            status = client.get(url).status_code
            if row in admitted:
                assert status == 200, (row, url, status)
            else:
                assert status in (302, 403, 404) and status != 200, (row, url, status)
                if status == 302:
                    assert row == "anonymous"


def test_downloads_check_the_right_on_every_request(cast, client_for):
    world = world_module.build(cast)
    slug = cast.union.slug
    draft = world.case.files.get(kind=CaseFile.Kind.DRAFT)
    download = reverse("advisory:file_download", args=[slug, draft.pk])
    member = client_for(cast.expert)
    response = member.get(download)
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.getvalue())) as docx:  # the draft, stamped with its reader's name
        assert f"bản cấp cho Y Blong ({cast.expert.username})" in docx.read("word/document.xml").decode()
    secretary = world.case.seats.get(expert__person__user=cast.expert).expert
    expert_services.declare_conflict(
        actor=cast.staff, union=cast.union, person=secretary.person, item=world.case, reason="Người thân soạn thảo"
    )
    assert member.get(download).status_code in (403, 404)  # the same session, the very next request

    certificate = reverse("contests:certificate_pdf", args=[slug, world.contest["certificate"].pk])
    entrant = client_for(cast.entrant)
    response = entrant.get(certificate)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert client_for(world.users["other_entrant"]).get(certificate).status_code in (403, 404)

    from django.core.files.uploadedfile import SimpleUploadedFile

    from lienhiep.core import services as core_services
    from tests.test_url_access import PDF_BYTES

    attachment = core_services.attach_file(
        actor=cast.staff,
        union=cast.union,
        owner=cast.private_document,
        upload=SimpleUploadedFile("kế hoạch.pdf", PDF_BYTES, content_type="application/pdf"),
    )
    file_url = reverse("core:attachment_download", args=[slug, attachment.pk])
    staff = client_for(cast.staff)
    assert staff.get(file_url).status_code == 200
    Membership.objects.filter(user=cast.staff, union=cast.union).update(is_active=False)
    assert staff.get(file_url).status_code in (403, 404)


def score_strings(points: tuple[str, ...]) -> set[str]:
    """The ways a page may print the locked judge's points and total (Vietnamese and English decimals)."""
    total = sum(float(p) for p in points)
    values = [*points, f"{total:.2f}", f"{total:.1f}"]
    return {v for value in values for v in (value, value.replace(".", ","))}


def test_judges_and_entrants_see_only_what_they_may(cast, client_for):
    world = world_module.build(cast)
    slug = cast.union.slug
    contest = world.contest
    # 2. The judge who has not locked their sheet sees none of the locked judge's points or total.
    waiting = client_for(world.users["judge_unlocked"])
    html = waiting.get(reverse("contests:sheet", args=[slug, contest["assignment"].pk])).content.decode()
    assert "name=" in html  # the sheet itself, with its inputs
    leaked = [s for s in score_strings(LOCKED_POINTS) if s in html]
    assert not leaked, f"the unlocked judge's sheet shows the other judge's scores {leaked}"
    assert JUDGE_LOCKED_NAME not in html
    # The locked judge cannot open the other's sheet either.
    locked = client_for(world.users["judge_locked"])
    assert locked.get(reverse("contests:sheet", args=[slug, contest["assignment"].pk])).status_code == 404

    # 3. Entrants' pages and the public pages never name a judge.
    entry = contest["entry"]
    entrant = client_for(cast.entrant)
    pages = [
        (entrant, reverse("contests:entry", args=[slug, entry.pk])),
        (entrant, reverse("contests:receipt", args=[slug, entry.pk])),
        (entrant, reverse("contests:my_entries", args=[slug])),
        (entrant, reverse("core:dashboard", args=[slug])),
        (client_for(None), reverse("contests:public_list", args=[slug])),
        (client_for(None), reverse("contests:public_edition", args=[slug, contest["edition"].pk])),
    ]
    for client, url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        for name in (JUDGE_LOCKED_NAME, JUDGE_UNLOCKED_NAME):
            assert name not in html, f"{name} named on {url}"


def test_unpublished_results_and_reports_stay_off_the_public_site(cast, client_for):
    world = world_module.build(cast)
    slug = cast.union.slug
    anonymous = client_for(None)
    edition = world.contest["edition"]
    assert anonymous.get(reverse("contests:public_results", args=[slug, edition.pk])).status_code == 404
    entry_title = world.contest["entry"].title
    case_title = world.case.title
    for url in [
        reverse("portal:publication_list", args=[slug]),
        reverse("contests:public_list", args=[slug]),
        reverse("portal:union_home", args=[slug]),
        reverse("portal:search", args=[slug]) + "?q=máy tách hạt cà phê",
        reverse("portal:search", args=[slug]) + "?q=đề án cây dược liệu Đăk Tô",
        reverse("portal:sitemap", args=[slug]),
    ]:
        response = anonymous.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert entry_title not in html, f"an unpublished entry's title on {url}"
        assert case_title not in html, f"an unpublished critique on {url}"
