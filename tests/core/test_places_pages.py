"""The administrative-units pages: units as they were on a day, and what each became."""

import datetime

import pytest

from lienhiep.core import places
from lienhiep.core.models import AdminUnit


@pytest.fixture
def kontum_units(db):
    report = places.import_units(places.package_rows(["Kon Tum"]))
    assert report.ok, report.errors[:3]


def test_units_of_2021_and_of_today(cast, kontum_units, client_for):
    client = client_for(cast.staff)
    then = client.get("/places/", {"q": "dak to", "on": "2021-11-11", "level": "district"}).content.decode()
    assert "huyện Đăk Tô, tỉnh Kon Tum" in then
    now = client.get("/places/", {"q": "dak to", "level": "district"}).content.decode()
    assert "huyện Đăk Tô" not in now
    communes_now = client.get("/places/", {"q": "dak to", "level": "commune"}).content.decode()
    assert "tỉnh Quảng Ngãi" in communes_now and "tỉnh Kon Tum" not in communes_now


def test_a_unit_page_shows_what_it_became(cast, kontum_units, client_for):
    kontum = AdminUnit.objects.get(level="province", code="62", valid_to=datetime.date(2025, 6, 30))
    html = client_for(cast.expert).get(f"/places/{kontum.pk}/").content.decode()
    assert "tỉnh Quảng Ngãi" in html
    assert "Huyện Tu Mơ Rông" in html  # among the units within it


def test_the_places_list_needs_a_sign_in(client_for, db):
    response = client_for(None).get("/places/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
