"""The results of a round are stored (ResultTable, ResultRow) and never stale: after every change that alters them
— a sheet submitted, a paper sheet typed in, a paper-sheet import, a recusal and the judge seated instead, an extra
judge, an entry rejected, entries advancing from the round before, the edition's gap, tie-break, tiers, fields and
rubric — the stored table equals a fresh computation; the award proposal and the board's changes leave it as it
is. The results page, its Excel export and the award proposal read it; a round without one is computed on its
first read."""

import datetime
import io
from decimal import Decimal as D

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from lienhiep.contests import awards, editions, excel, judging, results, services
from lienhiep.contests.forms import rubric_formset, setup_formset
from lienhiep.contests.models import Assignment, Award, Edition, Note, ResultRow, ResultTable, Round

from . import factories as f

pytestmark = pytest.mark.django_db

# Sheets (judge index: TM, UD, HQ), as in test_results.py: CK A 93/88, B 85/75, C 70/90 (disputed), D 50; NN E 86/86
SHEETS = {
    "A": ("CK", [(0, (28, 32, 33)), (1, (27, 31, 30))]),
    "B": ("CK", [(0, (25, 30, 30)), (1, (20, 28, 27))]),
    "C": ("CK", [(0, (20, 25, 25)), (2, (25, 30, 35))]),
    "D": ("CK", [(2, (10, 20, 20))]),
    "E": ("NN", [(1, (26, 30, 30)), (2, (26, 30, 30))]),
}


def assert_fresh(round: Round) -> ResultTable:
    """The stored table of the round holds what a fresh computation gives, row for row, in the same order."""
    stored = ResultTable.objects.get(round=round)
    fresh = results.compute(Round.objects.get(pk=round.pk))
    assert stored.tie_codes == fresh.tie_codes
    keys = list(results.stored_values(fresh.rows[0]) if fresh.rows else [])
    kept = list(ResultRow.objects.filter(table=stored).order_by("position").values(*keys)) if keys else []
    assert kept == [results.stored_values(row) for row in fresh.rows]
    assert ResultRow.objects.filter(table=stored).count() == len(fresh.rows)
    return stored


def version(round: Round) -> int:
    return ResultTable.objects.get(round=round).version


def judged(cast, judges, sheets=SHEETS, *, submit: bool = True, **edition_kw):
    """An edition judging its one round: every seat of `sheets` placed and confirmed, then scored (submitted) in
    order. Returns the edition, its round, the entries by key and the seats by key."""
    ed = f.open_edition(cast, **edition_kw)
    entries = {key: f.accepted(cast, ed, f"Giải pháp {key}", field_code=code) for key, (code, _s) in sheets.items()}
    ed.start_judging()
    ed.save()
    r = ed.rounds.get()
    seats: dict[str, list[tuple[Assignment, tuple]]] = {}
    for key, (_code, judged_by) in sheets.items():
        for index, points in judged_by:
            seat = judging.place_judge(actor=cast.staff, round=r, entry=entries[key], expert=judges[index])
            seats.setdefault(key, []).append((seat, points))
    judging.confirm_judges(actor=cast.staff, round=r, today=datetime.date(2022, 6, 20))
    if submit:
        for pairs in seats.values():
            for seat, points in pairs:
                f.score(f.fresh(seat), *points)
    return Edition.objects.get(pk=ed.pk), r, entries, seats


def stored_row(round: Round, entry) -> ResultRow:
    return ResultRow.objects.get(table__round=round, entry=entry)


