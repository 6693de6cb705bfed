"""The demo: a technical-innovation edition with results and certificates, a youth edition in judging, entries
from Tu Mơ Rông and Đăk Tô; every contest page opens for the demo roles and keeps to the CSP."""

from django.test import Client
from django.urls import reverse

from lienhiep.contests.models import Assignment, Edition, Entry, EntryCertificate
from lienhiep.core.models import User
from lienhiep.portal.models import Publication
from tests.test_csp import INLINE_SCRIPT, STYLE_ATTR, STYLE_TAG


def client(username: str) -> Client:
    c = Client()
    c.force_login(User.objects.get(username=username), backend="lienhiep.core.auth.AuthenticationBackend")
    return c


def test_demo_editions(demo):
    st = Edition.objects.get(union__slug="kontum", code="ST9")
    tn = Edition.objects.get(union__slug="kontum", code="TN14")
    assert st.status == Edition.Status.PUBLISHED and tn.status == Edition.Status.JUDGING
    assert EntryCertificate.objects.filter(entry__edition=st).count() >= 6
    localities = set(Entry.objects.filter(union__slug="kontum").values_list("locality__short_name", flat=True))
    assert {"Tu Mơ Rông", "Đăk Tô"} <= localities
    assert Publication.objects.filter(source_id=st.pk, status="published").exists()
    assert EntryCertificate.objects.filter(contributor__person__user__username="thisinh").exists()
    assert Assignment.objects.filter(expert__person__user__username="chuyengia", status="confirmed").exists()
    assert Assignment.objects.filter(round__edition=tn, status="submitted").exists()


def test_every_contest_page_opens_for_the_demo_roles_within_the_csp(demo):
    st = Edition.objects.get(union__slug="kontum", code="ST9")
    tn = Edition.objects.get(union__slug="kontum", code="TN14")
    entry = Entry.objects.filter(edition=st, owner__username="thisinh").first()
    seat = Assignment.objects.filter(expert__person__user__username="chuyengia", status="confirmed").first()
    k = "kontum"
    pages = {
        "canbo": [
            reverse("contests:editions", args=[k]),
            *(
                reverse(f"contests:{n}", args=[k, e.pk])
                for e in (st, tn)
                for n in ("edition", "entries", "results", "awards", "certificates", "stats", "nominate")
            ),  # fmt: skip
            reverse("contests:round", args=[k, tn.rounds.get().pk]),
            reverse("contests:round", args=[k, st.rounds.get().pk]),
            reverse("contests:entry", args=[k, entry.pk]),
            reverse("contests:edition_setup", args=[k, tn.pk, "tiers"]),
            reverse("contests:rubric", args=[k, tn.rounds.get().pk]),
            reverse("contests:edition_copy", args=[k, st.pk]),
            reverse("contests:entry_create", args=[k, tn.pk]),
            reverse("contests:scores_import", args=[k, tn.rounds.get().pk]),
            reverse("contests:edition_create", args=[k]),
            reverse("outreach:localities", args=[k]),
            reverse("core:dashboard", args=[k]),
        ],
        "lanhdao": [reverse("contests:awards", args=[k, st.pk]), reverse("core:dashboard", args=[k])],
        "thisinh": [
            reverse("contests:my_entries", args=[k]),
            reverse("contests:entry", args=[k, entry.pk]),
            reverse("contests:receipt", args=[k, entry.pk]),
            reverse("core:dashboard", args=[k]),
        ],
        "chuyengia": [
            reverse("contests:my_judging", args=[k]),
            reverse("contests:sheet", args=[k, seat.pk]),
            reverse("core:dashboard", args=[k]),
        ],
        None: [
            reverse("contests:public_list", args=[k]),
            reverse("contests:public_edition", args=[k, st.pk]),
            reverse("contests:public_results", args=[k, st.pk]),
        ],
    }
    for username, urls in pages.items():
        c = client(username) if username else Client()
        for url in urls:
            response = c.get(url)
            assert response.status_code == 200, (username, url, response.status_code)
            html = response.content.decode()
            assert not any(p.search(html) for p in (STYLE_ATTR, STYLE_TAG, INLINE_SCRIPT)), (username, url)
    results = Client().get(reverse("contests:public_results", args=[k, st.pk])).content.decode()
    judges = Assignment.objects.filter(round__edition=st).values_list("expert__person__name", flat=True)
    assert not [name for name in set(judges) if name in results]
    mine = client("thisinh").get(reverse("contests:my_entries", args=[k])).content.decode()
    assert "Hệ thống tưới nhỏ giọt" in mine and "Giải" in mine
