"""A staff member, in Chromium, from the dashboard: creates a plan, records the session held, writes, circulates and
approves the minutes, assigns an action item and follows it up overdue — each step taken from the «Bước tiếp theo»
panel, each confirmation naming what was done and what comes next; an agency representative sees their agency's
sessions and items."""

import re

import pytest
from playwright.sync_api import expect

from lienhiep.devdata.demo import demo_logins

from .picking import pick
from .test_smoke import sign_in

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_staff_plan_session_minutes_actions_overdue(live_server, page, screenshot, demo):
    login = next(login for login in demo_logins() if login.username == "canbo")
    page.on("dialog", lambda dialog: dialog.accept())
    console_errors = []
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)
    sign_in(page, live_server.url, login)
    base = f"{live_server.url}/kontum/app/outreach"
    done = page.locator(".alert-success")
    panel = page.locator(".outreach-next")

    # the plan, from the dashboard
    page.goto(f"{live_server.url}/kontum/app/")
    page.locator("section[aria-labelledby=outreach-heading]").get_by_role("link", name="Kế hoạch làm việc").click()
    screenshot(page, "outreach-plans")
    page.get_by_role("link", name="Lập kế hoạch").click()
    page.fill("input[name=title]", "Kế hoạch làm việc với các địa phương năm 2022")
    page.fill("input[name=number_symbol]", "05/KH-LHH")
    page.fill("input[name=starts_on]", "01/01/2022")  # dates typed as people write them
    page.fill("input[name=ends_on]", "31/12/2022")
    page.fill("textarea[name=purpose]", "Triển khai tư vấn, phản biện và giám định xã hội; Hội thi Sáng tạo kỹ thuật.")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Kế hoạch làm việc với các địa phương năm 2022")
    page.fill("input[name=planned_on]", "15/03/2022")  # first: the localities offered are those of that day
    options = page.locator("select[name=admin_unit] option", has_text=re.compile(r"^huyện Kon Rẫy"))
    unit = options.first.get_attribute("value")
    page.select_option("select[name=admin_unit]", unit)
    page.check("input[name=topics][value=advisory]")
    page.check("input[name=topics][value=contests]")
    pick(page, "delegation", "Sơn", "ThS Nguyễn Văn Sơn")
    page.get_by_role("button", name="Thêm", exact=True).click()
    expect(page.locator("#visits")).to_contain_text("Huyện Kon Rẫy")
    expect(page.locator("#visits")).to_contain_text("Quá hạn")  # 2022 is long past and nothing was recorded
    screenshot(page, "outreach-plan-detail")

    # the session held
    page.get_by_role("link", name="Ghi nhận buổi làm việc").click()
    expect(page.locator("input[name=held_on]")).to_have_value("15/03/2022")
    page.fill("input[name=starts_at]", "8h30")  # typed as people write it, read on the 24-hour clock
    page.fill("input[name=place]", "Trụ sở UBND huyện Kon Rẫy")
    page.fill(
        "textarea[name=agenda]",
        "Thông tin về chức năng, nhiệm vụ của Liên hiệp hội\n"
        "Nhu cầu tư vấn, phản biện năm 2022\n"
        "Hội thi Sáng tạo kỹ thuật",
    )
    page.get_by_label("Quyết định 48/2017/QĐ-UBND").check()
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Làm việc với huyện Kon Rẫy")
    expect(page.locator("main")).to_contain_text("Nhu cầu tư vấn, phản biện năm 2022")
    expect(page.locator("main dl")).to_contain_text("15/03/2022 · 08:30")
    expect(done).to_contain_text("Đã xong «Ghi nhận buổi làm việc» — Làm việc với huyện Kon Rẫy.")
    expect(done).to_contain_text("Bước tiếp theo: Ghi biên bản.")
    expect(panel).to_contain_text("Bước tiếp theo")
    expect(panel).to_contain_text("Buổi làm việc đã diễn ra ngày 15/03/2022: ghi biên bản")
    screenshot(page, "outreach-session-recorded")

    # the minutes: write, circulate, approve — from the panel
    panel.get_by_role("link", name="Ghi biên bản").click()
    conclusions = page.locator("textarea[name^=conclusion_]")
    conclusions.nth(0).fill("Huyện nắm rõ chức năng, nhiệm vụ của Liên hiệp hội.")
    conclusions.nth(1).fill("Huyện gửi danh mục dự án cần phản biện trước 30/4/2022.")
    conclusions.nth(2).fill("Phòng Giáo dục phổ biến Hội thi tới các trường.")
    page.fill("textarea[name=conclusion]", "Hai bên thống nhất phối hợp triển khai năm 2022.")
    pick(page, "signatory", "Sơn", "ThS Nguyễn Văn Sơn")
    page.keyboard.press("Tab")  # out of the picker (the screenshot would focus it again and open its list)
    screenshot(page, "outreach-minutes-form")
    page.locator("main form button[type=submit]").click()
    expect(done).to_contain_text("Đã xong «Ghi biên bản» — Làm việc với huyện Kon Rẫy.")
    expect(done).to_contain_text("Bước tiếp theo: Gửi đại biểu lấy ý kiến.")
    expect(page.locator("#minutes")).to_contain_text("Bản nháp")
    expect(panel).to_contain_text("Biên bản đang là dự thảo. Hoàn thiện biên bản rồi gửi đại biểu lấy ý kiến.")
    panel.get_by_role("button", name="Gửi đại biểu lấy ý kiến").click()
    expect(done).to_contain_text("Đã xong «Gửi đại biểu lấy ý kiến» — Làm việc với huyện Kon Rẫy.")
    expect(done).to_contain_text("Bước tiếp theo: Thông qua và khóa.")
    expect(page.locator("#minutes")).to_contain_text("Đã gửi lấy ý kiến")
    expect(panel).to_contain_text("Sau khi tiếp thu ý kiến, thông qua biên bản.")
    expect(panel).to_contain_text("do ThS Nguyễn Văn Sơn ký")  # who signs the conclusion notice
    screenshot(page, "outreach-minutes-circulated")
    panel.get_by_role("button", name="Thông qua và khóa").click()
    expect(done).to_contain_text("Đã xong «Thông qua và khóa» — Làm việc với huyện Kon Rẫy.")
    expect(done).to_contain_text("Bước tiếp theo: Giao việc theo kết luận.")
    expect(page.locator("#minutes")).to_contain_text("Đã thông qua")
    expect(page.get_by_role("link", name="Ghi biên bản")).to_have_count(0)  # locked
    expect(panel).to_contain_text("Giao các việc cần thực hiện theo kết luận")
    with page.expect_download() as download:
        panel.get_by_role("link", name="Thông báo kết luận (DOCX)").click()
    assert download.value.suggested_filename.endswith(".docx")
    screenshot(page, "outreach-session-approved")

    # an action item, due long ago
    panel.get_by_role("link", name="Giao việc").click()
    page.fill("textarea[name=title]", "Gửi danh mục dự án cần phản biện năm 2022")
    pick(page, "owner_person", "Ánh", "KS Nguyễn Thị Ánh")
    page.fill("input[name=due_on]", "30/04/2022")
    page.locator("main form button[type=submit]").click()
    expect(done).to_contain_text("Đã xong «Giao việc» — Gửi danh mục dự án cần phản biện năm 2022.")
    expect(done).to_contain_text("Bước tiếp theo: Theo dõi kết quả thực hiện (quá hạn từ 30/04/2022).")
    expect(page.locator("#actions")).to_contain_text("Gửi danh mục dự án cần phản biện năm 2022")
    expect(page.locator("#actions")).to_contain_text("Quá hạn")
    expect(panel).to_contain_text("Theo dõi các việc đã giao đến khi hoàn thành")
    expect(panel).to_contain_text("1 việc đang theo dõi, 1 việc quá hạn")
    expect(panel.locator(".text-danger", has_text="quá hạn từ 30/04/2022")).to_be_visible()  # red when late
    screenshot(page, "outreach-session-follow-up")
    page.goto(f"{base}/actions/overdue/")
    expect(page.locator("main")).to_contain_text("Nguyễn Thị Ánh")
    expect(page.locator("main")).to_contain_text("Huyện Kon Rẫy, tỉnh Kon Tum")
    screenshot(page, "outreach-overdue")

    page.goto(f"{base}/calendar/?month=2021-11")
    expect(page.locator("main")).to_contain_text("Làm việc với Huyện ủy, UBND huyện Đăk Tô")
    screenshot(page, "outreach-calendar")

    # the follow-up, from the dashboard's overdue items: the item's panel says how late it is, in red
    page.goto(f"{live_server.url}/kontum/app/")
    expect(page.locator("#outreach-heading")).to_be_visible()
    screenshot(page, "outreach-dashboard-staff")
    page.locator("section[aria-labelledby=outreach-heading]").get_by_role(
        "link", name=re.compile("việc quá hạn")
    ).click()
    page.locator("section[aria-labelledby=oldest]").get_by_role(
        "link", name="Gửi danh mục dự án cần phản biện năm 2022"
    ).click()
    expect(panel.locator(".text-danger")).to_contain_text("Quá hạn từ 30/04/2022")
    expect(panel).to_contain_text("Đôn đốc KS Nguyễn Thị Ánh")
    screenshot(page, "outreach-action-overdue")
    expect(panel.get_by_role("button")).to_have_text(["Chuyển sang đang thực hiện", "Ghi nhận đã thực hiện"])
    panel.get_by_role("button", name="Chuyển sang đang thực hiện").click()
    expect(done).to_contain_text("Đã xong «Chuyển sang đang thực hiện» — Gửi danh mục dự án cần phản biện năm 2022.")
    expect(done).to_contain_text("Bước tiếp theo: Theo dõi kết quả thực hiện (quá hạn từ 30/04/2022).")
    expect(page.locator("main dl")).to_contain_text("Đang thực hiện")
    page.fill("#evidence-form textarea[name=evidence]", "Đã đôn đốc qua điện thoại ngày 05/05/2022.")
    page.locator("#evidence-form button[type=submit]").click()
    expect(done).to_contain_text("Đã xong «Cập nhật kết quả, minh chứng» — Gửi danh mục dự án cần phản biện năm 2022.")
    # completing asks what was done; dropping (folded away) asks why
    expect(panel.locator("details summary")).to_have_text(["Mở lại việc", "Không thực hiện việc này"])
    screenshot(page, "outreach-action-steps-staff")
    panel.get_by_placeholder("Những việc đã làm, kèm số văn bản, tài liệu").fill(
        "Huyện đã gửi danh mục (Công văn số 215/UBND-KT)."
    )
    panel.get_by_role("button", name="Ghi nhận đã thực hiện").click()
    expect(done).to_contain_text("Đã xong «Ghi nhận đã thực hiện» — Gửi danh mục dự án cần phản biện năm 2022.")
    expect(done).to_contain_text("Buổi làm việc không còn việc nào đang theo dõi.")
    expect(page.locator("main dl")).to_contain_text("Đã đôn đốc qua điện thoại ngày 05/05/2022.")  # the progress,
    expect(page.locator("main dl")).to_contain_text(
        "Huyện đã gửi danh mục (Công văn số 215/UBND-KT)."
    )  # then the result
    expect(panel.get_by_role("button")).to_have_text(["Mở lại việc"])
    expect(panel).to_contain_text("việc này không còn gì cần làm")
    screenshot(page, "outreach-action-done")
    panel.get_by_role("link", name="Buổi làm việc", exact=True).click()
    expect(panel).to_contain_text("các việc đã giao đều đã kết thúc")
    assert not [e for e in console_errors if "Content Security Policy" in e], console_errors


