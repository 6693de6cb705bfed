"""No form writes the whole registry into its page: every choice of people, agencies, experts or documents that can
run long is the type-ahead picker (core.widgets.offer_choice), holding only the chosen records once the list is
long, and a pick sent back is saved; a form sent back with an error keeps what was chosen. An agency's
representative never searches the Union's people or experts; it may search the agencies (its drafting body)."""

import json
import re

import pytest
from django.urls import reverse

from lienhiep.advisory.forms import CommentForm
from lienhiep.advisory.models import Case, Seat, Status
from lienhiep.core.models import Agency, Membership, Person
from lienhiep.core.widgets import Picker, PickerMultiple
from lienhiep.experts.models import BatchItem, DeclaredConflict, Expert, Relation
from lienhiep.outreach.models import Minutes
from lienhiep.portal.forms import LegalDocumentForm
from tests.advisory import factories as af
from tests.experts import factories as ef
from tests.outreach import factories as of

pytestmark = pytest.mark.django_db

MANY = 60  # more than a page holds whole (core.widgets.PRELOAD_MAX)


def options(html: str, name: str) -> list[str]:
    """The <option> tags of the <select name=`name`> of the page."""
    at = html.index(f'name="{name}"')
    select = html[html.rindex("<select", 0, at) : html.index("</select>", at)]
    return re.findall(r"<option[^>]*>[^<]*", select)


def chosen(html: str, name: str) -> list[str]:
    return [o.split(">", 1)[1] for o in options(html, name) if " selected" in o.split(">", 1)[0]]


def many_people(cast, n: int = MANY) -> list[Person]:
    people = [Person(union=cast.union, name=f"Lê Thị Mẫu {i:02}") for i in range(n)]
    for person in people:
        person.fill_search_fields()
    return Person.objects.bulk_create(people)


def many_agencies(cast, n: int = MANY) -> list[Agency]:
    agencies = [Agency(union=cast.union, name=f"Trường Tiểu học số {i:02}", kind=Agency.Kind.SCHOOL) for i in range(n)]
    for agency in agencies:
        agency.fill_search_fields()
    return Agency.objects.bulk_create(agencies)


def many_experts(cast, n: int = MANY) -> list[Expert]:
    people = many_people(cast, n)
    return Expert.objects.bulk_create(
        [Expert(union=cast.union, person=p, code=f"CG-{i + 1:04d}") for i, p in enumerate(people)]
    )


def url(name: str, cast, *args) -> str:
    return reverse(name, args=[cast.union.slug, *args])


# The expert registry's assignment batch: authors, guiding teachers, the requesting body ------------------------------


def test_a_batch_item_picks_its_authors_mentors_and_agency_without_listing_the_registry(cast, client_for):
    people, agencies = many_people(cast), many_agencies(cast)
    batch = ef.batch(cast.union)
    staff = client_for(cast.staff)
    page = staff.get(url("experts:item_create", cast, batch.pk)).content.decode()
    for name in ("authors", "mentors"):
        assert options(page, name) == [], name  # none of the 61 people: they come from the endpoint
    assert len(options(page, "requesting_agency")) == 1  # only the empty choice
    assert f'data-picker="{url("core:people_pick", cast)}"' in page
    assert "js/picker.js" in page  # the page loads the picker
    data = {
        "title": "Đề án trường học xanh",
        "text": "nội dung",
        "authors": [people[41].pk, people[7].pk],
        "mentors": [people[3].pk],
        "requesting_agency": agencies[50].pk,
        "need": "99",  # refused: what was chosen comes back chosen
    }
    page = staff.post(url("experts:item_create", cast, batch.pk), data).content.decode()
    assert "Lê Thị Mẫu 41" in chosen(page, "authors") and "Lê Thị Mẫu 07" in chosen(page, "authors")
    assert len(options(page, "authors")) == 2 and chosen(page, "mentors") == ["Lê Thị Mẫu 03"]
    assert chosen(page, "requesting_agency") == ["Trường Tiểu học số 50"]
    data["need"] = "2"
    assert staff.post(url("experts:item_create", cast, batch.pk), data).status_code == 302
    item = BatchItem.objects.get(title="Đề án trường học xanh")
    assert set(item.authors.all()) == {people[41], people[7]} and list(item.mentors.all()) == [people[3]]
    assert item.requesting_agency == agencies[50]


