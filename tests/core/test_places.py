"""Administrative units: the package import (before and after the 1 July 2025 reform), local spellings, periods
and successors, idempotence, and spreadsheet imports that are checked in full before anything is written."""

import datetime
import io
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from lienhiep.core import places
from lienhiep.core.models import AdminUnit

DAY_2021 = datetime.date(2021, 11, 11)
TODAY = datetime.date(2026, 11, 25)
KON_TUM_2021 = {
    "thành phố Kon Tum",
    "huyện Đăk Glei",
    "huyện Ngọc Hồi",
    "huyện Đăk Tô",
    "huyện Kon Plông",
    "huyện Kon Rẫy",
    "huyện Đăk Hà",
    "huyện Sa Thầy",
    "huyện Tu Mơ Rông",
    "huyện Ia H'Drai",
}
HEADER = "Mã,Tên,Cấp,Mã đơn vị cấp trên,Hiệu lực từ,Hiệu lực đến,Mã đơn vị kế thừa\n"


@pytest.fixture
def kontum(db) -> places.ImportReport:
    report = places.import_units(places.package_rows(["Kon Tum"]))
    assert report.ok, report.errors[:5]
    return report


def old_kontum() -> AdminUnit:
    return AdminUnit.objects.get(AdminUnit.valid_on_q(DAY_2021), level="province", code="62")


def new_quangngai() -> AdminUnit:
    return AdminUnit.objects.get(AdminUnit.valid_on_q(TODAY), level="province", code="51")


def test_kon_tum_had_ten_district_level_units_in_2021(kontum):
    districts = AdminUnit.objects.filter(AdminUnit.valid_on_q(DAY_2021), level="district", parent=old_kontum())
    assert districts.count() == 10
    assert {d.title() for d in districts} == KON_TUM_2021


def test_local_spelling_and_full_path():
    rows = places.package_rows(["Kon Tum"])
    dak_to = next(r for r in rows if r.level == "district" and r.code == "612")
    assert (dak_to.name, dak_to.short_name, dak_to.kind) == ("Huyện Đăk Tô", "Đăk Tô", "Huyện")


def test_full_path_of_dak_to(kontum):
    unit = AdminUnit.objects.get(code="612", level="district")
    assert unit.full_path() == "huyện Đăk Tô, tỉnh Kon Tum"
    assert unit.name_folded == "huyen dak to dak to"
    assert unit.sort_key == AdminUnit(name=unit.name).compute_sort_key()
    assert unit.history.count() == 1


def test_today_there_are_no_districts_and_kon_tum_is_part_of_quang_ngai(kontum):
    valid_today = AdminUnit.objects.filter(AdminUnit.valid_on_q(TODAY))
    assert not valid_today.filter(level="district").exists()
    assert not valid_today.filter(level="province", code="62").exists()
    quangngai = new_quangngai()
    assert quangngai.name == "Tỉnh Quảng Ngãi"
    # The June 2025 resolution on Quảng Ngãi gives the new province 96 commune-level units (86 communes, 9 wards,
    # the special zone Lý Sơn); the package agrees.
    assert valid_today.filter(level="commune", parent=quangngai).count() == 96
    assert valid_today.filter(level="commune").exclude(parent=quangngai).count() == 0


def test_successors_lead_from_the_old_units_to_the_new(kontum):
    assert new_quangngai() in old_kontum().successors.all()
    commune = AdminUnit.objects.filter(parent__code="612", parent__level="district").first()
    successors = list(commune.successors.all())
    assert successors and all(s.is_valid_on(TODAY) and s.parent == new_quangngai() for s in successors)
    dak_to = AdminUnit.objects.get(code="612", level="district")
    assert {s.pk for s in dak_to.successors.all()} == {s.pk for c in dak_to.children.all() for s in c.successors.all()}
    assert old_kontum() in new_quangngai().predecessors.all()


def test_reimport_changes_nothing(kontum):
    again = places.import_units(places.package_rows(["Kon Tum"]))
    assert (again.created, again.updated, again.unchanged) == (0, 0, kontum.created + kontum.updated)
    assert kontum.created + kontum.updated == AdminUnit.objects.count()


def test_filtering_takes_whole_merger_groups():
    rows = places.package_rows(["kon tum"])
    old_provinces = {r.short_name for r in rows if r.level == "province" and r.valid_from is None}
    new_provinces = {r.short_name for r in rows if r.level == "province" and r.valid_from is not None}
    assert (old_provinces, new_provinces) == ({"Kon Tum", "Quảng Ngãi"}, {"Quảng Ngãi"})
    with pytest.raises(ValueError):
        places.package_rows(["Atlantis"])


def write(tmp_path: Path, text: str, name: str = "units.csv", bom: bool = False) -> Path:
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


@pytest.mark.django_db
def test_one_bad_row_and_nothing_is_imported(tmp_path):
    before = AdminUnit.objects.count()  # the cast's province and district
    path = write(
        tmp_path,
        HEADER + "99,Tỉnh Thử Nghiệm,tỉnh,,,30/06/2025,\n"
        "991,Huyện Một,huyện,99,,30/06/2025,\n"
        "992,Huyện Hai,huyện,99,,31/02/2025,\n"
        "993,Huyện Ba,huyện,99,,,\n"
        "99001,Xã Một,xã,992,,,\n",  # its district's row is wrong, but that is reported once, on row 4
        bom=True,
    )
    report = places.import_units(places.read_units_file(path))
    assert not report.ok
    assert [(e.row, e.column) for e in report.errors] == [(4, "Hiệu lực đến")]
    assert "không hợp lệ" in report.errors[0].message and "31/02/2025" in report.errors[0].message
    assert str(report.errors[0]).startswith("Dòng 4, cột «Hiệu lực đến»:")
    assert AdminUnit.objects.count() == before  # nothing imported


