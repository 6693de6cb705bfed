"""Published outputs are public only while published: from the outside, drafts and withdrawn ones are a 404
for anonymous visitors, members of other Unions and everyone else at the public address."""

import pytest
from django.core.exceptions import PermissionDenied

from lienhiep.core.models import ActivityLog
from lienhiep.portal import services
from lienhiep.portal.models import Publication

from .factories import make_publication

pytestmark = pytest.mark.django_db


def public_url(p) -> str:
    return f"/{p.union.slug}/results/{p.pk}/"


def test_an_unpublished_output_never_leaks(cast, client_for):
    draft = make_publication(cast, title="Tóm tắt chưa công bố")
    viewers = [client_for(None), client_for(cast.outsider_staff), client_for(cast.entrant), client_for(cast.staff)]
    for client in viewers:
        assert client.get(public_url(draft)).status_code == 404
        assert "Tóm tắt chưa công bố" not in client.get(f"/{cast.union.slug}/results/").content.decode()
        assert "Tóm tắt chưa công bố" not in client.get(f"/{cast.union.slug}/search/?q=tom tat").content.decode()
    # the outsider cannot publish it either, nor see it under their own Union's address
    outsider = client_for(cast.outsider_staff)
    assert outsider.post(f"/{cast.union.slug}/app/publications/{draft.pk}/publish/").status_code == 403
    assert outsider.post(f"/{cast.outsider_union.slug}/app/publications/{draft.pk}/publish/").status_code == 404
    assert outsider.get(f"/{cast.outsider_union.slug}/results/{draft.pk}/").status_code == 404
    draft.refresh_from_db()
    assert draft.status == Publication.Status.DRAFT


def test_staff_publish_and_withdraw_with_one_click(cast, client_for):
    draft = make_publication(cast, title="Tóm tắt phản biện đề án thủy lợi")
    staff, anonymous = client_for(cast.leader), client_for(None)
    assert staff.post(f"/{cast.union.slug}/app/publications/{draft.pk}/publish/").status_code == 302
    response = anonymous.get(public_url(draft))
    assert response.status_code == 200 and "Tóm tắt phản biện đề án thủy lợi" in response.content.decode()
    assert "Tóm tắt phản biện đề án thủy lợi" in anonymous.get(f"/{cast.union.slug}/results/").content.decode()
    staff.post(f"/{cast.union.slug}/app/publications/{draft.pk}/withdraw/")
    assert anonymous.get(public_url(draft)).status_code == 404
    verbs = set(ActivityLog.objects.filter(target_id=draft.pk).values_list("verb", flat=True))
    assert {"portal.publication.published", "portal.publication.withdrawn"} <= verbs


def test_the_publication_api_for_other_modules_links_the_source_and_checks_the_union(cast):
    publication = services.publish_output(
        actor=cast.staff,
        union=cast.union,
        kind=Publication.Kind.CONTEST_RESULT,
        title="Kết quả Hội thi",
        summary="Danh sách giải",
        source=cast.public_document,
        publish=True,
    )
    assert publication.source == cast.public_document and publication.status == "published"
    with pytest.raises(PermissionDenied):
        services.publish_output(
            actor=cast.staff,
            union=cast.union,
            kind="contest_result",
            title="x",
            summary="y",
            source=cast.outsider_agency,
        )
    with pytest.raises(PermissionDenied):
        make_publication(cast, actor=cast.expert)


def test_publication_body_is_sanitised(cast, client_for):
    publication = services.publish_output(
        actor=cast.staff,
        union=cast.union,
        kind=Publication.Kind.CRITIQUE_SUMMARY,
        title="Tóm tắt",
        summary="S",
        body='<p>Kiến nghị</p><script>alert(1)</script><a href="javascript:alert(1)">x</a>',
        publish=True,
    )
    html = client_for(None).get(public_url(publication)).content.decode()
    assert "<p>Kiến nghị</p>" in html and "<script>alert" not in html and "javascript:" not in html
