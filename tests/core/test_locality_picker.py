"""The choice of an administrative unit (issue 19, item 5): a searched list whose options carry the days their unit
existed and, for one abolished, what replaced it (core.widgets.LocalityPicker); the request form refuses a unit that
did not exist on the letter's day and names its successor, accepts it on a day it existed, and keeps the case's own
unit whatever became of it. And the publication time of an article typed and shown dd/mm/yyyy HH:MM."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lienhiep.advisory.forms import CaseForm
from lienhiep.core.models import AdminUnit
from lienhiep.core.widgets import DATETIME_PLACEHOLDER, LocalityPicker, successor_names
from lienhiep.outreach.forms import PlannedVisitForm, locality_choices
from lienhiep.outreach.models import WorkPlan
from lienhiep.portal.forms import PublishForm

REFORM = datetime.date(2025, 7, 1)


@pytest.fixture
def successor(cast) -> AdminUnit:
    """What replaced the cast's district on 1/7/2025: a commune of the new province."""
    province = AdminUnit.objects.create(
        code="51", name="Tỉnh Quảng Ngãi", short_name="Quảng Ngãi", kind="Tỉnh", level="province", valid_from=REFORM
    )
    commune = AdminUnit.objects.create(
        code="23500", name="Xã Đăk Tô", short_name="Đăk Tô", kind="Xã", level="commune", parent=province,
        valid_from=REFORM,
    )  # fmt: skip
    cast.district.parent.successors.add(province)
    cast.district.successors.add(commune)
    return commune


def request_data(cast, **extra) -> dict:
    data = {
        "kind": "critique",
        "origin": "request",
        "requesting_agency": cast.agency.pk,
        "request_number": "15/UBND-KT",
        "title": "Đề án phát triển dược liệu",
        "form_of_work": "council",
        "council_size": 5,
    }
    return data | extra


def case_form(cast, data=None, **kwargs) -> CaseForm:
    return CaseForm(data, union=cast.union, staff=True, with_files=False, **kwargs)


@pytest.mark.django_db
def test_the_options_carry_their_days_and_the_abolished_one_names_its_successor(cast, successor):
    form = case_form(cast)
    widget = form.fields["admin_unit"].widget
    assert isinstance(widget, LocalityPicker)
    html = str(form["admin_unit"])
    assert 'data-locality-day="request_date received_on"' in html and "data-picker-complete" in html
    district = f'value="{cast.district.pk}"'
    start = html.index(district)
    option = html[html.rindex("<option", 0, start) : html.index("</option>", start)]
    assert 'data-valid-to="2025-06-30"' in option
    assert "Đã sáp nhập vào xã Đăk Tô, tỉnh Quảng Ngãi từ 01/07/2025" in option
    start = html.index(f'value="{successor.pk}"')
    option = html[html.rindex("<option", 0, start) : html.index("</option>", start)]
    assert 'data-valid-from="2025-07-01"' in option and "Thành lập từ 01/07/2025" in option
    # today's units come first in the list
    assert html.index(f'value="{successor.pk}"') < html.index(district)


@pytest.mark.django_db
def test_every_choice_of_one_unit_gets_the_searched_list(cast, successor):
    plan = WorkPlan.objects.create(
        union=cast.union,
        title="Kế hoạch 2025",
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2025, 12, 31),
    )
    form = PlannedVisitForm(union=cast.union, plan=plan)
    html = str(form["admin_unit"])
    assert isinstance(form.fields["admin_unit"].widget, LocalityPicker)
    assert 'data-locality-day="planned_on"' in html  # the day the form checks the unit against
    assert "Đã sáp nhập vào xã Đăk Tô" in html


@pytest.mark.django_db
def test_the_successors_are_read_in_one_query(cast, successor):
    units = locality_choices(cast.union)
    with CaptureQueriesContext(connection) as queries:
        names = successor_names(units)
    assert len(queries) == 1
    assert names == {cast.district.parent_id: ["tỉnh Quảng Ngãi"], cast.district.pk: [successor.full_path()]}
    assert successor_names(None) == {}


@pytest.mark.django_db
def test_a_unit_abolished_before_the_letter_is_refused_naming_its_successor(cast, successor):
    form = case_form(cast, request_data(cast, admin_unit=cast.district.pk, request_date="01/08/2025"))
    assert not form.is_valid()
    error = " ".join(form.errors["admin_unit"])
    assert "Huyện Đăk Tô không còn tồn tại vào ngày 01/08/2025 (đã giải thể sau ngày 30/06/2025)." in error
    assert f"Chọn đơn vị thay thế: {successor.full_path()}." in error
    # a commune formed by the reform did not exist yet in 2021
    form = case_form(cast, request_data(cast, admin_unit=successor.pk, request_date="11/11/2021"))
    assert not form.is_valid() and "01/07/2025" in " ".join(form.errors["admin_unit"])


@pytest.mark.django_db
def test_a_unit_that_existed_on_the_day_is_accepted(cast, successor):
    form = case_form(cast, request_data(cast, admin_unit=cast.district.pk, request_date="11/11/2021"))
    assert form.is_valid(), form.errors
    form = case_form(cast, request_data(cast, admin_unit=successor.pk, request_date="01/08/2025"))
    assert form.is_valid(), form.errors
    # no letter's day: the day received, else today
    form = case_form(cast, request_data(cast, admin_unit=cast.district.pk, received_on="30/06/2025"))
    assert form.is_valid(), form.errors
    form = case_form(cast, request_data(cast, admin_unit=cast.district.pk))
    assert not form.is_valid() and "Chọn đơn vị thay thế" in " ".join(form.errors["admin_unit"])


@pytest.mark.django_db
def test_a_case_keeps_its_own_unit_whatever_became_of_it(cast, successor):
    from tests.advisory import factories as f

    case = f.new_case(cast)
    assert case.admin_unit == cast.district
    form = case_form(cast, request_data(cast, admin_unit=cast.district.pk, request_date="01/08/2025"), instance=case)
    assert form.is_valid(), form.errors


def test_the_publication_time_is_typed_and_shown_dd_mm_yyyy_hh_mm():
    form = PublishForm(initial={"published_at": datetime.datetime(2026, 11, 11, 8, 30)})
    html = str(form["published_at"])
    assert 'type="text"' in html and 'value="11/11/2026 08:30"' in html
    assert f'placeholder="{DATETIME_PLACEHOLDER}"' in html and "pattern=" in html
    for typed in ("11/11/2026 08:30", "08:30 11/11/2026", "2026-11-11T08:30", " 11-11-2026 08:30 "):
        form = PublishForm({"published_at": typed})
        assert form.is_valid(), (typed, form.errors)
        moment = timezone.localtime(form.cleaned_data["published_at"])
        assert (moment.date(), moment.hour, moment.minute) == (datetime.date(2026, 11, 11), 8, 30), typed


@pytest.mark.parametrize("typed", ["31/02/2026 08:00", "11/11/2026 25:00", "sáng mai", "11/11/26 8h"])
def test_a_publication_time_that_is_no_time_is_refused_in_vietnamese(typed):
    form = PublishForm({"published_at": typed})
    assert not form.is_valid()
    assert form.errors["published_at"] == ["Ghi ngày và giờ theo dạng dd/mm/yyyy HH:MM, ví dụ 11/11/2026 08:30."]


def test_a_hidden_character_in_the_publication_time_is_named():
    form = PublishForm({"published_at": "11/11/2026\u200b 08:30"})
    assert not form.is_valid()
    assert form.errors.as_data()["published_at"][0].code == "forbidden_character"
