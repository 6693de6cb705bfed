"""The contest pages through HTTP, as each role uses them: staff configure and run an edition, an entrant
registers and submits, judges score and recuse, the board and the leader decide, the public reads."""

import datetime
import io
import re

import docx
import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lienhiep.contests import editions, judging, services
from lienhiep.contests.models import Assignment, Edition, Entry

from . import factories as f

pytestmark = pytest.mark.django_db


def url(name, cast, *args):
    return reverse(f"contests:{name}", args=[cast.union.slug, *args])


def test_staff_create_and_configure_an_edition(cast, client_for):
    staff = client_for(cast.staff)
    response = staff.post(
        url("edition_create", cast),
        {
            "kind": "technical",
            "title": "Hội thi Sáng tạo kỹ thuật tỉnh Kon Tum lần thứ 10",
            "number": 10,
            "period": "2024–2025",
            "code": "st10",
            "registration_opens_at": "2024-03-01T07:00:00",
            "registration_closes_at": "2024-06-15T23:59:59",
            "submission_deadline": "2024-06-15T23:59:59",
            "max_team": 5,
            "disagreement_gap": "15",
            "tie_break": "TM",
            "national_quota": 4,
        },
    )
    edition = Edition.objects.get(code="ST10")
    assert response.status_code == 302 and edition.submission_deadline.second == 59
    # not set up yet: the step to open registration is shown, disabled, with what is missing; only to staff
    page = staff.get(url("edition", cast, edition.pk)).content.decode()
    opening = page[page.index(f'action="{url("edition_move", cast, edition.pk, "open")}"') :].split("</form>")[0]
    assert "disabled" in opening and "Chưa thể thực hiện:" in opening and "Thêm ít nhất một lĩnh vực" in opening
    assert (
        url("edition_move", cast, edition.pk, "open")
        not in client_for(cast.leader).get(url("edition", cast, edition.pk)).content.decode()
    )
    assert client_for(cast.leader).post(url("edition_move", cast, edition.pk, "open")).status_code == 403
    staff.post(url("edition_move", cast, edition.pk, "open"))
    assert Edition.objects.get(pk=edition.pk).status == Edition.Status.DRAFT
    page = staff.get(url("edition", cast, edition.pk)).content.decode()
    assert "Thêm ít nhất một lĩnh vực" in page or "Add at least one field" in page
    data = {
        "fields-TOTAL_FORMS": 2, "fields-INITIAL_FORMS": 0,
        "fields-0-code": "CK", "fields-0-name": "Cơ khí, tự động hóa",
        "fields-1-code": "NN", "fields-1-name": "Nông, lâm, ngư nghiệp",
    }  # fmt: skip
    assert staff.post(url("edition_setup", cast, edition.pk, "fields"), data).status_code == 302
    assert list(edition.fields.values_list("code", flat=True)) == ["CK", "NN"]
    data = {
        "rounds-TOTAL_FORMS": 1, "rounds-INITIAL_FORMS": 0, "rounds-0-order": 1, "rounds-0-name": "Chung khảo",
        "rounds-0-judges_per_entry": 2, "rounds-0-max_load": 10, "rounds-0-advance": "score",
    }  # fmt: skip
    assert staff.post(url("edition_setup", cast, edition.pk, "rounds"), data).status_code == 302
    round = edition.rounds.get()
    data = {"criteria-TOTAL_FORMS": 3, "criteria-INITIAL_FORMS": 0}
    for n, (code, name, most) in enumerate([("TM", "Tính mới", 30), ("UD", "Áp dụng", 35), ("HQ", "Hiệu quả", 35)]):
        data |= {f"criteria-{n}-order": n, f"criteria-{n}-code": code, f"criteria-{n}-name": name}
        data |= {f"criteria-{n}-max_points": most, f"criteria-{n}-weight": 1}
    assert staff.post(url("rubric", cast, round.pk), data).status_code == 302
    assert round.max_total() == 100
    data = {
        "tiers-TOTAL_FORMS": 1, "tiers-INITIAL_FORMS": 0, "tiers-0-rank": 1, "tiers-0-name": "Giải Nhất",
        "tiers-0-min_score": 90, "tiers-0-quota_per_field": 1, "tiers-0-prize_amount": 15000000,
    }  # fmt: skip
    assert staff.post(url("edition_setup", cast, edition.pk, "tiers"), data).status_code == 302
    staff.post(url("edition_move", cast, edition.pk, "open"))
    assert Edition.objects.get(pk=edition.pk).status == Edition.Status.OPEN
    # copy to start the next one: everything numeric travels, dates move
    response = staff.post(
        url("edition_copy", cast, edition.pk),
        {"title": "Hội thi lần thứ 11", "number": 11, "period": "2026–2027", "code": "ST11", "years": 2},
    )
    copy = Edition.objects.get(code="ST11")
    assert copy.status == Edition.Status.DRAFT and copy.submission_deadline.year == 2026
    assert copy.rounds.get().criteria.count() == 3 and copy.tiers.get().prize_amount == 15_000_000
    # the leader reads but does not edit; another Union's staff see nothing
    assert client_for(cast.leader).get(url("edition", cast, edition.pk)).status_code == 200
    assert client_for(cast.leader).get(url("edition_edit", cast, edition.pk)).status_code == 403
    assert client_for(cast.outsider_staff).get(url("edition", cast, edition.pk)).status_code == 403
    outsider_url = reverse("contests:edition", args=[cast.outsider_union.slug, edition.pk])
    assert client_for(cast.outsider_staff).get(outsider_url).status_code == 404