@pytest.mark.django_db
def test_every_kind_of_error_is_reported_with_its_row_and_column(tmp_path):
    before = AdminUnit.objects.count()  # the cast's province and district
    path = write(
        tmp_path,
        HEADER + "99,Tỉnh Thử Nghiệm,tỉnh,,,30/06/2025,\n"
        "991,Huyện Một,cấp huyện,98,,,\n"
        "992,Huyện Hai,thôn,99,,,\n"
        "99,Tỉnh Trùng,tỉnh,,,,\n"
        "993,Huyện Ba,huyện,99,01/07/2020,30/06/2020,\n"
        "994,Huyện Bốn,huyện,99,,30/06/2025,99999\n"
        ",,xã,,,,\n"
        "995,Huyện Năm,huyện,99,,,994\n",
    )
    report = places.import_units(places.read_units_file(path))
    found = {(e.row, e.column) for e in report.errors}
    assert found == {
        (3, "Mã đơn vị cấp trên"),  # no province 98
        (4, "Cấp"),  # unknown level
        (5, "Mã"),  # same level, code and start as row 2
        (6, "Hiệu lực đến"),  # ends before it starts
        (7, "Mã đơn vị kế thừa"),  # no commune 99999 on 01/07/2025
        (8, "Mã"),
        (8, "Tên"),  # empty code and name
        (9, "Hiệu lực đến"),  # successors without an end date
    }
    messages = {(e.row, e.column): e.message for e in report.errors}
    assert "Không có đơn vị cấp tỉnh mã 98" in messages[(3, "Mã đơn vị cấp trên")]
    assert "Trùng với dòng 2" in messages[(5, "Mã")]
    assert AdminUnit.objects.count() == before  # nothing imported


def test_a_file_links_to_units_already_in_the_database(kontum, tmp_path):
    dak_to_commune = AdminUnit.objects.get(level="commune", code="23401", valid_from=places.REFORM_DATE)
    path = write(
        tmp_path,
        "Mã;Tên;Cấp;Mã đơn vị cấp trên;Hiệu lực từ;Hiệu lực đến;Mã đơn vị kế thừa\n"
        "612;Huyện Đăk Tô;huyện;62;;2025-06-30;23401\n"
        "90001;Xã Thử Nghiệm;xã;612;;30/06/2025;23401\n",
    )
    report = places.import_units(places.read_units_file(path))
    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (1, 1, 0)  # Đăk Tô loses two successors
    assert list(AdminUnit.objects.get(level="district", code="612").successors.all()) == [dak_to_commune]
    unit = AdminUnit.objects.get(code="90001")
    assert unit.full_path() == "xã Thử Nghiệm, huyện Đăk Tô, tỉnh Kon Tum"
    assert (unit.kind, unit.short_name) == ("Xã", "Thử Nghiệm")


@pytest.mark.django_db
def test_an_xlsx_file_imports(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(
        [
            "MÃ",
            "ten",
            "Tên ngắn",
            "Loại",
            "CAP",
            "Ma don vi cap tren",
            "Hiệu lực từ",
            "Hiệu lực đến",
            "Mã đơn vị kế thừa",
        ]
    )
    old_end = datetime.datetime(2025, 6, 30)
    sheet.append([99, "Tỉnh Thử Nghiệm", None, None, "Tỉnh", None, None, old_end, "98"])
    sheet.append(["98", "Tỉnh Mới", None, None, "province", None, datetime.datetime(2025, 7, 1), None, None])
    sheet.append([991, "Huyện Một", None, None, "huyện", 99, None, old_end, "123"])
    sheet.append([None] * 9)
    sheet.append([123, "Phường Một", "Một", "Phường", "xã", 98, "01/07/2025", None, None])
    path = tmp_path / "units.xlsx"
    workbook.save(path)

    report = places.import_units(places.read_units_file(path))
    assert report.ok, report.errors
    assert report.created == 4
    ward = AdminUnit.objects.get(level="commune", code="00123")  # Excel dropped the leading zeros
    assert ward.full_path() == "phường Một, tỉnh Mới"
    assert ward.valid_from == places.REFORM_DATE
    district = AdminUnit.objects.get(level="district", code="991")
    assert district.full_path() == "huyện Một, tỉnh Thử Nghiệm"
    assert list(district.successors.all()) == [ward]
    assert [u.code for u in AdminUnit.objects.get(code="99").successors.all()] == ["98"]


def test_the_command_imports_the_package_and_prints_a_summary(db):
    out = io.StringIO()
    call_command("import_places", package=True, province=["Kon Tum"], stdout=out)
    assert "mới" in out.getvalue() and "không đổi" in out.getvalue()
    assert AdminUnit.objects.filter(level="district", code="612").exists()


def test_the_command_exits_non_zero_and_lists_the_errors(db, tmp_path, capsys):
    before = AdminUnit.objects.count()  # the cast's province and district
    path = write(tmp_path, HEADER + "99,Tỉnh Thử Nghiệm,tỉnh,,,30/06/2025,\n991,Huyện Một,quận,99,,,\n")
    # CommandError is what makes `manage.py`/`lienhiep` exit with status 1 (run_from_argv would also close
    # the test's database connection, so the command is called in-process)
    with pytest.raises(CommandError):
        call_command("import_places", str(path))
    assert "Dòng 3, cột «Cấp»" in capsys.readouterr().err
    assert AdminUnit.objects.count() == before  # nothing imported
