"""The session's start time is typed and shown on the 24-hour clock (08:30, never 08:30 AM): «8:30», «08:30» and
«8h30» are read; anything else is refused with a Vietnamese sentence and the typed text stays in the box."""

import datetime

import pytest
from django.urls import reverse

from lienhiep.core.widgets import TIME_PLACEHOLDER, parse_time
from lienhiep.outreach.forms import WorkSessionForm
from lienhiep.outreach.models import WorkSession

from . import factories as f

pytestmark = pytest.mark.django_db


def _data(cast, starts_at: str) -> dict:
    return {
        "title": "Làm việc với UBND huyện Ngọc Hồi",
        "held_on": "09/11/2021",
        "starts_at": starts_at,
        "admin_unit": cast.district.pk,
        "agenda": "Chức năng, nhiệm vụ của Liên hiệp hội",
    }


@pytest.mark.parametrize(
    ("typed", "read"),
    [("8:30", datetime.time(8, 30)), ("08:30", datetime.time(8, 30)), ("8h30", datetime.time(8, 30)),
     ("14H05", datetime.time(14, 5)), (" 0:00 ", datetime.time(0, 0)), ("23:59", datetime.time(23, 59))],
)  # fmt: skip
def test_a_time_is_read_on_the_24_hour_clock(typed, read):
    assert parse_time(typed) == read


@pytest.mark.parametrize("typed", ["", "8", "830", "8:3", "8:30 PM", "24:00", "08:60", "8.30", "tám giờ", "8:30:15"])
def test_anything_else_is_not_a_time(typed):
    assert parse_time(typed) is None


def test_the_session_form_reads_8h30_and_shows_it_as_08_30(cast):
    form = WorkSessionForm(_data(cast, "8h30"), instance=WorkSession(union=cast.union), union=cast.union)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["starts_at"] == datetime.time(8, 30)
    session = f.session(cast, starts_at=datetime.time(8, 30))
    html = str(WorkSessionForm(instance=session, union=cast.union)["starts_at"])
    assert 'type="text"' in html and 'value="08:30"' in html and f'placeholder="{TIME_PLACEHOLDER}"' in html
    assert 'type="time"' not in html and "AM" not in html


def test_a_wrong_time_is_refused_in_vietnamese_and_kept_as_typed(cast, client_for):
    client = client_for(cast.staff)
    url = reverse("outreach:session_create", args=[cast.union.slug])
    page = client.post(url, _data(cast, "8:30 PM"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Hãy viết giờ theo dạng hh:mm (24 giờ), ví dụ 08:30 hoặc 14:00." in html
    assert 'value="8:30 PM"' in html
    assert not WorkSession.objects.filter(title="Làm việc với UBND huyện Ngọc Hồi").exists()
    assert client.post(url, _data(cast, "14h00")).status_code == 302
    assert WorkSession.objects.get(title="Làm việc với UBND huyện Ngọc Hồi").starts_at == datetime.time(14, 0)
