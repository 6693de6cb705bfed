"""The expert registry in Chromium, on the demo data, as the demo staff member «canbo»: search and open an expert,
download the template, import a bad file (error table) and a good one (preview → apply), ask for a proposal on
the demo matching batch, read an item's conflicts, and be refused when placing a conflicted expert by hand."""

import io
import re

import openpyxl
import pytest
from playwright.sync_api import expect

from lienhiep.core.mfa import current_code
from lienhiep.devdata.demo import DEMO_PASSWORD, demo_logins
from lienhiep.experts import conflicts, excel
from lienhiep.experts.models import Batch, Expert, ExpertImport

pytestmark = pytest.mark.browser

BATCH_TITLE = "Phản biện các đề án của huyện Tu Mơ Rông và Đăk Tô năm 2022"
HEADERS = [header for _key, header in excel.COLUMNS]


def sign_in_as_staff(page, base_url: str) -> None:
    login = next(login for login in demo_logins() if login.username == "canbo")
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=login]", login.username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    if login.totp_secret:
        page.wait_for_url(re.compile(r".*/accounts/2fa/authenticate/.*"))
        page.fill("input[name=code]", current_code(login.totp_secret))
        page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()


def write_workbook(path, rows: list[dict]) -> str:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = excel.SHEET
    sheet.append(HEADERS)
    for row in rows:
        sheet.append([row.get(key) for key, _header in excel.COLUMNS])
    workbook.save(path)
    return str(path)


