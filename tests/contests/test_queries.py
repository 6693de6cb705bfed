"""Every list page of the module issues the same number of queries whatever its size: two editions, one with 2
entries and one with 5, taken through judging, awards, certificates and publication, page by page."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lienhiep.contests import awards, certificates, editions, judging
from lienhiep.contests.models import Edition

from . import factories as f

pytestmark = pytest.mark.django_db


def build(cast, judges, code: str, n: int) -> Edition:
    ed = f.open_edition(cast, code=code)
    me = cast.entrant.get_full_name()
    entries = [
        f.accepted(cast, ed, f"Giải pháp {code} {i}", people=f.authors((me, 60), (f"Y {code}{i}", 40)))
        for i in range(n)
    ]
    ed.start_judging()
    ed.save()
    r = ed.rounds.get()
    judging.set_jury(actor=cast.staff, round=r, field=f.field(ed), experts=judges)
    judging.propose_judges(actor=cast.staff, round=r)
    judging.confirm_judges(actor=cast.staff, round=r, today=datetime.date(2022, 6, 20))
    for i, entry in enumerate(entries):
        for seat in entry.assignments.filter(status="confirmed"):
            f.score(seat, 20 + i, 25 + i, 28)
    editions.move_edition(actor=cast.staff, edition=ed, move="start_review")
    awards.apply_proposal(actor=cast.staff, edition=ed)
    awards.approve_awards(
        actor=cast.leader, edition=ed, number="1/QĐ-LHH", day=datetime.date(2022, 9, 1), signatory="A"
    )
    certificates.start_certificates(actor=cast.staff, edition=ed, base_url="http://x.test")
    awards.publish_results(actor=cast.staff, edition=ed)
    return Edition.objects.get(pk=ed.pk)


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_list_pages_at_two_sizes(cast, judges, client_for):
    small = build(cast, judges, "A", 2)
    staff, public = client_for(cast.staff), client_for(None)
    entrant = client_for(cast.entrant)
    judge = client_for(judges[0].person.user)
    k = cast.union.slug

    def pages(ed):
        r = ed.rounds.get()
        return {
            "entries": (staff, reverse("contests:entries", args=[k, ed.pk])),
            "round": (staff, reverse("contests:round", args=[k, r.pk])),
            "results": (staff, reverse("contests:results", args=[k, ed.pk])),
            "awards": (staff, reverse("contests:awards", args=[k, ed.pk])),
            "certificates": (staff, reverse("contests:certificates", args=[k, ed.pk])),
            "nominate": (staff, reverse("contests:nominate", args=[k, ed.pk])),
            "stats": (staff, reverse("contests:stats", args=[k, ed.pk])),
            "public results": (public, reverse("contests:public_results", args=[k, ed.pk])),
            "edition": (staff, reverse("contests:edition", args=[k, ed.pk])),
        }

    before = {name: queries(c, url) for name, (c, url) in pages(small).items()}
    mine_before = queries(entrant, reverse("contests:my_entries", args=[k]))
    judging_before = queries(judge, reverse("contests:my_judging", args=[k]))
    big = build(cast, judges, "B", 5)
    after = {name: queries(c, url) for name, (c, url) in pages(big).items()}
    assert before == after
    assert queries(entrant, reverse("contests:my_entries", args=[k])) == mine_before
    assert queries(judge, reverse("contests:my_judging", args=[k])) == judging_before
    assert queries(public, reverse("contests:public_list", args=[k])) <= 8
