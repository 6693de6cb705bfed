"""Platform administrators import administrative units from the browser: all or nothing, errors per row."""

from django.core.files.uploadedfile import SimpleUploadedFile

from lienhiep.core.models import ActivityLog, AdminUnit

HEADER = "Mã,Tên,Cấp,Mã đơn vị cấp trên,Hiệu lực từ,Hiệu lực đến,Mã đơn vị kế thừa\n"
GOOD = HEADER + "99,Tỉnh Thử Nghiệm,tỉnh,,,30/06/2025,\n991,Huyện Một,huyện,99,,30/06/2025,\n"
BAD = HEADER + "99,Tỉnh Thử Nghiệm,tỉnh,,,30/06/2025,\n991,Huyện Một,quận,99,,31/02/2025,\n"
URL = "/platform/places/import/"


def upload(text: str, name: str = "don-vi.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_a_good_file_is_imported_and_logged(cast, client_for):
    response = client_for(cast.platform_admin).post(URL, {"file": upload(GOOD)})
    assert response.status_code == 302
    assert AdminUnit.objects.get(code="991").full_path() == "huyện Một, tỉnh Thử Nghiệm"
    assert ActivityLog.objects.filter(verb="core.adminunit.imported", actor=cast.platform_admin).exists()


def test_one_bad_row_imports_nothing_and_is_reported_by_row_and_column(cast, client_for):
    before = AdminUnit.objects.count()
    response = client_for(cast.platform_admin).post(URL, {"file": upload(BAD)})
    assert response.status_code == 200
    report = response.context["report"]
    assert {(e.row, e.column) for e in report.errors} >= {(3, "Cấp")}
    assert AdminUnit.objects.count() == before
    assert "<td>3</td>" in response.content.decode()


def test_files_that_are_not_csv_or_xlsx_are_refused_with_a_reason(cast, client_for):
    client = client_for(cast.platform_admin)
    before = AdminUnit.objects.count()
    for bad in [
        SimpleUploadedFile("x.xlsx", b"%PDF-1.4 not a sheet"),
        SimpleUploadedFile("x.csv", b"\xff\xfe\x00A"),
        SimpleUploadedFile("x.csv", b""),
    ]:
        response = client.post(URL, {"file": bad})
        assert response.status_code == 200
        assert response.context["form"].errors["file"]
    assert AdminUnit.objects.count() == before


def test_only_platform_administrators_may_import(cast, client_for):
    for user in (cast.union_admin, cast.staff, cast.leader):
        assert client_for(user).post(URL, {"file": upload(GOOD)}).status_code == 403
    assert not AdminUnit.objects.filter(code="991").exists()
