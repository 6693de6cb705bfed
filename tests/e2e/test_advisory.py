"""The whole advisory journey in Chromium, by role, on the demo data: the agency's representative submits a request
→ staff accept it and form the council (two reviewers and the secretary placed by hand, the engine proposes the
rest) → the leader approves it → two experts comment on paragraphs of the draft and submit their reviews → the
council's secretary consolidates into recommendations → the leader signs → staff send → the agency answers each
recommendation → staff record an implementation check. The signed report's DOCX is read back (letterhead, number,
recipients, Vietnamese text)."""

import datetime
import io
import re

import pytest
from allauth.account.models import EmailAddress
from docx import Document
from playwright.sync_api import expect

from lienhiep.core.models import Membership, Person, Role, Union, User
from lienhiep.devdata.demo import DEMO_PASSWORD, demo_logins
from tests.advisory.factories import PDF_BYTES, docx_bytes

from .test_smoke import sign_in

pytestmark = pytest.mark.browser


def _expert_login(name: str, username: str):
    """The demo has one expert account (Y Blong); give another demo expert an account for the journey."""
    union = Union.objects.get(slug="kontum")
    person = Person.objects.filter(union=union, name=name).first()
    user = User.objects.create_user(
        username=username, email=f"{username}@lienhiep.test", password=DEMO_PASSWORD, full_name=person.name
    )
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    Membership.objects.create(user=user, union=union, role=Role.EXPERT)
    person.user = user
    person.save()

    class Login:
        totp_secret = None

    Login.username = username
    return Login