def test_a_relation_and_a_conflict_name_a_person_through_the_picker(cast, client_for):
    people = many_people(cast)
    objects = ef.url_objects(cast)
    expert = Expert.objects.get(person__name="Trần Thị Bình")
    staff = client_for(cast.staff)
    page = staff.get(url("experts:detail", cast, expert.pk)).content.decode()
    assert options(page, "other") == [options(page, "other")[0]] and "js/picker.js" in page
    response = staff.post(url("experts:relation_add", cast, expert.pk), {"other": people[12].pk, "kind": "relative"})
    assert response.status_code == 302
    assert Relation.objects.filter(person=expert.person, other=people[12]).exists()
    item = objects["item"]
    page = staff.get(url("experts:item_conflicts", cast, item.pk)).content.decode()
    assert len(options(page, "person")) == 1
    response = staff.post(
        url("experts:conflict_declare", cast, item.pk), {"person": people[20].pk, "reason": "Là thầy hướng dẫn"}
    )
    assert response.status_code == 302
    assert DeclaredConflict.objects.filter(person=people[20]).exists()


# The registry's own forms: a person's workplace, an agency's parent, a representative's agency ----------------------


def test_a_persons_workplace_and_an_agencys_parent_are_picked(cast, client_for):
    agencies = many_agencies(cast)
    staff = client_for(cast.staff)
    page = staff.get(url("core:people_create", cast)).content.decode()
    assert len(options(page, "agency")) == 1 and "js/picker.js" in page
    assert f'data-picker="{url("core:agencies_pick", cast)}"' in page
    page = staff.post(
        url("core:people_create", cast), {"name": "Đỗ Văn Tám", "agency": agencies[33].pk, "birth_year": "1800"}
    )
    assert chosen(page.content.decode(), "agency") == ["Trường Tiểu học số 33"]  # kept through the error
    assert (
        staff.post(url("core:people_create", cast), {"name": "Đỗ Văn Tám", "agency": agencies[33].pk}).status_code
        == 302
    )
    assert Person.objects.get(name="Đỗ Văn Tám").agency == agencies[33]
    page = staff.get(url("core:agencies_create", cast)).content.decode()
    assert len(options(page, "parent")) == 1
    data = {"name": "Điểm trường Làng Xăng", "kind": Agency.Kind.SCHOOL, "parent": agencies[5].pk, "is_active": "on"}
    assert staff.post(url("core:agencies_create", cast), data).status_code == 302
    assert Agency.objects.get(name="Điểm trường Làng Xăng").parent == agencies[5]
    # the expert form edits the person on the same page
    page = staff.get(url("experts:create", cast)).content.decode()
    assert len(options(page, "person-agency")) == 1 and "js/picker.js" in page


def test_the_agency_of_a_representative_is_picked(cast, client_for):
    agencies = many_agencies(cast)
    admin = client_for(cast.union_admin)
    page = admin.get(url("core:members", cast)).content.decode()
    assert len(options(page, "agency")) == 1 and "js/picker.js" in page
    data = {
        "username": "daidien.truong",
        "full_name": "Y Hằng",
        "email": "yhang@example.test",
        "role": "agency_rep",
        "agency": agencies[44].pk,
    }
    assert admin.post(url("core:members", cast), data).status_code == 302
    assert Membership.objects.get(user__username="daidien.truong").agency == agencies[44]


def test_a_short_list_of_agencies_is_written_whole_into_the_page(cast, client_for):
    page = client_for(cast.staff).get(url("core:people_create", cast)).content.decode()
    assert [o.split(">", 1)[1] for o in options(page, "agency")][1:] == ["UBND huyện Đăk Tô"]  # after the empty one
    assert "data-picker-complete" in page  # searched in the page, the endpoint is not asked


# The advisory pages: the council's experts, the agency's request, the comments ----------------------------------------


def test_the_council_picks_an_expert_from_those_who_take_work(cast, client_for):
    experts = many_experts(cast)
    Expert.objects.filter(pk=experts[2].pk).update(availability=Expert.Availability.UNAVAILABLE)
    case = af.new_case(cast)
    Case.objects.filter(pk=case.pk).update(status=Status.ACCEPTED)
    staff = client_for(cast.staff)
    page = staff.get(url("advisory:council", cast, case.pk)).content.decode()
    assert len(options(page, "expert")) == 1 and len(options(page, "conflict-expert")) == 1
    assert f'data-picker="{url("experts:pick", cast)}"' in page and "js/picker.js" in page

    def found(typed: str) -> list[str]:
        return [
            row["text"] for row in json.loads(staff.get(url("experts:pick", cast), {"q": typed}).content)["results"]
        ]

    assert found("mau 03") == ["Lê Thị Mẫu 03"] and found("mau 02") == []  # who takes no work is not offered
    response = staff.post(
        url("advisory:council_action", cast, case.pk, "add"), {"expert": experts[45].pk, "role": "member"}
    )
    assert response.status_code == 302 and Seat.objects.filter(case=case, expert=experts[45]).exists()
    # one who takes no work is refused, as the endpoint never offered them
    staff.post(url("advisory:council_action", cast, case.pk, "add"), {"expert": experts[2].pk, "role": "member"})
    assert not Seat.objects.filter(case=case, expert=experts[2]).exists()


