"""The council table's roles (issue 19): a role changes only with the row's «Lưu», the change is named with an undo
while the council can still be changed; the secretary writes no review unless staff tick it, the page and the
decision say who reviews, and the review start honours it."""

import html
import io
import re

import pytest
from django.urls import reverse
from docx import Document

from lienhiep.advisory import services_council
from lienhiep.advisory.models import Review, Seat, Status
from lienhiep.core.models import ActivityLog

from . import factories as f


def council_url(cast, case) -> str:
    return reverse("advisory:council", args=[cast.union.slug, case.pk])


def action_url(cast, case, action: str) -> str:
    return reverse("advisory:council_action", args=[cast.union.slug, case.pk, action])


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def seated(cast, *, secretary_reviews: bool | None = None) -> f.Journey:
    """An accepted case with its chair and reviewers; the secretary placed too unless `secretary_reviews` is None."""
    j = f.journey(cast, until=Status.ACCEPTED)
    services_council.place_expert(j.case, actor=cast.staff, expert=j.chair, role=Seat.Role.CHAIR)
    for reviewer in j.reviewers:
        services_council.place_expert(j.case, actor=cast.staff, expert=reviewer, role=Seat.Role.REVIEWER)
    if secretary_reviews is not None:
        services_council.place_expert(
            j.case,
            actor=cast.staff,
            expert=j.secretary,
            role=Seat.Role.SECRETARY,
            secretary_reviews=secretary_reviews,
        )
    return j


def start_the_review(cast, j: f.Journey) -> None:
    services_council.submit_council(j.case, actor=cast.staff)
    services_council.approve_council(j.case, actor=cast.leader)
    services_council.start_review(j.case, actor=cast.staff)


def undo_form(page: str) -> dict:
    """The hidden fields of the undo form inside the role-change message."""
    block = re.search(r'<div[^>]*id="role-change".*?</div>', page, re.S)
    assert block, "no role-change message"
    assert "Hoàn tác</button>" in block.group(0)
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', block.group(0)))
    fields.pop("csrfmiddlewaretoken", None)
    return fields


@pytest.mark.django_db
def test_a_role_changes_only_with_the_rows_save_button(cast, client_for):
    j = seated(cast)
    chair = j.case.seats.get(expert=j.chair)
    page = text_of(client_for(cast.staff).get(council_url(cast, j.case)))
    table = page[page.index('id="seats"') : page.index("</table>")]
    row_form = re.search(rf'<form[^>]*>(?:(?!</form>).)*id="role-{chair.pk}"(?:(?!</form>).)*</form>', table, re.S)
    assert row_form, "the chair's role is not in a form"
    assert '<button class="btn btn-sm btn-outline-primary" type="submit">Lưu</button>' in row_form.group(0)
    assert "data-autosubmit" not in table and "onchange" not in table  # nothing saves on a mere change
    assert "trừ khi đánh dấu ô bên dưới" in page  # the placing form says what the secretary's role means


@pytest.mark.django_db
def test_the_change_is_named_and_can_be_undone(cast, client_for):
    j = seated(cast)
    staff = client_for(cast.staff)
    chair = j.case.seats.get(expert=j.chair)
    response = staff.post(action_url(cast, j.case, "role"), {"seat": chair.pk, "role": "secretary"}, follow=True)
    page = text_of(response)
    chair.refresh_from_db()
    assert chair.role == Seat.Role.SECRETARY and not chair.writes_review
    assert "Đã đổi vai trò của Hoàng Minh Đức: Chủ tịch → Thư ký." in page
    assert "người này không viết ý kiến phản biện" in page  # what the new role means for his review
    fields = undo_form(page)
    assert fields == {"seat": str(chair.pk), "role": "chair", "reviews_asked": "1"}
    assert "Hoàn tác" not in text_of(staff.get(council_url(cast, j.case)))  # the message is shown once

    page = text_of(staff.post(action_url(cast, j.case, "role"), fields, follow=True))
    chair.refresh_from_db()
    assert chair.role == Seat.Role.CHAIR
    assert "Đã đổi vai trò của Hoàng Minh Đức: Thư ký → Chủ tịch." in page and "Hoàn tác</button>" in page
    log = ActivityLog.objects.filter(verb="advisory.council.role_changed", target_id=j.case.pk).order_by("pk")
    assert [entry.message.split(" Với vai trò")[0] for entry in log] == [
        "Đã đổi vai trò của Hoàng Minh Đức: Chủ tịch → Thư ký.",
        "Đã đổi vai trò của Hoàng Minh Đức: Thư ký → Chủ tịch.",
    ]


