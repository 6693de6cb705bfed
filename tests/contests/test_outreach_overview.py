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