def test_an_agency_names_its_drafting_body_through_the_agencies_picker(cast, client_for):
    agencies = many_agencies(cast)
    rep = client_for(cast.agency_rep)
    page = rep.get(url("advisory:case_create", cast)).content.decode()
    assert len(options(page, "drafting_agency")) == 1  # not the 61 agencies
    assert f'data-picker="{url("core:agencies_pick", cast)}"' in page
    assert options(page, "requesting_agency") == [f'<option value="{cast.agency.pk}" selected>UBND huyện Đăk Tô']
    found = json.loads(rep.get(url("core:agencies_pick", cast), {"q": "so 47"}).content)["results"]
    assert [row["text"] for row in found] == ["Trường Tiểu học số 47"]
    data = {
        "kind": "critique",
        "requesting_agency": cast.agency.pk,
        "title": "Đề án trường học xanh",
        "request_number": "215/UBND-KT",
        "request_date": "2022-02-26",
        "drafting_agency": agencies[47].pk,
        "request_letter": af.upload("công văn.pdf", af.PDF_BYTES),
        "draft": af.upload("dự thảo.docx", af.docx_bytes()),
    }
    assert rep.post(url("advisory:case_create", cast), data).status_code == 302
    assert Case.objects.get(title="Đề án trường học xanh").drafting_agency == agencies[47]


def test_a_comment_names_its_paragraph_in_a_hidden_field_never_a_list(cast):
    form = CommentForm(case=af.new_case(cast))
    assert form.fields["paragraph"].widget.input_type == "hidden"
    assert "<select" not in str(form["paragraph"])


# The representative never searches the Union's people nor its experts ----------------------------------------------


def test_an_agency_user_asking_for_people_gets_only_its_own_and_no_experts(cast, client_for):
    many_people(cast)
    Person.objects.create(union=cast.union, name="Nguyễn Văn Sơn", position="Chủ tịch")  # the Union's leader
    rep = client_for(cast.agency_rep)
    for typed in ("", "mau", "son", "nguyen"):
        found = json.loads(rep.get(url("core:people_pick", cast), {"q": typed}).content)["results"]
        assert {row["text"] for row in found} <= {"Nguyễn Văn An"}, typed  # the one person of its agency, at most
    assert rep.get(url("experts:pick", cast), {"q": "mau"}).status_code == 403
    assert client_for(cast.entrant).get(url("core:people_pick", cast), {"q": "mau"}).status_code == 403
    assert client_for(cast.expert).get(url("core:agencies_pick", cast)).status_code == 403


# The minutes' signatory and a document's successor --------------------------------------------------------------------


def test_the_minutes_are_signed_by_the_delegation_or_an_official_not_anyone_of_the_registry(cast, client_for):
    many_people(cast)
    leader = Person.objects.create(union=cast.union, name="Nguyễn Văn Sơn", user=cast.leader, position="Chủ tịch")
    session = of.session(cast)
    staff = client_for(cast.staff)
    page = staff.get(url("outreach:minutes_edit", cast, session.pk)).content.decode()
    assert [o.split(">", 1)[1] for o in options(page, "signatory")][1:] == ["Nguyễn Văn An", "Nguyễn Văn Sơn"]
    minutes = Minutes.objects.get(session=session)
    data = {"conclusion": "Thống nhất", "notice_number": "", "signatory": leader.pk}
    for item in session.agenda_items.all():
        data |= {f"discussion_{item.pk}": "", f"conclusion_{item.pk}": ""}
    assert staff.post(url("outreach:minutes_edit", cast, session.pk), data).status_code == 302
    minutes.refresh_from_db()
    assert minutes.signatory == leader
    outsider = Person.objects.get(name="Lê Thị Mẫu 09")
    staff.post(url("outreach:minutes_edit", cast, session.pk), data | {"signatory": outsider.pk})
    minutes.refresh_from_db()
    assert minutes.signatory == leader  # not one of the delegation or the officials: refused


def test_a_documents_successor_is_picked(cast):
    form = LegalDocumentForm(union=cast.union, instance=cast.private_document)
    widget = form.fields["replaced_by"].widget
    assert isinstance(widget, Picker) and not isinstance(widget, PickerMultiple)
    assert f'data-picker="{reverse("portal:document_pick", args=[cast.union.slug])}"' in str(form["replaced_by"])
    assert "js/picker.js" in str(form.media)
