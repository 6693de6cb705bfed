"""The school and workplace pickers of an entry's form: an entrant searches the Union's own agencies by typing (the
school among its schools only), through an endpoint limited to them; another Union's agency posted is refused in
Vietnamese; the choice stays on a form with errors and on the edit page; the page does not grow with the
registry."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lienhiep.contests.models import Edition, Entry
from lienhiep.core.models import Agency
from tests.conftest import make_user

from . import factories as f

pytestmark = pytest.mark.django_db

NOW = f.aware(2022, 6, 1, 10, 0, 0)  # registration is open


def url(name, cast, *args):
    return reverse(f"contests:{name}", args=[cast.union.slug, *args])


@pytest.fixture
def youth(cast, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    return f.open_edition(cast, kind=Edition.Kind.YOUTH, code="TN14")


@pytest.fixture
def schools(cast):
    """Two Kon Tum schools, a Kon Tum company (a workplace, not a school) and a school of the other Union."""
    return {
        "dakto": Agency.objects.create(union=cast.union, name="Trường THCS Đăk Tô", kind=Agency.Kind.SCHOOL),
        "tmr": Agency.objects.create(
            union=cast.union,
            name="Trường PTDT Nội trú huyện Tu Mơ Rông",
            short_name="PTDTNT TMR",
            kind=Agency.Kind.SCHOOL,
        ),  # fmt: skip
        "company": Agency.objects.create(union=cast.union, name="Công ty Cà phê Đăk Hà", kind=Agency.Kind.ENTERPRISE),
        "outsider": Agency.objects.create(
            union=cast.outsider_union, name="Trường THPT Trần Quốc Tuấn, Quảng Ngãi", kind=Agency.Kind.SCHOOL
        ),
    }


def entry_data(ed, **extra) -> dict:
    return {
        "field": f.field(ed).pk,
        "title": "Máy lọc nước giếng khoan",
        "summary": "Lọc nước giếng cho điểm trường.",
        "locality": f.current_commune().pk,
        "school_level": "THCS",
        "people-TOTAL_FORMS": 1,
        "people-INITIAL_FORMS": 0,
        "people-MIN_NUM_FORMS": 0,
        "people-MAX_NUM_FORMS": 12,
        "people-0-name": "Đinh Văn Khang",
        "people-0-role": "author",
        "people-0-share": "100",
        "people-0-birth_date": "2008-03-15",
        **extra,
    }


def select_html(page: str, name: str) -> str:
    return re.search(rf'<select name="{re.escape(name)}".*?</select>', page, re.S).group(0)


def test_the_form_offers_the_unions_schools_and_searches_each_authors_workplace(cast, client_for, youth, schools):
    page = client_for(cast.entrant).get(url("entry_create", cast, youth.pk)).content.decode()
    endpoint = url("workplaces_pick", cast)
    school = select_html(page, "school")
    assert f'data-picker="{endpoint}?kind=school"' in school
    assert "Trường THCS Đăk Tô" in school and "Trường PTDT Nội trú huyện Tu Mơ Rông" in school
    assert "Công ty Cà phê Đăk Hà" not in school and "Quảng Ngãi" not in school  # schools of this Union only
    for row in range(2):  # each author's workplace: typed, the list is not written out row by row
        workplace = select_html(page, f"people-{row}-agency")
        assert f'data-picker="{endpoint}"' in workplace and "data-picker-complete" not in workplace
        assert re.findall(r'<option value="(\d*)"', workplace) == [""]
    assert page.count("Công ty Cà phê Đăk Hà") == 0
    assert "js/picker.js" in page and "tom-select" in page  # the form's media, as files (strict CSP)


def test_the_endpoint_answers_the_unions_agencies_to_those_who_write_entries(cast, client_for, youth, schools):
    endpoint = url("workplaces_pick", cast)
    entrant = client_for(cast.entrant)
    answer = entrant.get(endpoint, {"q": "truong", "kind": "school"})
    assert answer.status_code == 200 and answer["Cache-Control"] == "private, no-store"
    found = {r["text"] for r in answer.json()["results"]}
    assert found == {"Trường THCS Đăk Tô", "Trường PTDT Nội trú huyện Tu Mơ Rông"}
    assert {r["text"] for r in entrant.get(endpoint, {"q": "TMR", "kind": "school"}).json()["results"]} == {
        "Trường PTDT Nội trú huyện Tu Mơ Rông"  # its short name finds it too
    }
    workplaces = {r["text"] for r in entrant.get(endpoint, {"q": "dak"}).json()["results"]}
    assert "Công ty Cà phê Đăk Hà" in workplaces and "Trường THCS Đăk Tô" in workplaces
    assert not any("Quảng Ngãi" in r["text"] for r in entrant.get(endpoint, {"q": "truong"}).json()["results"])
    assert client_for(cast.staff).get(endpoint, {"q": "dak"}).status_code == 200
    # nobody else: not signed in, another Union's staff, a judge, the leader, an agency
    assert client_for(None).get(endpoint, {"q": "dak"}).status_code == 302
    for user in (cast.outsider_staff, cast.expert, cast.leader, cast.agency_rep):
        assert client_for(user).get(endpoint, {"q": "dak"}).status_code in (403, 404), user
    assert client_for(cast.entrant).post(endpoint, {"q": "dak"}).status_code == 405


@pytest.mark.parametrize(
    "params",
    [{"kind": "hospital"}, {"kind": "school'--"}, {"kind": "\x00"}, {"q": "dak", "page": "2"}, {"limit": "1000"}],
)
def test_the_endpoint_refuses_a_parameter_it_does_not_know_with_a_json_answer(cast, client_for, params):
    answer = client_for(cast.entrant).get(url("workplaces_pick", cast), params)
    assert answer.status_code == 400 and answer["Content-Type"] == "application/json"
    body = json.loads(answer.content)
    assert body["results"] == [] and "Bỏ qua tham số" in body["error"]


@pytest.mark.parametrize("q", ["", "\x00dak", "đăk " * 500, "%", "' OR 1=1 --", "Trường" * 200])
def test_any_typed_text_is_an_answer(cast, client_for, schools, q):
    answer = client_for(cast.entrant).get(url("workplaces_pick", cast), {"q": q, "kind": "school"})
    assert answer.status_code == 200 and isinstance(answer.json()["results"], list)


def test_another_unions_agency_is_refused_in_vietnamese(cast, client_for, youth, schools):
    outsider = schools["outsider"].pk
    data = entry_data(youth, school=outsider, **{"people-0-agency": outsider})
    response = client_for(cast.entrant).post(url("entry_create", cast, youth.pk), data)
    page = response.content.decode()
    assert response.status_code == 200 and not Entry.objects.exists()
    assert "Hãy chọn một trường trong danh sách của Liên hiệp hội." in page
    assert "Hãy chọn một cơ quan, trường học trong danh sách của Liên hiệp hội." in page
    assert "Quảng Ngãi" not in page  # the refused choice is not shown back
    # a company is a workplace, not a school; an id no database holds is refused the same way, not a 500
    data = entry_data(youth, school=schools["company"].pk, **{"people-0-agency": "99999999999999999999999"})
    page = client_for(cast.entrant).post(url("entry_create", cast, youth.pk), data).content.decode()
    assert "Hãy chọn một trường trong danh sách của Liên hiệp hội." in page
    assert "Hãy chọn một cơ quan, trường học trong danh sách của Liên hiệp hội." in page


def test_the_choice_stays_on_a_form_with_errors_and_on_the_edit_page(cast, client_for, youth, schools):
    entrant = client_for(cast.entrant)
    chosen = {"school": schools["dakto"].pk, "people-0-agency": schools["company"].pk}
    page = entrant.post(url("entry_create", cast, youth.pk), entry_data(youth, title="", **chosen)).content.decode()
    assert re.search(rf'<option value="{schools["company"].pk}"[^>]* selected', select_html(page, "people-0-agency"))
    assert re.search(rf'<option value="{schools["dakto"].pk}"[^>]* selected', select_html(page, "school"))
    response = entrant.post(url("entry_create", cast, youth.pk), entry_data(youth, **chosen))
    entry = Entry.objects.get()
    assert response.status_code == 302 and entry.school == schools["dakto"]
    page = entrant.get(url("entry_edit", cast, entry.pk)).content.decode()
    workplace = select_html(page, "people-0-agency")
    assert re.search(rf'<option value="{schools["company"].pk}"[^>]* selected', workplace)
    assert re.findall(r'<option value="(\d*)"', workplace) == ["", str(schools["company"].pk)]
    assert re.search(rf'<option value="{schools["dakto"].pk}"[^>]* selected', select_html(page, "school"))


def test_the_form_page_does_not_grow_with_the_registry(cast, client_for, youth):
    entrant = client_for(cast.entrant)
    counts, sizes = {}, (5, 50)
    for size in sizes:
        while Agency.objects.filter(union=cast.union, kind=Agency.Kind.SCHOOL).count() < size:
            n = Agency.objects.count()
            Agency.objects.create(union=cast.union, name=f"Trường số {n}", kind=Agency.Kind.SCHOOL)
            Agency.objects.create(union=cast.union, name=f"Công ty số {n}", kind=Agency.Kind.ENTERPRISE)
        with CaptureQueriesContext(connection) as queries:
            page = entrant.get(url("entry_create", cast, youth.pk)).content.decode()
        counts[size] = len(queries)
        assert select_html(page, "people-0-agency").count("<option") == 1  # never the whole list per author
    assert counts[5] == counts[50], counts
    # past the length written into the page, the school is searched too: the page holds no school
    for n in range(12):
        Agency.objects.create(union=cast.union, name=f"Trường thêm {n}", kind=Agency.Kind.SCHOOL)
    with CaptureQueriesContext(connection) as queries:
        page = entrant.get(url("entry_create", cast, youth.pk)).content.decode()
    assert len(queries) <= counts[50], (len(queries), counts)
    assert select_html(page, "school").count("<option") == 1


def test_another_entrant_of_the_union_may_search_too(cast, client_for, schools):
    other = make_user("khac2", "Y Khác", "entrant", cast.union)
    answer = client_for(other).get(url("workplaces_pick", cast), {"q": "dak", "kind": "school"})
    assert [r["text"] for r in answer.json()["results"]] == ["Trường THCS Đăk Tô"]