def test_form_errors_are_in_vietnamese(cast, client_for):
    ed = f.open_edition(cast)
    staff = client_for(cast.staff)
    response = staff.post(
        url("edition_setup", cast, ed.pk, "tiers"),
        {"tiers-TOTAL_FORMS": 1, "tiers-INITIAL_FORMS": 0, "tiers-0-rank": "x", "tiers-0-name": "Giải Tư"},
    )
    assert response.status_code == 200 and "Nhập một số tổng thể" in response.content.decode()


def test_an_entrant_registers_uploads_submits_and_gets_a_receipt(cast, client_for, monkeypatch):
    ed = f.open_edition(cast)
    monkeypatch.setattr("django.utils.timezone.now", lambda: f.aware(2022, 6, 1, 10, 0, 0))
    entrant = client_for(cast.entrant)
    form = entrant.get(url("entry_create", cast, ed.pk)).content.decode()
    assert "Đinh Văn Khang" in form  # the entrant is the first author, share 100
    response = entrant.post(
        url("entry_create", cast, ed.pk),
        {
            "field": f.field(ed).pk,
            "title": "Máy tách vỏ cà phê tươi",
            "summary": "Giải pháp cho hộ nông dân Tu Mơ Rông.",
            "locality": f.current_commune().pk,
            "people-TOTAL_FORMS": 2,
            "people-INITIAL_FORMS": 0,
            "people-MIN_NUM_FORMS": 0,
            "people-MAX_NUM_FORMS": 12,
            "people-0-name": "Đinh Văn Khang",
            "people-0-role": "author",
            "people-0-share": "70",
            "people-1-name": "Y Thị Hoa",
            "people-1-role": "author",
            "people-1-share": "20",
        },  # fmt: skip
    )
    assert response.status_code == 200 and "100%" in response.content.decode()  # shares add up to 90
    assert not Entry.objects.exists()
    response = entrant.post(
        url("entry_create", cast, ed.pk),
        {
            "field": f.field(ed).pk,
            "title": "Máy tách vỏ cà phê tươi",
            "summary": "Giải pháp cho hộ nông dân Tu Mơ Rông.",
            "locality": f.current_commune().pk,
            "people-TOTAL_FORMS": 2,
            "people-INITIAL_FORMS": 0,
            "people-MIN_NUM_FORMS": 0,
            "people-MAX_NUM_FORMS": 12,
            "people-0-name": "Đinh Văn Khang",
            "people-0-role": "author",
            "people-0-share": "70",
            "people-1-name": "Y Thị Hoa",
            "people-1-role": "author",
            "people-1-share": "30",
        },  # fmt: skip
    )
    entry = Entry.objects.get()
    assert response.status_code == 302 and entry.owner == cast.entrant
    page = entrant.get(url("entry", cast, entry.pk)).content.decode()
    assert "Phiếu đăng ký" in page
    for item in ed.dossier_items.filter(required=True):
        upload = SimpleUploadedFile(f"{item.name}.pdf", f.PDF, content_type="application/pdf")
        entrant.post(url("entry_file_add", cast, entry.pk), {"item": item.pk, "file": upload})
    bad = SimpleUploadedFile("virus.pdf", b"MZ not a pdf", content_type="application/pdf")
    entrant.post(url("entry_file_add", cast, entry.pk), {"item": ed.dossier_items.first().pk, "file": bad})
    assert entry.files.count() == 2
    response = entrant.post(url("entry_submit", cast, entry.pk))
    entry = f.fresh(entry)
    assert entry.status == Entry.Status.SUBMITTED and entry.number == "ST9-001"
    receipt = entrant.get(response["Location"]).content.decode()
    assert "ST9-001" in receipt and "10:00:00 01/06/2022" in receipt
    # after submission: no more edits
    assert (
        entrant.post(
            url("entry_file_add", cast, entry.pk), {"item": ed.dossier_items.last().pk, "url": "https://youtu.be/x"}
        ).status_code
        == 302
    )
    assert entry.files.count() == 2
    assert entrant.get(url("entry_edit", cast, entry.pk)).status_code == 302