# ------------------------------------------------------------------------------------------------------ the triggers
def test_each_submitted_sheet_stores_the_round_and_a_draft_does_not_count(cast, judges):
    ed, r, entries, seats = judged(cast, judges, submit=False)
    before = results.stored_table(r).version  # stored on first read: nobody scored yet
    assert ResultRow.objects.filter(table__round=r, judges=0).count() == 5
    seat, points = seats["A"][0]
    f.score(f.fresh(seat), *points, submit=False)  # a draft: not counted, the table is not computed again
    assert version(r) == before
    assert_fresh(r)
    for pairs in seats.values():
        for seat, points in pairs:
            f.score(f.fresh(seat), *points)
            assert_fresh(r)
    assert version(r) == before + 9  # one computation per submitted sheet
    a = stored_row(r, entries["A"])
    assert (a.judges, a.mean, a.rank_label, a.tier.name) == (2, D("90.50"), "1", "Giải Nhất")
    assert stored_row(r, entries["C"]).disputed


def test_a_paper_sheet_typed_in_by_staff(cast, judges):
    _ed, r, entries, seats = judged(cast, judges, submit=False)
    seat, (tm, ud, hq) = seats["D"][0]
    codes = {c.code: c.pk for c in r.criteria.all()}
    points = {codes["TM"]: tm, codes["UD"]: ud, codes["HQ"]: hq}
    judging.enter_paper_sheet(actor=cast.staff, assignment=f.fresh(seat), points=points)
    assert_fresh(r)
    assert stored_row(r, entries["D"]).mean == D("50.00")


def test_a_paper_sheet_import_stores_the_round_once(cast, judges):
    _ed, r, entries, seats = judged(cast, judges, submit=False)
    results.stored_table(r)
    before = version(r)
    workbook = openpyxl.load_workbook(io.BytesIO(excel.template_workbook(r)))
    sheet = workbook.active
    headers = [c.value for c in sheet[1]]
    points = {(seat.entry.number, seat.expert.code): given for pairs in seats.values() for seat, given in pairs}
    for line in sheet.iter_rows(min_row=2):
        tm, ud, hq = points[(line[0].value, line[1].value)]
        line[headers.index("TM")].value, line[headers.index("UD")].value, line[headers.index("HQ")].value = tm, ud, hq
    upload = io.BytesIO()
    workbook.save(upload)
    upload.seek(0)
    report = excel.apply_score_file(r, actor=cast.staff, data=upload)
    assert report.ok, report.errors
    assert version(r) == before + 1  # nine sheets, one computation
    assert_fresh(r)
    assert stored_row(r, entries["A"]).mean == D("90.50")


def test_a_recusal_and_the_judge_seated_instead(cast, judges):
    ed, r, entries, seats = judged(cast, judges, submit=False)
    judging.set_jury(actor=cast.staff, round=r, field=f.field(ed, "CK"), experts=judges)
    for key in "ABC":
        for seat, points in seats[key]:
            f.score(f.fresh(seat), *points)
    seat, _points = seats["D"][0]  # Vi Văn Ba, not yet scored, finds a conflict
    before = version(r)
    replacement = judging.recuse(actor=judges[2].person.user, assignment=f.fresh(seat), reason="Người nhà tác giả")
    assert replacement is not None and version(r) == before + 1
    assert_fresh(r)
    f.score(f.fresh(replacement), 12, 20, 20)
    assert_fresh(r)
    assert stored_row(r, entries["D"]).mean == D("52.00")


def test_an_extra_judge_for_a_disputed_entry(cast, judges):
    ed, r, entries, _seats = judged(cast, judges)
    judging.set_jury(actor=cast.staff, round=r, field=f.field(ed, "CK"), experts=judges)
    extra = judging.add_extra_judge(entries["C"], actor=cast.staff)  # C: judges 0 and 2 apart, judge 1 is free
    assert_fresh(r)
    f.score(f.fresh(extra), 25, 30, 30)
    stored = assert_fresh(r)
    c = ResultRow.objects.get(table=stored, entry=entries["C"])
    assert c.judges == 3 and c.mean == D("81.67")


