"""The interface's own controls where a browser would show its own, on the demo data as the staff member «canbo»:
the file picker speaks Vietnamese and names the chosen file (an English browser says «Choose File» and «No file
chosen»), a date is typed and shown dd/mm/yyyy (a date input shows the browser's locale), and the council's table
reads as cards on a 375 px phone instead of one word per line. Screenshots: test-artifacts/screenshots/."""

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
