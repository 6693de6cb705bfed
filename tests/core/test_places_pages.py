"""The administrative-units pages: units as they were on a day, and what each became."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

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


def _unit(level: str, code: str, *, new: bool) -> AdminUnit:
    units = AdminUnit.objects.filter(level=level, code=code)
    return units.get(valid_from=places.REFORM_DATE) if new else units.get(valid_to=places.LEGACY_VALID_TO)


def _queries(client, unit: AdminUnit, page: int = 1) -> int:
    url = f"/places/{unit.pk}/?page={page}"
    client.get(url)  # content types and the session are read once, out of the measurement
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_a_unit_page_takes_the_same_few_queries_however_large_the_tree(cast, kontum_units, client_for):
    client = client_for(cast.expert)
    shapes = {  # (level, code, after the reform): a province, a district that became many communes, a commune
        "old province": ("province", "62", False),
        "old district": ("district", "612", False),
        "old commune": ("commune", "23427", False),
        "new province": ("province", "51", True),
        "new commune, 8 predecessors": ("commune", "21040", True),
    }
    small = {label: _queries(client, _unit(*shape[:2], new=shape[2])) for label, shape in shapes.items()}
    # A larger tree: Hồ Chí Minh City's group (a province of 168 communes) and Đồng Tháp's (a commune formed from 19)
    report = places.import_units(places.package_rows(["Hồ Chí Minh", "Đồng Tháp"]))
    assert report.ok, report.errors[:3]
    large = {label: _queries(client, _unit(*shape[:2], new=shape[2])) for label, shape in shapes.items()}
    assert large == small
    hcmc = _unit("province", "79", new=True)
    cao_lanh = _unit("commune", "29869", new=True)
    assert cao_lanh.predecessors.count() == 19 and hcmc.children.count() == 168
    assert _queries(client, hcmc) == _queries(client, hcmc, page=2) == small["new province"]
    assert _queries(client, cao_lanh) == small["new commune, 8 predecessors"]
    assert max(large.values()) <= 12, large


def test_a_long_list_of_units_within_is_paginated(cast, kontum_units, client_for):
    assert places.import_units(places.package_rows(["Hồ Chí Minh"])).ok
    hcmc = _unit("province", "79", new=True)
    client = client_for(cast.staff)
    first = client.get(f"/places/{hcmc.pk}/")
    second = client.get(f"/places/{hcmc.pk}/", {"page": 2})
    assert len(first.context["children"].object_list) == places.CHILDREN_PAGE_SIZE
    assert len(second.context["children"].object_list) == 168 - places.CHILDREN_PAGE_SIZE
    names = {c.name for c in first.context["children"]} | {c.name for c in second.context["children"]}
    assert names == set(hcmc.children.values_list("name", flat=True))
    assert "?page=2" in first.content.decode()


def test_a_unit_page_names_every_predecessor_with_its_province(cast, kontum_units, client_for):
    assert places.import_units(places.package_rows(["Đồng Tháp"])).ok
    cao_lanh = _unit("commune", "29869", new=True)
    html = client_for(cast.expert).get(f"/places/{cao_lanh.pk}/").content.decode()
    for predecessor in cao_lanh.predecessors.all():
        assert f'href="/places/{predecessor.pk}/"' in html
        assert predecessor.full_path() in html  # "phường 1, thành phố Cao Lãnh, tỉnh Đồng Tháp"