def test_an_entry_rejected_after_it_was_accepted_leaves_the_results(cast, judges):
    ed, r, entries, _seats = judged(cast, judges)
    assert ResultRow.objects.filter(table__round=r).count() == 5
    services.screen_entry(actor=cast.staff, entry=entries["D"], decision="reject", note="Không đủ điều kiện dự thi")
    stored = assert_fresh(r)
    assert not ResultRow.objects.filter(table=stored, entry=entries["D"]).exists()


def test_entries_advancing_from_the_round_before(cast, judges):
    ed = f.open_edition(cast, rounds=2)
    one, two = f.accepted(cast, ed, "Giải pháp một"), f.accepted(cast, ed, "Giải pháp hai")
    ed.start_judging()
    ed.save()
    first, final = ed.rounds.order_by("order")
    Round.objects.filter(pk=first.pk).update(advance_score=60)
    assert not results.field_counts(results.stored_table(final))  # nobody has reached the final yet
    for entry, points in ((one, (25, 30, 30)), (two, (10, 20, 20))):
        f.score(f.seat(cast, entry, judges[0]), *points)
    judging.close_round(actor=cast.staff, round=Round.objects.get(pk=first.pk))
    stored = assert_fresh(final)
    assert [row.entry_id for row in results.stored_rows(stored)] == [one.pk]  # 85 ≥ 60 advanced, 50 did not


def test_the_disagreement_gap_and_the_tie_break_criteria(cast, judges):
    ed, r, entries, _seats = judged(cast, judges)
    assert stored_row(r, entries["C"]).disputed
    ed.disagreement_gap = D("25")
    ed.tie_break = "UD"
    editions.save_edition(cast.union, actor=cast.staff, edition=ed)
    stored = assert_fresh(r)
    assert not stored_row(r, entries["C"]).disputed and stored.tie_codes == ["UD"]


def formset_data(formset, change) -> dict:
    """The data a browser sends back for a model formset as shown, after `change(index, values)` on each row's."""
    data = {formset.add_prefix(name): value for name, value in formset.management_form.initial.items()}
    for index, form in enumerate(formset.forms):
        values = {}
        for name in form.fields:
            value = form[name].value()
            if not (value is None or value is False or value == ""):  # 0 is sent, an unticked box is not
                values[name] = value.pk if hasattr(value, "pk") else value
        change(index, values)
        data |= {form.add_prefix(name): value for name, value in values.items()}
    return data


def test_the_award_tiers_and_the_fields(cast, judges):
    ed, r, entries, _seats = judged(cast, judges)
    assert stored_row(r, entries["B"]).tier.name == "Giải Nhì"

    def raise_second_prize(index, values):
        if values.get("name") == "Giải Nhì":
            values["min_score"] = "85"

    formset = setup_formset("tiers", ed, formset_data(setup_formset("tiers", ed), raise_second_prize))
    assert formset.is_valid(), formset.errors
    editions.save_setup(ed, actor=cast.staff, part="tiers", formset=formset)
    assert_fresh(r)
    assert stored_row(r, entries["B"]).tier.name == "Giải Ba"  # 80 < 85 now

    def rename_farming(index, values):
        if values.get("code") == "NN":
            values["code"] = "AN"  # before CK by code: its rows come first

    formset = setup_formset("fields", ed, formset_data(setup_formset("fields", ed), rename_farming))
    assert formset.is_valid(), formset.errors
    editions.save_setup(ed, actor=cast.staff, part="fields", formset=formset)
    stored = assert_fresh(r)
    assert results.stored_rows(stored).first().entry == entries["E"]
    assert [c.field.code for c in results.field_counts(stored)] == ["AN", "CK"]


def test_the_rubric_of_a_round_not_started(cast):
    ed = f.open_edition(cast)
    f.accepted(cast, ed, "Giải pháp một")
    r = ed.rounds.get()
    assert results.stored_table(r).tie_codes == ["TM", "UD"]

    def rename(index, values):
        if values.get("code") == "TM":
            values["code"] = "TN"

    formset = rubric_formset(r, formset_data(rubric_formset(r), rename))
    assert formset.is_valid(), formset.errors
    editions.save_rubric(r, actor=cast.staff, formset=formset)
    assert assert_fresh(r).tie_codes == ["UD"]  # the tie-break names TM, which the rubric no longer has


