"""The type-ahead picker (core/widgets.py): its endpoints answer only with what the viewer may choose, an agency's
representative never lists the Union's people, any typed text is an answer (never an error), the forms choose the
widget by the list's length, write the chosen records into the page and validate without JavaScript."""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from lienhiep.advisory import services as advisory_services
from lienhiep.advisory.forms import CaseForm, RecommendationForm
from lienhiep.advisory.models import Case, Recommendation
from lienhiep.core.models import Agency, Person
from lienhiep.core.queries import people_to_choose
from lienhiep.core.widgets import RESULTS_MAX, Picker, PickerMultiple
from lienhiep.outreach.forms import WorkSessionForm
from lienhiep.outreach.models import WorkSession
from tests.advisory import factories as af
from tests.outreach import factories as of

pytestmark = pytest.mark.django_db


def pick(client, name: str, union, **params):
    return client.get(reverse(name, args=[union.slug]), params)


def names(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/json"
    return [row["text"] for row in json.loads(response.content)["results"]]


@pytest.fixture
def people(cast):
    """A unit under the representative's agency with one officer, and two of the Union's people elsewhere."""
    office = Agency.objects.create(
        union=cast.union, name="Phòng Nông nghiệp huyện Đăk Tô", kind=Agency.Kind.DEPARTMENT, parent=cast.agency
    )
    university = af.university(cast.union)
    return {
        "officer": Person.objects.create(union=cast.union, name="Nguyễn Thị Ánh", agency=office, position="Kỹ sư"),
        "expert": Person.objects.create(union=cast.union, name="Nguyễn Văn Bình", agency=university, degree="TS"),
        "leader": Person.objects.create(union=cast.union, name="Nguyễn Văn Sơn", position="Chủ tịch"),
        "outsider": Person.objects.create(union=cast.outsider_union, name="Nguyễn Văn Quảng"),
    }


# The endpoints -------------------------------------------------------------------------------------------------------


def test_staff_search_the_whole_registry_of_their_union_only(cast, client_for, people):
    found = names(pick(client_for(cast.staff), "core:people_pick", cast.union, q="nguyen"))
    assert found == ["Nguyễn Văn An", "Nguyễn Thị Ánh", "TS Nguyễn Văn Bình", "Nguyễn Văn Sơn"]  # by given name
    rows = json.loads(pick(client_for(cast.staff), "core:people_pick", cast.union, q="anh").content)["results"]
    assert rows == [
        {
            "value": str(people["officer"].pk),
            "text": "Nguyễn Thị Ánh",
            "hint": "Kỹ sư · Phòng Nông nghiệp huyện Đăk Tô",
            "search": "nguyen thi anh",
        }
    ]


def test_an_agency_representative_lists_its_own_people_never_the_unions(cast, client_for, people):
    rep = client_for(cast.agency_rep)
    assert names(pick(rep, "core:people_pick", cast.union, q="nguyen")) == ["Nguyễn Văn An", "Nguyễn Thị Ánh"]
    assert names(pick(rep, "core:people_pick", cast.union)) == ["Nguyễn Văn An", "Nguyễn Thị Ánh"]
    for typed in ("Bình", "Sơn", "TS", "Nguyễn Văn Sơn"):  # the Union's expert and leader, by any part of the name
        assert names(pick(rep, "core:people_pick", cast.union, q=typed)) == []
    # nor the Union's documents; the Union's agencies (public bodies, not people) it may search, for its drafting body
    assert pick(rep, "portal:document_pick", cast.union).status_code == 403
    assert names(pick(rep, "core:agencies_pick", cast.union, q="ubnd dak to")) == ["UBND huyện Đăk Tô"]


def test_who_may_ask_the_endpoints(cast, client_for):
    for name in ("core:people_pick", "core:agencies_pick", "portal:document_pick"):
        response = pick(client_for(None), name, cast.union, q="ng")
        assert response.status_code == 302 and response["Location"].startswith(reverse("account_login")), name
        for user in (cast.expert, cast.entrant, cast.outsider_staff, cast.national):
            assert pick(client_for(user), name, cast.union, q="ng").status_code == 403, (name, user)
        for user in (cast.staff, cast.leader, cast.union_admin):
            assert pick(client_for(user), name, cast.union, q="ng").status_code == 200, (name, user)
        staff_post = client_for(cast.staff).post(reverse(name, args=[cast.union.slug]), {"q": "ng"})
        assert staff_post.status_code == 405


def test_agencies_and_documents_fold_diacritics_and_list_private_documents_to_staff(cast, client_for):
    staff = client_for(cast.staff)
    assert names(pick(staff, "core:agencies_pick", cast.union, q="dak to")) == ["UBND huyện Đăk Tô"]
    assert names(pick(staff, "portal:document_pick", cast.union, q="ke hoach noi bo")) == ["Kế hoạch 01/KH-LHH"]
    assert names(pick(staff, "portal:document_pick", cast.union, q="48/2017")) == ["Quyết định 48/2017/QĐ-UBND"]


def test_at_most_twenty_matches_and_a_flag_for_more(cast, client_for):
    Person.objects.bulk_create(
        [Person(union=cast.union, name=f"Trần Văn Thử {n:02}", name_folded=f"tran van thu {n:02}") for n in range(25)]
    )
    answer = json.loads(pick(client_for(cast.staff), "core:people_pick", cast.union, q="thu").content)
    assert len(answer["results"]) == RESULTS_MAX and answer["more"] is True
    answer = json.loads(pick(client_for(cast.staff), "core:people_pick", cast.union, q="thu 07").content)
    assert [r["text"] for r in answer["results"]] == ["Trần Văn Thử 07"] and answer["more"] is False


@pytest.mark.parametrize(
    "typed",
    ["", " ", "\x00", "a\x00b", "x" * 10_000, "a " * 500, "²⁰", "%", "_", "' OR 1=1 --", "\u202enguyen", "🙂", "đ"],
)
def test_any_typed_text_is_an_answer_never_an_error(cast, client_for, typed):
    for user, name in ((cast.staff, "core:people_pick"), (cast.agency_rep, "core:people_pick")):
        response = pick(client_for(user), name, cast.union, q=typed, page="x", other="1")
        assert response.status_code == 200 and "results" in json.loads(response.content)
    response = client_for(cast.staff).get(reverse("core:people_pick", args=[cast.union.slug]) + "?q=a&q=b")
    assert response.status_code == 200


# The forms -----------------------------------------------------------------------------------------------------------


def test_the_request_form_of_an_agency_offers_only_its_people(cast, client_for, people):
    form = CaseForm(union=cast.union, people=people_to_choose(cast.agency_rep, cast.union), staff=False)
    assert set(form.fields["authors"].queryset) == {cast.person, people["officer"]}
    html = client_for(cast.agency_rep).get(reverse("advisory:case_create", args=[cast.union.slug])).content.decode()
    assert "Nguyễn Thị Ánh" in html and "Nguyễn Văn Bình" not in html and "Nguyễn Văn Sơn" not in html
    assert 'name="drafting_team_note"' in html
    team = html[html.index('id="id_authors"') :]
    assert 'type="checkbox"' in team[:400] and "data-picker" not in team[: team.index("</div>")]  # two: checkboxes


def test_an_agency_cannot_name_the_unions_people_as_its_drafting_team(cast, client_for, people):
    data = {
        "kind": "critique",
        "requesting_agency": cast.agency.pk,
        "title": "Đề án phát triển cây dược liệu",
        "request_number": "215/UBND-KT",
        "request_date": "2022-02-26",
        "authors": [people["officer"].pk, people["expert"].pk],
        "drafting_team_note": "Y Bông — Phó Chủ tịch UBND huyện\nĐinh Văn Hùng — chuyên viên",
        "request_letter": af.upload("công văn.pdf", af.PDF_BYTES),
        "draft": af.upload("dự thảo.docx", af.docx_bytes()),
    }
    url = reverse("advisory:case_create", args=[cast.union.slug])
    response = client_for(cast.agency_rep).post(url, data)
    assert response.status_code == 200 and not Case.objects.exists()
    assert "không phải là một trong các lựa chọn" in response.content.decode()  # the field refuses the id
    data |= {
        "authors": [people["officer"].pk],
        "request_letter": af.upload("công văn.pdf", af.PDF_BYTES),
        "draft": af.upload("dự thảo.docx", af.docx_bytes()),
    }
    assert client_for(cast.agency_rep).post(url, data).status_code == 302
    case = Case.objects.get()
    assert list(case.authors.all()) == [people["officer"]] and case.drafting_team_note.startswith("Y Bông")
    page = client_for(cast.staff).get(case.get_absolute_url()).content.decode()
    assert "Đinh Văn Hùng" in page and "Nguyễn Thị Ánh" in page
    # and the service refuses it too, whatever form sent it
    with pytest.raises(PermissionDenied):
        advisory_services.open_case(
            cast.union,
            actor=cast.agency_rep,
            case=Case(kind="critique", requesting_agency=cast.agency, title="Đề án khác"),
            authors=[people["leader"]],
        )


def many_people(cast, n: int = 60) -> list[Person]:
    return Person.objects.bulk_create(
        [
            Person(
                union=cast.union, name=f"Lê Thị Mẫu {i:02}", name_folded=f"le thi mau {i:02}", sort_key=f"mau {i:02}"
            )
            for i in range(n)
        ]
    )


def test_the_session_form_chooses_the_widget_by_the_length_of_each_list(cast):
    form = WorkSessionForm(union=cast.union)
    # one agency, two documents: checkboxes; the people: checkboxes too while they are few
    for name in ("agencies", "documents", "participants", "delegation"):
        assert form.fields[name].widget.__class__.__name__ == "CheckboxSelectMultiple", name
    Person.objects.bulk_create([Person(union=cast.union, name=f"Lê Văn Người {i:02}") for i in range(20)])
    form = WorkSessionForm(union=cast.union)
    widget = form.fields["delegation"].widget
    assert isinstance(widget, PickerMultiple) and widget.preload  # 21 people: all in the page, searched there
    html = str(form["delegation"])
    assert "data-picker-complete" in html and html.count("<option") == 21
    assert f'data-picker="{reverse("core:people_pick", args=[cast.union.slug])}"' in html
    many_people(cast)
    form = WorkSessionForm(union=cast.union)
    assert not form.fields["participants"].widget.preload
    assert "vendor/tom-select/js/tom-select.popular.min.js" in str(form.media)
    assert "js/picker.js" in str(form.media) and "defer" in str(form.media)


def test_a_long_list_holds_only_the_chosen_people_and_validates_without_javascript(cast, client_for):
    chosen = many_people(cast)[41]
    session = of.session(cast)
    url = reverse("outreach:session_edit", args=[cast.union.slug, session.pk])
    html = client_for(cast.staff).get(url).content.decode()
    select = html[html.index('name="delegation"') :]
    select = select[: select.index("</select>")]
    assert select.count("<option") == 1 and "Nguyễn Văn An" in select and " selected" in select
    assert "Lê Thị Mẫu" not in html  # the 60 others come from the endpoint as one types
    assert "<noscript>" in html
    # a browser without JavaScript sends the chosen ids back, and the new ones the form was given
    data = {
        "title": session.title,
        "held_on": "2021-11-09",
        "admin_unit": cast.district.pk,
        "agenda": "Chức năng, nhiệm vụ",
        "delegation": [cast.person.pk, chosen.pk],
        "participants": [chosen.pk],
        "agencies": [cast.agency.pk],
        "documents": [cast.public_document.pk],
    }
    assert client_for(cast.staff).post(url, data).status_code == 302
    session = WorkSession.objects.get(pk=session.pk)
    assert set(session.delegation.all()) == {cast.person, chosen} and list(session.participants.all()) == [chosen]
    # an id of another Union's person, or no id at all, is refused with the form's error; nothing is saved
    outsider = Person.objects.create(union=cast.outsider_union, name="Võ Văn Ngoài")
    for wrong in ([outsider.pk], ["x"], [str(2**70)]):
        response = client_for(cast.staff).post(url, data | {"delegation": wrong})
        assert response.status_code == 200 and "is-invalid" in response.content.decode(), wrong
    assert set(WorkSession.objects.get(pk=session.pk).delegation.all()) == {cast.person, chosen}


def test_the_picker_loads_only_on_pages_that_use_it(cast, client_for):
    many_people(cast)
    staff = client_for(cast.staff)
    with_picker = [
        reverse("outreach:session_create", args=[cast.union.slug]),
        reverse("outreach:plan_detail", args=[cast.union.slug, of.plan(cast).pk]),
        reverse("advisory:case_create", args=[cast.union.slug]),
    ]
    for url in with_picker:
        html = staff.get(url).content.decode()
        assert "tom-select.popular.min.js" in html and "js/picker.js" in html and "tom-select.bootstrap5" in html, url
    for url in (reverse("core:dashboard", args=[cast.union.slug]), reverse("core:people_list", args=[cast.union.slug])):
        assert "tom-select" not in staff.get(url).content.decode(), url


def test_a_single_picker_keeps_its_empty_choice(cast):
    many_people(cast)
    from lienhiep.outreach.forms import ActionItemForm

    form = ActionItemForm(union=cast.union, initial={"owner_person": cast.person.pk})
    assert isinstance(form.fields["owner_person"].widget, Picker)
    html = str(form["owner_person"])
    assert html.count("<option") == 2 and "Nguyễn Văn An" in html


def test_the_paragraphs_of_a_recommendation_are_checkboxes_with_their_first_words(cast):
    case = af.journey(cast, until="consolidating").case
    form = RecommendationForm(case=case, instance=Recommendation(case=case))
    html = str(form["paragraphs"])
    assert 'type="checkbox"' in html and "<select" not in html
    first = case.paragraphs.first()
    label = dict(form.fields["paragraphs"].choices)[first.pk]
    assert label.startswith(f"Đoạn {first.number} — ") and first.text.split()[0] in label


def test_an_agenda_line_longer_than_an_item_can_hold_is_a_form_error(cast):
    """Each line of the agenda becomes an item of at most 500 characters: a longer one is refused by the form with
    its number, not by the database (PostgreSQL raised a DataError, a server error, before)."""
    data = {"title": "Làm việc với UBND huyện Đăk Tô", "held_on": "07/12/2026", "agenda": "Khai mạc\n" + "a" * 501}
    form = WorkSessionForm(union=cast.union, data=data)
    assert not form.is_valid()
    assert form.errors["agenda"] == ["Mục 2 của chương trình có 501 ký tự; mỗi mục tối đa 500 ký tự."]
    assert "agenda" not in WorkSessionForm(union=cast.union, data=data | {"agenda": "Khai mạc\n" + "a" * 500}).errors
