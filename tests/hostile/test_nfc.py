"""NFD and NFC spellings of one Vietnamese name are the same name: a text typed decomposed (macOS, some input
methods, text pasted from a PDF) is stored precomposed, found by a precomposed search and refused as a duplicate
exactly like the precomposed spelling."""

import io
import unicodedata

import openpyxl
import pytest
from django.urls import reverse

from lienhiep.core.models import Agency, Person
from tests.hostile.snapshot import changed_tables, database_state


def nfd(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    assert decomposed != text and unicodedata.normalize("NFC", decomposed) == text
    return decomposed


AGENCY = "UBND huyện Đăk Tô"  # the cast's agency, stored NFC


def _agency_form(name: str) -> dict:
    return {"name": name, "short_name": "", "kind": "peoples_committee", "is_active": "on"}


@pytest.mark.parametrize("spelling", ["nfc", "nfd"])
def test_duplicate_agency_name_is_refused_in_either_spelling(spelling, cast, client_for):
    name = AGENCY if spelling == "nfc" else nfd(AGENCY)
    client = client_for(cast.staff)
    before = database_state()
    response = client.post(reverse("core:agencies_create", kwargs={"union_slug": "kontum"}), _agency_form(name))
    assert response.status_code == 200
    assert "đã tồn tại" in response.content.decode()
    assert changed_tables(before, database_state()) == []


def test_a_name_typed_decomposed_is_stored_precomposed(cast, client_for):
    client = client_for(cast.staff)
    response = client.post(
        reverse("core:agencies_create", kwargs={"union_slug": "kontum"}), _agency_form(nfd("UBND xã Ngọc Linh"))
    )
    assert response.status_code == 302
    stored = Agency.objects.get(union=cast.union, name__startswith="UBND x")
    assert stored.name == "UBND xã Ngọc Linh"  # NFC, byte for byte


def test_a_decomposed_search_finds_the_precomposed_name(cast, client_for):
    Person.objects.create(union=cast.union, name="Trần Thị Hường")
    client = client_for(cast.staff)
    url = reverse("core:people_list", kwargs={"union_slug": "kontum"})
    page = client.get(url, {"q": nfd("Thị Hường")}).content.decode()
    assert "Trần Thị Hường" in page
    assert "Nguyễn Văn An" not in page  # the search did filter


def test_query_string_and_form_values_reach_views_as_nfc(rf):
    from lienhiep.core.middleware import NormalizeUnicodeMiddleware

    seen = {}

    def view(request):
        seen["get"] = request.GET.getlist(nfd("tên"))
        seen["post"] = request.POST.getlist("tên")
        return None

    request = rf.post(f"/?{nfd('tên')}={nfd('Đắk')}", {"tên": [nfd("Nguyễn"), nfd("Ngọc Linh")]})
    NormalizeUnicodeMiddleware(view)(request)
    assert seen == {"get": [], "post": ["Nguyễn", "Ngọc Linh"]}
    assert request.GET.getlist("tên") == ["Đắk"]


def _expert_sheet(name: str, year: int) -> io.BytesIO:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Mã chuyên gia", "Họ và tên", "Năm sinh", "Lĩnh vực"])
    sheet.append(["", name, year, "NN"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "chuyên gia.xlsx"
    return buffer


@pytest.mark.parametrize("spelling", ["nfc", "nfd"])
def test_expert_import_refuses_a_registered_person_in_either_spelling(spelling, cast, client_for):
    from tests.advisory import factories

    registered = factories.expert(cast.union, "Nguyễn Thị Hồng Nhung", fields=[factories.field(cast.union)])
    registered.person.birth_year = 1975
    registered.person.save()
    name = registered.person.name if spelling == "nfc" else nfd(registered.person.name)
    client = client_for(cast.staff)
    before = database_state()
    response = client.post(
        reverse("experts:import", kwargs={"union_slug": "kontum"}), {"file": _expert_sheet(name, 1975)}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert registered.code in page  # "already registered as CG-…: use that code"
    assert changed_tables(before, database_state()) == []