def test_the_award_proposal_and_the_boards_change_read_the_stored_results_and_leave_them(cast, judges):
    ed, r, entries, _seats = judged(cast, judges)
    editions.move_edition(actor=cast.staff, edition=ed, move="start_review")
    before = version(r)
    awards.apply_proposal(actor=cast.staff, edition=ed)
    b = Award.objects.get(entry=entries["B"])
    assert (b.tier.name, b.score, b.rank) == ("Giải Nhì", D("80.00"), 2)
    awards.adjust_award(actor=cast.staff, award=b, tier=ed.tiers.get(name="Giải Nhất"), reason="Hội đồng quyết định")
    awards.apply_proposal(actor=cast.staff, edition=ed, normalised=True)
    assert version(r) == before  # awards are not an input of the results: nothing to compute again
    assert_fresh(r)
    assert stored_row(r, entries["B"]).tier.name == "Giải Nhì"  # the rules' proposal, beside the board's award


# ------------------------------------------------------------------------------------------------------ the readers
def test_notes_are_said_in_the_language_of_the_reader(cast, judges):
    _ed, r, entries, _seats = judged(cast, judges)
    c = stored_row(r, entries["C"])  # reached Nhì's score, CK's one Nhì went to B
    with translation.override("en"):
        assert str(c.note) == "Giải Ba: score 80,00 ≥ 70,00 (quota of Giải Nhì full)"
        assert "placed by criterion UD" in stored_row(r, entries["B"]).tie_note
    with translation.override("vi"):
        assert str(c.note) == "Giải Ba: điểm 80,00 ≥ 70,00 (đã đủ số lượng Giải Nhì)"
    tie = Note.of(results.TIED_AT_QUOTA, "Giải Nhì", tie=True)
    assert Note.from_data(tie.data()).tie and str(Note.from_data(tie.data())).startswith("⚖ ")
    assert Note.of(results.REASON, tier="Giải Ba", score="1", min="0").then(tie).startswith("Giải Ba")


def test_the_page_reads_the_stored_results_one_field_at_a_time(cast, judges, client_for):
    ed, r, entries, _seats = judged(cast, judges)
    staff = client_for(cast.staff)
    page = reverse("contests:results", args=[cast.union.slug, ed.pk])
    ResultTable.objects.filter(round=r).delete()  # judged before the table existed: computed on the first read
    first = staff.get(page).content.decode()
    assert "Giải pháp A" in first and "Giải pháp E" not in first
    assert_fresh(r)
    farming = f.field(ed, "NN")
    second = staff.get(f"{page}?field={farming.pk}").content.decode()
    assert "Giải pháp E" in second and "Giải pháp A" not in second
    other = f.open_edition(cast, code="ST10")
    for address in (f"{page}?field={f.field(other, 'NN').pk}", f"{page}?field=99999999999999999999", f"{page}?field=x"):
        response = staff.get(address)
        assert response.status_code == 200
        text = response.content.decode()
        assert "Bỏ qua tham số “field”: giá trị không hợp lệ." in text and "Giải pháp A" in text
    export = staff.get(reverse("contests:export", args=[cast.union.slug, ed.pk, "results"]))
    workbook = openpyxl.load_workbook(io.BytesIO(export.content))
    lines = list(workbook.active.iter_rows(min_row=2, values_only=True))
    assert [line[2] for line in lines] == [e.number for e in (entries[k] for k in "ABCDE")]  # every field, ranked
    assert lines[2][7] == "x" and "Giải Nhì" in lines[2][11]  # C: disputed; why it is not Nhì


