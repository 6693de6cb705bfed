"""The Excel import at scale: rows checked against the registry read once, applied in batches that write what
one-by-one saves would (search form, sort key, history records), all or nothing."""

import gc
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from lienhiep.core.models import Person
from lienhiep.core.text import forbidden_character
from lienhiep.experts import excel, services
from lienhiep.experts.models import Expert, ExpertImport

from ..conftest import Cast
from .test_import import workbook_bytes


def test_no_character_the_quick_check_passes_is_one_the_full_check_refuses():
    ranges = re.findall(r"(.)-(.)", excel.SAFE_CHARACTERS)
    assert "".join(a + "-" + b for a, b in ranges) == excel.SAFE_CHARACTERS
    for first, last in ranges:
        for code in range(ord(first), ord(last) + 1):
            ch = chr(code)
            assert forbidden_character(ch) is None, hex(code)
            assert forbidden_character(ch, multiline=True) is None, hex(code)
    for ch in "\n\r\t":
        assert forbidden_character(ch, multiline=True) is None
    # and what the full check refuses still reaches it
    for ch in ("\u202e", "\u200b", "\u00ad", "\x07", "\ufffd", "\u2066"):
        assert excel._SUSPECT_ONE_LINE.search(f"Nguyễn{ch}An")
        assert forbidden_character(f"Nguyễn{ch}An") is not None


def test_a_hidden_character_in_a_long_cv_is_still_reported(cast: Cast, fields):
    rows = [{"name": "Lê Thị Hoa", "fields": "NN", "cv": "Nghiên cứu cà phê.\n" * 500 + "Kết \u202equả"}]
    plan = excel.plan_import(cast.union, io.BytesIO(workbook_bytes(rows)))
    assert [(e.row, e.column) for e in plan.errors] == [(2, excel.HEADER["cv"])]


def test_the_collector_runs_again_after_checking_and_applying(cast: Cast, fields, monkeypatch):
    data = workbook_bytes([{"name": "Lê Thị Hoa", "fields": "NN"}])
    plan = excel.plan_import(cast.union, io.BytesIO(data))
    assert gc.isenabled()
    excel.plan_import(cast.union, io.BytesIO(b"not a workbook"))
    assert gc.isenabled()

    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(excel, "bulk_create_with_history", broken)
    with pytest.raises(RuntimeError):
        excel.apply_plan(cast.union, plan, actor=cast.staff)
    assert gc.isenabled()
    assert not Expert.objects.filter(person__name="Lê Thị Hoa").exists()
    gc.disable()
    try:
        excel.plan_import(cast.union, io.BytesIO(data))
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()


def test_a_large_file_is_applied_in_batches_as_saves_would_write_it(
    cast: Cast, experts, fields, django_assert_max_num_queries
):
    new = 1200  # more than one batch
    rows = [
        {
            "name": f"Trần Văn Số {i}",
            "birth_year": 1960 + i % 40,
            "fields": ["NN", "YT; XD"][i % 2],
            "workplace": ["UBND huyện Đăk Tô", f"Cơ quan {i % 5}"][i % 2],
            "keywords": "cà phê; hồ tiêu",
            "locality": "Huyện Đăk Tô, Tỉnh Kon Tum" if i % 3 == 0 else None,
            "cv": "Đề tài cấp tỉnh về cây dược liệu. " * (i % 4),
        }
        for i in range(new)
    ]
    updated = experts[:2]
    for expert in updated:
        rows.append(
            {
                "code": expert.code,
                "name": expert.person.name,
                "birth_year": expert.person.birth_year,
                "fields": "NN",
                "keywords": "thủy lợi mới",
            }
        )
    plan = excel.plan_import(cast.union, io.BytesIO(workbook_bytes(rows)))
    assert plan.ok, plan.errors[:3]
    people_history, expert_history = Person.history.count(), Expert.history.count()
    codes_before = set(Expert.objects.values_list("code", flat=True))
    with django_assert_max_num_queries(30):  # 5 new workplaces (2 each), 2 + 2 per 1,000 new rows, 4 for the updates
        counts = excel.apply_plan(cast.union, plan, actor=cast.staff)
    assert counts == {"created": new, "updated": 2, "unchanged": 0, "workplaces": 5}

    created = list(
        Expert.objects.filter(union=cast.union)
        .exclude(code__in=codes_before)
        .select_related("person__agency")
        .prefetch_related("fields")
        .order_by("code")
    )
    assert len(created) == new
    assert [e.code for e in created] == [f"CG-{len(experts) + 1 + i:04d}" for i in range(new)]
    for expert, row in zip(created, rows, strict=False):
        person = expert.person
        assert person.name == row["name"] and person.birth_year == row["birth_year"]
        again = Person(name=person.name)
        again.fill_search_fields()
        assert (person.name_folded, person.sort_key) == (again.name_folded, again.sort_key)
        codes = row["fields"].replace(" ", "").split(";")
        search = expert.search_folded
        expert.refresh_search([fields[code].name for code in codes])  # the fields in the file's order
        assert expert.search_folded == search
        assert sorted(f.code for f in expert.fields.all()) == sorted(codes)
        assert (expert.locality_id is not None) == (row["locality"] is not None)
    # one history record per new person and expert, one more for each updated one
    assert Person.history.count() == people_history + new + 2
    assert Expert.history.count() == expert_history + new + 2
    for expert in updated:
        expert.refresh_from_db()
        assert expert.keywords == "thủy lợi mới"
        assert expert.history.first().history_type == "~" and expert.history.first().keywords == "thủy lợi mới"
        assert [f.code for f in expert.fields.all()] == ["NN"]


def test_a_changed_registry_is_refused_at_apply_time(cast: Cast, experts, fields):
    rows = [{"code": experts[0].code, "name": experts[0].person.name, "fields": "NN", "keywords": "mới"}]
    data = workbook_bytes(rows)
    pending = ExpertImport(union=cast.union, original_name="a.xlsx", uploaded_by=cast.staff)
    pending.file.save("import.xlsx", ContentFile(data), save=False)
    pending.save()
    fingerprint = excel.plan_import(cast.union, io.BytesIO(data)).fingerprint()
    Expert.objects.filter(pk=experts[0].pk).update(keywords="đổi trong lúc chờ")
    with pytest.raises(ValidationError):
        services.apply_import(pending, actor=cast.staff, fingerprint=fingerprint)
    assert Expert.objects.get(pk=experts[0].pk).keywords == "đổi trong lúc chờ"


def test_a_person_already_registered_without_a_code_is_named_with_their_code(cast: Cast, experts, fields):
    dat = next(e for e in experts if e.person.name == "Nguyễn Văn Đạt")
    plan = excel.plan_import(
        cast.union, io.BytesIO(workbook_bytes([{"name": "nguyễn văn đạt", "birth_year": 1970, "fields": "NN"}]))
    )
    assert len(plan.errors) == 1
    assert dat.code in plan.errors[0].message and "Nguyễn Văn Đạt" in plan.errors[0].message
