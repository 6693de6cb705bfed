"""Who may open what, over HTTP: experts not on the council, other agencies and other Unions get a 404; the draft
is confidential (every opening and download logged, the copy carries the person's name and a watermark line);
members lose it when the case closes unless it is public; comments stay private until the consolidation."""

import io

import pytest
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document

from lienhiep.advisory import services, services_work
from lienhiep.advisory.models import CaseFile, Status
from lienhiep.core.models import ActivityLog, Agency, Role
from tests.conftest import make_user

from . import factories as f


def url(name, case, **kw):
    return reverse(f"advisory:{name}", kwargs={"union_slug": case.union.slug, "pk": case.pk, **kw})


@pytest.fixture
def outsider_expert(cast):
    user = make_user("khach", "Đặng Văn Khách", Role.EXPERT, cast.union)
    f.expert(cast.union, "Đặng Văn Khách", user=user)
    return user


@pytest.fixture
def other_rep(cast):
    other = Agency.objects.create(union=cast.union, name="UBND huyện Tu Mơ Rông", kind="peoples_committee")
    return make_user("rep2", "A Nhưn", Role.AGENCY_REP, cast.union, agency=other)


@pytest.mark.django_db
def test_people_outside_the_case_get_a_404(cast, client_for, outsider_expert, other_rep):
    j = f.journey(cast, until=Status.REVIEWING)
    draft = j.case.files.get(kind=CaseFile.Kind.DRAFT)
    pages = [url(n, j.case) for n in ("case_detail", "draft", "reviews", "meeting", "consolidate")]
    pages.append(reverse("advisory:file_download", args=[cast.union.slug, draft.pk]))
    for user in (outsider_expert, other_rep):
        client = client_for(user)
        for page in pages:
            assert client.get(page).status_code in (403, 404), (user, page)
        assert j.case.title not in client.get(reverse("advisory:case_list", args=[cast.union.slug])).content.decode()
    # Another Union's staff: refused under Kon Tum's address, not found under their own.
    outsider = client_for(cast.outsider_staff)
    assert outsider.get(url("case_detail", j.case)).status_code == 403
    own = reverse("advisory:case_detail", args=[cast.outsider_union.slug, j.case.pk])
    assert outsider.get(own).status_code == 404
    own_file = reverse("advisory:file_download", args=[cast.outsider_union.slug, draft.pk])
    assert outsider.get(own_file).status_code == 404
    assert not ActivityLog.objects.filter(verb__startswith="advisory.draft.", actor__in=[outsider_expert, other_rep])


@pytest.mark.django_db
def test_members_and_the_agency_see_what_is_theirs(cast, client_for):
    j = f.journey(cast, until=Status.REVIEWING)
    member = client_for(j.reviewer_users[0])
    assert member.get(url("case_detail", j.case)).status_code == 200
    assert member.get(url("draft", j.case)).status_code == 200
    rep = client_for(cast.agency_rep)
    page = rep.get(url("case_detail", j.case)).content.decode()
    assert "Hoàng Minh Đức" in page  # the approved council is known to the agency
    assert rep.get(url("draft", j.case)).status_code == 403  # the annotated draft is the council's
    assert rep.get(url("report_docx", j.case)).status_code == 404  # no report before it is sent
    pending = f.new_case(cast)
    assert "Hoàng Minh Đức" not in rep.get(url("case_detail", pending)).content.decode()


@pytest.mark.django_db
def test_every_opening_and_download_is_logged_with_the_persons_name(cast, client_for):
    j = f.journey(cast, until=Status.REVIEWING)
    user = j.reviewer_users[0]
    client = client_for(user)
    client.get(url("draft", j.case))
    draft = j.case.files.get(kind=CaseFile.Kind.DRAFT)
    response = client.get(reverse("advisory:file_download", args=[cast.union.slug, draft.pk]))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert "Tr%E1%BA%A7n%20Th%E1%BB%8B%20B%C3%ACnh" in disposition  # "… – Trần Thị Bình.docx"
    document = Document(io.BytesIO(response.content))
    assert document.paragraphs[0].text.startswith("TÀI LIỆU MẬT – bản cấp cho Trần Thị Bình (binh)")
    assert "Trần Thị Bình" in document.sections[0].header.paragraphs[0].text
    assert document.paragraphs[1].text.startswith("ĐỀ ÁN PHÁT TRIỂN CÂY DƯỢC LIỆU")  # the text is untouched
    logs = ActivityLog.objects.filter(actor=user, verb__startswith="advisory.draft.").order_by("pk")
    assert [log.verb for log in logs] == ["advisory.draft.opened", "advisory.draft.downloaded"]
    assert all(log.target == draft for log in logs)
    staff_page = client_for(cast.staff).get(url("case_detail", j.case)).content.decode()
    assert "Trần Thị Bình tải dự thảo đề án.docx của PB-01/2022" in staff_page


