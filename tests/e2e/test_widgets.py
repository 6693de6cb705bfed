"""The interface's own controls where a browser would show its own, on the demo data as the staff member «canbo»:
the file picker speaks Vietnamese and names the chosen file (an English browser says «Choose File» and «No file
chosen»), a date is typed and shown dd/mm/yyyy (a date input shows the browser's locale), and the council's table
reads as cards on a 375 px phone instead of one word per line. Screenshots: test-artifacts/screenshots/."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_accessibility import sign_in

pytestmark = pytest.mark.browser


def staff_page(browser, base_url: str, width: int):
    context = browser.new_context(locale="vi-VN", viewport={"width": width, "height": 900})
    sign_in(context, base_url, "canbo")
    return context, context.new_page()


@pytest.mark.django_db(transaction=True)
def test_file_picker_and_date_fields_in_the_interface_language(live_server, browser, screenshot, demo, tmp_path):
    context, page = staff_page(browser, live_server.url, 1280)
    page.goto(f"{live_server.url}/kontum/app/experts/import/")
    picker = page.locator("label.lh-file")
    expect(picker).to_contain_text("Chọn tệp…")
    expect(picker.locator(".lh-file-name")).to_have_text("Chưa chọn tệp nào")
    native = page.locator("input[type=file][name=file]")
    assert native.bounding_box()["width"] <= 1  # hidden visually, still in the form and focusable
    native.focus()
    assert page.evaluate("document.activeElement.name") == "file"
    chosen = tmp_path / "danh-sach-chuyen-gia.xlsx"
    chosen.write_bytes(b"PK")
    native.set_input_files(str(chosen))
    expect(picker.locator(".lh-file-name")).to_have_text("danh-sach-chuyen-gia.xlsx")
    screenshot(page, "widget-file-picker")

    page.goto(f"{live_server.url}/kontum/app/outreach/plans/new/")
    day = page.locator("input[name=starts_on]")
    assert day.get_attribute("type") == "text" and day.get_attribute("placeholder") == "dd/mm/yyyy"
    assert day.get_attribute("inputmode") == "numeric"
    day.fill("2022-13-45x")
    assert page.evaluate("document.querySelector('input[name=starts_on]').validity.patternMismatch")
    page.fill("input[name=title]", "Kế hoạch làm việc với các địa phương năm 2023")
    page.fill("input[name=number_symbol]", "07/KH-LHH")
    day.fill("02/01/2023")
    page.fill("input[name=ends_on]", "31/12/2023")
    page.fill("textarea[name=purpose]", "Tư vấn, phản biện và giám định xã hội tại các địa phương.")
    screenshot(page, "widget-date-field")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Kế hoạch làm việc với các địa phương năm 2023")
    expect(page.locator("main")).to_contain_text("02/01/2023")
    expect(page.locator("main")).to_contain_text("31/12/2023")
    context.close()


@pytest.mark.django_db(transaction=True)
def test_the_council_reads_as_cards_on_a_phone(live_server, browser, screenshot, demo):
    from lienhiep.advisory.models import Case

    case = Case.objects.filter(union__slug="kontum", seats__isnull=False).order_by("pk").first()
    context, page = staff_page(browser, live_server.url, 375)
    page.goto(f"{live_server.url}{case.get_absolute_url()}council/")
    row = page.locator("#seats tbody tr").first
    cells = row.locator("td").all()
    boxes = [cell.bounding_box() for cell in cells]
    row_box = row.bounding_box()
    # one card: every cell starts at the card's left edge and takes its width, one under the other
    assert len({round(box["x"]) for box in boxes}) == 1, boxes
    assert all(box["width"] >= row_box["width"] - 40 for box in boxes), (row_box, boxes)
    assert all(a["y"] < b["y"] for a, b in zip(boxes, boxes[1:], strict=False)), boxes
    # each cell under its column's name
    label = row.locator("td").nth(1).evaluate("td => getComputedStyle(td, '::before').content")
    assert label == '"Nơi công tác"', label
    screenshot(page, "council-phone-375")
    context.close()


@pytest.mark.django_db(transaction=True)
def test_the_locality_is_searched_and_greyed_out_on_the_days_it_did_not_exist(live_server, browser, screenshot, demo):
    """Issue 19, item 5: after the 2025 reform a district is greyed out, says what it merged into, and comes after
    today's units; a day before the reform makes it a choice again."""
    errors: list[str] = []
    context, page = staff_page(browser, live_server.url, 1280)
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/kontum/app/outreach/sessions/new/")
    page.fill("input[name=title]", "Làm việc với huyện Tu Mơ Rông về vùng sâm Ngọc Linh")
    page.fill("textarea[name=agenda]", "Nhu cầu tư vấn, phản biện")
    day = page.locator("input[name=held_on]")
    day.fill("15/08/2025")
    control = page.locator("#id_admin_unit-ts-control")
    control.click()
    control.press_sequentially("Tu Mơ", delay=50)
    dropdown = page.locator("#id_admin_unit-ts-dropdown")
    district = dropdown.locator(".option").filter(has_text=re.compile(r"^huyện Tu Mơ Rông"))
    expect(district).to_have_attribute("aria-disabled", "true")
    expect(district).to_contain_text("Đã sáp nhập vào")
    expect(district).to_contain_text("từ 01/07/2025")
    # today's units first: the commune of the same name, then the district and its communes of the time
    first = dropdown.locator(".option").first
    expect(first).to_contain_text("xã Tu Mơ Rông, tỉnh Quảng Ngãi")
    expect(first).not_to_have_attribute("aria-disabled", "true")
    screenshot(page, "locality-after-reform")
    district.click(force=True)  # a greyed-out unit cannot be chosen
    expect(page.locator(".ts-control:has(#id_admin_unit-ts-control) .item")).to_have_count(0)
    page.keyboard.press("Escape")

    day.fill("15/03/2022")  # before the reform: the district existed
    control.click()
    control.fill("")
    control.press_sequentially("Tu Mơ", delay=50)
    expect(district).not_to_have_attribute("aria-disabled", "true")
    expect(district).not_to_contain_text("Đã sáp nhập vào")
    # the units of that day first: today's commune did not exist yet
    expect(dropdown.locator(".option").first).not_to_have_attribute("aria-disabled", "true")
    expect(dropdown.locator(".option").last).to_contain_text("Thành lập từ 01/07/2025")
    screenshot(page, "locality-before-reform")
    district.click()
    expect(page.locator(".ts-control:has(#id_admin_unit-ts-control) .item")).to_contain_text("huyện Tu Mơ Rông")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Làm việc với huyện Tu Mơ Rông về vùng sâm Ngọc Linh")
    expect(page.locator("main")).to_contain_text("Tu Mơ Rông")

    # the request form: the day is the letter's, else the day received
    page.goto(f"{live_server.url}/kontum/app/advisory/cases/new/")
    page.fill("input[name=request_date]", "01/08/2025")
    control = page.locator("#id_admin_unit-ts-control")
    control.click()
    control.press_sequentially("Tu Mơ", delay=50)
    district = page.locator("#id_admin_unit-ts-dropdown .option").filter(has_text=re.compile(r"^huyện Tu Mơ Rông"))
    expect(district).to_have_attribute("aria-disabled", "true")
    screenshot(page, "locality-request-form")
    page.keyboard.press("Escape")
    page.fill("input[name=request_date]", "")
    page.fill("input[name=received_on]", "01/03/2022")
    control.click()
    expect(district).not_to_have_attribute("aria-disabled", "true")
    assert not errors, errors
    context.close()