def test_the_pages_table_is_rendered_once_per_version_and_never_stale(cast, judges, client_for):
    """The table of a field is rendered once per version of the stored results (a cached fragment): a second
    visit issues fewer queries; after an extra judge's sheet the page shows the new mean at once; the leader, who
    may not act, sees no button; the button's form still posts with its CSRF token (one form outside the table)."""
    ed, r, entries, _seats = judged(cast, judges)
    staff = client_for(cast.staff)
    page = reverse("contests:results", args=[cast.union.slug, ed.pk])
    first = staff.get(page).content.decode()
    assert "<strong>80,00</strong>" in first and "ask an extra judge" not in first  # C's mean, in Vietnamese
    assert 'form="extra-judge"' in first and '<form id="extra-judge" method="post" hidden>' in first
    assert "csrfmiddlewaretoken" in first.split('<form id="extra-judge"', 1)[1].split("</form>", 1)[0]
    with CaptureQueriesContext(connection) as first_queries:
        staff.get(page)
    judging.set_jury(actor=cast.staff, round=r, field=f.field(ed, "CK"), experts=judges)
    extra = judging.add_extra_judge(entries["C"], actor=cast.staff)
    f.score(f.fresh(extra), 25, 30, 30)
    after = staff.get(page).content.decode()
    assert "<strong>81,67</strong>" not in first and "<strong>81,67</strong>" in after  # C: 80,00 → 81,67
    leader = client_for(cast.leader)  # oversees the contests, does not manage them
    seen = leader.get(page).content.decode()
    assert "<strong>81,67</strong>" in seen and 'form="extra-judge"' not in seen and 'id="extra-judge"' not in seen
    with CaptureQueriesContext(connection) as cached:
        staff.get(page)
    assert len(cached.captured_queries) <= len(first_queries.captured_queries)


def test_the_page_issues_the_same_queries_whatever_the_number_of_entries(cast, judges, client_for):
    staff = client_for(cast.staff)

    def queries(code: str, sheets) -> int:
        ed, *_rest = judged(cast, judges, sheets, code=code)
        page = reverse("contests:results", args=[cast.union.slug, ed.pk])
        staff.get(page)
        with CaptureQueriesContext(connection) as captured:
            assert staff.get(page).status_code == 200
        return len(captured.captured_queries)

    small = queries("S1", {"A": SHEETS["A"], "E": SHEETS["E"]})
    large = queries("S2", SHEETS | {k: ("CK", [(1, (20 + n, 25, 25))]) for n, k in enumerate("FGHIJK")})
    assert small == large


# -------------------------------------------------------------------------------------------------- at the same time
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite lets one writer in at a time anyway")
def test_a_sheet_submitted_while_an_entry_is_rejected_both_count(cast, judges, monkeypatch):
    """Each transaction computes the results before it commits. A judge's sheet and staff's screening lock no row in
    common but the stored table's: without that lock the one that writes last would store a table computed before
    the other committed (the sheet missing, or the rejected entry still there)."""
    import threading
    import time

    _ed, r, entries, seats = judged(cast, judges, {"A": SHEETS["A"], "E": SHEETS["E"]}, submit=False)
    results.stored_table(r)
    compute = results.compute

    def slow_compute(round):
        table = compute(round)
        time.sleep(0.5)  # computed, not yet committed: the other transaction runs now
        return table

    monkeypatch.setattr(results, "compute", slow_compute)
    start = threading.Barrier(2)
    errors = []

    def at_once(change):
        try:
            start.wait(timeout=10)
            change()
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    seat, points = seats["A"][0]
    changes = [
        lambda: f.score(f.fresh(seat), *points),
        lambda: services.screen_entry(
            actor=cast.staff, entry=entries["E"], decision="reject", note="Không đủ điều kiện"
        ),
    ]
    threads = [threading.Thread(target=at_once, args=(change,)) for change in changes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    monkeypatch.undo()
    assert not errors
    stored = assert_fresh(r)
    assert [(row.entry_id, row.judges) for row in results.stored_rows(stored)] == [(entries["A"].pk, 1)]
