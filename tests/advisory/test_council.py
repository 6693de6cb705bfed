"""The council: the matching engine's proposal (affinity with the draft, conflicts excluded, load balanced, one per
workplace), seats by hand with every check, the leader's approval re-checking conflicts, the decision as DOCX."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from docx import Document

from lienhiep.advisory import services, services_council
from lienhiep.advisory.models import Seat, Status
from lienhiep.core.models import Agency
from lienhiep.experts import services as expert_services
from lienhiep.experts.models import Engagement, Expert, Relation
from lienhiep.paperwork.models import IssuedDocument
from lienhiep.paperwork.register import current_document

from . import factories as f


@pytest.fixture
def accepted(cast):
    case = f.new_case(cast)
    services.accept_case(case, actor=cast.staff)
    case.refresh_from_db()
    return case


def pool(cast):
    """Candidates: two close to the draft (sâm Ngọc Linh), one conflicted (works for the requesting agency), one
    unavailable, one far from the draft, two from the same workplace."""
    union = cast.union
    uni = f.university(union)
    return {
        "close": f.expert(union, "Nguyễn Thị Sâm", agency=f.institute(union), cv="Trồng sâm Ngọc Linh dưới tán rừng."),
        "close_same_workplace": f.expert(union, "Phạm Văn Linh", agency=f.institute(union), cv="Sâm Ngọc Linh."),
        "conflicted": f.expert(union, "Đinh Văn Tô", agency=cast.agency, cv="Sâm Ngọc Linh, dược liệu Đăk Tô."),
        "unavailable": f.expert(union, "Lò Thị Vắng", availability=Expert.Availability.UNAVAILABLE),
        "far": f.expert(union, "Trịnh Văn Cầu", agency=uni, keywords="cầu đường; bê tông", fields=[]),
        "busy": f.expert(union, "Võ Văn Bận", agency=f.hospital(union), max_load=1),
    }


@pytest.mark.django_db
def test_the_engine_proposes_without_conflicts_and_one_per_workplace(cast, accepted):
    experts = pool(cast)
    result = services_council.propose_council(accepted, actor=cast.staff, size=3)
    seated = {s.expert_id: s for s in accepted.seats.all()}
    assert experts["conflicted"].pk not in seated and experts["unavailable"].pk not in seated
    assert experts["conflicted"].pk in result["blocked"]
    assert result["blocked"][experts["conflicted"].pk][0].rule == "requester"
    same = {experts["close"].pk, experts["close_same_workplace"].pk} & set(seated)
    assert len(same) == 1  # no two from the Ngọc Linh institute
    best = seated[same.pop()]
    assert best.role == Seat.Role.CHAIR
    assert best.reasons["terms"][:2] == ["sâm Ngọc Linh", "dược liệu"], best.reasons  # the expert's keywords
    assert "dưới tán rừng" in best.reasons["terms"], best.reasons  # and a phrase of both texts, whole
    assert best.reasons["fields"] == ["Nông nghiệp, lâm nghiệp, dược liệu"]
    assert best.reasons["rank"] <= 2 and best.reasons["pool"] == 5  # the unavailable expert is not considered


@pytest.mark.django_db
def test_the_council_page_explains_each_proposed_expert_in_words(cast, accepted, client_for):
    experts = pool(cast)
    services_council.propose_council(accepted, actor=cast.staff, size=3)
    page = client_for(cast.staff).get(reverse("advisory:council", args=[cast.union.slug, accepted.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    seats = html[html.index('id="seats"') : html.index("</table>")]
    assert "Cùng lĩnh vực: Nông nghiệp, lâm nghiệp, dược liệu" in seats  # the field's name, not «NN»
    assert "Rất phù hợp" in seats and "xếp thứ 1/5" in seats  # the match in words, with the rank
    assert "Cùng đề cập: «sâm Ngọc Linh», «dược liệu», «dưới tán rừng»" in seats
    assert "độ phù hợp" not in seats and ": NN" not in seats
    for bigram in ("«sâm ngọc»", "«ngọc linh»", "«linh dưới»", "«tán rừng»"):  # no syllable pair of the engine
        assert bigram not in seats
    far = html[html.index(experts["far"].person.name) :]
    assert far.index("Ít phù hợp") < far.index("</tr>")  # seated for want of better, and said so


@pytest.mark.django_db
def test_busy_experts_are_held_back(cast, accepted):
    experts = pool(cast)
    Engagement.objects.create(
        union=cast.union, expert=experts["busy"], role="Phản biện", title="Hồ sơ khác", assigned_on=f.DAY
    )
    services_council.propose_council(accepted, actor=cast.staff, size=5)
    assert not accepted.seats.filter(expert=experts["busy"]).exists()  # at its maximum of one open task
    with pytest.raises(ValidationError) as error:
        services_council.place_expert(accepted, actor=cast.staff, expert=experts["busy"], role=Seat.Role.MEMBER)
    assert "tối đa là 1" in error.value.messages[0]


@pytest.mark.django_db
def test_hand_seats_are_checked_and_kept_by_the_engine(cast, accepted):
    experts = pool(cast)
    with pytest.raises(ValidationError) as error:
        services_council.place_expert(accepted, actor=cast.staff, expert=experts["conflicted"], role="member")
    assert "UBND huyện Đăk Tô" in error.value.messages[0]
    with pytest.raises(ValidationError):
        services_council.place_expert(accepted, actor=cast.staff, expert=experts["unavailable"], role="member")
    far = services_council.place_expert(accepted, actor=cast.staff, expert=experts["far"], role=Seat.Role.SECRETARY)
    with pytest.raises(ValidationError):
        services_council.place_expert(accepted, actor=cast.staff, expert=experts["far"], role="member")
    with pytest.raises(ValidationError):  # one secretary
        services_council.place_expert(accepted, actor=cast.staff, expert=experts["close"], role=Seat.Role.SECRETARY)
    services_council.propose_council(accepted, actor=cast.staff, size=3)
    far.refresh_from_db()
    assert far.role == Seat.Role.SECRETARY and accepted.seats.count() == 3


@pytest.mark.django_db
def test_a_relation_with_the_drafting_team_excludes(cast, accepted):
    experts = pool(cast)
    Relation.objects.create(union=cast.union, person=experts["close"].person, other=cast.person, kind="relative")
    accepted.authors.set([cast.person])
    with pytest.raises(ValidationError) as error:
        services_council.place_expert(accepted, actor=cast.staff, expert=experts["close"], role="member")
    assert "Nguyễn Văn An" in error.value.messages[0]


@pytest.mark.django_db
def test_submission_needs_a_chair_and_a_reviewer(cast, accepted):
    experts = pool(cast)
    with pytest.raises(ValidationError):
        services_council.submit_council(accepted, actor=cast.staff)
    services_council.place_expert(accepted, actor=cast.staff, expert=experts["close"], role=Seat.Role.MEMBER)
    with pytest.raises(ValidationError) as error:
        services_council.submit_council(accepted, actor=cast.staff)
    assert set(error.value.messages) == {"Hội đồng chưa có chủ tịch.", "Hội đồng chưa có ủy viên phản biện."}


@pytest.mark.django_db
def test_approval_checks_conflicts_again_and_records_the_work(cast):
    j = f.journey(cast, until=Status.COUNCIL_PENDING)
    expert_services.declare_conflict(
        actor=cast.staff,
        union=cast.union,
        person=j.reviewers[0].person,
        item=j.case,
        reason="Đã tham gia tổ soạn thảo đề án",
    )
    with pytest.raises(ValidationError) as error:
        services_council.approve_council(j.case, actor=cast.leader)
    assert "Đã tham gia tổ soạn thảo" in " ".join(error.value.messages)
    assert j.refresh().status == Status.COUNCIL_PENDING
    services_council.return_council(j.case, actor=cast.leader, reason="Thay ủy viên phản biện.")
    seat = j.case.seats.get(expert=j.reviewers[0])
    services_council.remove_seat(seat, actor=cast.staff)
    services_council.submit_council(j.case, actor=cast.staff)
    decision = services_council.approve_council(j.case, actor=cast.leader)
    assert decision.number_symbol == "01/QĐ-LHH"
    assert Engagement.objects.filter(advisory_seat__case=j.case).count() == 3


@pytest.mark.django_db
def test_the_decision_forming_the_council_reads_back(cast):
    j = f.journey(cast, until=Status.COUNCIL_FORMED)
    decision = current_document(j.case, IssuedDocument.Kind.COUNCIL_DECISION)
    data = decision.docx.open("rb").read()
    assert decision.file_stem == "quyet-dinh-hoi-dong-pb-01-2022"
    document = Document(io.BytesIO(data))
    head = [cell.text for row in document.tables[0].rows for cell in row.cells]
    assert "LIÊN HIỆP CÁC HỘI KH&KT" in head[0] and "Số: 01/QĐ-LHH" in head[2]
    assert "Kon Tum, ngày 06 tháng 3 năm 2022" in head[3]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "QUYẾT ĐỊNH" in text and "Về việc thành lập Hội đồng phản biện Đề án phát triển cây dược liệu" in text
    assert "Căn cứ đề nghị của UBND huyện Đăk Tô tại Văn bản số 215/UBND-KT ngày 26/02/2022;" in text
    assert "Hoàng Minh Đức" in text and "– Chủ tịch Hội đồng;" in text and "– Thư ký Hội đồng" in text
    recipients = document.tables[1].rows[0].cells[0].text
    assert "Như Điều 3" in recipients and "UBND huyện Đăk Tô" in recipients
    assert "Nguyễn Văn Sơn" in document.tables[1].rows[0].cells[1].text  # the leader who approved


@pytest.mark.django_db
def test_the_minutes_of_the_meeting_read_back(cast, client_for):
    j = f.journey(cast, until=Status.CONSOLIDATING)
    response = client_for(cast.expert).get(reverse("advisory:meeting_docx", args=[cast.union.slug, j.case.pk]))
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "BIÊN BẢN" in text and "Họp Hội đồng phản biện Đề án phát triển cây dược liệu" in text
    assert "Có mặt 4/4 thành viên Hội đồng phản biện (đủ số lượng theo quy định):" in text
    assert "Biểu quyết: 4 tán thành, 0 không tán thành, 0 không biểu quyết (thông qua)." in text
    assert "Kon Tum, ngày 19 tháng 3 năm 2022" in document.tables[0].rows[1].cells[1].text
    secretary, chair = (cell.text for cell in document.tables[1].rows[0].cells)
    assert "THƯ KÝ" in secretary and "Y Blong" in secretary
    assert "CHỦ TỌA" in chair and "Hoàng Minh Đức" in chair
    assert client_for(j.reviewer_users[0]).get(reverse("advisory:meeting_docx", args=[cast.union.slug, j.case.pk]))
    outsider = client_for(cast.agency_rep).get(reverse("advisory:meeting_docx", args=[cast.union.slug, j.case.pk]))
    assert outsider.status_code == 403


@pytest.mark.django_db
def test_another_unions_expert_cannot_be_seated(cast, accepted):
    other = f.expert(
        cast.outsider_union, "Nguyễn Quốc Dũng", agency=Agency.objects.filter(union=cast.outsider_union).first()
    )
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services_council.place_expert(accepted, actor=cast.staff, expert=other, role="member")