def test_staff_screen_and_the_entrant_sees_the_reason_but_never_the_judges(cast, client_for, judges):
    ed = f.open_edition(cast)
    entry = f.submitted(cast, ed)
    staff = client_for(cast.staff)
    # the page offers the steps its viewer may take from here: screening to staff, nothing to the entrant
    screen, reopen = url("entry_screen", cast, entry.pk), url("entry_reopen", cast, entry.pk)
    staff_page = staff.get(url("entry", cast, entry.pk)).content.decode()
    assert f'action="{screen}"' in staff_page and f'action="{reopen}"' in staff_page
    entrant_page = client_for(cast.entrant).get(url("entry", cast, entry.pk)).content.decode()
    assert screen not in entrant_page and reopen not in entrant_page
    staff.post(url("entry_screen", cast, entry.pk), {"decision": "reject", "note": ""})
    assert f.fresh(entry).status == Entry.Status.SUBMITTED  # a rejection needs its reason
    staff.post(url("entry_screen", cast, entry.pk), {"decision": "return", "note": "Bổ sung xác nhận của HTX"})
    page = client_for(cast.entrant).get(url("entry", cast, entry.pk)).content.decode()
    assert "Bổ sung xác nhận của HTX" in page
    services.submit_entry(actor=cast.entrant, entry=f.fresh(entry), now=f.aware(2022, 6, 20, 8, 0, 0))
    staff.post(url("entry_screen", cast, entry.pk), {"decision": "accept", "note": ""})
    ed.start_judging()
    ed.save()
    f.seat(cast, f.fresh(entry), judges[0])
    entrant_page = client_for(cast.entrant).get(url("entry", cast, entry.pk)).content.decode()
    staff_page = staff.get(url("entry", cast, entry.pk)).content.decode()
    assert "Hà Văn Một" in staff_page and "Hà Văn Một" not in entrant_page


def test_an_entrant_cannot_open_anothers_entry(cast, client_for):
    from tests.conftest import make_user

    ed = f.open_edition(cast)
    entry = f.submitted(cast, ed)
    other = client_for(make_user("khac", "Y Khác", "entrant", cast.union))
    assert other.get(url("entry", cast, entry.pk)).status_code == 404
    assert other.get(url("receipt", cast, entry.pk)).status_code == 404
    assert other.post(url("entry_submit", cast, entry.pk)).status_code == 404
    attachment = entry.files.first().attachment
    assert other.get(reverse("core:attachment_download", args=[cast.union.slug, attachment.pk])).status_code in (
        403,
        404,
    )
    assert (
        client_for(cast.entrant)
        .get(reverse("core:attachment_download", args=[cast.union.slug, attachment.pk]))
        .status_code
        == 200
    )


def judged(cast, judges):
    ed = f.open_edition(cast)
    one = f.accepted(cast, ed, "Máy tách hạt cà phê cải tiến")
    two = f.accepted(cast, ed, "Bếp đun tiết kiệm củi", people=f.authors(("A Thiêng", 100)))
    ed.start_judging()
    ed.save()
    judging.set_jury(actor=cast.staff, round=ed.rounds.get(), field=f.field(ed), experts=judges)
    return ed, ed.rounds.get(), one, two


