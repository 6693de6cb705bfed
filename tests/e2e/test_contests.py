"""Contests in Chromium: an entrant signs up (confirmed e-mail), registers an entry and submits it; staff screen
it; a judge scores one entry and recuses from another; the board reviews the raw and normalised rankings,
applies thresholds and quotas; the leader approves; certificates are generated; the results go public and a
certificate code is checked. Screenshots in test-artifacts/screenshots/contests-*.png."""

import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from lienhiep.contests import judging
from lienhiep.contests.models import Assignment, Edition, Entry, EntryCertificate
from lienhiep.core.models import User
from lienhiep.devdata.demo import demo_logins

from .picking import pick
from .test_smoke import sign_in

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def login_of(name: str):
    return next(login for login in demo_logins() if login.username == name)


def open_edition_now() -> Edition:
    """The demo's next technical contest (lần thứ 10), open for registration relative to the day it was loaded."""
    edition = Edition.objects.get(union__slug="kontum", code="ST10")
    assert edition.registration_opens_at < timezone.now() < edition.registration_closes_at
    return edition


@pytest.mark.django_db(transaction=True)
def test_an_entrant_signs_up_registers_and_submits_and_staff_screen(live_server, page, screenshot, tmp_path, demo):
    edition = open_edition_now()
    page.on("dialog", lambda dialog: dialog.accept())
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

    # the public call, then self-registration with a confirmed e-mail
    page.goto(f"{live_server.url}/kontum/contests/{edition.pk}/")
    expect(page.locator("main")).to_contain_text("Đang nhận đăng ký")
    screenshot(page, "contests-public-call")
    page.get_by_role("link", name="Tạo tài khoản để đăng ký").click()
    page.fill("input[name=email]", "ksor.hanh@example.test")
    page.fill("input[name=username]", "ksorhanh")
    page.fill("input[name=password1]", "Sang-tao-2026-Kon-Tum")
    page.fill("input[name=password2]", "Sang-tao-2026-Kon-Tum")
    page.fill("input[name=full_name]", "Ksor Hạnh")
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator("main")).to_contain_text("ksor.hanh@example.test")
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mail.outbox[-1].body).group(0)
    page.goto(live_server.url + "/accounts/" + link.split("/accounts/", 1)[1])
    page.locator("main form button[type=submit]").first.click()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", "ksorhanh")
    page.fill("input[name=password]", "Sang-tao-2026-Kon-Tum")
    page.locator("main form button[type=submit]").first.click()
    page.goto(f"{live_server.url}/kontum/app/")
    expect(page.locator("main")).to_contain_text("Bài dự thi đã đăng ký")

    # register an entry: the entrant is the first author, a co-author is added, shares must make 100
    page.get_by_role("link", name=re.compile("Đăng ký bài dự thi")).first.click()
    page.select_option("select[name=field]", label="CK — Cơ khí, tự động hóa")
    page.fill("input[name=title]", "Máy xát vỏ mắc ca quy mô hộ gia đình")
    summary = "Máy xát vỏ hạt mắc ca bằng trục cao su, dùng ở xã Đăk Tô; tăng năng suất 3 lần."
    page.fill("textarea[name=summary]", summary)
    pick(page, "locality", "Đăk Tô", "Đăk Tô")
    expect(page.locator("input[name=people-0-name]")).to_have_value("Ksor Hạnh")
    page.fill("input[name=people-0-share]", "60")
    page.fill("input[name=people-1-name]", "Y Đức")
    page.fill("input[name=people-1-share]", "30")
    # the co-author's workplace is typed: the Union's agencies come from the server, not a list per author
    pick(page, "people-1-agency", "phân hiệu", "Phân hiệu Đại học Đà Nẵng tại Kon Tum")
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.locator(".alert-danger")).to_contain_text("100%")  # 60 + 30
    # the form with errors keeps the workplace chosen
    expect(page.locator("select[name=people-1-agency] option[selected]")).to_have_text(
        "Phân hiệu Đại học Đà Nẵng tại Kon Tum"
    )
    screenshot(page, "contests-entry-form-shares")
    page.fill("input[name=people-1-share]", "40")
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.locator("h2").first).to_contain_text("Máy xát vỏ mắc ca")
    # the confirmation names the step and what comes next; the panel lists what is missing, with the deadline
    done = page.locator(".alert-success")
    expect(done).to_contain_text("Đã xong «Lưu bản nháp» — «Máy xát vỏ mắc ca quy mô hộ gia đình».")
    expect(done).to_contain_text("Bước tiếp theo: hoàn thiện hồ sơ (còn thiếu 3 mục), rồi nộp bài trước")
    next_step = page.locator(".contests-next")
    expect(next_step).to_contain_text("Bước tiếp theo")
    expect(next_step).to_contain_text("Còn thiếu: Phiếu đăng ký dự thi")
    expect(next_step).to_contain_text("Hạn nộp:")
    expect(next_step.get_by_role("button", name="Nộp bài dự thi")).to_be_disabled()
    screenshot(page, "contests-entry-next-step")
    for n, item in enumerate(
        ("Phiếu đăng ký dự thi", "Bản mô tả giải pháp", "Xác nhận áp dụng và hiệu quả của đơn vị sử dụng")
    ):
        path = tmp_path / f"{item}.pdf"
        path.write_bytes(PDF)
        page.select_option("select[name=item]", label=item)
        page.set_input_files("input[name=file]", str(path))
        page.get_by_role("button", name="Thêm vào hồ sơ").click()
        expect(page.locator("#dossier")).to_contain_text(f"{item}.pdf")
        expect(page.locator(".alert-success")).to_contain_text("Đã xong «Thêm vào hồ sơ»")
        if n < 2:
            expect(page.locator(".alert-success")).to_contain_text(f"còn thiếu {2 - n} mục")
    expect(page.locator(".alert-success")).to_contain_text("Bước tiếp theo: nộp bài dự thi trước")
    expect(next_step).to_contain_text("Hồ sơ đã đủ và có thể nộp")
    screenshot(page, "contests-entry-complete")
    next_step.get_by_role("button", name="Nộp bài dự thi").click()
    expect(page.locator("#registration-number")).to_have_text("ST10-001")
    done = page.locator(".alert-success")
    expect(done).to_contain_text("Đã xong «Nộp bài dự thi» — ST10-001.")
    expect(done).to_contain_text("Bước tiếp theo: Ban Tổ chức kiểm tra hồ sơ.")
    screenshot(page, "contests-receipt")
    assert any("ST10-001" in m.subject for m in mail.outbox)
    # from the dashboard, the entry says what it waits for
    page.goto(f"{live_server.url}/kontum/app/")
    page.get_by_role("link", name=re.compile("ST10-001")).click()
    expect(page.locator(".contests-next")).to_contain_text("Ban Tổ chức đang kiểm tra hồ sơ")
    page.goto(f"{live_server.url}/kontum/app/")
    page.get_by_role("link", name="Bài dự thi và giấy chứng nhận").click()
    expect(page.locator("main table")).to_contain_text("Ban Tổ chức đang kiểm tra hồ sơ.")

    # staff screen it
    entry = Entry.objects.get(edition=edition)
    page.context.clear_cookies()
    sign_in(page, live_server.url, login_of("canbo"))
    page.goto(f"{live_server.url}/kontum/app/contests/{edition.pk}/entries/")
    page.get_by_role("link", name="Máy xát vỏ mắc ca quy mô hộ gia đình").click()
    page.select_option("select[name=decision]", "return")
    page.get_by_role("button", name="Ghi nhận quyết định").click()
    expect(page.locator(".alert-danger")).to_be_visible()  # a return needs its note
    page.select_option("select[name=decision]", "accept")
    page.get_by_role("button", name="Ghi nhận quyết định").click()
    expect(page.locator("main")).to_contain_text("Đã tiếp nhận")
    # the confirmation names the decision, the entry, and what is left to screen in the edition
    done = page.locator(".alert-success")
    expect(done).to_contain_text("Đã xong «Tiếp nhận để chấm» — ST10-001. Tác giả đã được báo qua thư điện tử.")
    expect(done).to_contain_text("Không còn bài dự thi ST10 nào chờ xét hồ sơ.")
    screenshot(page, "contests-staff-entry")
    assert Entry.objects.get(pk=entry.pk).status == Entry.Status.ACCEPTED
    assert not [e for e in errors if "Content Security Policy" in e], errors


