"""Who sees what: staff everything of their Union; an agency representative only the sessions their agency took
part in and the action items it owns (and may update only their status and evidence); other Unions nothing."""

import pytest
from django.urls import reverse

from lienhiep.outreach.models import ActionItem, Minutes

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    ours = f.session(cast, title="Làm việc với UBND huyện Đăk Tô")
    theirs = f.session(cast, title="Làm việc với huyện Tu Mơ Rông", agencies=[f.other_agency(cast)])
    return {
        "ours": ours,
        "theirs": theirs,
        "our_item": f.action_item(cast, work_session=ours, title="Việc của Đăk Tô"),
        "their_item": f.action_item(
            cast, work_session=theirs, owner_agency=f.other_agency(cast), title="Việc của Tu Mơ Rông"
        ),
        "person_item": f.action_item(cast, work_session=ours, owner_person=cast.person, title="Việc của cán bộ"),
    }


def url(cast, name, *args):
    return reverse(f"outreach:{name}", args=[cast.union.slug, *args])


def test_agency_representative_sees_only_sessions_their_agency_took_part_in(cast, world, client_for):
    rep = client_for(cast.agency_rep)
    listing = rep.get(url(cast, "session_list")).content.decode()
    assert "Làm việc với UBND huyện Đăk Tô" in listing and "Tu Mơ Rông" not in listing
    assert rep.get(url(cast, "session_detail", world["ours"].pk)).status_code == 200
    assert rep.get(url(cast, "session_detail", world["theirs"].pk)).status_code == 404
    staff_listing = client_for(cast.staff).get(url(cast, "session_list")).content.decode()
    assert "Tu Mơ Rông" in staff_listing


def test_agency_representative_sees_only_their_agencys_action_items(cast, world, client_for):
    rep = client_for(cast.agency_rep)
    listing = rep.get(url(cast, "action_list")).content.decode()
    assert "Việc của Đăk Tô" in listing
    assert "Việc của Tu Mơ Rông" not in listing and "Việc của cán bộ" not in listing
    assert rep.get(url(cast, "action_detail", world["their_item"].pk)).status_code == 404
    assert rep.get(url(cast, "action_detail", world["person_item"].pk)).status_code == 404
    assert rep.get(url(cast, "action_edit", world["our_item"].pk)).status_code == 403


def test_agency_representative_updates_status_and_evidence_of_their_own_item_only(cast, world, client_for):
    rep = client_for(cast.agency_rep)
    item = world["our_item"]
    response = rep.post(url(cast, "action_step", item.pk, "complete"), {"evidence": "Đã gửi công văn số 12"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ActionItem.Status.DONE and item.evidence == "Đã gửi công văn số 12"
    assert item.completed_on is not None
    other = world["their_item"]
    assert rep.post(url(cast, "action_step", other.pk, "complete")).status_code == 404
    assert rep.post(url(cast, "action_detail", other.pk), {"evidence": "x"}).status_code == 404
    other.refresh_from_db()
    assert other.status == ActionItem.Status.OPEN and other.evidence == ""
    rep.post(url(cast, "action_detail", item.pk), {"evidence": "Công văn số 12/UBND, ngày 05/01/2022"})
    item.refresh_from_db()
    assert item.status == ActionItem.Status.DONE and item.evidence == "Công văn số 12/UBND, ngày 05/01/2022"


def test_representative_reads_minutes_only_once_circulated(cast, world, client_for):
    from lienhiep.outreach import services

    rep = client_for(cast.agency_rep)
    minutes = services.start_minutes(actor=cast.staff, session=world["ours"])
    services.save_minutes(actor=cast.staff, minutes=minutes, conclusion="Bản nháp nội bộ", entries={})
    page = rep.get(url(cast, "session_detail", world["ours"].pk)).content.decode()
    assert "Bản nháp nội bộ" not in page
    assert rep.get(url(cast, "minutes_version", minutes.pk)).status_code == 404
    services.circulate_minutes(actor=cast.staff, minutes=minutes)
    assert "Bản nháp nội bộ" in rep.get(url(cast, "session_detail", world["ours"].pk)).content.decode()
    assert Minutes.objects.get(pk=minutes.pk).state == Minutes.State.CIRCULATED


def test_other_unions_see_nothing(cast, world, client_for):
    outsider = client_for(cast.outsider_staff)
    for name, pk in [
        ("session_detail", world["ours"].pk),
        ("action_detail", world["our_item"].pk),
        ("session_edit", world["ours"].pk),
        ("action_edit", world["our_item"].pk),
    ]:
        own_address = reverse(f"outreach:{name}", args=[cast.outsider_union.slug, pk])
        assert outsider.get(own_address).status_code == 404, name
        assert outsider.post(own_address, {"title": "x"}).status_code == 404, name
        assert outsider.get(url(cast, name, pk)).status_code == 403, name
    listing = outsider.get(reverse("outreach:session_list", args=[cast.outsider_union.slug])).content.decode()
    assert "Đăk Tô" not in listing
    assert (
        "Việc của"
        not in outsider.get(reverse("outreach:action_list", args=[cast.outsider_union.slug])).content.decode()
    )


def test_forms_refuse_records_of_another_union(cast, world, client_for):
    response = client_for(cast.staff).post(
        url(cast, "action_create"),
        {"title": "Việc lạ", "owner_agency": cast.outsider_agency.pk, "due_on": "2021-12-01"},
    )
    assert response.status_code == 200
    assert not ActionItem.objects.filter(title="Việc lạ").exists()


def test_experts_and_entrants_have_no_outreach_pages(cast, world, client_for):
    for user in (cast.expert, cast.entrant):
        assert client_for(user).get(url(cast, "session_list")).status_code == 403
        assert client_for(user).get(url(cast, "action_detail", world["our_item"].pk)).status_code == 403
