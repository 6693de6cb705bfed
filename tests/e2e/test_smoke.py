"""Each demo role signs in through the real login page (with TOTP where required) and sees its dashboard."""

import re

import pytest
from playwright.sync_api import expect

from lienhiep.core.mfa import current_code
from lienhiep.devdata.demo import DEMO_PASSWORD, demo_logins

pytestmark = pytest.mark.browser

EXPECTED = {
    # username: (text the dashboard must show, a menu entry that role must have or None)
    "quantri": ("Quản lý các Liên hiệp hội (quản trị nền tảng)", None),
    "admin.kontum": ("Người dùng và vai trò", "Người dùng và vai trò"),
    "lanhdao": ("Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Kon Tum", "Cơ quan, đơn vị"),
    "canbo": ("Hoạt động gần đây", "Cơ quan, đơn vị"),
    "chuyengia": ("Hội đồng ông/bà tham gia", None),  # the demo expert sits on advisory councils (and judges)
    "daidien.dakto": ("UBND huyện Đăk Tô", None),
    "thisinh": ("Bài dự thi đã đăng ký", None),
    "canbo.quangngai": ("Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Quảng Ngãi", "Cơ quan, đơn vị"),
    "lanhdao.quangngai": ("Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Quảng Ngãi", "Cơ quan, đơn vị"),
    "canbo.gialai": ("Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Gia Lai", "Cơ quan, đơn vị"),
    "lanhdao.gialai": ("Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Gia Lai", "Cơ quan, đơn vị"),
    "trunguong": ("LHH Gia Lai", "Số liệu các Liên hiệp hội"),  # the national table: every Union, by short name
}


def sign_in(page, base_url: str, login) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=login]", login.username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    if login.totp_secret:
        page.wait_for_url(re.compile(r".*/accounts/2fa/authenticate/.*"))
        page.fill("input[name=code]", current_code(login.totp_secret))
        page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()


@pytest.mark.django_db(transaction=True)
def test_every_demo_role_reaches_its_dashboard(live_server, page, screenshot, demo):
    logins = demo_logins()
    assert {login.username for login in logins} == set(EXPECTED)
    console_errors = []
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{live_server.url}/kontum/")
    expect(page.locator("main")).to_contain_text("48/2017/QĐ-UBND")
    screenshot(page, "public-union-home")
    page.goto(f"{live_server.url}/accounts/login/")
    screenshot(page, "login")
    for login in logins:
        page.context.clear_cookies()
        sign_in(page, live_server.url, login)
        text, menu = EXPECTED[login.username]
        expect(page.locator("main")).to_contain_text(text)
        if login.username == "chuyengia":
            expect(page.locator("main")).to_contain_text("Bài thi chờ ông/bà chấm")  # the demo judge's entries
        if menu:
            expect(page.locator("nav.navbar")).to_contain_text(menu)
        screenshot(page, f"dashboard-{login.username}")
    assert not [e for e in console_errors if "Content Security Policy" in e], console_errors


@pytest.mark.django_db(transaction=True)
def test_staff_finds_an_agency_without_diacritics_on_a_phone(live_server, browser, screenshot, demo):
    context = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    login = next(login for login in demo_logins() if login.username == "canbo")
    sign_in(page, live_server.url, login)
    page.goto(f"{live_server.url}/kontum/app/agencies/")
    page.fill("input[name=q]", "dak to")
    page.keyboard.press("Enter")
    expect(page.locator("#results")).to_contain_text("UBND huyện Đăk Tô")
    expect(page.locator("#results")).not_to_contain_text("Tu Mơ Rông")
    screenshot(page, "agencies-search-phone")
    context.close()


@pytest.mark.django_db(transaction=True)
def test_staff_journey_record_an_agency_change_it_and_attach_a_file(live_server, page, screenshot, tmp_path, demo):
    login = next(login for login in demo_logins() if login.username == "canbo")
    sign_in(page, live_server.url, login)
    page.get_by_role("link", name="Cơ quan, đơn vị").first.click()
    page.get_by_role("link", name="Thêm cơ quan, đơn vị").click()
    page.locator("main form button[type=submit]").click()  # empty form: errors, nothing saved
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    screenshot(page, "agency-form-errors")
    page.fill("input[name=name]", "UBND xã Đăk Rơ Nga")
    page.select_option("select[name=kind]", "peoples_committee")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("UBND xã Đăk Rơ Nga")
    page.get_by_role("link", name="Sửa").click()
    page.fill("input[name=phone]", "0260 3862 999")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#timeline-heading + ol")).to_contain_text("0260 3862 999")
    screenshot(page, "agency-detail-timeline")

    page.goto(f"{live_server.url}/kontum/app/documents/")
    page.get_by_role("link", name="Quyết định 48/2017/QĐ-UBND").click()
    pdf = tmp_path / "Quyết định 48-2017.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    page.set_input_files("input[name=file]", str(pdf))
    page.get_by_role("button", name="Tải lên").click()
    expect(page.locator("main")).to_contain_text("Quyết định 48-2017.pdf")
    fake = tmp_path / "bao-cao.pdf"
    fake.write_bytes(b"<html><script>alert(1)</script></html>")
    page.set_input_files("input[name=file]", str(fake))
    page.get_by_role("button", name="Tải lên").click()
    expect(page.locator(".alert-danger")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("bao-cao.pdf")
    screenshot(page, "document-files")


@pytest.mark.django_db(transaction=True)
def test_a_leader_without_an_authenticator_must_set_one_up_first(live_server, page, screenshot, demo):
    from allauth.mfa.models import Authenticator

    from lienhiep.core.models import User

    Authenticator.objects.filter(user=User.objects.get(username="lanhdao")).delete()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", "lanhdao")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.goto(f"{live_server.url}/kontum/app/")  # the dashboard is refused until TOTP is set up
    page.wait_for_url(re.compile(r".*/accounts/2fa/totp/activate/.*"))
    expect(page.locator("main")).to_contain_text("yêu cầu xác thực hai lớp")
    expect(page.locator("main img")).to_be_visible()  # the QR code, as a data: image under the strict CSP
    screenshot(page, "totp-activation")
    secret = page.locator("#authenticator_secret").input_value()
    page.fill("input[name=code]", current_code(secret))
    page.locator("main form button[type=submit]").first.click()
    page.goto(f"{live_server.url}/kontum/app/")
    expect(page.locator("main h1")).to_contain_text("Kon Tum")


@pytest.mark.django_db(transaction=True)
def test_platform_admin_imports_units_and_sees_errors_per_row(live_server, page, screenshot, tmp_path, demo):
    login = next(login for login in demo_logins() if login.username == "quantri")
    sign_in(page, live_server.url, login)
    page.get_by_role("link", name="Nhập danh mục đơn vị hành chính").click()
    bad = tmp_path / "don-vi-hanh-chinh.csv"
    bad.write_text(
        "Mã,Tên,Cấp,Mã đơn vị cấp trên,Hiệu lực từ,Hiệu lực đến\n"
        "99,Tỉnh Thử Nghiệm,tỉnh,,,30/06/2025\n991,Huyện Một,quận,99,,31/02/2025\n",
        encoding="utf-8",
    )
    page.set_input_files("input[name=file]", str(bad))
    page.get_by_role("button", name="Kiểm tra và nhập").click()
    expect(page.locator(".alert-danger")).to_contain_text("Chưa nhập dòng nào")
    expect(page.locator("table")).to_contain_text("Cấp")
    screenshot(page, "places-import-errors")
