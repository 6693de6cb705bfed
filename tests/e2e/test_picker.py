"""The type-ahead picker in Chromium, on the demo data: staff type two letters in the session form's delegation, pick
a person the server found, and save; the page keeps to the strict CSP (Tom Select sets styles through the CSSOM
only). An agency's representative is offered its own people as checkboxes, and the people endpoint lists it no one
else; it picks its drafting body among the Union's agencies. Staff pick a batch item's authors and agency."""

import json

import pytest
from playwright.sync_api import expect

from lienhiep.core.models import Agency, Person
from lienhiep.devdata.demo import demo_logins
from lienhiep.experts.models import Batch, BatchItem
from lienhiep.outreach.models import WorkSession

from .picking import pick
from .test_smoke import sign_in

pytestmark = pytest.mark.browser


def login_of(username: str):
    return next(login for login in demo_logins() if login.username == username)


@pytest.mark.django_db(transaction=True)
def test_staff_type_two_letters_and_pick_a_person(live_server, page, screenshot, demo):
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url) if "/people/pick/" in request.url else None)
    sign_in(page, live_server.url, login_of("canbo"))
    page.goto(f"{live_server.url}/kontum/app/outreach/sessions/new/")
    page.fill("input[name=title]", "Làm việc với UBND huyện Đăk Tô về đề án dược liệu")
    page.fill("input[name=held_on]", "2021-11-20")
    page.fill("textarea[name=agenda]", "Nhu cầu tư vấn, phản biện năm 2022")
    # the registry's people are too many to write into the page: the select holds none of them
    expect(page.locator("select[name=delegation] option")).to_have_count(0)
    control = page.locator("#id_delegation-ts-control")
    control.click()
    control.press_sequentially("bì", delay=80)
    option = page.locator("#id_delegation-ts-dropdown .option", has_text="BS Lê Văn Bình")
    expect(option).to_be_visible()
    expect(option).to_contain_text("Phó Giám đốc Bệnh viện")  # the hint that tells namesakes apart
    assert any("q=b%C3%AC" in url for url in asked), asked  # asked the server, with the letters typed
    screenshot(page, "picker-session-typed")
    option.click()
    chosen = page.locator(".ts-control:has(#id_delegation-ts-control) .item")
    expect(chosen).to_have_count(1)
    expect(chosen).to_contain_text("BS Lê Văn Bình")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Làm việc với UBND huyện Đăk Tô về đề án dược liệu")
    session = WorkSession.objects.get(title="Làm việc với UBND huyện Đăk Tô về đề án dược liệu")
    assert [p.name for p in session.delegation.all()] == ["Lê Văn Bình"]
    # the chosen person comes back into the form, written by the server
    page.goto(f"{live_server.url}/kontum/app/outreach/sessions/{session.pk}/edit/")
    expect(page.locator("select[name=delegation] option[selected]")).to_have_text(["BS Lê Văn Bình"])
    screenshot(page, "picker-session-edit")
    assert not errors, errors  # a style the CSP refused would be reported here


@pytest.mark.django_db(transaction=True)
def test_an_agency_is_offered_only_its_own_people(live_server, page, screenshot, demo):
    sign_in(page, live_server.url, login_of("daidien.dakto"))
    page.goto(f"{live_server.url}/kontum/app/advisory/cases/new/")
    team = page.locator("#id_authors")
    expect(team.locator("input[type=checkbox]")).not_to_have_count(0)
    expect(team).to_contain_text("A Thuận")
    expect(team).not_to_contain_text("Y Blong")  # the Union's expert
    expect(team).not_to_contain_text("Nguyễn Văn Sơn")  # the Union's leader
    expect(page.locator("textarea[name=drafting_team_note]")).to_be_visible()
    screenshot(page, "picker-request-form-agency")
    answer = page.request.get(f"{live_server.url}/kontum/app/people/pick/?q=ng")
    assert answer.ok
    found = {row["text"] for row in json.loads(answer.body())["results"]}
    union_people = set(Person.objects.filter(union__slug="kontum", agency__isnull=True).values_list("name", flat=True))
    assert found and not any(name in text for text in found for name in union_people)
    # the Union's agencies (public bodies, for its drafting body) it may search; never the experts
    assert page.request.get(f"{live_server.url}/kontum/app/agencies/pick/?q=ng").status == 200
    assert page.request.get(f"{live_server.url}/kontum/app/experts/pick/?q=ng").status == 403


@pytest.mark.django_db(transaction=True)
def test_staff_pick_a_batch_items_authors_and_an_agency_its_drafting_body(live_server, page, screenshot, demo):
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    sign_in(page, live_server.url, login_of("canbo"))
    batch = Batch.objects.filter(union__slug="kontum").first()
    page.goto(f"{live_server.url}/kontum/app/experts/batches/{batch.pk}/items/new/")
    expect(page.locator("select[name=authors] option")).to_have_count(0)  # not the 95 people of the registry
    page.fill("input[name=title]", "Đề án chuyển đổi số ngành y tế")
    page.fill("textarea[name=text]", "Bệnh án điện tử, khám chữa bệnh từ xa")
    pick(page, "authors", "bì", "BS Lê Văn Bình")
    pick(page, "requesting_agency", "y tế", "Sở Y tế tỉnh Kon Tum")  # 25 agencies: searched in the page
    page.locator("h1").click()  # out of the search box: its list closes
    screenshot(page, "picker-batch-item")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("Đề án chuyển đổi số ngành y tế")  # back on the batch's page
    item = BatchItem.objects.get(title="Đề án chuyển đổi số ngành y tế")
    assert [p.name for p in item.authors.all()] == ["Lê Văn Bình"]
    assert item.requesting_agency.name == "Sở Y tế tỉnh Kon Tum"
    assert not errors, errors

    # an agency's representative names the body that drafts, among the Union's agencies (never its people)
    page.context.clear_cookies()
    sign_in(page, live_server.url, login_of("daidien.dakto"))
    page.goto(f"{live_server.url}/kontum/app/advisory/cases/new/")
    pick(page, "drafting_agency", "khoa học", "Sở Khoa học và Công nghệ tỉnh Kon Tum")
    science = Agency.objects.get(union__slug="kontum", name="Sở Khoa học và Công nghệ tỉnh Kon Tum")
    expect(page.locator("select[name=drafting_agency]")).to_have_value(str(science.pk))
    page.locator("h1").click()
    screenshot(page, "picker-request-drafting-agency")
    assert not errors, errors