@pytest.mark.django_db(transaction=True)
def test_judges_score_and_recuse_the_board_ranks_the_leader_approves_the_public_checks(
    live_server, page, screenshot, demo
):
    page.on("dialog", lambda dialog: dialog.accept())
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    edition = Edition.objects.get(union__slug="kontum", code="TN14")
    base = f"{live_server.url}/kontum/app/contests"

    # the judge, from the dashboard: scores one entry blind, recuses from another
    sign_in(page, live_server.url, login_of("chuyengia"))
    page.goto(f"{live_server.url}/kontum/app/")
    page.locator("section", has=page.locator("#judging-heading")).get_by_role(
        "link", name=re.compile("TN14-001")
    ).click()
    expect(page.locator("main")).to_contain_text("tên tác giả được ẩn")
    next_step = page.locator(".contests-next")
    expect(next_step).to_contain_text("Bước tiếp theo")
    expect(next_step).to_contain_text("rồi nộp phiếu chấm ở dưới")
    expect(next_step).to_contain_text("Hạn:")
    expect(page.locator("main")).not_to_contain_text("A Khuê")  # the author
    inputs = page.locator("#sheet input[type=number]")
    for index, value in enumerate(["31", "25", "20", "12"]):
        inputs.nth(index).fill(value)
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.locator(".alert-danger")).to_contain_text("TM")  # 31 > 30: refused, nothing stored
    page.locator("#sheet input[type=number]").nth(0).fill("27")
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã xong «Lưu nháp» — TN14-001.")
    expect(page.locator(".alert-success")).to_contain_text("Bước tiếp theo: nộp phiếu chấm")
    page.get_by_role("button", name="Nộp phiếu chấm").click()
    done = page.locator(".alert-success[role=alert]")  # the confirmation, not the sheet's own status
    expect(done).to_contain_text("Đã xong «Nộp phiếu chấm» — TN14-001. Phiếu chấm đã khóa.")
    expect(done).to_contain_text(re.compile(r"Bước tiếp theo: chấm bài TN14-\d+"))
    expect(page.locator("main")).to_contain_text("phiếu chấm đã khóa")
    expect(page.locator("#total")).to_have_text("84")
    expect(next_step).to_contain_text("Phiếu chấm đã nộp và đã khóa.")
    expect(next_step.get_by_role("link", name=re.compile(r"Chấm bài TN14-\d+"))).to_be_visible()
    screenshot(page, "contests-sheet-submitted")
    page.get_by_role("link", name="Chấm thi").first.click()
    expect(page.locator(".contests-next")).to_contain_text("Số phiếu chấm còn phải điền:")
    screenshot(page, "contests-my-judging")
    page.locator("main table").get_by_role("link", name=re.compile("TN14-003")).click()
    page.locator(".contests-next details summary").click()
    screenshot(page, "contests-sheet-withdrawal")
    page.fill("textarea[name=reason]", "Đã từng góp ý cho nhóm tác giả khi làm mô hình gậy")
    page.locator(".contests-next").get_by_role("button", name="Xin rút khỏi bài này").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã xong «Xin rút khỏi bài này» — TN14-003.")
    expect(page.locator(".alert-success")).to_contain_text("Ban Tổ chức sẽ phân công giám khảo khác.")
    recused = Assignment.objects.get(expert__person__user__username="chuyengia", entry__number="TN14-003")
    seated = Assignment.objects.filter(entry__number="TN14-003", status__in=["confirmed", "submitted"])
    assert recused.status == "recused" and seated.count() == 2  # another judge of the jury took the seat
    assert recused.expert_id not in seated.values_list("expert_id", flat=True)

    # the other judges' signed paper sheets come in
    staff = User.objects.get(username="canbo")
    round_ = edition.rounds.get()
    criteria = list(round_.criteria.all())
    for n, seat in enumerate(Assignment.objects.filter(round=round_, status="confirmed").order_by("entry__number")):
        given = [(22, 24, 20, 12), (26, 27, 22, 13), (15, 16, 14, 9), (25, 20, 18, 11), (24, 26, 21, 12)][n % 5]
        judging.enter_paper_sheet(
            actor=staff, assignment=seat, points=dict(zip([c.pk for c in criteria], given, strict=True))
        )

    # staff: the round, closing it, the rankings raw and normalised, thresholds and quotas
    page.context.clear_cookies()
    sign_in(page, live_server.url, login_of("canbo"))
    page.goto(f"{base}/rounds/{round_.pk}/")
    expect(page.locator("main")).to_contain_text("Đã từng góp ý cho nhóm tác giả")
    screenshot(page, "contests-round")
    page.get_by_role("button", name="Kết thúc vòng").click()
    done = page.locator(".alert-success")
    expect(done).to_contain_text(f"Đã xong «Kết thúc vòng» — {round_.name} (TN14). Đây là vòng cuối của TN14.")
    expect(done).to_contain_text("Bước tiếp theo: «Kết thúc chấm: xét kết quả» trên trang của TN14")
    screenshot(page, "contests-round-closed")
    page.goto(f"{base}/{edition.pk}/")
    page.get_by_role("button", name="Kết thúc chấm: xét kết quả").click()
    expect(page.locator(".badge").first).to_contain_text("Đang xét kết quả")
    page.get_by_role("link", name="Kết quả").click()
    expect(page.locator("main")).to_contain_text("Chuẩn hóa")
    page.locator("details summary").first.click()
    screenshot(page, "contests-results-raw-and-normalised")
    page.get_by_role("link", name="Giải thưởng", exact=True).click()
    page.select_option("select[name=basis]", "normalised")
    page.get_by_role("button", name="Áp dụng ngưỡng điểm và số lượng giải").click()
    expect(page.locator("#awards")).to_contain_text("Giải")
    expect(page.locator("main")).to_contain_text("Đề xuất theo xếp hạng chuẩn hóa")
    screenshot(page, "contests-awards-proposal")

    # the leader approves and signs
    page.context.clear_cookies()
    sign_in(page, live_server.url, login_of("lanhdao"))
    page.goto(f"{base}/{edition.pk}/awards/")
    page.fill("input[name=number]", "62/QĐ-LHH")
    page.fill("input[name=day]", "20/08/2022")
    page.fill("input[name=signatory]", "Nguyễn Văn Sơn")
    page.get_by_role("button", name="Phê duyệt và ký quyết định").click()
    expect(page.locator(".alert-success").last).to_contain_text("62/QĐ-LHH")
    screenshot(page, "contests-awards-approved")

    # staff: the decision, certificates, publication
    page.context.clear_cookies()
    sign_in(page, live_server.url, login_of("canbo"))
    page.goto(f"{base}/{edition.pk}/awards/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Quyết định trao giải (DOCX)").click()
    assert download.value.suggested_filename == "quyet-dinh-trao-giai-tn14.docx"
    page.get_by_role("link", name="Giấy chứng nhận").click()
    page.get_by_role("button", name=re.compile("Tạo \\d+ giấy chứng nhận")).click()
    expect(page.locator("#progress")).to_contain_text("Hoàn tất")
    page.get_by_role("link", name="Tải lại danh sách").click()
    expect(page.locator("#certificates")).to_contain_text("còn hiệu lực")
    screenshot(page, "contests-certificates")
    page.get_by_role("link", name="Giải thưởng", exact=True).click()
    page.get_by_role("button", name="Công bố kết quả").click()
    page.get_by_role("link", name="Trang kết quả công khai").click()
    expect(page.locator("main")).to_contain_text("Máy bắt côn trùng hại cà phê")
    screenshot(page, "contests-public-results")

    # anyone checks a certificate by its code
    made = EntryCertificate.objects.filter(entry__edition=edition).select_related("certificate").first()
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/kontum/certificates/")
    page.fill("input[name=code]", made.certificate.code.lower())
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator("main")).to_contain_text(made.certificate.holder_name)
    screenshot(page, "contests-certificate-check")
    public = page.content()
    judges = set(Assignment.objects.filter(round=round_).values_list("expert__person__name", flat=True))
    page.goto(f"{live_server.url}/kontum/contests/{edition.pk}/results/")
    assert not [name for name in judges if name in page.content()], "judges' names on the public page"
    assert made.certificate.holder_name in public
    assert not [e for e in errors if "Content Security Policy" in e], errors