def test_staff_choose_juries_propose_and_confirm_through_the_pages(cast, client_for, judges):
    ed, r, one, two = judged(cast, judges)
    staff = client_for(cast.staff)
    field = f.field(ed)
    staff.post(url("jury_set", cast, r.pk, field.pk), {f"jury{field.pk}-experts": [j.pk for j in judges]})
    assert set(r.juries.get().members.all()) == set(judges)
    staff.post(url("round_propose", cast, r.pk))
    assert Assignment.objects.filter(round=r, status="proposed").count() == 4
    page = staff.get(url("round", cast, r.pk)).content.decode()
    assert "Xác nhận 4" in page or "Confirm 4" in page
    staff.post(url("round_confirm", cast, r.pk))
    assert Assignment.objects.filter(round=r, status="confirmed").count() == 4


def test_a_judge_sees_only_their_sheets_scores_and_recuses(cast, client_for, judges):
    ed, r, one, two = judged(cast, judges)
    a1 = f.seat(cast, one, judges[0], confirm=False)
    a2 = f.seat(cast, one, judges[1])
    j1, j2 = client_for(judges[0].person.user), client_for(judges[1].person.user)
    page = j1.get(url("sheet", cast, a1.pk)).content.decode()
    assert one.title in page and "Đinh Văn Khang" not in page  # blind: no author names
    assert j1.get(url("sheet", cast, a2.pk)).status_code == 404  # another judge's sheet
    crit = {c.code: c.pk for c in r.criteria.all()}
    response = j1.post(url("sheet", cast, a1.pk), {f"points_{crit['TM']}": "35", "save": "1"})
    assert "30" in response.content.decode() and not f.fresh(a1).scores.exists()  # out of range, nothing stored
    j1.post(url("sheet", cast, a1.pk), {f"points_{crit['TM']}": "28", f"points_{crit['UD']}": "30",
                                          f"points_{crit['HQ']}": "30", "submit": "1"})  # fmt: skip
    assert f.fresh(a1).status == "submitted"
    # j2 has not submitted: j1's total is not on j2's sheet
    shown = re.sub(r"<[^>]+>", " ", j2.get(url("sheet", cast, a2.pk)).content.decode())  # text, not tokens
    assert not re.search(r"\b88\b", shown)
    j2.post(url("recuse", cast, a2.pk), {"reason": "Tôi là thầy hướng dẫn cũ của tác giả"})
    assert f.fresh(a2).status == "recused"
    replacement = Assignment.objects.get(round=r, entry=one, status="confirmed")
    assert replacement.expert == judges[2]
    assert (
        "Hà Văn Một" not in client_for(judges[2].person.user).get(url("sheet", cast, replacement.pk)).content.decode()
    )
    listing = j2.get(url("my_judging", cast)).content.decode()
    assert one.title in listing
    assert client_for(cast.staff).get(url("sheet", cast, a1.pk)).status_code == 403  # staff are not judges


def test_paper_score_sheets_all_or_nothing(cast, client_for, judges):
    ed, r, one, two = judged(cast, judges)
    a1 = f.seat(cast, one, judges[0], confirm=False)
    a2 = f.seat(cast, two, judges[1])
    staff = client_for(cast.staff)
    template = openpyxl.load_workbook(io.BytesIO(staff.get(url("scores_template", cast, r.pk)).content))
    sheet = template.active
    assert sheet.max_row == 3
    header = [c.value for c in sheet[1]]
    col = {h: i + 1 for i, h in enumerate(header)}
    rows = {sheet.cell(row=n, column=1).value: n for n in (2, 3)}
    for number, points in ((one.number, (25, 30, 30)), (two.number, (20, 40, 25))):  # 40 > 35 on UD
        for code, value in zip(("TM", "UD", "HQ"), points, strict=True):
            sheet.cell(row=rows[number], column=col[code], value=value)
    buffer = io.BytesIO()
    template.save(buffer)
    upload = SimpleUploadedFile("phieu.xlsx", buffer.getvalue())
    page = staff.post(url("scores_import", cast, r.pk), {"file": upload}).content.decode()
    assert "UD" in page and "35" in page
    assert not Assignment.objects.filter(status="submitted").exists()  # nothing applied
    sheet.cell(row=rows[two.number], column=col["UD"], value=30)
    buffer = io.BytesIO()
    template.save(buffer)
    response = staff.post(
        url("scores_import", cast, r.pk), {"file": SimpleUploadedFile("phieu.xlsx", buffer.getvalue())}
    )
    assert response.status_code == 302
    assert {a.pk for a in Assignment.objects.filter(status="submitted", on_paper=True)} == {a1.pk, a2.pk}
    scores = openpyxl.load_workbook(io.BytesIO(staff.get(url("scores_export", cast, r.pk)).content)).active
    assert scores.cell(row=1, column=3).value == "Mã giám khảo" and scores.max_row == 3