@pytest.mark.django_db
def test_the_undo_keeps_to_the_same_rules(cast, client_for):
    j = seated(cast)
    staff = client_for(cast.staff)
    reviewer = j.case.seats.get(expert=j.reviewers[0])
    staff.post(action_url(cast, j.case, "role"), {"seat": reviewer.pk, "role": "member"})
    undo = {"seat": reviewer.pk, "role": "reviewer", "reviews_asked": "1"}
    assert client_for(cast.leader).post(action_url(cast, j.case, "role"), undo).status_code == 403
    assert client_for(cast.expert).post(action_url(cast, j.case, "role"), undo).status_code == 403
    services_council.submit_council(j.case, actor=cast.staff)  # the chair and the other reviewer suffice
    page = text_of(staff.get(council_url(cast, j.case)))
    assert "Đã đổi vai trò của Trần Thị Bình: Ủy viên phản biện → Ủy viên." in page
    assert "Hoàn tác" not in page  # the council went to the leader: nothing to undo any more
    page = text_of(staff.post(action_url(cast, j.case, "role"), undo, follow=True))
    reviewer.refresh_from_db()
    assert reviewer.role == Seat.Role.MEMBER and "Chỉ sửa hội đồng sau khi chấp thuận" in page


@pytest.mark.django_db
def test_a_secretary_placed_without_a_review_gets_none_and_the_pages_say_so(cast, client_for):
    j = seated(cast)
    staff = client_for(cast.staff)
    response = staff.post(action_url(cast, j.case, "add"), {"expert": j.secretary.pk, "role": "secretary"}, follow=True)
    page = text_of(response)
    assert "Với vai trò thư ký, Y Blong không viết ý kiến phản biện." in page
    row = re.search(r"<tr><td>Y Blong.*?</tr>", page, re.S).group(0)
    assert "Không: thư ký không viết ý kiến phản biện" in row
    assert 'name="secretary_reviews" value="1" id="reviews-' in row and " checked" not in row

    draft = staff.get(reverse("advisory:decision_docx", args=[cast.union.slug, j.case.pk]))
    text = "\n".join(p.text for p in Document(io.BytesIO(draft.content)).paragraphs)
    assert "các ông (bà) Hoàng Minh Đức, Trần Thị Bình và Lê Văn Cường gửi ý kiến" in text
    assert "(Thư ký Hội đồng không viết ý kiến phản biện)" in text

    start_the_review(cast, j)
    assert not Review.objects.filter(seat__expert=j.secretary).exists()
    assert j.case.reviews.count() == 3
    page = text_of(staff.get(council_url(cast, j.case)))
    row = re.search(r"<tr><td>Y Blong.*?</tr>", page, re.S).group(0)
    assert "Không: thư ký không viết ý kiến phản biện" in row and "<form" not in row
    case_page = text_of(client_for(cast.expert).get(j.case.get_absolute_url()))  # Y Blong's account
    assert "Soạn ý kiến phản biện" not in case_page


@pytest.mark.django_db
def test_staff_can_have_the_secretary_review(cast, client_for):
    j = seated(cast)
    staff = client_for(cast.staff)
    staff.post(
        action_url(cast, j.case, "add"), {"expert": j.secretary.pk, "role": "secretary", "secretary_reviews": "on"}
    )
    secretary = j.case.seats.get(expert=j.secretary)
    assert secretary.secretary_reviews and secretary.writes_review
    draft = staff.get(reverse("advisory:decision_docx", args=[cast.union.slug, j.case.pk]))
    text = "\n".join(p.text for p in Document(io.BytesIO(draft.content)).paragraphs)
    assert "Hoàng Minh Đức, Trần Thị Bình, Lê Văn Cường và Y Blong gửi ý kiến" in text
    assert "không viết ý kiến" not in text

    # untick the box on his row, then tick it again: each is named and undoable
    row = {"seat": secretary.pk, "role": "secretary", "reviews_asked": "1"}
    page = text_of(staff.post(action_url(cast, j.case, "role"), row, follow=True))
    assert "Thư ký Y Blong nay không viết ý kiến phản biện." in page
    assert undo_form(page) == {**{k: str(v) for k, v in row.items()}, "secretary_reviews": "1"}
    page = text_of(staff.post(action_url(cast, j.case, "role"), undo_form(page), follow=True))
    assert "Thư ký Y Blong nay cũng viết ý kiến phản biện." in page
    row = re.search(r"<tr><td>Y Blong.*?</tr>", page, re.S).group(0)
    assert " checked" in row and 'data-label="Viết ý kiến phản biện">Có</td>' in row and "Không: thư ký" not in row

    start_the_review(cast, j)
    assert Review.objects.filter(seat=secretary).exists() and j.case.reviews.count() == 4
    expert = client_for(cast.expert)  # Y Blong's account
    assert "Soạn ý kiến phản biện" in text_of(expert.get(j.case.get_absolute_url()))
    assert expert.get(reverse("advisory:review_edit", args=[cast.union.slug, j.case.pk])).status_code == 200


@pytest.mark.django_db
def test_a_role_change_keeps_or_drops_the_secretarys_review(cast):
    j = seated(cast, secretary_reviews=True)
    secretary = j.case.seats.get(expert=j.secretary)
    services_council.set_seat_role(secretary, actor=cast.staff, role=Seat.Role.SECRETARY)  # nothing said: kept
    assert secretary.secretary_reviews
    services_council.set_seat_role(secretary, actor=cast.staff, role=Seat.Role.MEMBER)
    assert not secretary.secretary_reviews and secretary.writes_review
    services_council.set_seat_role(secretary, actor=cast.staff, role=Seat.Role.SECRETARY)
    assert not secretary.writes_review  # a new secretary writes no review until staff tick it
