"""The Excel round trip of the expert registry: template, export, and an import that checks every row first,
shows a per-row error table in Vietnamese, applies nothing until the preview's Apply, and matches re-imported
rows by «Mã chuyên gia» instead of duplicating them."""

import io

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from lienhiep.core.models import AdminUnit, Agency, Person
from lienhiep.experts import excel, services
from lienhiep.experts.models import Expert, ExpertImport

from ..conftest import Cast

URL = "/kontum/app/experts/"
HEADERS = [header for _key, header in excel.COLUMNS]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook_bytes(rows: list[dict], headers: list[str] | None = None) -> bytes:
    """An XLSX with the Vietnamese headers and one row per dict (keys are excel.COLUMNS keys)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = excel.SHEET
    keys = [key for key, _header in excel.COLUMNS]
    sheet.append(headers or HEADERS)
    for row in rows:
        sheet.append([row.get(key) for key in keys] if headers is None else [row.get(h) for h in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, data: bytes, name: str = "danh-sach-chuyen-gia.xlsx"):
    return client.post(f"{URL}import/", {"file": SimpleUploadedFile(name, data, content_type=XLSX_TYPE)})


def vi(message: str) -> str:
    with translation.override("vi"):
        return translation.gettext(message)


def snapshot(union) -> dict[str, int]:
    return {
        "people": Person.objects.count(),
        "experts": Expert.objects.count(),
        "agencies": Agency.objects.count(),
        "imports": ExpertImport.objects.count(),
        "expert_history": Expert.history.count(),
    }


GOOD_ROWS = [
    {
        "name": "Phan Thanh Tùng",
        "birth_year": 1978,
        "gender": "Nam",
        "academic_title": "PGS",
        "degree": "TS",
        "position": "Trưởng phòng",
        "workplace": "UBND huyện Đăk Tô",
        "association": "Hội Y học tỉnh Kon Tum",
        "fields": "NN; YT",
        "keywords": "cà phê; sâm Ngọc Linh",
        "locality": "Huyện Đăk Tô, Tỉnh Kon Tum",
        "phone": "0260 3862 111",
        "email": "Tung.Phan@Example.test",
        "availability": "Sẵn sàng",
        "max_load": 3,
        "cv": "Chủ nhiệm đề tài cà phê xen canh.",
    },
    {
        "name": "Hoàng Thị Mai",
        "birth_year": 1988,
        "gender": "Nữ",
        "degree": "ThS",
        "workplace": "Trường Cao đẳng Cộng đồng Kon Tum",
        "fields": "xd",
        "availability": "Hạn chế",
    },
]


# --- a good file: nothing until Apply ----------------------------------------------------------------------------


def test_a_good_file_waits_for_the_preview_then_creates_the_experts(cast: Cast, client_for, experts, fields):
    staff = client_for(cast.staff)
    before = snapshot(cast.union)
    response = upload(staff, workbook_bytes(GOOD_ROWS))
    pending = ExpertImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{URL}import/{pending.pk}/"
    # The upload alone changes nothing in the registry.
    assert pending.status == ExpertImport.Status.PENDING
    assert pending.original_name == "danh-sach-chuyen-gia.xlsx"
    assert pending.union == cast.union
    after_upload = snapshot(cast.union)
    assert after_upload == before | {"imports": before["imports"] + 1}
    assert not Agency.objects.filter(name="Trường Cao đẳng Cộng đồng Kon Tum").exists()

    preview = staff.get(response["Location"])
    assert preview.status_code == 200
    plan = preview.context["plan"]
    assert plan.ok and plan.count_create == 2 and plan.count_update == 0
    html = preview.content.decode()
    assert "Phan Thanh Tùng" in html and "Hoàng Thị Mai" in html
    # The unknown workplace is announced before it is created.
    assert plan.new_workplaces == ["Trường Cao đẳng Cộng đồng Kon Tum"]
    assert "Các nơi công tác sau chưa có trong danh mục cơ quan và sẽ được thêm:" in html
    assert "Trường Cao đẳng Cộng đồng Kon Tum" in html
    assert snapshot(cast.union) == after_upload  # looking at the preview changes nothing either

    applied = staff.post(preview.request["PATH_INFO"], {"action": "apply", "fingerprint": plan.fingerprint()})
    assert applied.status_code == 302 and applied["Location"] == URL
    pending = ExpertImport.objects.get(pk=pending.pk)  # a protected FSM field: fetched again, not refreshed
    assert pending.status == ExpertImport.Status.APPLIED
    assert pending.result == {"created": 2, "updated": 0, "unchanged": 0, "workplaces": 1}
    assert Expert.objects.filter(union=cast.union).count() == len(experts) + 2

    tung = Expert.objects.get(person__name="Phan Thanh Tùng")
    assert tung.union == cast.union and tung.person.union == cast.union
    assert tung.code == "CG-0005"  # the fixture's four experts hold CG-0001..CG-0004
    assert {f.code for f in tung.fields.all()} == {"NN", "YT"}
    assert tung.person.agency == cast.agency
    assert tung.person.association == cast.association
    assert (tung.person.birth_year, tung.person.gender) == (1978, Person.Gender.MALE)
    assert (tung.person.academic_title, tung.person.degree) == ("PGS", "TS")
    assert tung.person.email == "tung.phan@example.test"
    assert tung.locality == cast.district
    assert tung.max_load == 3 and tung.keywords == "cà phê; sâm Ngọc Linh"
    assert "sam ngoc linh" in tung.search_folded

    mai = Expert.objects.get(person__name="Hoàng Thị Mai")
    assert mai.code == "CG-0006"
    assert [f.code for f in mai.fields.all()] == ["XD"]
    assert mai.availability == Expert.Availability.LIMITED
    school = Agency.objects.get(name="Trường Cao đẳng Cộng đồng Kon Tum")
    assert school.union == cast.union and mai.person.agency == school
    assert tung.history.count() == 1  # created with history

    # Applying twice is refused: the file is no longer pending.
    again = staff.post(preview.request["PATH_INFO"], {"action": "apply", "fingerprint": plan.fingerprint()})
    assert again.status_code == 200
    assert Expert.objects.filter(union=cast.union).count() == len(experts) + 2


def test_discarding_a_pending_file_imports_nothing(cast: Cast, client_for, fields):
    staff = client_for(cast.staff)
    response = upload(staff, workbook_bytes(GOOD_ROWS))
    before = snapshot(cast.union)
    staff.post(response["Location"], {"action": "discard"})
    assert ExpertImport.objects.get().status == ExpertImport.Status.DISCARDED
    assert snapshot(cast.union) == before
    applied = staff.post(response["Location"], {"action": "apply", "fingerprint": "x"})
    assert applied.status_code == 200 and snapshot(cast.union) == before


# --- a bad file: a per-row error table, and nothing changed ------------------------------------------------------

BAD_ROWS = [
    {"name": "", "birth_year": 1970, "fields": "NN"},  # row 2: no name
    {"name": "Vũ Văn Cảnh", "fields": "NN; ZZ"},  # row 3: unknown field code
    {"name": "Đinh Thị Lụa", "birth_year": 1850, "fields": "YT"},  # row 4: birth year
    {"name": "Kiều Văn Mạnh", "fields": "XD", "email": "manh-at-example"},  # row 5: e-mail
    {"name": "Lò Thị Nga", "fields": "YT", "association": "Hội Không Tồn Tại"},  # row 6: association
    {"code": "CG-9999", "name": "Mai Văn Phúc", "fields": "NN"},  # row 7: unknown code
    {"name": "Vũ Văn Khoa", "birth_year": 1980, "fields": "NN"},  # row 8
    {"name": "Vũ Văn Khoa", "birth_year": 1980, "fields": "NN"},  # row 9: the same person again
    {"name": "Nguyễn Văn Đạt", "birth_year": 1970, "fields": "NN"},  # row 10: already registered as CG-0003
    {"name": "Hà Thị Quế", "fields": "NN", "workplace": "Công ty Mới Hoàn Toàn"},  # row 11: a good row
]

EXPECTED_ERRORS = {
    (2, "Họ và tên"),
    (3, "Lĩnh vực"),
    (4, "Năm sinh"),
    (5, "Email"),
    (6, "Hội thành viên"),
    (7, "Mã chuyên gia"),
    (9, "Họ và tên"),
    (10, "Mã chuyên gia"),
}


def test_a_bad_file_shows_every_wrong_row_and_changes_nothing(cast: Cast, client_for, experts, fields):
    staff = client_for(cast.staff)
    before = snapshot(cast.union)
    response = upload(staff, workbook_bytes(BAD_ROWS))
    assert response.status_code == 200
    plan = response.context["plan"]
    assert {(e.row, e.column) for e in plan.errors} == EXPECTED_ERRORS
    assert plan.rows == []  # nothing is planned when any row is wrong
    assert snapshot(cast.union) == before  # no person, expert, agency or pending file
    assert not Agency.objects.filter(name="Công ty Mới Hoàn Toàn").exists()

    html = response.content.decode()
    table = html[html.index('id="import-errors"') :]
    for row, column in EXPECTED_ERRORS:
        assert f"<tr><td>{row}</td><td>{column}</td>" in table
    # The offending values and the people concerned are quoted back in Vietnamese.
    for text in ("«ZZ»", "«1850»", "«manh-at-example»", "«Hội Không Tồn Tại»", "CG-9999", "Nguyễn Văn Đạt", "CG-0003"):
        assert text in table, text
    # Vietnamese messages, row by row.
    for row, words in (
        (2, "Thiếu họ và tên"),
        (3, "«ZZ» không phải mã lĩnh vực; các mã hợp lệ là NN, XD, YT"),
        (4, "«1850» không phải năm sinh hợp lệ"),
        (5, "«manh-at-example» không phải địa chỉ email hợp lệ"),
        (6, "«Hội Không Tồn Tại» không phải là hội thành viên của Liên hiệp hội"),
        (7, "Không có chuyên gia nào mang mã CG-9999"),
        (9, "Người này (cùng họ tên và năm sinh) đã có ở dòng 8"),
        (10, "Nguyễn Văn Đạt (sinh năm 1970) đã có trong danh sách với mã CG-0003"),
    ):
        assert f"<tr><td>{row}</td>" in table and words in table, (row, words)
    assert "Chưa nhập dòng nào: phát hiện 8 lỗi." in html
    for header in ("Dòng", "Cột", "Lỗi"):
        assert f'<th scope="col">{header}</th>' in html
    assert "the full name is missing" not in html and "is not a field code" not in html


def test_plan_import_reports_errors_per_row_without_touching_the_database(cast: Cast, experts, fields):
    before = snapshot(cast.union)
    plan = excel.plan_import(cast.union, io.BytesIO(workbook_bytes(BAD_ROWS)))
    assert not plan.ok
    assert {(e.row, e.column) for e in plan.errors} == EXPECTED_ERRORS
    with pytest.raises(ValidationError):
        excel.apply_plan(cast.union, plan, actor=cast.staff)
    assert snapshot(cast.union) == before


def test_a_file_that_is_not_xlsx_is_refused_clearly(cast: Cast, client_for, fields):
    staff = client_for(cast.staff)
    before = snapshot(cast.union)
    for name, content in (
        ("danh-sach.xlsx", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"),
        ("danh-sach.xlsx", "Họ và tên;Lĩnh vực\nNguyễn Văn A;NN\n".encode()),
    ):
        response = upload(staff, content, name)
        assert response.status_code == 200
        errors = response.context["form"].errors["file"]
        assert errors == [
            vi("This file's content is not an accepted type. Accepted: %(types)s.") % {"types": "Excel (XLSX)"}
        ]
        assert "Nội dung tệp không thuộc định dạng được chấp nhận" in response.content.decode()
    assert snapshot(cast.union) == before
    # Read directly, a foreign file is one file-level error (row 1, no column).
    plan = excel.plan_import(cast.union, io.BytesIO(b"%PDF-1.4\n%%EOF\n"))
    assert [(e.row, e.column) for e in plan.errors] == [(1, "")]
    with translation.override("vi"):
        plan = excel.plan_import(cast.union, io.BytesIO(b"%PDF-1.4\n%%EOF\n"))
    assert plan.errors[0].message == "Không đọc được tệp này dưới dạng bảng tính Excel (XLSX)."


def test_missing_required_columns_are_named(cast: Cast, client_for, fields):
    staff = client_for(cast.staff)
    data = workbook_bytes([{"Họ và tên": "Nguyễn Văn Hùng", "Năm sinh": 1980}], headers=["Họ và tên", "Năm sinh"])
    response = upload(staff, data)
    assert response.status_code == 200
    errors = response.context["plan"].errors
    assert len(errors) == 1 and errors[0].row == 1
    assert "«Lĩnh vực»" in errors[0].message and "«Họ và tên»" not in errors[0].message.split(".")[0]
    html = response.content.decode()
    assert "Thiếu cột: «Lĩnh vực»" in html
    assert not ExpertImport.objects.exists()


def test_headers_are_recognised_without_tone_marks_and_by_their_aliases(cast: Cast, fields):
    data = workbook_bytes([{"ho ten": "Nguyễn Văn Hùng", "LINH VUC": "NN"}], headers=["ho ten", "LINH VUC"])
    plan = excel.plan_import(cast.union, io.BytesIO(data))
    assert plan.ok and plan.count_create == 1


# --- the round trip -----------------------------------------------------------------------------------------------


def export_rows(client) -> tuple[openpyxl.Workbook, dict[str, int]]:
    response = client.get(f"{URL}export.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook[excel.SHEET]
    assert [c.value for c in sheet[1]] == HEADERS
    names = {row[1].value: row[0].row for row in sheet.iter_rows(min_row=2)}
    return workbook, names


def edited_export(client, name: str, **cells) -> bytes:
    workbook, rows = export_rows(client)
    sheet = workbook[excel.SHEET]
    for key, value in cells.items():
        sheet.cell(row=rows[name], column=HEADERS.index(excel.HEADER[key]) + 1, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_reimporting_an_edited_export_updates_that_expert_only(cast: Cast, client_for, experts, fields):
    staff = client_for(cast.staff)
    binh = next(e for e in experts if e.person.name == "Trần Thị Bình")
    history_before = binh.history.count()
    data = edited_export(staff, "Trần Thị Bình", keywords="sốt rét; dinh dưỡng trẻ em", fields="YT; NN")
    response = upload(staff, data, "chuyen-gia-kontum.xlsx")
    assert response.status_code == 302, response.context["plan"].errors if response.context else None
    preview = staff.get(response["Location"])
    plan = preview.context["plan"]
    assert plan.ok
    assert (plan.count_create, plan.count_update, plan.count_unchanged) == (0, 1, len(experts) - 1)
    [changed] = [r for r in plan.rows if r.action == "update"]
    assert (changed.code, changed.name) == (binh.code, "Trần Thị Bình")
    assert changed.changes == [
        ("Lĩnh vực", "YT", "NN; YT"),
        ("Từ khóa", "sốt rét; y tế dự phòng", "sốt rét; dinh dưỡng trẻ em"),
    ]
    assert plan.new_workplaces == []
    html = preview.content.decode()
    assert "<del>sốt rét; y tế dự phòng</del>" in html and "<ins>sốt rét; dinh dưỡng trẻ em</ins>" in html
    assert "Lê Văn An" not in html.split('id="import-plan"')[1]  # unchanged rows are only counted

    staff.post(response["Location"], {"action": "apply", "fingerprint": plan.fingerprint()})
    binh.refresh_from_db()
    assert binh.keywords == "sốt rét; dinh dưỡng trẻ em"
    assert {f.code for f in binh.fields.all()} == {"NN", "YT"}
    assert "dinh duong tre em" in binh.search_folded
    assert Expert.objects.filter(union=cast.union).count() == len(experts)  # no duplicate
    assert Person.objects.filter(name="Trần Thị Bình").count() == 1
    assert binh.history.count() == history_before + 1
    assert binh.history.first().keywords == "sốt rét; dinh dưỡng trẻ em"
    # The other experts were not touched.
    for other in experts:
        if other.pk != binh.pk:
            assert other.history.count() == 1


def test_an_unedited_export_reimports_as_all_unchanged(cast: Cast, client_for, experts, fields):
    staff = client_for(cast.staff)
    workbook, _rows = export_rows(staff)
    buffer = io.BytesIO()
    workbook.save(buffer)
    plan = excel.plan_import(cast.union, io.BytesIO(buffer.getvalue()))
    assert plan.ok, plan.errors
    assert plan.count_unchanged == len(experts), [(r.name, r.changes) for r in plan.rows if r.changes]


def test_an_expert_whose_locality_is_a_province_survives_the_round_trip(cast: Cast, client_for, experts, fields):
    staff = client_for(cast.staff)
    an = experts[0]
    an.locality = cast.district.parent
    an.save()
    workbook, _rows = export_rows(staff)
    buffer = io.BytesIO()
    workbook.save(buffer)
    plan = excel.plan_import(cast.union, io.BytesIO(buffer.getvalue()))
    assert plan.ok, plan.errors
    assert plan.count_unchanged == len(experts)


def test_a_stale_preview_is_refused_and_nothing_is_applied(cast: Cast, client_for, experts, fields):
    staff = client_for(cast.staff)
    binh = next(e for e in experts if e.person.name == "Trần Thị Bình")
    response = upload(staff, edited_export(staff, "Trần Thị Bình", keywords="dinh dưỡng"))
    preview = staff.get(response["Location"])
    old_fingerprint = preview.context["plan"].fingerprint()

    # Someone changes the expert after the preview was shown.
    binh.keywords = "y học cổ truyền"
    services.save_expert(
        actor=cast.union_admin, union=cast.union, person=binh.person, expert=binh, fields=[fields["YT"]]
    )
    before = snapshot(cast.union)

    refused = staff.post(response["Location"], {"action": "apply", "fingerprint": old_fingerprint})
    assert refused.status_code == 302 and refused["Location"] == response["Location"]
    assert [str(m) for m in get_messages(refused.wsgi_request)] == [
        "Danh sách chuyên gia đã thay đổi sau lần xem trước. Hãy xem lại bản xem trước mới rồi nhập lại."
    ]
    binh.refresh_from_db()
    assert binh.keywords == "y học cổ truyền"
    assert ExpertImport.objects.get().status == ExpertImport.Status.PENDING
    assert snapshot(cast.union) == before
    # The new preview shows the change against the current value, and can be applied.
    fresh = staff.get(response["Location"]).context["plan"]
    [row] = [r for r in fresh.rows if r.action == "update"]
    assert ("Từ khóa", "y học cổ truyền", "dinh dưỡng") in row.changes
    assert fresh.fingerprint() != old_fingerprint


def test_a_forged_fingerprint_is_refused(cast: Cast, client_for, fields):
    staff = client_for(cast.staff)
    response = upload(staff, workbook_bytes(GOOD_ROWS))
    staff.post(response["Location"], {"action": "apply", "fingerprint": "0" * 64})
    assert not Expert.objects.exists()
    assert ExpertImport.objects.get().status == ExpertImport.Status.PENDING


# --- template and export ------------------------------------------------------------------------------------------


def test_the_template_has_the_headers_and_the_lists_sheet(cast: Cast, client_for, fields, experts):
    response = client_for(cast.staff).get(f"{URL}template.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    assert 'filename="mau-danh-sach-chuyen-gia.xlsx"' in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [excel.SHEET, excel.LISTS_SHEET]
    sheet = workbook[excel.SHEET]
    assert [c.value for c in sheet[1]] == HEADERS
    assert sheet.max_row == 1  # no expert in the template
    lists = workbook[excel.LISTS_SHEET]
    columns = {c.value: i for i, c in enumerate(lists[1])}
    codes = [r[columns["Lĩnh vực (mã)"]] for r in lists.iter_rows(min_row=2, values_only=True)]
    assert [c for c in codes if c] == ["NN", "XD", "YT"]
    associations = [r[columns["Hội thành viên"]] for r in lists.iter_rows(min_row=2, values_only=True)]
    assert "Hội Y học tỉnh Kon Tum" in associations
    degrees = [r[columns["Học vị"]] for r in lists.iter_rows(min_row=2, values_only=True)]
    assert "ThS" in degrees and "TS" in degrees
    # The filled template imports cleanly.
    assert excel.plan_import(cast.union, io.BytesIO(workbook_bytes(GOOD_ROWS))).ok


def test_the_export_holds_every_expert_of_the_union_only(cast: Cast, client_for, experts, outsider_expert):
    _workbook, rows = export_rows(client_for(cast.staff))
    assert set(rows) == {e.person.name for e in experts}
    response = client_for(cast.outsider_staff).get("/quangngai/app/experts/export.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))[excel.SHEET]
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["Nguyễn Quốc Dũng"]
    assert client_for(cast.outsider_staff).get(f"{URL}export.xlsx").status_code == 403


# --- permissions --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["leader", "expert", "agency_rep", "entrant", "outsider_staff"])
def test_only_editors_of_the_union_may_upload(cast: Cast, client_for, fields, role):
    client = client_for(cast.users_by_role()[role])
    response = upload(client, workbook_bytes(GOOD_ROWS))
    assert response.status_code == 403
    assert not ExpertImport.objects.exists() and not Expert.objects.exists()


def test_union_admin_may_upload(cast: Cast, client_for, fields):
    response = upload(client_for(cast.union_admin), workbook_bytes(GOOD_ROWS))
    pending = ExpertImport.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/experts/import/{pending.pk}/")
    assert (pending.union, pending.uploaded_by, pending.status) == (cast.union, cast.union_admin, "pending")


def test_another_union_cannot_see_or_apply_a_kontum_import(cast: Cast, client_for, fields):
    response = upload(client_for(cast.staff), workbook_bytes(GOOD_ROWS))
    pending = ExpertImport.objects.get()
    fingerprint = client_for(cast.staff).get(response["Location"]).context["plan"].fingerprint()
    outsider = client_for(cast.outsider_staff)
    assert outsider.get(f"/quangngai/app/experts/import/{pending.pk}/").status_code == 404
    assert (
        outsider.post(
            f"/quangngai/app/experts/import/{pending.pk}/", {"action": "apply", "fingerprint": fingerprint}
        ).status_code
        == 404
    )
    assert outsider.get(f"/kontum/app/experts/import/{pending.pk}/").status_code == 403
    assert client_for(cast.leader).get(f"/kontum/app/experts/import/{pending.pk}/").status_code == 403
    assert not Expert.objects.exists()
    assert ExpertImport.objects.get().status == ExpertImport.Status.PENDING


# --- size -----------------------------------------------------------------------------------------------------------


def test_planning_two_thousand_rows_takes_a_fixed_number_of_queries(
    cast: Cast, experts, fields, django_assert_max_num_queries
):
    rows = [
        {
            "name": f"Nguyễn Văn Số {i}",
            "birth_year": 1960 + i % 40,
            "fields": ["NN", "YT; XD", "XD"][i % 3],
            "workplace": ["UBND huyện Đăk Tô", f"Cơ quan {i % 7}"][i % 2],
            "association": "Hội Y học tỉnh Kon Tum" if i % 5 == 0 else None,
            "locality": "Huyện Đăk Tô, Tỉnh Kon Tum" if i % 4 == 0 else None,
            "email": f"so{i}@example.test",
        }
        for i in range(2000)
    ]
    # Half the rows update the existing experts (by their codes) — the rest are new.
    for expert, row in zip(experts, rows, strict=False):
        row.update(code=expert.code, name=expert.person.name, birth_year=expert.person.birth_year)
    data = workbook_bytes(rows)
    with django_assert_max_num_queries(12):
        plan = excel.plan_import(cast.union, io.BytesIO(data))
    assert plan.ok, plan.errors[:5]
    assert plan.count_create == 2000 - len(experts)
    assert len(plan.new_workplaces) == 7


def test_applying_two_thousand_rows_is_not_a_query_per_row(cast: Cast, fields, django_assert_max_num_queries):
    rows = [{"name": f"Trần Thị Số {i}", "fields": "NN; YT", "workplace": f"Cơ quan {i % 3}"} for i in range(2000)]
    plan = excel.plan_import(cast.union, io.BytesIO(workbook_bytes(rows)))
    with django_assert_max_num_queries(200):
        counts = excel.apply_plan(cast.union, plan, actor=cast.staff)
    assert counts["created"] == 2000
    assert Expert.objects.filter(union=cast.union).count() == 2000
    assert len(set(Expert.objects.values_list("code", flat=True))) == 2000
    assert Expert.fields.through.objects.count() == 4000
    assert AdminUnit.objects.count() == 2  # nothing else touched


# --- what users put in cells ----------------------------------------------------------------------------------------


def test_values_are_shown_escaped_in_the_error_table(cast: Cast, client_for, fields):
    rows = [{"name": "<script>alert(1)</script>", "fields": "<b>NN</b>"}]
    html = upload(client_for(cast.staff), workbook_bytes(rows)).content.decode()
    assert "<script>alert(1)</script>" not in html and "<b>NN</b>" not in html
    assert "&lt;b&gt;NN&lt;/b&gt;" in html


def test_text_that_looks_like_a_formula_is_exported_as_text(cast: Cast, client_for, experts, fields):
    an = experts[0]
    an.cv = '=HYPERLINK("http://example.test/x","Xem lý lịch")'
    services.save_expert(actor=cast.staff, union=cast.union, person=an.person, expert=an, fields=[fields["XD"]])
    workbook, rows = export_rows(client_for(cast.staff))
    cell = workbook[excel.SHEET].cell(row=rows["Lê Văn An"], column=HEADERS.index("Lý lịch khoa học") + 1)
    assert cell.data_type == "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    plan = excel.plan_import(cast.union, io.BytesIO(buffer.getvalue()))
    assert plan.ok and plan.count_unchanged == len(experts)


def test_the_export_survives_control_characters_pasted_from_word(cast: Cast, client_for, experts, fields):
    an = experts[0]
    an.cv = "Kỹ sư thủy lợi.\x0bChủ nhiệm đề tài kênh tưới."
    services.save_expert(actor=cast.staff, union=cast.union, person=an.person, expert=an, fields=[fields["XD"]])
    workbook, rows = export_rows(client_for(cast.staff))
    cell = workbook[excel.SHEET].cell(row=rows["Lê Văn An"], column=HEADERS.index("Lý lịch khoa học") + 1)
    assert cell.value == "Kỹ sư thủy lợi.Chủ nhiệm đề tài kênh tưới."  # the control character dropped, the rest kept


def add_local_experts(cast: Cast, fields, n: int) -> None:
    from .conftest import add_expert

    for i in range(n):
        add_expert(
            cast.staff,
            cast.union,
            f"Ngô Văn Số{i}",
            [fields["NN"], fields["YT"]],
            agency=cast.agency,
            association=cast.association,
            expert={"locality": cast.district},
        )


def test_planning_a_reimported_export_takes_a_fixed_number_of_queries(
    cast: Cast, client_for, experts, fields, django_assert_max_num_queries
):
    add_local_experts(cast, fields, 30)
    workbook, _rows = export_rows(client_for(cast.staff))
    buffer = io.BytesIO()
    workbook.save(buffer)
    with django_assert_max_num_queries(12):
        plan = excel.plan_import(cast.union, io.BytesIO(buffer.getvalue()))
    assert plan.count_unchanged == len(experts) + 30


def test_the_export_takes_a_fixed_number_of_queries(cast: Cast, client_for, experts, fields):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    staff = client_for(cast.staff)

    def measure() -> int:
        staff.get(f"{URL}export.xlsx")
        with CaptureQueriesContext(connection) as queries:
            assert staff.get(f"{URL}export.xlsx").status_code == 200
        return len(queries)

    small = measure()
    add_local_experts(cast, fields, 15)
    assert measure() == small


def test_a_pending_file_that_became_wrong_is_refused_with_the_reason(cast: Cast, client_for, experts, fields):
    """Between the upload and Apply, someone registers one of the file's new people by hand."""
    from .conftest import add_expert

    staff = client_for(cast.staff)
    response = upload(staff, workbook_bytes(GOOD_ROWS))
    fingerprint = staff.get(response["Location"]).context["plan"].fingerprint()
    add_expert(cast.union_admin, cast.union, "Phan Thanh Tùng", [fields["NN"]], birth_year=1978)
    before = snapshot(cast.union)
    refused = staff.post(response["Location"], {"action": "apply", "fingerprint": fingerprint})
    messages = [str(m) for m in get_messages(refused.wsgi_request)]
    assert len(messages) == 1 and messages[0].startswith("Danh sách chuyên gia đã thay đổi sau khi kiểm tra tệp")
    assert snapshot(cast.union) == before
    html = staff.get(response["Location"]).content.decode()
    assert "Phan Thanh Tùng (sinh năm 1978) đã có trong danh sách với mã CG-0005" in html


def test_applying_is_logged_in_the_activity_of_the_union(cast: Cast, client_for, fields):
    from lienhiep.core.models import ActivityLog

    staff = client_for(cast.staff)
    response = upload(staff, workbook_bytes(GOOD_ROWS))
    plan = staff.get(response["Location"]).context["plan"]
    staff.post(response["Location"], {"action": "apply", "fingerprint": plan.fingerprint()})
    log = ActivityLog.objects.get(verb="experts.import.applied")
    assert log.union == cast.union and log.actor == cast.staff
    assert "2" in log.message


def test_the_demo_registry_round_trips_unchanged(demo):
    """The whole demo registry (50+ experts, localities before the 2025 reform) exported and read back: no error,
    nothing to change."""
    from lienhiep.core.models import Union
    from lienhiep.experts import queries

    union = Union.objects.get(slug="kontum")
    experts = queries.experts_of(union)
    assert experts.count() >= 50
    plan = excel.plan_import(union, io.BytesIO(excel.export_workbook(union, experts)))
    assert plan.ok, plan.errors[:5]
    assert plan.count_unchanged == experts.count()
