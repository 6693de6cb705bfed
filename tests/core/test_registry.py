"""The Union's registries (agencies, member associations, people), the document library, the letterhead and the
platform's list of Unions: who may do what, what the forms refuse, search, order, history and query counts."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lienhiep.core import services
from lienhiep.core.models import ActivityLog, AdminUnit, Agency, MemberAssociation, Person, Union
from lienhiep.core.text import person_sort_key
from lienhiep.core.views import PAGE_SIZE
from lienhiep.portal.models import LegalDocument
from lienhiep.portal.services import save_document

from ..conftest import Cast

TODAY = datetime.date.today()


def agency_data(**extra) -> dict:
    data = {
        "name": "Sở Khoa học và Công nghệ tỉnh Kon Tum",
        "short_name": "Sở KH&CN",
        "kind": Agency.Kind.DEPARTMENT,
        "admin_unit": "",
        "parent": "",
        "address": "12 Lê Lợi, Kon Tum",
        "phone": "0260 3862 123",
        "email": "skhcn@example.test",
        "is_active": "on",
    }
    data.update(extra)
    return data


def add_agency(cast: Cast, name: str, **fields) -> Agency:
    return services.save_registry_record(
        actor=cast.staff, union=cast.union, record=Agency(union=cast.union, name=name, kind=Agency.Kind.OTHER, **fields)
    )


def add_person(cast: Cast, name: str, **fields) -> Person:
    return services.save_registry_record(
        actor=cast.staff, union=cast.union, record=Person(union=cast.union, name=name, **fields)
    )


@pytest.fixture
def units(db):
    """A commune abolished by the 2025 reform and the one that replaced it."""
    old = AdminUnit.objects.create(
        code="23500",
        name="Xã Tân Cảnh",
        short_name="Tân Cảnh",
        kind="Xã",
        level="commune",
        valid_to=datetime.date(2025, 6, 30),
    )
    new = AdminUnit.objects.create(
        code="23500",
        name="Xã Đăk Tô",
        short_name="Đăk Tô",
        kind="Xã",
        level="commune",
        valid_from=datetime.date(2025, 7, 1),
    )
    old.successors.add(new)
    return old, new


# --- agencies: create, edit, history --------------------------------------------------------------------------------


def test_staff_create_an_agency_in_their_union(cast: Cast, client_for, units):
    _old, new = units
    staff = client_for(cast.staff)
    response = staff.post("/kontum/app/agencies/new/", agency_data(admin_unit=new.pk, parent=cast.agency.pk))
    assert response.status_code == 302
    agency = Agency.objects.get(name="Sở Khoa học và Công nghệ tỉnh Kon Tum")
    assert response["Location"] == f"/kontum/app/agencies/{agency.pk}/"
    assert agency.union == cast.union
    assert agency.admin_unit == new
    assert agency.parent == cast.agency
    assert agency.name_folded == "so khoa hoc va cong nghe tinh kon tum so kh&cn"
    log = ActivityLog.objects.get(verb="core.agency.created")
    assert log.union == cast.union and log.actor == cast.staff and log.target == agency

    detail = staff.get(f"/kontum/app/agencies/{agency.pk}/")
    assert detail.status_code == 200
    assert detail.context["record"] == agency
    assert "Sở Khoa học và Công nghệ tỉnh Kon Tum" in detail.content.decode()
    # the parent lists it among its units
    assert agency in staff.get(f"/kontum/app/agencies/{cast.agency.pk}/").context["children"]


def test_the_union_posted_in_the_form_is_ignored(cast: Cast, client_for):
    response = client_for(cast.staff).post("/kontum/app/agencies/new/", agency_data(union=cast.outsider_union.pk))
    assert response.status_code == 302
    assert Agency.objects.get(name="Sở Khoa học và Công nghệ tỉnh Kon Tum").union == cast.union


def test_editing_an_agency_records_history_shown_on_its_page(cast: Cast, client_for):
    staff = client_for(cast.staff)
    staff.post("/kontum/app/agencies/new/", agency_data())
    agency = Agency.objects.get(name="Sở Khoa học và Công nghệ tỉnh Kon Tum")
    response = staff.post(f"/kontum/app/agencies/{agency.pk}/edit/", agency_data(address="34 Trần Phú, Kon Tum"))
    assert response.status_code == 302
    agency.refresh_from_db()
    assert agency.address == "34 Trần Phú, Kon Tum"
    assert agency.history.count() == 2
    assert agency.history.first().history_user == cast.staff
    assert ActivityLog.objects.filter(verb="core.agency.changed", target_id=agency.pk).exists()

    detail = staff.get(f"/kontum/app/agencies/{agency.pk}/")
    changes = [change for entry in detail.context["timeline"] for change in entry.changes]
    assert [(old, new) for _label, old, new in changes] == [("12 Lê Lợi, Kon Tum", "34 Trần Phú, Kon Tum")]
    html = detail.content.decode()
    assert "<del>12 Lê Lợi, Kon Tum</del>" in html
    assert "<ins>34 Trần Phú, Kon Tum</ins>" in html


def test_an_agency_of_another_union_is_404(cast: Cast, client_for):
    staff = client_for(cast.staff)
    assert staff.get(f"/kontum/app/agencies/{cast.outsider_agency.pk}/").status_code == 404
    assert staff.get(f"/kontum/app/agencies/{cast.outsider_agency.pk}/edit/").status_code == 404
    response = staff.post(f"/kontum/app/agencies/{cast.outsider_agency.pk}/edit/", agency_data())
    assert response.status_code == 404
    cast.outsider_agency.refresh_from_db()
    assert cast.outsider_agency.name == "UBND tỉnh Quảng Ngãi"


# --- agencies: administrative units valid today ---------------------------------------------------------------------


def test_a_new_agency_is_offered_only_units_valid_today(cast: Cast, client_for, units):
    old, new = units
    form = client_for(cast.staff).get("/kontum/app/agencies/new/").context["form"]
    offered = set(form.fields["admin_unit"].queryset)
    assert new in offered
    assert old not in offered
    assert cast.district not in offered  # abolished with the districts on 2025-06-30
    assert all(unit.is_valid_on(TODAY) for unit in offered)

    response = client_for(cast.staff).post("/kontum/app/agencies/new/", agency_data(admin_unit=old.pk))
    assert response.status_code == 200
    assert "admin_unit" in response.context["form"].errors
    assert not Agency.objects.filter(name="Sở Khoa học và Công nghệ tỉnh Kon Tum").exists()


def test_an_agency_linked_to_an_abolished_unit_can_still_be_edited_and_keeps_it(cast: Cast, client_for, units):
    old, new = units
    agency = add_agency(cast, "UBND xã Tân Cảnh", admin_unit=old)
    staff = client_for(cast.staff)
    offered = set(staff.get(f"/kontum/app/agencies/{agency.pk}/edit/").context["form"].fields["admin_unit"].queryset)
    assert {old, new} <= offered
    assert cast.district not in offered

    response = staff.post(
        f"/kontum/app/agencies/{agency.pk}/edit/",
        agency_data(
            name="UBND xã Tân Cảnh", kind=Agency.Kind.PEOPLES_COMMITTEE, admin_unit=old.pk, phone="0260 111 222"
        ),
    )
    assert response.status_code == 302
    agency.refresh_from_db()
    assert agency.admin_unit == old
    assert agency.phone == "0260 111 222"

    # the cast's agency keeps its abolished district too
    response = staff.post(
        f"/kontum/app/agencies/{cast.agency.pk}/edit/",
        agency_data(name="UBND huyện Đăk Tô", kind=Agency.Kind.PEOPLES_COMMITTEE, admin_unit=cast.district.pk),
    )
    assert response.status_code == 302
    cast.agency.refresh_from_db()
    assert cast.agency.admin_unit == cast.district


# --- agencies: parents ----------------------------------------------------------------------------------------------


def test_an_agency_cannot_be_its_own_parent(cast: Cast, client_for):
    response = client_for(cast.staff).post(
        f"/kontum/app/agencies/{cast.agency.pk}/edit/", agency_data(name="UBND huyện Đăk Tô", parent=cast.agency.pk)
    )
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors
    cast.agency.refresh_from_db()
    assert cast.agency.parent is None
    assert cast.agency.name == "UBND huyện Đăk Tô"


def test_an_agency_cannot_be_placed_under_its_own_unit(cast: Cast, client_for):
    child = add_agency(cast, "Phòng Kinh tế và Hạ tầng huyện Đăk Tô", parent=cast.agency)
    grandchild = add_agency(cast, "Tổ công tác hạ tầng", parent=child)
    staff = client_for(cast.staff)
    for descendant in (child, grandchild):
        response = staff.post(
            f"/kontum/app/agencies/{cast.agency.pk}/edit/", agency_data(name="UBND huyện Đăk Tô", parent=descendant.pk)
        )
        assert response.status_code == 200
        assert "parent" in response.context["form"].errors
    cast.agency.refresh_from_db()
    assert cast.agency.parent is None


def test_an_agency_of_another_union_cannot_be_the_parent(cast: Cast, client_for):
    response = client_for(cast.staff).post("/kontum/app/agencies/new/", agency_data(parent=cast.outsider_agency.pk))
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors
    assert not Agency.objects.filter(name="Sở Khoa học và Công nghệ tỉnh Kon Tum").exists()


# --- people ---------------------------------------------------------------------------------------------------------


def person_data(**extra) -> dict:
    data = {
        "name": "Y Ngọc",
        "birth_year": "1975",
        "gender": "male",
        "academic_title": "",
        "degree": "TS",
        "position": "Phó Giám đốc",
        "agency": "",
        "association": "",
        "email": "",
        "phone": "",
    }
    data.update(extra)
    return data


def test_staff_add_a_person(cast: Cast, client_for):
    response = client_for(cast.staff).post(
        "/kontum/app/people/new/", person_data(agency=cast.agency.pk, association=cast.association.pk)
    )
    assert response.status_code == 302
    person = Person.objects.get(name="Y Ngọc")
    assert (person.union, person.agency, person.association) == (cast.union, cast.agency, cast.association)
    assert ActivityLog.objects.filter(verb="core.person.created", target_id=person.pk).exists()


@pytest.mark.parametrize("field", ["agency", "association"])
def test_a_persons_agency_or_association_from_another_union_is_refused(cast: Cast, client_for, field):
    other = {
        "agency": cast.outsider_agency,
        "association": MemberAssociation.objects.create(union=cast.outsider_union, name="Hội Luật gia"),
    }[field]
    before = Person.objects.count()
    response = client_for(cast.staff).post("/kontum/app/people/new/", person_data(**{field: other.pk}))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert Person.objects.count() == before
    assert not Person.objects.filter(name="Y Ngọc").exists()


def test_editing_a_person_to_an_agency_of_another_union_is_refused(cast: Cast, client_for):
    response = client_for(cast.staff).post(
        f"/kontum/app/people/{cast.person.pk}/edit/", person_data(name="Nguyễn Văn An", agency=cast.outsider_agency.pk)
    )
    assert response.status_code == 200
    assert "agency" in response.context["form"].errors
    cast.person.refresh_from_db()
    assert cast.person.agency == cast.agency


# --- who may see and edit -------------------------------------------------------------------------------------------


def registry_urls(cast: Cast) -> dict[str, list[str]]:
    return {
        "read": [
            "/kontum/app/agencies/",
            f"/kontum/app/agencies/{cast.agency.pk}/",
            "/kontum/app/associations/",
            f"/kontum/app/associations/{cast.association.pk}/",
            "/kontum/app/people/",
            f"/kontum/app/people/{cast.person.pk}/",
            "/kontum/app/documents/",
            f"/kontum/app/documents/{cast.private_document.pk}/",
        ],
        "write": [
            "/kontum/app/agencies/new/",
            f"/kontum/app/agencies/{cast.agency.pk}/edit/",
            "/kontum/app/associations/new/",
            f"/kontum/app/associations/{cast.association.pk}/edit/",
            "/kontum/app/people/new/",
            f"/kontum/app/people/{cast.person.pk}/edit/",
            "/kontum/app/documents/new/",
            f"/kontum/app/documents/{cast.private_document.pk}/edit/",
        ],
    }


def test_leader_reads_but_does_not_edit(cast: Cast, client_for):
    leader = client_for(cast.leader)
    urls = registry_urls(cast)
    for url in urls["read"]:
        assert leader.get(url).status_code == 200, url
    for url in urls["write"]:
        assert leader.get(url).status_code == 403, url
        assert leader.post(url, agency_data(name="Bị đổi tên")).status_code == 403, url
    assert not Agency.objects.filter(name="Bị đổi tên").exists()
    cast.agency.refresh_from_db()
    assert cast.agency.name == "UBND huyện Đăk Tô"
    assert not ActivityLog.objects.filter(actor=cast.leader).exists()
    # and the pages do not offer the edit buttons
    assert leader.get("/kontum/app/agencies/").context["can_edit"] is False


@pytest.mark.parametrize("role", ["expert", "entrant", "agency_rep"])
def test_non_staff_roles_cannot_open_the_registries(cast: Cast, client_for, role):
    user_client = client_for(cast.users_by_role()[role])
    urls = registry_urls(cast)
    for url in urls["read"] + urls["write"]:
        assert user_client.get(url).status_code == 403, url


def test_another_unions_staff_cannot_open_the_registries(cast: Cast, client_for):
    outsider = client_for(cast.outsider_staff)
    for url in registry_urls(cast)["read"]:
        assert outsider.get(url).status_code == 403, url
    assert outsider.get("/quangngai/app/agencies/").status_code == 200
    assert cast.agency not in outsider.get("/quangngai/app/agencies/").context["page"].object_list


# --- search and order -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("q", ["dak to", "DAK TO", "Đăk Tô", "  dak   to  ", "đắk tô"])
def test_agency_search_ignores_diacritics_and_case(cast: Cast, client_for, q):
    add_agency(cast, "Sở Y tế tỉnh Kon Tum")
    response = client_for(cast.staff).get("/kontum/app/agencies/", {"q": q})
    assert response.status_code == 200
    assert [a.name for a in response.context["page"].object_list] == ["UBND huyện Đăk Tô"]


def test_agency_search_that_matches_nothing(cast: Cast, client_for):
    response = client_for(cast.staff).get("/kontum/app/agencies/", {"q": "ha noi"})
    assert list(response.context["page"].object_list) == []


def test_people_search_without_diacritics(cast: Cast, client_for):
    add_person(cast, "Trần Thị Ánh")
    response = client_for(cast.staff).get("/kontum/app/people/", {"q": "nguyen"})
    assert [p.name for p in response.context["page"].object_list] == ["Nguyễn Văn An"]
    response = client_for(cast.staff).get("/kontum/app/people/", {"q": "anh"})
    assert [p.name for p in response.context["page"].object_list] == ["Trần Thị Ánh"]


def test_htmx_search_returns_only_the_results_fragment(cast: Cast, client_for):
    add_agency(cast, "Sở Y tế tỉnh Kon Tum")
    response = client_for(cast.staff).get("/kontum/app/agencies/", {"q": "dak to"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith('<div id="results">')
    assert "UBND huyện Đăk Tô" in html
    assert "Sở Y tế" not in html
    full = client_for(cast.staff).get("/kontum/app/agencies/", {"q": "dak to"}).content.decode()
    assert "<html" in full and 'id="results"' in full


def test_people_are_listed_by_given_name_as_vietnamese_lists_are(cast: Cast, client_for):
    for name in ["Trần Thị Ánh", "Lê Văn Bình", "Phạm An"]:
        add_person(cast, name)
    expected = ["Nguyễn Văn An", "Phạm An", "Trần Thị Ánh", "Lê Văn Bình"]
    assert sorted(expected, key=person_sort_key) == expected  # An < Ánh < Bình; equal given names by family name
    response = client_for(cast.staff).get("/kontum/app/people/")
    assert [p.name for p in response.context["page"].object_list] == expected
    html = response.content.decode()
    positions = [html.index(name) for name in expected]
    assert positions == sorted(positions)


# --- query counts ---------------------------------------------------------------------------------------------------


def _fill(cast: Cast, key: str, total: int) -> None:
    """Bring the number of rows of a list to `total`, each row with every relation the list shows."""
    province = AdminUnit.objects.get_or_create(
        code="64",
        level="province",
        valid_from=datetime.date(2025, 7, 1),
        defaults={"name": "Tỉnh Quảng Ngãi", "short_name": "Quảng Ngãi", "kind": "Tỉnh"},
    )[0]
    commune = AdminUnit.objects.get_or_create(
        code="23501",
        level="commune",
        valid_from=datetime.date(2025, 7, 1),
        defaults={"name": "Xã Ngọc Hồi", "short_name": "Ngọc Hồi", "kind": "Xã", "parent": province},
    )[0]
    if key == "agencies":
        for i in range(Agency.objects.filter(union=cast.union).count(), total):
            add_agency(cast, f"Cơ quan số {i}", admin_unit=commune if i % 2 else cast.district, parent=cast.agency)
    elif key == "associations":
        for i in range(MemberAssociation.objects.filter(union=cast.union).count(), total):
            services.save_registry_record(
                actor=cast.staff,
                union=cast.union,
                record=MemberAssociation(
                    union=cast.union, name=f"Hội số {i}", short_name=f"H{i}", president="Nguyễn Văn A", member_count=i
                ),
            )
    elif key == "people":
        for i in range(Person.objects.filter(union=cast.union).count(), total):
            add_person(
                cast, f"Nguyễn Văn Số{i}", agency=cast.agency, association=cast.association, position="Chuyên viên"
            )
    else:
        for i in range(LegalDocument.objects.filter(union=cast.union).count(), total):
            document = save_document(
                actor=cast.staff,
                union=cast.union,
                document=LegalDocument(
                    union=cast.union,
                    number_symbol=f"{i}/QĐ-LHH",
                    doc_type="decision",
                    issuer="LHH Kon Tum",
                    issued_on=datetime.date(2024, 1, 1) + datetime.timedelta(days=i),
                    summary=f"Quyết định số {i}",
                    replaced_by=cast.public_document,
                ),
            )
            if i % 3 == 0:
                services.attach_file(
                    actor=cast.staff,
                    union=cast.union,
                    owner=document,
                    upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n"),
                )


LISTS = {
    "agencies": "/kontum/app/agencies/",
    "associations": "/kontum/app/associations/",
    "people": "/kontum/app/people/",
    "documents": "/kontum/app/documents/",
    "public-documents": "/kontum/documents/",
}


@pytest.mark.parametrize("key", list(LISTS))
def test_list_pages_issue_a_fixed_small_number_of_queries(cast: Cast, client_for, key):
    staff = client_for(cast.staff)
    url = LISTS[key]
    kind = "documents" if key == "public-documents" else key

    def measure(expected_rows: int) -> int:
        staff.get(url)  # warm caches (content types, sessions) out of the measurement
        with CaptureQueriesContext(connection) as queries:
            response = staff.get(url)
        assert response.status_code == 200
        assert len(response.context["page"].object_list) == expected_rows
        return len(queries)

    _fill(cast, kind, 3)
    few = measure(2 if key == "public-documents" else 3)  # the private document is not public
    _fill(cast, kind, 40)
    page_size = 30 if kind == "documents" else PAGE_SIZE
    many = measure(min(page_size, 39 if key == "public-documents" else 40))
    assert few == many, f"{key}: {few} queries with 3 rows, {many} with 40"
    assert many <= 12, f"{key}: {many} queries"


# --- documents ------------------------------------------------------------------------------------------------------


def document_data(**extra) -> dict:
    data = {
        "number_symbol": "12/2023/QĐ-UBND",
        "doc_type": "decision",
        "issuer": "UBND tỉnh Kon Tum",
        "issued_on": "2023-05-10",
        "effective_on": "2023-05-20",
        "status": "in_force",
        "summary": "Ban hành quy chế phối hợp tư vấn, phản biện và giám định xã hội",
        "replaced_by": "",
        "is_public": "on",
    }
    data.update(extra)
    return data


def test_staff_record_a_document(cast: Cast, client_for):
    response = client_for(cast.staff).post("/kontum/app/documents/new/", document_data())
    assert response.status_code == 302
    document = LegalDocument.objects.get(number_symbol="12/2023/QĐ-UBND")
    assert response["Location"] == f"/kontum/app/documents/{document.pk}/"
    assert document.union == cast.union
    assert document.issued_on == datetime.date(2023, 5, 10)
    assert document.effective_on == datetime.date(2023, 5, 20)
    assert document.is_public
    assert ActivityLog.objects.filter(verb="portal.document.created", target_id=document.pk).exists()


@pytest.mark.parametrize("number", ["48/2017/QĐ-UBND", " 48/2017/QĐ-UBND "])
def test_a_duplicate_document_number_is_refused(cast: Cast, client_for, number):
    response = client_for(cast.staff).post("/kontum/app/documents/new/", document_data(number_symbol=number))
    assert response.status_code == 200
    assert "number_symbol" in response.context["form"].errors
    assert LegalDocument.objects.filter(union=cast.union).count() == 2


def test_a_duplicate_number_typed_in_lower_case_is_refused(cast: Cast, client_for):
    response = client_for(cast.staff).post("/kontum/app/documents/new/", document_data(number_symbol="48/2017/qđ-ubnd"))
    assert response.status_code == 200
    assert "number_symbol" in response.context["form"].errors
    assert LegalDocument.objects.filter(union=cast.union).count() == 2


def test_the_same_number_in_another_union_is_fine(cast: Cast, client_for):
    outsider = client_for(cast.outsider_staff)
    response = outsider.post("/quangngai/app/documents/new/", document_data(number_symbol="48/2017/QĐ-UBND"))
    assert response.status_code == 302
    assert LegalDocument.objects.filter(number_symbol="48/2017/QĐ-UBND").count() == 2


def test_an_effective_date_before_the_issue_date_is_refused(cast: Cast, client_for):
    response = client_for(cast.staff).post("/kontum/app/documents/new/", document_data(effective_on="2023-05-09"))
    assert response.status_code == 200
    assert "effective_on" in response.context["form"].errors
    assert not LegalDocument.objects.filter(number_symbol="12/2023/QĐ-UBND").exists()


def test_a_replaced_document_must_say_by_what(cast: Cast, client_for):
    staff = client_for(cast.staff)
    response = staff.post("/kontum/app/documents/new/", document_data(status="replaced"))
    assert response.status_code == 200
    assert "replaced_by" in response.context["form"].errors
    assert not LegalDocument.objects.filter(number_symbol="12/2023/QĐ-UBND").exists()

    response = staff.post(
        "/kontum/app/documents/new/", document_data(status="replaced", replaced_by=cast.public_document.pk)
    )
    assert response.status_code == 302
    assert LegalDocument.objects.get(number_symbol="12/2023/QĐ-UBND").replaced_by == cast.public_document


def test_a_document_cannot_be_replaced_by_one_of_another_union(cast: Cast, client_for):
    other = LegalDocument.objects.create(
        union=cast.outsider_union,
        number_symbol="9/QĐ",
        doc_type="decision",
        issuer="UBND",
        issued_on=datetime.date(2020, 1, 1),
        summary="Khác",
    )
    response = client_for(cast.staff).post(
        "/kontum/app/documents/new/", document_data(status="replaced", replaced_by=other.pk)
    )
    assert response.status_code == 200
    assert "replaced_by" in response.context["form"].errors


def test_the_public_library_shows_public_documents_only(cast: Cast, client_for):
    response = client_for(None).get("/kontum/documents/")
    assert response.status_code == 200
    shown = list(response.context["page"].object_list)
    assert shown == [cast.public_document]
    html = response.content.decode()
    assert "48/2017/QĐ-UBND" in html
    assert "01/KH-LHH" not in html
    # staff see the private one in the staff library only
    assert cast.private_document in client_for(cast.staff).get("/kontum/app/documents/").context["page"].object_list
    assert cast.private_document not in client_for(cast.staff).get("/kontum/documents/").context["page"].object_list


@pytest.mark.parametrize("q", ["48/2017", "tu van phan bien", "TƯ VẤN", "qd-ubnd"])
def test_the_public_library_search(cast: Cast, client_for, q):
    response = client_for(None).get("/kontum/documents/", {"q": q})
    assert list(response.context["page"].object_list) == [cast.public_document]


@pytest.mark.parametrize("q", ["ke hoach noi bo", "01/KH"])
def test_the_public_library_search_never_finds_private_documents(cast: Cast, client_for, q):
    assert list(client_for(None).get("/kontum/documents/", {"q": q}).context["page"].object_list) == []
    staff_result = client_for(cast.staff).get("/kontum/app/documents/", {"q": q}).context["page"].object_list
    assert list(staff_result) == [cast.private_document]


@pytest.mark.parametrize("role", [None, "staff", "leader", "union_admin", "outsider_staff"])
def test_a_private_documents_public_page_is_404_to_everyone(cast: Cast, client_for, role):
    user = cast.users_by_role()[role] if role else None
    assert client_for(user).get(f"/kontum/documents/{cast.private_document.pk}/").status_code == 404
    assert client_for(user).get(f"/kontum/documents/{cast.public_document.pk}/").status_code == 200


def test_staff_open_the_private_document_on_the_staff_page(cast: Cast, client_for):
    response = client_for(cast.staff).get(f"/kontum/app/documents/{cast.private_document.pk}/")
    assert response.status_code == 200
    assert response.context["document"] == cast.private_document


def test_a_document_of_another_union_is_404_on_the_public_page(cast: Cast, client_for):
    assert client_for(None).get(f"/quangngai/documents/{cast.public_document.pk}/").status_code == 404


# --- letterhead -----------------------------------------------------------------------------------------------------


def letterhead_data(union: Union, **extra) -> dict:
    data = {
        "name": union.name,
        "short_name": union.short_name,
        "province": union.province_id or "",
        "governing_body": union.governing_body,
        "issuing_body": union.issuing_body,
        "document_symbol": union.document_symbol,
        "place_name": union.place_name,
        "signatory_title": union.signatory_title,
        "address": union.address,
        "phone": union.phone,
        "email": union.email,
    }
    data.update(extra)
    return data


def test_union_admin_changes_the_letterhead_and_the_timeline_shows_it(cast: Cast, client_for):
    admin = client_for(cast.union_admin)
    response = admin.post(
        "/kontum/app/settings/", letterhead_data(cast.union, governing_body="UBND TỈNH QUẢNG NGÃI", slug="hacked")
    )
    assert response.status_code == 302
    union = Union.objects.get(pk=cast.union.pk)
    assert union.governing_body == "UBND TỈNH QUẢNG NGÃI"
    assert union.slug == "kontum"  # the slug is not editable here
    assert union.province == cast.union.province  # kept although the province was merged away in 2025
    assert ActivityLog.objects.filter(
        verb="core.union.letterhead_changed", union=union, actor=cast.union_admin
    ).exists()

    page = admin.get("/kontum/app/settings/")
    assert page.status_code == 200
    assert "slug" not in page.context["form"].fields
    changes = [change for entry in page.context["timeline"] for change in entry.changes]
    assert [(old, new) for _label, old, new in changes] == [("—", "UBND TỈNH QUẢNG NGÃI")]
    assert "<ins>UBND TỈNH QUẢNG NGÃI</ins>" in page.content.decode()


def test_a_letterhead_without_its_required_lines_is_refused(cast: Cast, client_for):
    response = client_for(cast.union_admin).post("/kontum/app/settings/", letterhead_data(cast.union, issuing_body=""))
    assert response.status_code == 200
    assert "issuing_body" in response.context["form"].errors
    assert Union.objects.get(pk=cast.union.pk).issuing_body == "LIÊN HIỆP CÁC HỘI KH&KT"


@pytest.mark.parametrize("role", ["staff", "leader", "expert", "outsider_staff"])
def test_only_the_union_admin_changes_the_letterhead(cast: Cast, client_for, role):
    response = client_for(cast.users_by_role()[role]).post(
        "/kontum/app/settings/", letterhead_data(cast.union, governing_body="ĐỔI")
    )
    assert response.status_code == 403
    assert Union.objects.get(pk=cast.union.pk).governing_body == ""


# --- platform: Unions -----------------------------------------------------------------------------------------------


def union_data(**extra) -> dict:
    data = {
        "name": "Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Gia Lai",
        "short_name": "LHH Gia Lai",
        "slug": "gialai",
        "province": "",
        "governing_body": "UBND TỈNH GIA LAI",
        "issuing_body": "LIÊN HIỆP CÁC HỘI KH&KT TỈNH GIA LAI",
        "document_symbol": "LHH",
        "place_name": "Gia Lai",
        "signatory_title": "CHỦ TỊCH",
        "address": "",
        "phone": "",
        "email": "",
    }
    data.update(extra)
    return data


def test_platform_admin_creates_a_union(cast: Cast, client_for):
    response = client_for(cast.platform_admin).post("/platform/unions/", union_data())
    assert response.status_code == 302
    union = Union.objects.get(slug="gialai")
    assert union.is_active
    assert ActivityLog.objects.filter(verb="core.union.created", target_id=union.pk, actor=cast.platform_admin).exists()
    assert client_for(None).get("/gialai/").status_code == 200


@pytest.mark.parametrize("slug", ["accounts", "places", "platform", "static", "i18n", "Accounts", "kontum"])
def test_a_reserved_or_taken_slug_is_refused(cast: Cast, client_for, slug):
    before = Union.objects.count()
    response = client_for(cast.platform_admin).post("/platform/unions/", union_data(slug=slug))
    assert response.status_code == 200
    assert "slug" in response.context["form"].errors
    assert Union.objects.count() == before


@pytest.mark.parametrize("role", ["union_admin", "staff", "leader"])
def test_only_platform_admins_create_unions(cast: Cast, client_for, role):
    response = client_for(cast.users_by_role()[role]).post("/platform/unions/", union_data())
    assert response.status_code == 403
    assert not Union.objects.filter(slug="gialai").exists()