@pytest.mark.django_db(transaction=True)
def test_the_whole_journey_by_role(live_server, browser, screenshot, tmp_path, demo):
    logins = {login.username: login for login in demo_logins()}
    logins["chuyengia2"] = _expert_login("Lê Văn Bình", "chuyengia2")
    logins["thuky"] = _expert_login("Trần Thị Minh Thư", "thuky")
    base = f"{live_server.url}/kontum/app/advisory"
    errors: list[str] = []

    def as_role(username: str):
        context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        sign_in(page, live_server.url, logins[username])
        return page

    # 1. The representative of UBND huyện Đăk Tô sends the request with its letter and draft.
    letter, draft = tmp_path / "Công văn 630-UBND.pdf", tmp_path / "Dự thảo đề án dược liệu.docx"
    letter.write_bytes(PDF_BYTES)
    draft.write_bytes(docx_bytes())
    rep = as_role("daidien.dakto")
    rep.goto(f"{base}/cases/")
    rep.get_by_role("link", name="Gửi đề nghị").first.click()
    rep.select_option("select[name=kind]", "critique")
    rep.fill("input[name=request_number]", "630/UBND-NN")
    today = datetime.date.today()
    rep.fill("input[name=request_date]", (today - datetime.timedelta(days=2)).strftime("%d/%m/%Y"))
    rep.fill("input[name=requested_deadline]", (today + datetime.timedelta(days=45)).strftime("%d/%m/%Y"))
    rep.fill("input[name=title]", "Đề án phát triển cây dược liệu huyện Đăk Tô giai đoạn 2026–2030")
    rep.fill(
        "textarea[name=summary]",
        "Phát triển sâm Ngọc Linh và cây dược liệu dưới tán rừng, bảo tồn nguồn gen, liên kết chuỗi giá trị.",
    )
    rep.get_by_label("Nông nghiệp, lâm nghiệp, thủy sản").check()
    rep.get_by_label("Y tế, dược").check()
    rep.set_input_files("input[name=request_letter]", str(letter))
    rep.set_input_files("input[name=draft]", str(draft))
    screenshot(rep, "advisory-01-request-form")
    rep.locator("main form button[type=submit]").click()
    expect(rep.locator(".alert-success")).to_contain_text("Đề nghị đã được ghi nhận")
    expect(rep.locator("main")).to_contain_text("Liên hiệp hội đang xem xét hồ sơ")
    expect(rep.locator(".advisory-next")).to_contain_text("Bước tiếp theo")
    case_url = rep.url
    screenshot(rep, "advisory-02-request-received")

    # 2. Staff accept it and form the council: two experts by hand, the engine proposes the rest.
    staff = as_role("canbo")
    staff.goto(case_url)
    next_step = staff.locator(".advisory-next")
    expect(next_step).to_contain_text("Bước tiếp theo")
    expect(next_step).to_contain_text("Hồ sơ đã đầy đủ")
    next_step.get_by_role("button", name="Chấp thuận đề nghị").click()
    # the confirmation names what was done and what comes next; the panel now leads to the council
    expect(staff.locator(".alert-success")).to_contain_text("Đã xong «Chấp thuận đề nghị»")
    expect(staff.locator(".alert-success")).to_contain_text("Bước tiếp theo:")
    next_step.get_by_role("link", name="Thành lập hội đồng").click()
    for name, role in (
        ("TS Y Blong", "reviewer"),
        ("BS Lê Văn Bình", "reviewer"),
        ("PGS.TS Trần Thị Minh Thư", "secretary"),
    ):
        staff.select_option("select[name=expert]", label=name)
        staff.select_option("#id_role", role)
        staff.get_by_role("button", name="Xếp vào hội đồng").click()
        expect(staff.locator("#seats")).to_contain_text(name)
    staff.get_by_role("button", name="Đề xuất", exact=True).click()
    expect(staff.locator("#seats")).to_contain_text("Chủ tịch")
    expect(staff.locator("#seats")).to_contain_text("phù hợp")
    screenshot(staff, "advisory-03-council-proposed")
    staff.get_by_role("button", name="Trình lãnh đạo").click()
    expect(staff.locator("main")).to_contain_text("Hội đồng đang chờ lãnh đạo phê duyệt")

    # 3. The leader approves the council; the decision is numbered.
    leader = as_role("lanhdao")
    leader.goto(case_url)
    screenshot(leader, "advisory-04-leader-approves")
    expect(leader.locator(".advisory-next")).to_contain_text("phê duyệt")
    leader.locator(".advisory-next").get_by_role("button", name="Phê duyệt hội đồng").click()
    expect(leader.locator(".alert-success")).to_contain_text("Đã xong «Phê duyệt hội đồng»")
    expect(leader.locator("main")).to_contain_text("Quyết định thành lập hội đồng")
    with leader.expect_download() as decision:
        leader.get_by_role("link", name="Quyết định thành lập hội đồng (DOCX)").click()
    text = "\n".join(p.text for p in Document(decision.value.path()).paragraphs)
    assert "Thành lập Hội đồng phản biện" in text
    assert re.search(r"TS Y Blong, .* – Ủy viên phản biện[;.]", text)

    # 4. Staff send the draft to the members.
    staff.goto(case_url)
    staff.fill("input[name=review_due_on]", (datetime.date.today() + datetime.timedelta(days=10)).strftime("%d/%m/%Y"))
    staff.get_by_role("button", name="Gửi dự thảo cho thành viên").click()
    due = (datetime.date.today() + datetime.timedelta(days=10)).strftime("%d/%m/%Y")
    expect(staff.locator(".advisory-next")).to_contain_text(
        f"Thành viên nghiên cứu dự thảo và nộp ý kiến trước ngày {due}"
    )

    # 5. Two experts comment on paragraphs and submit their reviews.
    for username, paragraph, comment in [
        ("chuyengia", 5, "Chỉ tiêu 500 ha chưa có cơ sở tính toán."),
        ("chuyengia2", 7, "Nguồn kinh phí xã hội hóa chưa rõ."),
    ]:
        expert = as_role(username)
        expert.goto(case_url)
        screenshot(expert, f"advisory-05-case-{username}")
        expect(expert.locator(".advisory-next")).to_contain_text(due)
        expert.locator(".advisory-next").get_by_role("link", name="Đọc và góp ý dự thảo").click()
        expect(expert.locator(".alert-secondary")).to_contain_text("Tài liệu mật")
        block = expert.locator(f"#p{paragraph}")
        block.locator("summary").click()
        block.locator("textarea[name=text]").fill(comment)
        block.get_by_role("button", name="Thêm góp ý").click()
        expect(expert.locator(f"#p{paragraph}")).to_contain_text(comment)
        screenshot(expert, f"advisory-05-draft-comments-{username}")
        expert.goto(case_url)
        expert.get_by_role("link", name="Soạn ý kiến phản biện").click()
        expert.fill("textarea[name=necessity]", "Đề án cần thiết.")
        expert.fill("textarea[name=objectives]", comment)
        expert.fill("textarea[name=conclusions]", "Đề nghị bổ sung trước khi trình phê duyệt.")
        screenshot(expert, f"advisory-06-review-{username}")
        expert.get_by_role("button", name="Nộp ý kiến").click()
        expect(expert.locator(".alert-success")).to_contain_text("Đã nộp ý kiến")
        expert.context.close()

    # 6. Staff start the consolidation; the council's secretary consolidates and submits the report.
    staff.goto(case_url)
    staff.get_by_role("button", name="Bắt đầu tổng hợp").click()
    expect(staff.locator("main")).to_contain_text("Đang tổng hợp")
    staff.context.close()
    secretary = as_role("thuky")
    secretary.goto(case_url)
    secretary.locator(".advisory-next").get_by_role("link", name="Tổng hợp thành kiến nghị").click()
    for text, paragraph in [
        ("Làm rõ cơ sở tính toán chỉ tiêu 500 ha cây dược liệu.", 5),
        ("Xác định rõ nguồn kinh phí xã hội hóa và phân kỳ đầu tư.", 7),
    ]:
        secretary.fill("textarea[name=text]", text)
        secretary.select_option("select[name=priority]", "high")
        secretary.get_by_label("TS Y Blong").check()
        secretary.get_by_label(re.compile(rf"^Đoạn {paragraph} — ")).check()  # the paragraph's first words follow
        secretary.get_by_role("button", name="Thêm", exact=True).click()
        expect(secretary.locator("#recommendations")).to_contain_text(text)
    secretary.fill("textarea[name=conclusion]", "Đề án cần thiết; đề nghị tiếp thu các kiến nghị trước khi trình.")
    secretary.get_by_role("button", name="Lưu ý kiến chung").click()
    screenshot(secretary, "advisory-07-consolidation")
    secretary.goto(case_url)
    secretary.get_by_role("button", name="Trình ký báo cáo").click()
    expect(secretary.locator("main")).to_contain_text("Báo cáo đang chờ lãnh đạo ký")

    # 7. The leader signs: the report takes its number from the register.
    leader.goto(case_url)
    leader.locator(".advisory-next").get_by_role("button", name="Ký báo cáo").click()
    expect(leader.locator(".alert-success")).to_contain_text("Đã xong «Ký báo cáo»")
    expect(leader.locator("main")).to_contain_text("/BC-LHH")
    with leader.expect_download() as signed:
        leader.get_by_role("link", name="Báo cáo đã ký (DOCX)").click()
    document = Document(io.BytesIO(open(signed.value.path(), "rb").read()))
    heading = [" ".join(c.text.split()) for row in document.tables[0].rows for c in row.cells]
    assert "LIÊN HIỆP CÁC HỘI KHOA HỌC VÀ KỸ THUẬT" in heading[0] and "UBND TỈNH KON TUM" in heading[0]
    assert re.search(r"Số: \d+/BC-LHH", heading[2])
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in heading[1] and "Kon Tum, ngày" in heading[3]
    body = "\n".join(p.text for p in document.paragraphs)
    assert "BÁO CÁO\nKết quả phản biện" in body and "1. Làm rõ cơ sở tính toán chỉ tiêu 500 ha cây dược liệu" in body
    recipients = document.tables[1].rows[0].cells[0].text
    assert "Nơi nhận:" in recipients and "UBND huyện Đăk Tô" in recipients
    assert "Nguyễn Văn Sơn" in document.tables[1].rows[0].cells[1].text
    screenshot(leader, "advisory-08-report-signed")
    leader.context.close()

    # 8. Staff send it; 9. the agency answers each recommendation.
    staff = as_role("canbo")
    staff.goto(case_url)
    staff.get_by_role("button", name="Gửi báo cáo").click()
    expect(staff.locator(".alert-success")).to_contain_text("Đã xong «Gửi báo cáo»")
    rep.goto(f"{live_server.url}/kontum/app/")  # the agency's dashboard puts the answers first, with their due date
    expect(rep.locator("main")).to_contain_text("Cần trả lời kiến nghị (hạn")
    rep.goto(case_url)
    expect(rep.locator(".advisory-next")).to_contain_text("Bước tiếp theo")
    rep.locator(".advisory-next").get_by_role("link", name="Trả lời các kiến nghị").click()
    rep.locator("select[name^=response_]").nth(0).select_option("accepted")
    rep.locator("select[name^=response_]").nth(1).select_option("partly")
    rep.locator("textarea[name^=explanation_]").nth(1).fill("Nguồn xã hội hóa xác định theo từng dự án thành phần.")
    screenshot(rep, "advisory-09-answers")
    rep.get_by_role("button", name="Lưu và hoàn thành").click()
    expect(rep.locator("main")).to_contain_text("tỷ lệ tiếp thu 75")

    # 10. Staff record an implementation check; the roll-up is weighted.
    staff.goto(case_url)
    staff.get_by_role("link", name="Kết quả thực hiện").click()
    staff.select_option("select[name=recommendation]", index=1)
    staff.select_option("select[name=status]", "in_progress")
    staff.fill("input[name=percent]", "40")
    staff.fill("textarea[name=evidence]", "Đã trồng 200 ha dược liệu dưới tán rừng.")
    staff.get_by_role("main").get_by_role("button", name="Lưu", exact=True).click()
    expect(staff.locator("main")).to_contain_text("Tiến độ chung có trọng số: 20,0%")
    screenshot(staff, "advisory-10-assessment")
    staff.goto(case_url)
    screenshot(staff, "advisory-11-case-page")
    staff.goto(f"{base}/stats/")
    expect(staff.locator("main")).to_contain_text("UBND huyện Đăk Tô")
    screenshot(staff, "advisory-12-statistics")
    staff.goto(f"{live_server.url}/kontum/app/")
    expect(staff.locator("#advisory-heading")).to_contain_text("Tư vấn, phản biện và giám định xã hội")
    screenshot(staff, "advisory-13-staff-dashboard")
    assert not [e for e in errors if "Content Security Policy" in e], errors