@pytest.mark.django_db(transaction=True)
def test_an_entrant_picks_the_school_by_typing(live_server, page, screenshot, demo):
    """A youth contest's entry names the authors' school: the entrant types a few letters and picks it among the
    Union's schools (never another kind of agency, never another Union's)."""
    from lienhiep.devdata.contests import open_for_registration

    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    staff = User.objects.get(username="canbo")
    youth = open_for_registration(staff, Edition.objects.get(union__slug="kontum", code="TN14"))
    sign_in(page, live_server.url, login_of("thisinh"))
    page.goto(f"{live_server.url}/kontum/app/contests/{youth.pk}/entries/new/")
    page.select_option("select[name=field]", index=1)
    page.fill("input[name=title]", "Máy lọc nước giếng khoan từ vật liệu tái chế")
    page.fill("textarea[name=summary]", "Lọc nước giếng khoan cho điểm trường bằng than hoạt tính và cát thạch anh.")
    pick(page, "locality", "Đăk Tô", "Đăk Tô")
    control = page.locator("#id_school-ts-control")
    control.click()
    control.press_sequentially("dak to", delay=50)  # without the diacritics
    dropdown = page.locator("#id_school-ts-dropdown")
    expect(dropdown.locator(".option", has_text="Trường THCS Đăk Tô")).to_be_visible()
    expect(dropdown.locator(".option", has_text="UBND")).to_have_count(0)  # schools only
    screenshot(page, "contests-entry-school-picker")
    dropdown.locator(".option", has_text="Trường THCS Đăk Tô").first.click()
    page.keyboard.press("Escape")
    page.fill("input[name=people-0-birth_date]", "15/03/2010")
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã xong «Lưu bản nháp»")
    entry = Entry.objects.get(edition=youth)
    assert entry.school.name == "Trường THCS Đăk Tô"
    assert not [e for e in errors if "Content Security Policy" in e], errors