@pytest.mark.django_db(transaction=True)
def test_agency_representative_sees_their_sessions_and_updates_their_item(live_server, page, screenshot, demo):
    login = next(login for login in demo_logins() if login.username == "daidien.dakto")
    sign_in(page, live_server.url, login)
    expect(page.locator("main")).to_contain_text("Việc cơ quan ông/bà cần thực hiện")
    screenshot(page, "outreach-dashboard-rep")
    page.goto(f"{live_server.url}/kontum/app/outreach/sessions/")
    expect(page.locator("#results")).to_contain_text("Đăk Tô")
    expect(page.locator("#results")).not_to_contain_text("Tu Mơ Rông")
    page.goto(f"{live_server.url}/kontum/app/outreach/actions/")
    page.get_by_role("link", name=re.compile("Gửi Liên hiệp hội danh mục")).click()
    panel = page.locator(".outreach-next")
    expect(panel.get_by_role("button", name="Chuyển sang đang thực hiện")).to_be_visible()
    screenshot(page, "outreach-action-steps-rep")
    panel.get_by_role("button", name="Chuyển sang đang thực hiện").click()
    expect(page.locator(".alert-success")).to_contain_text(
        re.compile(
            r"Đã xong «Chuyển sang đang thực hiện» — Gửi Liên hiệp hội danh mục.*Bước tiếp theo: Cập nhật kết quả"
        )
    )
    expect(page.locator("main dl")).to_contain_text("Đang thực hiện")
    page.fill("#evidence-form textarea[name=evidence]", "Đã giao Phòng Tài chính - Kế hoạch tổng hợp danh mục.")
    page.locator("#evidence-form button[type=submit]").click()
    expect(page.locator("main dl")).to_contain_text("Đã giao Phòng Tài chính - Kế hoạch tổng hợp danh mục.")
    screenshot(page, "outreach-action-rep")