def test_results_awards_approval_decision_publication(cast, client_for, judges):
    ed, r, one, two = judged(cast, judges)
    for entry, points in ((one, (28, 32, 32)), (two, (20, 25, 25))):
        seats = [f.seat(cast, entry, j, confirm=False) for j in judges[:2]]
        judging.confirm_judges(actor=cast.staff, round=r, today=datetime.date(2022, 6, 20))
        for seat in seats:
            f.score(f.fresh(seat), *points)
    staff, leader = client_for(cast.staff), client_for(cast.leader)
    staff.post(url("edition_move", cast, ed.pk, "start_review"))
    page = staff.get(url("results", cast, ed.pk)).content.decode()
    assert "92.00" in page or "92,00" in page
    staff.post(url("awards_apply", cast, ed.pk), {"basis": "raw"})
    award = two.award
    staff.post(url("award_adjust", cast, award.pk), {"tier": "", "reason": ""})
    assert f.fresh(award).tier is not None
    staff.post(
        url("award_adjust", cast, award.pk),
        {"tier": ed.tiers.get(name="Giải Ba").pk, "reason": "Ban giám khảo thống nhất"},
    )
    assert staff.post(url("awards_approve", cast, ed.pk), {}).status_code == 403
    leader.post(
        url("awards_approve", cast, ed.pk), {"number": "30/QĐ-LHH", "day": "2022-09-05", "signatory": "Nguyễn Văn Sơn"}
    )
    assert Edition.objects.get(pk=ed.pk).status == Edition.Status.APPROVED
    document = docx.Document(io.BytesIO(staff.get(url("decision_docx", cast, ed.pk)).content))
    text = "\n".join(p.text for p in document.paragraphs)
    annex = "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert "Số: 30/QĐ-LHH" in annex and "Máy tách hạt cà phê cải tiến" in annex and "Ba" in annex
    assert "Về việc tặng giải thưởng" in text
    for kind in ("entries", "results", "payouts"):
        workbook = openpyxl.load_workbook(io.BytesIO(staff.get(url("export", cast, ed.pk, kind)).content))
        assert workbook.active.max_row >= 2, kind
    payouts = openpyxl.load_workbook(io.BytesIO(staff.get(url("export", cast, ed.pk, "payouts")).content)).active
    assert [row[6] for row in payouts.iter_rows(min_row=2, values_only=True)] == [15_000_000, 8_000_000]
    public = reverse("contests:public_results", args=[cast.union.slug, ed.pk])
    assert client_for(None).get(public).status_code == 404
    staff.post(url("publish", cast, ed.pk))
    page = client_for(None).get(public).content.decode()
    assert "Máy tách hạt cà phê cải tiến" in page and "A Thiêng" in page and "Hà Văn Một" not in page
    assert (
        "Kết quả" in client_for(None).get(reverse("portal:publication_list", args=[cast.union.slug])).content.decode()
    )


