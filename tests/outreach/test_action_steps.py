"""An action item moves by its steps (start, complete with the evidence, drop with the reason, reopen), offered on
its page as buttons to those who may take them: staff, the leader and the administrator, and the representative of
the owning agency; nobody else. A step its status does not allow is explained; a drop without a reason changes
nothing."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from lienhiep.core.models import ActivityLog, Role
from lienhiep.outreach import services
from lienhiep.outreach.models import ActionItem
from tests.conftest import make_user
from tests.test_url_access import is_login_redirect

from . import factories as f

pytestmark = pytest.mark.django_db

TITLE = "Gửi danh mục dự án cần tư vấn, phản biện"


def _step(cast, item, action: str) -> str:
    return reverse("outreach:action_step", args=[cast.union.slug, item.pk, action])


def _messages(response) -> str:
    """The confirmation and error messages of the page a step led to."""
    return " ".join(str(m) for m in response.context["messages"])


def _status(item) -> str:
    return ActionItem.objects.get(pk=item.pk).status


@pytest.mark.parametrize("role", ["staff", "leader", "union_admin", "agency_rep"])
def test_staff_and_the_owning_agencys_representative_take_each_step(cast, client_for, role):
    session = f.session(cast)
    item = f.action_item(cast, work_session=session)  # owned by the representative's agency, due 15/12/2021
    client = client_for(getattr(cast, role))

    page = client.post(_step(cast, item, "start"), follow=True)
    assert _status(item) == ActionItem.Status.IN_PROGRESS
    assert (
        f"Đã xong «Chuyển sang đang thực hiện» — {TITLE}. Bước tiếp theo: "
        f"{'Theo dõi' if role != 'agency_rep' else 'Cập nhật'} kết quả thực hiện (quá hạn từ 15/12/2021)."
    ) in _messages(page)

    client.post(reverse("outreach:action_detail", args=[cast.union.slug, item.pk]), {"evidence": "Đã giao phòng."})
    page = client.post(_step(cast, item, "complete"), {"evidence": "Công văn số 215/UBND-KT."}, follow=True)
    done = ActionItem.objects.get(pk=item.pk)
    assert done.status == ActionItem.Status.DONE and done.completed_on is not None
    assert done.evidence == "Đã giao phòng.\nCông văn số 215/UBND-KT."  # what was done, under the progress so far
    assert f"Đã xong «Ghi nhận đã thực hiện» — {TITLE}." in _messages(page)
    assert "Buổi làm việc không còn việc nào đang theo dõi." in _messages(page)

    page = client.post(_step(cast, item, "reopen"), follow=True)
    assert _status(item) == ActionItem.Status.OPEN and ActionItem.objects.get(pk=item.pk).completed_on is None
    assert f"Đã xong «Mở lại việc» — {TITLE}." in _messages(page)

    page = client.post(_step(cast, item, "drop"), {"reason": "Trùng với việc khác"}, follow=True)
    dropped = ActionItem.objects.get(pk=item.pk)
    assert dropped.status == ActionItem.Status.DROPPED and dropped.drop_reason == "Trùng với việc khác"
    assert f"Đã xong «Không thực hiện việc này» — {TITLE}." in _messages(page)
    assert ActivityLog.objects.filter(verb="outreach.action_item.status_changed").count() == 5


def test_another_agency_an_expert_an_entrant_an_outsider_and_a_visitor_may_not(cast, client_for):
    item = f.action_item(cast)
    other_rep = make_user("daidien2", "Đinh Văn Khác", Role.AGENCY_REP, cast.union, agency=f.other_agency(cast))
    before = ActivityLog.objects.count()
    for action in ("start", "complete", "drop"):
        url = _step(cast, item, action)
        assert client_for(other_rep).post(url, {"reason": "x"}).status_code == 404  # not theirs to see
        for user in (cast.expert, cast.entrant, cast.outsider_staff):
            assert client_for(user).post(url, {"reason": "x"}).status_code == 403, user
        assert is_login_redirect(client_for(None).post(url))
    assert _status(item) == ActionItem.Status.OPEN and ActivityLog.objects.count() == before
    # the service refuses them as well, and the representative an item owned by a person
    with pytest.raises(PermissionDenied):
        services.start_action_item(item, actor=other_rep)
    with pytest.raises(PermissionDenied):
        services.start_action_item(f.action_item(cast, owner_person=cast.person), actor=cast.agency_rep)
    # nor are they offered a step: the page shows each viewer only the steps they may take
    assert (
        client_for(other_rep).get(reverse("outreach:action_detail", args=[cast.union.slug, item.pk])).status_code == 404
    )


def test_the_page_offers_only_the_steps_its_status_allows(cast, client_for):
    item = f.action_item(cast)
    url = reverse("outreach:action_detail", args=[cast.union.slug, item.pk])

    def offered(user) -> set[str]:
        return set(re.findall(r'action="[^"]*/steps/(\w+)/"', client_for(user).get(url).content.decode()))

    assert offered(cast.staff) == offered(cast.agency_rep) == {"start", "complete", "drop"}
    services.start_action_item(item, actor=cast.agency_rep)
    assert offered(cast.staff) == {"complete", "drop", "reopen"}
    services.complete_action_item(item, actor=cast.staff, evidence="Xong.")
    assert offered(cast.agency_rep) == {"reopen"}
    page = client_for(cast.agency_rep).get(url).content.decode()
    assert 'name="evidence"' in page and 'placeholder="Những việc đã làm, kèm số văn bản, tài liệu"' not in page


def test_a_step_the_status_does_not_allow_is_explained_and_changes_nothing(cast, client_for):
    item = f.action_item(cast)
    services.complete_action_item(item, actor=cast.staff)
    client = client_for(cast.agency_rep)
    before = ActivityLog.objects.count()
    for action in ("start", "complete", "drop"):
        page = client.post(_step(cast, item, action), {"reason": "Không cần nữa"}, follow=True)
        assert page.status_code == 200
        assert "Không thể thực hiện bước này khi đang ở trạng thái “Đã thực hiện”." in _messages(page), action
    assert _status(item) == ActionItem.Status.DONE and ActivityLog.objects.count() == before
    assert client.post(_step(cast, item, "explode")).status_code == 404
    assert client.get(_step(cast, item, "reopen")).status_code == 405


def test_dropping_without_a_reason_is_refused_and_changes_nothing(cast, client_for):
    item = f.action_item(cast)
    before = ActivityLog.objects.count()
    for reason in ("", "   "):
        page = client_for(cast.staff).post(_step(cast, item, "drop"), {"reason": reason}, follow=True)
        assert "Hãy nêu lý do không thực hiện việc này." in _messages(page)
        assert "Đã xong" not in _messages(page)
    unchanged = ActionItem.objects.get(pk=item.pk)
    assert unchanged.status == ActionItem.Status.OPEN and unchanged.drop_reason == ""
    assert ActivityLog.objects.count() == before