@pytest.mark.django_db(transaction=True)
def test_the_publication_time_is_typed_dd_mm_yyyy_hh_mm(live_server, browser, screenshot, demo):
    context, page = staff_page(browser, live_server.url, 1280)
    page.goto(f"{live_server.url}/kontum/app/news/new/")
    page.fill("input[name=title]", "Hội thảo phản biện đề án dược liệu")
    page.fill("textarea[name=lead]", "Liên hiệp hội tổ chức hội thảo.")
    page.fill("textarea[name=body]", "Đoạn một.")
    page.locator("main form button[type=submit]").click()
    page.get_by_role("button", name="Gửi duyệt").click()
    when = page.locator("input[name=published_at]")
    assert when.get_attribute("type") == "text" and when.get_attribute("placeholder") == "dd/mm/yyyy HH:MM"
    when.fill("31/02/2099 08:30")  # the browser lets it through; the server refuses it in Vietnamese
    page.get_by_role("button", name="Đăng").click()
    expect(page.locator("main")).to_contain_text("Ghi ngày và giờ theo dạng dd/mm/yyyy HH:MM")
    expect(page.locator("input[name=published_at]")).to_have_value("31/02/2099 08:30")  # as typed
    screenshot(page, "publish-time-error")
    page.locator("input[name=published_at]").fill("11/11/2099 08:30")
    page.get_by_role("button", name="Đăng").click()
    expect(page.locator("main")).to_contain_text("08:30 11/11/2099")
    screenshot(page, "publish-time-scheduled")
    context.close()