def test_list_pages_issue_a_fixed_number_of_queries(cast, client_for, django_assert_num_queries, judges):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ed = f.open_edition(cast)
    staff = client_for(cast.staff)
    counts = []
    for size in (2, 6):
        while Entry.objects.filter(edition=ed).count() < size:
            n = Entry.objects.count()
            f.submitted(
                cast, ed, f"Giải pháp số {n}", people=f.authors((f"Tác giả {n}", 60), (f"Đồng tác giả {n}", 40))
            )
        with CaptureQueriesContext(connection) as queries:
            assert staff.get(url("entries", cast, ed.pk)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_public_pages(cast, client_for):
    ed = f.open_edition(cast)
    anonymous = client_for(None)
    assert ed.title in anonymous.get(reverse("contests:public_list", args=[cast.union.slug])).content.decode()
    page = anonymous.get(reverse("contests:public_edition", args=[cast.union.slug, ed.pk])).content.decode()
    assert "Tính mới, sáng tạo" in page and "Giải Nhất" in page
    draft = f.edition(cast, code="NHAP")
    assert anonymous.get(reverse("contests:public_edition", args=[cast.union.slug, draft.pk])).status_code == 404
    other = reverse("contests:public_edition", args=[cast.outsider_union.slug, ed.pk])
    assert anonymous.get(other).status_code == 404


def test_dossier_files_reach_only_seated_judges(cast, client_for, judges):
    """A judge reads the shown items through their own sheet (the blind copy); the original's address is a 404 to
    every judge, seated or not (tests/contests/test_blind_judging.py: names and metadata)."""
    ed, r, one, two = judged(cast, judges)
    shown = one.files.get(item__shown_to_judges=True)
    original = reverse("core:attachment_download", args=[cast.union.slug, shown.attachment.pk])
    proposed = judging.place_judge(actor=cast.staff, round=r, entry=one, expert=judges[0])
    copy = url("judge_file", cast, proposed.pk, shown.pk)
    assert client_for(judges[0].person.user).get(copy).status_code == 404  # only proposed so far
    judging.confirm_judges(actor=cast.staff, round=r, today=datetime.date(2022, 6, 20))
    assert client_for(judges[0].person.user).get(copy).status_code in (200, 302)  # 302: a file it cannot clean
    assert client_for(judges[0].person.user).get(original).status_code == 404
    assert client_for(judges[1].person.user).get(copy).status_code == 404  # not on this entry
    judging.recuse(actor=judges[0].person.user, assignment=f.fresh(proposed), reason="Người nhà tác giả")
    assert client_for(judges[0].person.user).get(copy).status_code == 404


def test_typical_configuration_fills_only_the_empty_parts(cast, client_for):
    from lienhiep.contests.models import AwardTier

    youth = f.edition(cast, kind=Edition.Kind.YOUTH, code="TN15")
    empty = Edition.objects.create(
        union=cast.union, kind="youth", title="Cuộc thi lần thứ 15", number=15, period="2026", code="TN16",
        registration_opens_at=f.aware(2026, 1, 1, 0, 0, 0), registration_closes_at=f.aware(2026, 6, 15, 23, 59, 59),
        submission_deadline=f.aware(2026, 6, 15, 23, 59, 59), age_cutoff=datetime.date(2026, 6, 15),
        min_age=6, max_age=18,
    )  # fmt: skip
    AwardTier.objects.create(edition=empty, rank=1, name="Giải Vàng", min_score=85)
    staff = client_for(cast.staff)
    page = staff.get(url("edition", cast, empty.pk)).content.decode()
    assert "Điền cấu hình thường dùng" in page
    staff.post(url("edition_typical", cast, empty.pk))
    assert list(empty.fields.values_list("code", flat=True)) == ["KT", "NM", "PM", "SK", "TK"]
    assert empty.rounds.get().max_total() == 100 and empty.age_groups.count() == 3
    assert list(empty.tiers.values_list("name", flat=True)) == ["Giải Vàng"]  # the tiers given were kept
    assert empty.dossier_items.filter(required=True).count() == 2

    editions.move_edition(actor=cast.staff, edition=empty, move="open")
    staff.post(url("edition_typical", cast, youth.pk))  # already configured: nothing changes
    assert youth.fields.count() == 2


def test_results_page_shows_one_field_at_a_time_with_every_field_counted(cast, client_for, judges):
    """A province's edition has fields of up to a hundred entries: the page shows one field, with tabs giving each
    field's entries and flags; the totals above the tabs count the whole round."""
    ed = f.open_edition(cast)
    one = f.accepted(cast, ed, "Máy tách hạt cà phê cải tiến")
    two = f.accepted(cast, ed, "Giống cà phê vối ghép chịu hạn", field_code="NN")
    ed.start_judging()
    ed.save()
    r = ed.rounds.get()
    for entry, points in ((one, ((28, 32, 32), (10, 12, 12))), (two, ((20, 25, 25), (21, 25, 25)))):
        seats = [f.seat(cast, entry, j, confirm=False) for j in judges[:2]]
        judging.confirm_judges(actor=cast.staff, round=r, today=datetime.date(2022, 6, 20))
        for seat, given in zip(seats, points, strict=True):
            f.score(f.fresh(seat), *given)
    staff = client_for(cast.staff)
    mechanics, farming = f.field(ed, "CK"), f.field(ed, "NN")

    first = staff.get(url("results", cast, ed.pk)).content.decode()
    assert one.title in first and two.title not in first  # the first field by code
    assert f'href="?field={farming.pk}"' in first and f'href="?field={mechanics.pk}"' in first
    assert "1 bài có điểm giám khảo chênh lệch lớn" in first  # the mechanics entry, counted on any tab

    second = staff.get(url("results", cast, ed.pk) + f"?field={farming.pk}").content.decode()
    assert two.title in second and one.title not in second
    assert 'aria-current="page' in second
    assert "1 bài có điểm giám khảo chênh lệch lớn" in second

    unknown = staff.get(url("results", cast, ed.pk) + "?field=nonsense").content.decode()
    assert one.title in unknown  # a field that is not the edition's falls back to the first


def test_the_next_edition_is_suggested_from_today_and_its_dates_shown_before_saving(cast, client_for):
    """ST9 (registration from 1/3/2022) copied on 7/12/2026: ST10, «lần thứ 10», dates moved by 5 years so that
    registration opens after today (1/3/2027); «Xem các ngày» shows them without creating anything."""
    from unittest import mock

    edition = f.edition(cast)
    staff = client_for(cast.staff)
    copy_url = reverse("contests:edition_copy", args=[cast.union.slug, edition.pk])
    with mock.patch("django.utils.timezone.localdate", return_value=datetime.date(2026, 12, 7)):
        page = staff.get(copy_url).content.decode()
    assert 'value="ST10"' in page and "lần thứ 10" in page and 'value="2027–2028"' in page and 'value="5"' in page
    assert "01/03/2022" in page and "01/03/2027" in page  # this edition's date and the new one, before saving
    form = {"title": "Hội thi lần thứ 10", "number": 10, "period": "2025–2026", "code": "ST10", "years": 3}
    preview = staff.post(copy_url, {**form, "preview": "1"}).content.decode()
    assert "01/03/2025" in preview and not Edition.objects.filter(code="ST10").exists()
    response = staff.post(copy_url, form)
    copy = Edition.objects.get(union=cast.union, code="ST10")
    assert response.status_code == 302 and copy.registration_opens_at.year == 2025


def test_an_age_group_names_its_range_once():
    from lienhiep.contests.models import AgeGroup

    assert str(AgeGroup(name="Bảng C (16–18 tuổi)", min_age=16, max_age=18)) == "Bảng C (16–18 tuổi)"
    assert str(AgeGroup(name="Bảng A", min_age=6, max_age=10)) == "Bảng A (6–10)"
    assert str(AgeGroup(name="Bảng C 16 - 18", min_age=16, max_age=18)) == "Bảng C 16 - 18"
    assert str(AgeGroup(name="Bảng C: từ 16 đến 18 tuổi", min_age=16, max_age=18)) == "Bảng C: từ 16 đến 18 tuổi"
    assert str(AgeGroup(name="Bảng 1 (6–11)", min_age=16, max_age=18)) == "Bảng 1 (6–11) (16–18)"  # other ages


def test_the_round_page_offers_judges_by_typing_not_the_whole_registry(cast, client_for, judges):
    """A jury and a judge placed by hand are chosen from the experts picker (experts:pick): with more experts than
    a page holds, the page lists only the jury's members, and a judge typed and sent is saved."""
    from lienhiep.core.models import Person
    from lienhiep.experts.models import Expert
    from tests.core.test_registry_pickers import MANY, options

    ed, r, one, two = judged(cast, judges)
    people = [Person(union=cast.union, name=f"Lê Thị Giám Khảo {i:02}") for i in range(MANY)]
    for person in people:
        person.fill_search_fields()
    others = Expert.objects.bulk_create(
        [
            Expert(union=cast.union, person=p, code=f"GK-{i:03d}")
            for i, p in enumerate(Person.objects.bulk_create(people))
        ]
    )
    staff = client_for(cast.staff)
    field = f.field(ed)
    page = staff.get(url("round", cast, r.pk)).content.decode()
    jury = options(page, f"jury{field.pk}-experts")
    assert len(jury) == len(judges) and all(" selected" in option for option in jury)
    assert "data-picker" in page and [o for o in options(page, "expert") if 'value=""' not in o] == []
    staff.post(url("jury_set", cast, r.pk, field.pk), {f"jury{field.pk}-experts": [j.pk for j in [*judges, others[0]]]})
    assert others[0] in r.juries.get().members.all()
