"""Hostile values typed into every create/edit form of the staff pages.

Each form is read from its page (inputs, selects, text areas), filled with plain valid values, then sent once per
(field, hostile value): impossible dates (30 February, 31 April, year 0) in date fields, `javascript:` in link
fields, 100,000 characters in text fields. The answer must be the form again with a Vietnamese error and the
database unchanged, never a 500 and never a database error.

Decision on length: a one-line field has its column's max_length and refuses longer text with a form error. A
multi-line text (summaries, minutes, reviews, CVs, article bodies) has no useful small limit, so 100,000
characters are accepted as long as the whole request stays under DATA_UPLOAD_MAX_MEMORY_SIZE (5 MB); a larger
request gets the Vietnamese 400 page."""

import re

import pytest
from django.urls import reverse

from tests.hostile.forms import PostForms
from tests.hostile.snapshot import changed_tables, database_state
from tests.test_url_access import private_attachment, protected_urls  # noqa: F401

BAD_DATES = ["2026-02-30", "31/04/2026", "0000-01-01"]
JS_URL = "javascript:alert(1)"
LONG = "Nguyễn " * 14_286  # 100,002 characters
TRIED: list[str] = []


def _valid_fill(form: dict) -> dict:
    data = dict(form["fields"])
    for name, kind in form["types"].items():
        if data.get(name):
            continue
        data[name] = {
            "date": "2022-01-10",
            "datetime-local": "2022-01-10T09:00",
            "time": "09:00",
            "number": "1",
            "email": "thu.nghiem@example.test",
            "url": "https://example.test/",
            "tel": "0260 3862 123",
            "textarea": "Nội dung thử nghiệm",
            "select": data.get(name, ""),
        }.get(kind, "Thử nghiệm")
    return data


def _main_form(page: str) -> dict | None:
    reader = PostForms()
    reader.feed(page)
    forms = [f for f in reader.forms if f["types"] and "csrfmiddlewaretoken" in f["fields"]]
    forms = [f for f in forms if not set(f["types"]) <= {"language", "next"}]
    return max(forms, key=lambda f: len(f["types"]), default=None)


def _form_pages(cast, attachment) -> list[tuple[str, str]]:
    return [
        (name, url)
        for name, url, _access in protected_urls(cast, attachment)
        if re.search(r"(create|edit|new)$", name) and "union_slug" not in name
    ]


def _visible(page: str) -> str:
    return re.sub(r"<[^>]+>", " ", page)


def test_hostile_values_in_every_form_give_form_errors(cast, client_for, private_attachment):  # noqa: F811
    client = client_for(cast.staff)
    failures, forms_tried, baseline_accepted = [], [], []
    for name, url in _form_pages(cast, private_attachment):
        response = client.get(url)
        if response.status_code != 200:
            continue
        form = _main_form(response.content.decode())
        if form is None:
            continue
        forms_tried.append(name)
        base = _valid_fill(form)
        hostile = []
        for field, kind in form["types"].items():
            if kind == "date":
                hostile += [(field, value, "ngày hợp lệ") for value in BAD_DATES]
            elif kind == "url":
                hostile.append((field, JS_URL, "URL hợp lệ"))
            elif kind in ("text", "textarea") and field not in ("csrfmiddlewaretoken",):
                limit = form["maxlength"].get(field)
                hostile.append((field, LONG, "tối đa" if limit else None))
        before = database_state()  # one snapshot per form: refused values leave every table as it was
        long_texts = [h for h in hostile if h[2] is None]
        for field, value, expected in [h for h in hostile if h[2] is not None]:
            TRIED.append(f"{name}.{field}")
            response = client.post(url, {**base, field: value})
            label = f"{name} {field}={value[:20]!r}"
            if response.status_code != 200 or expected not in _visible(response.content.decode()):
                failures.append(f"{label}: status {response.status_code}, no «{expected}» on the page")
        changed = changed_tables(before, database_state())
        if changed:
            failures.append(f"{name}: refused values changed tables: {', '.join(changed)}")
        for field, value, _expected in long_texts:  # a long multi-line text: accepted whole or refused; no 500
            TRIED.append(f"{name}.{field}")
            response = client.post(url, {**base, field: value})
            if response.status_code >= 500:
                failures.append(f"{name} {field}=100,000 characters: status {response.status_code}")
        if client.post(url, base).status_code == 302:  # the plain fill is valid: the errors above were the values'
            baseline_accepted.append(name)
    print(
        f"\nform fields: {len(TRIED)} hostile values tried in {len(forms_tried)} forms "
        f"({len(baseline_accepted)} of which accept the plain fill)"
    )
    assert len(forms_tried) >= 15, forms_tried
    assert len(baseline_accepted) >= 5, baseline_accepted
    assert not failures, "\n".join(failures)


def test_a_request_over_the_size_limit_gets_a_vietnamese_400(cast, client_for, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100_000
    client = client_for(cast.staff)
    before = database_state()
    url = reverse("core:agencies_create", kwargs={"union_slug": "kontum"})
    response = client.post(url, {"name": "UBND xã Ngọc Linh", "kind": "peoples_committee", "address": LONG * 2})
    assert response.status_code == 400
    assert "quá lớn" in response.content.decode()
    assert changed_tables(before, database_state()) == []


@pytest.mark.parametrize("value", ["9999-12-31", "1000-01-01"])
def test_a_document_dated_centuries_away_is_refused(value, cast, client_for):
    client = client_for(cast.staff)
    url = reverse("portal:document_create", kwargs={"union_slug": "kontum"})
    form = _main_form(client.get(url).content.decode())
    before = database_state()
    response = client.post(url, {**_valid_fill(form), "issued_on": value})
    assert response.status_code == 200
    assert "Ngày ban hành phải từ năm 1945 đến hôm nay" in _visible(response.content.decode())
    assert changed_tables(before, database_state()) == []
