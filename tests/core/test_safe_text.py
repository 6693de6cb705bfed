"""Bidirectional, invisible and control characters and U+FFFD in typed texts: one rule (core.text
forbidden_character), applied by every form of the project (core.forms.SafeTextMixin) and by the Excel imports.

Every form's text fields are tried as each role in tests/hostile/test_form_characters.py; here: the rule itself,
the walk that keeps every form (today's and tomorrow's) on the mixin, the sign-up form and the Excel imports."""

import ast
import importlib
import io
import pkgutil
from pathlib import Path

import openpyxl
import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import lienhiep
from lienhiep.core.forms import SafeForm, SafeTextMixin
from lienhiep.core.models import Agency, User
from lienhiep.core.text import forbidden_character
from tests.hostile.snapshot import changed_tables, database_state

BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f"]
BIDI += ["\u061c"]


# --- the rule ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("ch", BIDI)
def test_a_one_line_text_refuses_every_bidirectional_control(ch):
    problem = forbidden_character(f"Nguyễn{ch}Văn An")
    assert (problem.kind, problem.position, problem.code) == ("bidi", 7, f"U+{ord(ch):04X}")


@pytest.mark.parametrize(
    ("ch", "kind"),
    [
        ("\u200b", "invisible"),  # ZERO WIDTH SPACE
        ("\ufeff", "invisible"),  # ZERO WIDTH NO-BREAK SPACE (a BOM)
        ("\u00ad", "invisible"),  # SOFT HYPHEN
        ("\u2060", "invisible"),  # WORD JOINER
        ("\u200d", "invisible"),  # ZERO WIDTH JOINER
        ("\x00", "control"),
        ("\x07", "control"),
        ("\t", "control"),
        ("\n", "control"),
        ("\x7f", "control"),
        ("\x85", "control"),
        ("\ufffd", "replacement"),
    ],
)
def test_a_one_line_text_refuses_invisible_and_control_characters_and_the_replacement_character(ch, kind):
    problem = forbidden_character(f"ab{ch}")
    assert (problem.kind, problem.position) == (kind, 3)


@pytest.mark.parametrize("text", ["Nguyễn Văn An", "Nguye\u0302\u0303n", "Đăk Tô – «Ngọc Linh» №5", "Ê Đê, H'Mông"])
def test_vietnamese_and_ordinary_punctuation_pass(text):
    assert forbidden_character(text) is None
    assert forbidden_character(text, multiline=True) is None


def test_a_long_text_keeps_line_breaks_tabs_and_pasted_joiners_but_not_overrides_controls_or_damage():
    assert forbidden_character("Dòng 1\r\nDòng 2\n\tThụt lề\u200b\u200d\u200e", multiline=True) is None
    for ch, kind in [("\u202e", "bidi"), ("\u2066", "bidi"), ("\x0b", "control"), ("\x00", "control")]:
        assert forbidden_character(f"Dòng 1\n{ch}", multiline=True).kind == kind
    assert forbidden_character("Dòng 1\n\ufffd", multiline=True).kind == "replacement"


def test_the_message_names_the_character_and_its_position_in_vietnamese():
    assert forbidden_character("abcd\u202eefg").message() == (
        "Ký tự điều khiển hướng chữ U+202E (RIGHT-TO-LEFT OVERRIDE) ở vị trí 5 không được phép trong trường này."
    )
    assert "U+200B (ZERO WIDTH SPACE) ở vị trí 1" in forbidden_character("\u200bab").message()
    assert "U+0007 (BELL) ở vị trí 2" in forbidden_character("a\x07").message()
    assert "gõ lại" in forbidden_character("a\ufffd").message()


# --- every form ----------------------------------------------------------------------------------------------------