@pytest.mark.django_db
def test_access_ends_when_the_case_closes_unless_the_draft_is_public(cast, client_for):
    j = f.journey(cast, until=Status.CLOSED)
    member = client_for(j.reviewer_users[0])
    draft = j.case.files.get(kind=CaseFile.Kind.DRAFT)
    download = reverse("advisory:file_download", args=[cast.union.slug, draft.pk])
    assert member.get(url("draft", j.case)).status_code == 403
    assert member.get(download).status_code == 404  # a refused file's address answers like a missing file's
    assert client_for(cast.staff).get(download).status_code == 200
    services.set_draft_published(j.case, actor=cast.staff, published=True)
    assert member.get(url("draft", j.case)).status_code == 200
    assert member.get(download).status_code == 200


@pytest.mark.django_db
def test_comments_stay_private_until_the_consolidation_if_the_union_says_so(cast, client_for):
    j = f.journey(cast, until=Status.REVIEWING)
    paragraphs = list(j.case.paragraphs.order_by("number"))
    one, two = j.reviewer_users
    services_work.add_comment(j.case, actor=one, paragraph=paragraphs[2], text="Góp ý riêng của chị Bình.")
    services_work.add_comment(j.case, actor=two, paragraph=paragraphs[3], text="Góp ý riêng của anh Cường.")
    page = client_for(one).get(url("draft", j.case)).content.decode()
    assert "Góp ý riêng của chị Bình." in page and "Góp ý riêng của anh Cường." not in page
    staff_page = client_for(cast.staff).get(url("draft", j.case)).content.decode()
    assert "Góp ý riêng của chị Bình." in staff_page and "Góp ý riêng của anh Cường." in staff_page
    services_work.save_review(
        j.case.reviews.get(seat__expert__person__user=one), actor=one, sections={"conclusions": "Ổn."}, submit=True
    )
    from lienhiep.advisory import services_council

    services_council.start_consolidation(j.case, actor=cast.staff)
    assert "Góp ý riêng của anh Cường." in client_for(one).get(url("draft", j.case)).content.decode()
    j.case.share_comments = False
    j.case.save(update_fields=["share_comments"])
    assert "Góp ý riêng của anh Cường." not in client_for(one).get(url("draft", j.case)).content.decode()
    secretary = client_for(cast.expert).get(url("draft", j.case)).content.decode()
    assert "Góp ý riêng của anh Cường." in secretary  # the secretary consolidates them


@pytest.mark.django_db
def test_only_the_secretary_and_staff_consolidate(cast, client_for):
    j = f.journey(cast, until=Status.CONSOLIDATING)
    data = {"text": "Bổ sung chỉ tiêu.", "category": "objectives", "priority": "high"}
    assert client_for(j.reviewer_users[0]).post(url("consolidate", j.case), data).status_code == 403
    assert client_for(cast.leader).post(url("consolidate", j.case), data).status_code == 403
    assert client_for(cast.expert).post(url("consolidate", j.case), data).status_code == 302
    assert j.case.recommendations.filter(text="Bổ sung chỉ tiêu.").exists()


def _list_queries(client, union) -> int:
    from django.db import connection

    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("advisory:case_list", args=[union.slug])).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_list_pages_issue_the_same_number_of_queries_whatever_their_size(cast, client_for):
    staff, rep = client_for(cast.staff), client_for(cast.agency_rep)
    for _n in range(2):
        f.new_case(cast)
    small = (_list_queries(staff, cast.union), _list_queries(rep, cast.union))
    for _n in range(8):
        f.new_case(cast)
    assert (_list_queries(staff, cast.union), _list_queries(rep, cast.union)) == small
    from django.db import connection

    dashboard = reverse("core:dashboard", args=[cast.union.slug])
    with CaptureQueriesContext(connection) as before:
        staff.get(dashboard)
    for _n in range(5):
        f.new_case(cast, received_on=f.DAY.replace(year=2021))
    with CaptureQueriesContext(connection) as after:
        staff.get(dashboard)
    assert len(after) == len(before)


@pytest.mark.django_db
def test_a_conflict_that_appears_later_ends_the_members_access(cast, client_for):
    from lienhiep.experts.models import Relation

    j = f.journey(cast, until=Status.REVIEWING)
    member = client_for(j.reviewer_users[0])
    assert member.get(url("draft", j.case)).status_code == 200
    j.case.authors.set([cast.person])
    Relation.objects.create(union=cast.union, person=j.reviewers[0].person, other=cast.person, kind="relative")
    assert member.get(url("draft", j.case)).status_code == 403
    draft = j.case.files.get(kind=CaseFile.Kind.DRAFT)
    # the draft's file: the 404 of a file that does not exist (a file's address does not tell that it does)
    assert member.get(reverse("advisory:file_download", args=[cast.union.slug, draft.pk])).status_code == 404
    # Their dashboard and the case list still name the case, without a link, and say why.
    case_page = url("case_detail", j.case)
    dashboard = member.get(f"/{cast.union.slug}/app/").content.decode()
    assert j.case.code in dashboard and "hết quyền xem: xung đột lợi ích" in dashboard and case_page not in dashboard
    listing = member.get(reverse("advisory:case_list", args=[cast.union.slug])).content.decode()
    assert j.case.code in listing and case_page not in listing
    assert member.get(case_page).status_code == 403
