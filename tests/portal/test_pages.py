"""Every portal page renders under the strict CSP (no inline script or style), in Vietnamese by default, for the
roles that use it; the dashboard section is only for the Union's staff."""

import re

import pytest

from tests.test_csp import INLINE_SCRIPT

from .factories import add_image, make_article, make_certificate, make_publication

STYLE_ATTR = re.compile(r"<[^>]+\sstyle\s*=", re.I)

pytestmark = pytest.mark.django_db


def test_portal_pages_obey_the_csp_and_speak_vietnamese(cast, client_for):
    article = make_article(cast, state="published")
    add_image(cast, article)
    draft = make_article(cast, title="Nháp")
    publication = make_publication(cast, published=True)
    certificate = make_certificate(cast)
    slug = cast.union.slug
    pages = [
        (None, f"/{slug}/news/", "Tin tức"),
        (None, article.get_absolute_url(), "Tin khác"),
        (None, f"/{slug}/results/", "Kết quả công bố"),
        (None, f"/{slug}/results/{publication.pk}/", "Kết quả công bố"),
        (None, f"/{slug}/certificates/", "Tra cứu giấy chứng nhận"),
        (None, f"/{slug}/certificates/{certificate.code}/", "Giấy chứng nhận này là thật."),
        (None, f"/{slug}/search/?q=phan+bien", "kết quả"),
        (None, f"/{slug}/documents/", "Mọi cơ quan ban hành"),
        (cast.staff, f"/{slug}/app/news/", "Viết tin bài"),
        (cast.staff, f"/{slug}/app/news/new/", "Viết tin bài"),
        (cast.staff, f"/{slug}/app/news/{draft.pk}/", "Gửi duyệt"),
        (cast.leader, f"/{slug}/app/news/{draft.pk}/", "Đăng"),
        (cast.staff, f"/{slug}/app/publications/", "Thêm nội dung công bố"),
        (cast.staff, f"/{slug}/app/publications/new/", "Thêm nội dung công bố"),
        (cast.staff, f"/{slug}/app/publications/{publication.pk}/", "Gỡ khỏi trang công khai"),
        (cast.staff, f"/{slug}/app/certificates/", "Cấp giấy chứng nhận"),
        (cast.staff, f"/{slug}/app/certificates/{certificate.pk}/", "Thu hồi giấy chứng nhận này"),
        (cast.staff, f"/{slug}/app/", "Trang công khai"),
    ]
    for user, url, text in pages:
        response = client_for(user).get(url)
        html = response.content.decode()
        assert response.status_code == 200, url
        assert text in html, (url, text)
        assert not INLINE_SCRIPT.search(html) and not STYLE_ATTR.search(html), url


def test_the_dashboard_section_is_for_staff_only(cast, client_for):
    make_article(cast, title="Bài chờ duyệt", state="review")
    assert "Bài chờ duyệt" in client_for(cast.leader).get(f"/{cast.union.slug}/app/").content.decode()
    for user in (cast.expert, cast.entrant, cast.agency_rep):
        assert "Bài chờ duyệt" not in client_for(user).get(f"/{cast.union.slug}/app/").content.decode()


def test_public_menu_lists_the_portal(cast, client):
    html = client.get(f"/{cast.union.slug}/").content.decode()
    for label in ("Tin tức", "Văn bản", "Kết quả", "Tra cứu giấy chứng nhận"):
        assert f">{label}</a>" in html
    assert f'action="/{cast.union.slug}/search/"' in html and 'id="nav-q"' in html  # the search box on every page