def _project_form_classes() -> set[type]:
    for module in pkgutil.walk_packages(lienhiep.__path__, "lienhiep."):
        if ".migrations" in module.name or module.name in ("lienhiep.settings", "lienhiep.wsgi"):
            continue
        importlib.import_module(module.name)
    found, queue = set(), [forms.BaseForm]
    while queue:
        for cls in queue.pop().__subclasses__():
            queue.append(cls)
            if cls.__module__.startswith("lienhiep."):
                found.add(cls)
    return found


def test_every_form_of_the_project_checks_its_texts():
    """A form added later that derives from Django's Form or ModelForm instead of core.forms.SafeForm or
    SafeModelForm fails here."""
    classes = _project_form_classes()
    assert len(classes) >= 50, sorted(c.__qualname__ for c in classes)
    missing = sorted(f"{c.__module__}.{c.__qualname__}" for c in classes if not issubclass(c, SafeTextMixin))
    assert not missing, "Derive these from lienhiep.core.forms.SafeForm / SafeModelForm:\n" + "\n".join(missing)


def test_every_form_factory_call_names_a_safe_form():
    """Formsets and forms made by Django's factories (modelformset_factory ...) get Django's ModelForm unless given
    `form=`: the walk above cannot see them, so every such call in the project must pass one."""
    factories = {"modelform_factory", "modelformset_factory", "inlineformset_factory"}
    missing = []
    for path in Path(lienhiep.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            called = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if called in factories and "form" not in {k.arg for k in node.keywords}:
                missing.append(f"{path.relative_to(Path(lienhiep.__file__).parent)}:{node.lineno} {called}")
    assert not missing, "Pass form=SafeModelForm (or a form derived from it) to:\n" + "\n".join(missing)


class _Sample(SafeForm):
    name = forms.CharField()
    summary = forms.CharField(widget=forms.Textarea, required=False)
    password = forms.CharField(widget=forms.PasswordInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["added_later"] = forms.CharField(required=False)  # a field a subclass adds in __init__


def test_a_field_added_in_init_is_checked_a_text_area_keeps_its_lines_and_a_password_is_left_alone():
    data = {"name": "An", "summary": "Dòng 1\nDòng\u200b 2", "password": "mật\u200bkhẩu", "added_later": "x\u200e"}
    form = _Sample(data)
    assert set(form.errors) == {"added_later"}
    form = _Sample({"name": "An", "summary": "Dòng 1\n\u202eDòng 2"})
    assert set(form.errors) == {"summary"}
    second = _Sample({"name": "A\u202en"})  # the validator was given to this form's copy of the field only once
    assert not second.is_valid() and len(second.errors["name"]) == 1


# --- through the pages -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("payload", "code"), [("\u202e", "U+202E"), ("\u200b", "U+200B"), ("\ufffd", "U+FFFD")])
def test_an_agency_name_with_a_hidden_character_is_refused_and_nothing_saved(payload, code, cast, client_for):
    staff = client_for(cast.staff)
    before = database_state()
    response = staff.post(
        reverse("core:agencies_create", kwargs={"union_slug": "kontum"}),
        {"name": f"UBND xã{payload} Ngọc Linh", "kind": "peoples_committee", "is_active": "on"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert f"{code} (" in page and "ở vị trí 8 không được phép trong trường này" in page
    assert changed_tables(before, database_state()) == []
    assert not Agency.objects.filter(name__startswith="UBND xã").exists()


def _signup(cast, **extra) -> dict:
    return {
        "email": "thi.sinh@example.test",
        "username": "thisinh",
        "password1": "Mot-mat-khau-dai-2024",
        "password2": "Mot-mat-khau-dai-2024",
        "full_name": "Hoàng Thị Mai",
        "union": cast.union.pk,
        **extra,
    }


@pytest.mark.parametrize("field", ["full_name", "username"])
def test_the_entrant_sign_up_refuses_a_name_that_displays_as_another(field, cast, client):
    before = database_state()
    value = {"full_name": "Hoàng Thị \u202eiaM", "username": "thi\u202esinh"}[field]
    response = client.post(reverse("account_signup"), _signup(cast, **{field: value}))
    assert response.status_code == 200
    assert "Ký tự điều khiển hướng chữ U+202E (RIGHT-TO-LEFT OVERRIDE)" in response.content.decode()
    assert changed_tables(before, database_state()) == []


def test_a_password_is_taken_as_typed(cast, client):
    password = "Mot\u200bmat-khau-dai-2024"
    client.post(reverse("account_signup"), _signup(cast, password1=password, password2=password))
    assert User.objects.get(username="thisinh").check_password(password)


# --- the Excel imports -------------------------------------------------------------------------------------------


def _expert_sheet(name: str, cv: str) -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Mã chuyên gia", "Họ và tên", "Năm sinh", "Lĩnh vực", "Lý lịch khoa học"])
    sheet.append(["", name, 1975, "NN", cv])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("chuyên gia.xlsx", buffer.getvalue())


@pytest.mark.parametrize(
    ("name", "cv", "shown"),
    [
        ("Nguyễn Thị \u202eHồng", "Kỹ sư", "U+202E (RIGHT-TO-LEFT OVERRIDE) ở vị trí 12"),
        ("Nguyễn\u200b Thị Hồng", "Kỹ sư", "U+200B (ZERO WIDTH SPACE) ở vị trí 7"),
        ("Nguyễn Thị Hồng", "Kỹ sư\n\ufffd", "U+FFFD (REPLACEMENT CHARACTER) ở vị trí 7"),
    ],
)
def test_the_expert_import_refuses_hidden_characters_cell_by_cell(name, cv, shown, cast, client_for):
    from tests.advisory import factories

    factories.field(cast.union)
    staff = client_for(cast.staff)
    before = database_state()
    response = staff.post(reverse("experts:import", kwargs={"union_slug": "kontum"}), {"file": _expert_sheet(name, cv)})
    assert response.status_code == 200
    assert shown in response.content.decode()
    assert changed_tables(before, database_state()) == []


def test_the_expert_import_keeps_line_breaks_in_a_cv(cast, client_for):
    from lienhiep.experts.models import ExpertImport
    from tests.advisory import factories

    factories.field(cast.union)
    client_for(cast.staff).post(
        reverse("experts:import", kwargs={"union_slug": "kontum"}),
        {"file": _expert_sheet("Nguyễn Thị Hồng", "Kỹ sư nông nghiệp\n\tThạc sĩ\u200b 2010")},
    )
    assert ExpertImport.objects.exists()  # checked and waiting for confirmation: no row was refused


def test_the_paper_score_sheet_import_refuses_hidden_characters(cast, client_for):
    from lienhiep.contests.models import Assignment
    from tests.contests import factories as f

    edition = f.open_edition(cast)
    entry = f.accepted(cast, edition)
    edition.start_judging()
    edition.save()
    seat = f.seat(cast, entry, f.judge(cast.union, "Hà Văn Một"))
    staff = client_for(cast.staff)
    args = {"union_slug": "kontum", "pk": seat.round_id}
    workbook = openpyxl.load_workbook(io.BytesIO(staff.get(reverse("contests:scores_template", kwargs=args)).content))
    sheet = workbook.active
    header = [c.value for c in sheet[1]]
    for code, points in (("TM", 25), ("UD", 30), ("HQ", 30)):
        sheet.cell(row=2, column=header.index(code) + 1, value=points)
    sheet.cell(row=2, column=header.index("Nhận xét") + 1, value="Tốt \u202eđạt")
    buffer = io.BytesIO()
    workbook.save(buffer)
    before = database_state()
    response = staff.post(
        reverse("contests:scores_import", kwargs=args), {"file": SimpleUploadedFile("phieu.xlsx", buffer.getvalue())}
    )
    assert "U+202E (RIGHT-TO-LEFT OVERRIDE) ở vị trí 5" in response.content.decode()
    assert changed_tables(before, database_state()) == []
    assert not Assignment.objects.filter(status=Assignment.Status.SUBMITTED).exists()