def watch_console(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("response", lambda r: errors.append(f"HTTP {r.status} {r.url}") if r.status >= 400 else None)
    return errors


@pytest.mark.django_db(transaction=True)
def test_staff_search_the_registry_open_an_expert_and_download_the_template(live_server, page, screenshot, demo):
    errors = watch_console(page)
    sign_in_as_staff(page, live_server.url)
    total = Expert.objects.filter(union__slug="kontum").count()
    assert total >= 50
    page.locator("nav.navbar").get_by_role("button", name="Chuyên gia", exact=True).click()  # the menu
    page.get_by_role("link", name="Danh sách chuyên gia").first.click()
    expect(page.locator("h1")).to_have_text("Danh sách chuyên gia")
    expect(page.locator("#results")).to_contain_text(f"{total} chuyên gia")

    page.fill("input[name=q]", "sam ngoc linh")
    page.keyboard.press("Enter")
    expect(page.locator("#results")).not_to_contain_text(f"{total} chuyên gia")
    rows = page.locator("#results tbody tr")
    expect(rows.first).to_contain_text("CG-")
    found = rows.count()
    assert 0 < found < total
    expected = {e.code for e in Expert.objects.filter(union__slug="kontum", search_folded__contains="sam ngoc linh")}
    assert found == len(expected)
    screenshot(page, "experts-list")

    # Narrow with a filter (htmx swaps the results), then open the first expert.
    page.select_option("select[name=degree]", "TS")
    expect(page).to_have_url(re.compile(r".*degree=TS.*"))
    page.locator("#results tbody tr a").first.click()
    expect(page.locator("h1")).to_contain_text("CG-")
    assert "TS" in page.locator("h1").inner_text()

    page.goto(f"{live_server.url}/kontum/app/experts/import/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải tệp mẫu").click()
    download = download_info.value
    assert download.suggested_filename == "mau-danh-sach-chuyen-gia.xlsx"
    workbook = openpyxl.load_workbook(io.BytesIO(download.path().read_bytes()))
    assert [c.value for c in workbook[excel.SHEET][1]] == HEADERS
    codes = [r[0] for r in workbook[excel.LISTS_SHEET].iter_rows(min_row=2, values_only=True) if r[0]]
    assert {"NN", "YT", "XD"} <= set(codes)
    assert not [e for e in errors if e.startswith("HTTP 5") or "Content Security Policy" in e], errors


@pytest.mark.django_db(transaction=True)
def test_an_expert_record_keeps_to_the_content_security_policy(live_server, page, demo):
    errors = watch_console(page)
    sign_in_as_staff(page, live_server.url)
    expert = Expert.objects.filter(union__slug="kontum").exclude(cv="").first()
    page.goto(f"{live_server.url}/kontum/app/experts/{expert.pk}/")
    expect(page.locator("main")).to_contain_text(expert.cv[:30])
    assert not [e for e in errors if "Content Security Policy" in e], errors
    # The CV keeps its line breaks through the stylesheet (no inline style under the CSP).
    assert page.locator("main .text-pre-line").evaluate("e => getComputedStyle(e).whiteSpace") == "pre-line"


@pytest.mark.django_db(transaction=True)
def test_staff_import_a_bad_file_then_a_good_one(live_server, page, screenshot, tmp_path, demo):
    sign_in_as_staff(page, live_server.url)
    before = Expert.objects.count()
    page.goto(f"{live_server.url}/kontum/app/experts/")
    page.get_by_role("link", name="Nhập từ Excel").last.click()
    expect(page.locator("h1")).to_contain_text("Excel")

    bad = write_workbook(
        tmp_path / "chuyen-gia-loi.xlsx",
        [
            {"name": "", "birth_year": 1970, "fields": "NN"},
            {"name": "Vũ Văn Cảnh", "fields": "NN; ZZ"},
            {"name": "Đinh Thị Lụa", "birth_year": 1850, "fields": "YT"},
            {"name": "Kiều Văn Mạnh", "fields": "XD", "email": "manh-at-example"},
            {"code": "CG-9999", "name": "Mai Văn Phúc", "fields": "NN"},
        ],
    )
    page.set_input_files("input[name=file]", bad)
    page.get_by_role("button", name="Kiểm tra tệp").click()
    expect(page.locator(".alert-danger")).to_contain_text("Chưa nhập dòng nào")
    table = page.locator("#import-errors")
    expect(table).to_contain_text("Thiếu họ và tên")
    expect(table).to_contain_text("«ZZ» không phải mã lĩnh vực")
    expect(table).to_contain_text("«1850» không phải năm sinh hợp lệ")
    expect(table).to_contain_text("không phải địa chỉ email hợp lệ")
    expect(table).to_contain_text("CG-9999")
    assert table.locator("tbody tr").count() == 5
    screenshot(page, "experts-import-errors")
    assert Expert.objects.count() == before and not ExpertImport.objects.exists()

    good = write_workbook(
        tmp_path / "chuyen-gia-moi.xlsx",
        [
            {
                "name": "Phan Thanh Tùng",
                "birth_year": 1978,
                "gender": "Nam",
                "academic_title": "PGS",
                "degree": "TS",
                "workplace": "Viện Nghiên cứu Cà phê Tây Nguyên",
                "fields": "NN; MT",
                "keywords": "cà phê; tưới tiết kiệm",
                "association": "Hội KHKT Nông nghiệp",
            },
            {
                "name": "Hoàng Thị Mai",
                "birth_year": 1988,
                "degree": "ThS",
                "fields": "YT",
                "keywords": "sốt rét",
                "association": "Hội Y học tỉnh Kon Tum",
            },
        ],
    )
    page.set_input_files("input[name=file]", good)
    page.get_by_role("button", name="Kiểm tra tệp").click()
    expect(page).to_have_url(re.compile(r".*/experts/import/\d+/$"))
    expect(page.locator("main")).to_contain_text("Viện Nghiên cứu Cà phê Tây Nguyên")
    expect(page.locator("#import-plan")).to_contain_text("Phan Thanh Tùng")
    expect(page.locator("#import-plan")).to_contain_text("Hoàng Thị Mai")
    screenshot(page, "experts-import-preview")
    assert Expert.objects.count() == before  # nothing until Apply

    page.get_by_role("button", name="Nhập vào danh sách").click()
    expect(page.locator("main")).to_contain_text("Đã nhập: 2 chuyên gia mới, 0 cập nhật, 0 không đổi.")
    assert Expert.objects.count() == before + 2
    page.fill("input[name=q]", "phan thanh tung")
    page.keyboard.press("Enter")
    expect(page.locator("#results tbody tr")).to_have_count(1)
    expect(page.locator("#results")).to_contain_text("PGS.TS Phan Thanh Tùng")


def conflicted_expert(item) -> Expert:
    """An expert of the demo who may not act on the item (works at the requesting body or under it, or for the
    local authorities); if the demo has none, one is moved to the requesting body."""
    for expert in Expert.objects.filter(union=item.batch.union).select_related("person").order_by("pk"):
        if not conflicts.check(expert.person, item).allowed:
            return expert
    expert = Expert.objects.filter(union=item.batch.union).select_related("person").order_by("pk").first()
    expert.person.agency = item.requesting_agency
    expert.person.save()
    return expert


@pytest.mark.django_db(transaction=True)
def test_staff_propose_experts_read_conflicts_and_are_refused_a_conflicted_placement(
    live_server, page, screenshot, demo
):
    sign_in_as_staff(page, live_server.url)
    batch = Batch.objects.get(title=BATCH_TITLE)
    item = batch.items.get(title__contains="Đăk Tô")
    blocked = conflicted_expert(item)
    seats = sum(i.needed() for i in batch.items.all())

    page.goto(f"{live_server.url}/kontum/app/experts/batches/")
    page.get_by_role("link", name=BATCH_TITLE).click()
    expect(page.locator("h1")).to_contain_text(BATCH_TITLE)
    expect(page.locator("main")).to_contain_text(f"0/{seats} vị trí đã xếp")
    page.get_by_role("button", name="Đề xuất chuyên gia").click()
    expect(page.locator("main")).to_contain_text(f"{seats}/{seats} vị trí đã xếp")
    expect(page.locator(".alert-success")).to_contain_text("Đã đủ người cho mọi vị trí")
    section = page.locator("section.card", has=page.locator(f"#item-{item.pk}"))
    expect(section.locator("ul.list-unstyled > li")).to_have_count(item.needed())
    screenshot(page, "experts-batch-proposal")
    # Nobody with a conflict was proposed.
    assert not item.proposals.filter(expert=blocked).exists()
    for proposal in item.proposals.select_related("expert__person"):
        assert conflicts.check(proposal.expert.person, item).allowed

    section.get_by_role("link", name="Xung đột lợi ích").click()
    expect(page.locator("h1")).to_contain_text(item.title)
    row = page.locator("#conflicts tbody tr", has=page.locator(f"a[href$='/experts/{blocked.pk}/']"))
    expect(row).to_contain_text("Không")
    screenshot(page, "experts-conflicts")

    page.go_back()
    control = page.locator(f"#place-{item.pk}-ts-control")  # the experts picker: typed, as a person would
    control.click()
    control.press_sequentially(blocked.person.name.split()[-1], delay=50)
    match = page.locator(f"#place-{item.pk}-ts-dropdown .option", has_text=blocked.person.name).first
    expect(match).to_be_visible()
    match.click()
    page.keyboard.press("Escape")
    section.locator(f"form[action$='/items/{item.pk}/place/'] button[type=submit]").click()
    expect(page.locator(".alert-danger")).to_contain_text(f"không được tham gia «{item.title}»")
    expect(page.locator(".alert-danger")).to_contain_text(blocked.person.name)
    screenshot(page, "experts-place-refused")
    assert not item.proposals.filter(expert=blocked).exists()
