"""The outreach overview counts the contest entries received from each locality (drafts are not entries yet)."""

import pytest
from django.urls import reverse

from lienhiep.core.models import AdminUnit
from lienhiep.outreach.queries import locality_overview

from . import factories as f

pytestmark = pytest.mark.django_db


def test_entries_per_locality_in_the_outreach_overview(cast, client_for):
    ed = f.open_edition(cast)
    commune = AdminUnit.objects.create(
        code="23440", name="Xã Đăk Trăm", short_name="Đăk Trăm", kind="Xã", level="commune", parent=cast.district
    )
    f.submitted(cast, ed, "Máy tách hạt cà phê")
    f.submitted(cast, ed, "Bếp đun tiết kiệm củi", locality=commune)
    f.draft(cast, ed, "Bản nháp chưa nộp")
    rows = {r["unit"].pk: r["entries"] for r in locality_overview(cast.union)}
    assert rows[cast.district.pk] == 2 and rows[commune.pk] == 1
    page = client_for(cast.staff).get(reverse("outreach:localities", args=[cast.union.slug])).content.decode()
    assert "Bài dự thi" in page


def test_a_promotion_points_at_an_edition(cast, client_for):
    from lienhiep.outreach.models import ContestPromotion
    from tests.outreach import factories as of

    ed = f.open_edition(cast)
    other = f.edition(cast, code="QN1", union=cast.outsider_union)
    session = of.session(cast)
    url = reverse("outreach:promotion_create", args=[cast.union.slug, session.pk])
    staff = client_for(cast.staff)
    response = staff.post(url, {"contest_edition": other.pk})  # another Union's edition is not a choice
    assert response.status_code == 200 and not ContestPromotion.objects.exists()
    assert staff.post(url, {"contest_name": "", "edition": ""}).status_code == 200  # nothing named
    assert staff.post(url, {"contest_edition": ed.pk}).status_code == 302
    promotion = ContestPromotion.objects.get()
    assert promotion.contest_edition == ed and promotion.contest_name == ed.title and promotion.edition == "2022–2023"
    page = staff.get(reverse("outreach:session_detail", args=[cast.union.slug, session.pk])).content.decode()
    assert reverse("contests:public_edition", args=[cast.union.slug, ed.pk]) in page
