"""The one reader of query parameters (lienhiep/core/params.py): its rules, its notice, and what pages do with a
value it refuses (ignore it and say so; a file export answers 400). Every page × parameter × hostile value is
walked in tests/hostile/test_parameters.py."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.test import RequestFactory
from django.urls import reverse

from lienhiep.advisory.models import AnnualReport
from lienhiep.core.models import AdminUnit, Union
from lienhiep.core.params import (
    ID_MAX,
    QueryParams,
    clean_text,
    parse_choice,
    parse_date,
    parse_id,
    parse_month,
    parse_page,
    parse_year,
)

NOTICE = "Bỏ qua tham số “year”: giá trị không hợp lệ."
UNICODE_DIGITS = ["²⁰²⁶", "①", "٣", "２０２６", "𝟐𝟎𝟐𝟔"]  # superscript, circled, Arabic-Indic, full-width, math bold


@pytest.mark.parametrize("text, value", [("1", 1), ("42", 42), ("007", 7), (str(ID_MAX), ID_MAX), (" 5", None)])
def test_an_id_is_a_positive_number_in_ascii_digits_within_the_database_range(text, value):
    assert parse_id(text) == value


@pytest.mark.parametrize(
    "text",
    ["", None, "0", "-1", "+1", "1.0", "1e3", "0x1f", "1_000", str(ID_MAX + 1), "99999999999999999999", "9" * 5000]
    + UNICODE_DIGITS,
)
def test_an_id_refuses_what_int_or_the_database_would_not_take(text):
    assert parse_id(text) is None


def test_every_unicode_digit_is_refused_even_those_int_accepts():
    assert int("٣") == 3 and "²".isdigit()  # the two traps: int() takes some, isdigit() says yes to others
    for text in UNICODE_DIGITS:
        assert parse_year(text) is None and parse_page(text) is None


def test_a_year_is_in_a_sane_range():
    assert parse_year("2026") == 2026
    assert parse_year("1899") is None and parse_year("2101") is None
    assert parse_year("1999", low=2000) is None and parse_year("2000", low=2000) == 2000


def test_a_page_number_is_positive_and_bounded():
    assert parse_page("3") == 3
    assert parse_page("0") is None and parse_page("-2") is None and parse_page("99999999999") is None


def test_a_choice_is_one_of_the_given_values():
    assert parse_choice("open", ["open", "closed"]) == "open"
    assert parse_choice("Open", ["open"]) is None and parse_choice("open\x00", ["open"]) is None
    assert parse_choice("2", [1, 2]) == "2"


@pytest.mark.parametrize(
    "text, day",
    [
        ("27/09/2017", datetime.date(2017, 9, 27)),
        ("7/9/2017", datetime.date(2017, 9, 7)),
        ("2017-09-27", datetime.date(2017, 9, 27)),
        ("29/02/2024", datetime.date(2024, 2, 29)),
    ],
)
def test_a_date_is_read_in_vietnamese_and_iso_forms(text, day):
    assert parse_date(text) == day


@pytest.mark.parametrize(
    "text", ["31/02/2026", "29/02/2025", "2026-13-45", "0001-01-01", "27/09/17", "٢٠١٧-٠٩-٢٧", "2017-09-27T00:00", ""]
)
def test_an_impossible_or_odd_date_is_refused(text):
    assert parse_date(text) is None


def test_a_month_is_yyyy_mm_in_the_sane_years():
    assert parse_month("2026-02") == datetime.date(2026, 2, 1)
    for text in ("0001-01", "9999-12", "2026-13", "2026-2", "٢٠٢٦-٠٢"):
        assert parse_month(text) is None  # the calendar computes the month before and after: 0001-01 had none


def test_a_short_text_loses_control_characters_and_is_cut():
    assert clean_text("a\x00b\tc\r\nd\x1f") == "a b c d"
    assert clean_text("  Đăk   Tô ") == "Đăk Tô"
    assert len(clean_text("ab " * 1700)) == 200
    assert clean_text("x" * 50, 10) == "x" * 10
    assert clean_text(None) == ""


def _request(query: dict):
    request = RequestFactory().get("/", query)
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def test_an_invalid_value_is_ignored_and_told_once_per_parameter():
    request = _request({"year": "²⁰²⁶", "field": "99999999999999999999", "q": "Đăk\x00Tô", "status": "x"})
    params = QueryParams(request)
    assert params.year() is None
    assert params.year() is None  # asked twice, told once
    assert params.id("field") is None
    assert params.text("q") == "Đăk Tô"  # a text is cleaned, never refused
    assert params.choice("status", ["open"], default="open") == "open"
    assert params.invalid == ["year", "field", "status"]
    assert [str(m) for m in get_messages(request)] == [
        NOTICE,
        "Bỏ qua tham số “field”: giá trị không hợp lệ.",
        "Bỏ qua tham số “status”: giá trị không hợp lệ.",
    ]


def test_missing_and_empty_values_are_no_error():
    request = _request({"year": "", "page": " "})
    params = QueryParams(request)
    assert params.year() is None and params.page() == 1 and params.id("field") is None and params.date("on") is None
    assert params.invalid == [] and params.refusal() is None


def test_a_machine_facing_address_gets_a_400_naming_the_parameter():
    params = QueryParams(_request({"year": "①"}), notify=False)
    params.year()
    response = params.refusal()
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode().strip() == NOTICE


def test_every_choice_of_records_refuses_ids_the_database_cannot_hold_before_asking_it(cast):
    """The project's base forms give the id check to every choice of records, a custom one included, and keep
    what that class does (its labels)."""
    from django import forms

    from lienhiep.core.forms import AdminUnitChoiceField, SafeForm

    class Choices(SafeForm):
        single = forms.ModelChoiceField(queryset=Union.objects.all(), required=False)
        many = forms.ModelMultipleChoiceField(queryset=Union.objects.all(), required=False)
        unit = AdminUnitChoiceField(queryset=AdminUnit.objects.all(), required=False)

    pk = str(cast.union.pk)
    good = Choices({"single": pk, "many": [pk], "unit": str(cast.district.pk)})
    assert good.is_valid(), good.errors
    assert good.cleaned_data["single"] == cast.union and list(good.cleaned_data["many"]) == [cast.union]
    assert good.fields["unit"].label_from_instance(cast.district) == cast.district.full_path()
    for value in ("99999999999999999999", "-99999999999999999999", "²", "9" * 5000):
        form = Choices({"single": value, "many": [pk, value], "unit": value})
        assert not form.is_valid() and set(form.errors) == {"single", "many", "unit"}


def test_the_public_library_ignores_a_unicode_year_and_says_so(cast, client_for):
    url = reverse("portal:document_list", args=[cast.union.slug])
    anonymous = client_for(None)
    response = anonymous.get(url, {"year": "²⁰²⁶"})
    assert response.status_code == 200
    body = response.content.decode()
    assert NOTICE in body
    assert cast.public_document.number_symbol in body  # the list as without the filter
    assert NOTICE not in anonymous.get(url).content.decode()  # told once, not on the next page
    assert cast.public_document.number_symbol not in anonymous.get(url, {"year": "2020"}).content.decode()
    assert cast.public_document.number_symbol in anonymous.get(url, {"year": "2017"}).content.decode()


def test_the_expert_export_refuses_an_invalid_filter_instead_of_exporting_everyone(cast, client_for):
    staff = client_for(cast.staff)
    url = reverse("experts:export", args=[cast.union.slug])
    response = staff.get(url, {"field": "99999999999999999999"})
    assert response.status_code == 400
    assert "Bỏ qua tham số “field”" in response.content.decode()
    assert staff.get(url, {"field": "1", "q": "An"}).status_code == 200


def test_the_expert_list_links_its_export_with_the_valid_filters_only(cast, client_for):
    response = client_for(cast.staff).get(
        reverse("experts:list", args=[cast.union.slug]), {"locality": "①", "availability": "available"}
    )
    body = response.content.decode()
    assert "Bỏ qua tham số “locality”: giá trị không hợp lệ." in body
    assert "export.xlsx?availability=available" in body and "locality=" not in body.split("export.xlsx")[1][:80]


def test_the_year_report_is_never_signed_for_a_year_that_could_not_be_read(cast, client_for):
    leader = client_for(cast.leader)
    before = AnnualReport.objects.count()
    response = leader.post(reverse("advisory:stats_sign", args=[cast.union.slug]) + "?year=%E2%91%A0", follow=True)
    assert response.status_code == 200
    assert "Bỏ qua tham số “year”: giá trị không hợp lệ." in response.content.decode()
    assert AnnualReport.objects.count() == before


def test_a_hand_edited_id_on_a_new_form_is_ignored_with_the_notice(cast, client_for):
    response = client_for(cast.staff).get(
        reverse("outreach:session_create", args=[cast.union.slug]), {"visit": "99999999999999999999"}
    )
    assert response.status_code == 200
    assert "Bỏ qua tham số “visit”: giá trị không hợp lệ." in response.content.decode()
