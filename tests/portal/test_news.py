"""News from the outside: publishing states, scheduled publishing, view counts, images, feed, sitemap, caching."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from lienhiep.core.models import ActivityLog
from lienhiep.portal import services
from lienhiep.portal.models import Article

from .factories import add_image, make_article, soon

ATOM = "{http://www.w3.org/2005/Atom}"
pytestmark = pytest.mark.django_db


def status_for(client, article) -> int:
    return client.get(f"/{article.union.slug}/news/{article.slug}/").status_code


def test_article_moves_draft_review_published_archived(cast):
    article = make_article(cast)
    assert article.status == "draft"
    with pytest.raises(ValidationError):
        services.change_article_state(actor=cast.staff, article=article, step="archive")
    article = services.change_article_state(actor=cast.staff, article=article, step="submit")
    assert article.status == "review"
    article = services.change_article_state(actor=cast.leader, article=article, step="publish")
    assert article.status == "published" and article.published_at <= timezone.now()
    article = services.change_article_state(actor=cast.leader, article=article, step="archive")
    assert article.status == "archived"
    article = services.change_article_state(actor=cast.staff, article=article, step="reopen")
    assert article.status == "draft"
    verbs = list(ActivityLog.objects.filter(target_id=article.pk).values_list("verb", flat=True))
    assert {"portal.article.submit", "portal.article.publish", "portal.article.archive"} <= set(verbs)


def test_only_the_unions_staff_change_states(cast):
    article = make_article(cast, state="review")
    for user in (cast.expert, cast.entrant, cast.agency_rep, cast.outsider_staff):
        with pytest.raises(PermissionDenied):
            services.change_article_state(actor=user, article=article, step="publish")
    with pytest.raises(PermissionDenied):  # the leader publishes but does not write
        services.save_article(actor=cast.leader, union=cast.union, article=Article(title="x", lead="y", body="z"))


def test_drafts_review_scheduled_and_archived_are_invisible_to_the_public(cast, client_for):
    anonymous, outsider, entrant = client_for(None), client_for(cast.outsider_staff), client_for(cast.entrant)
    hidden = [
        make_article(cast, title="Bản nháp"),
        make_article(cast, title="Đang chờ duyệt", state="review"),
        make_article(cast, title="Hẹn giờ", state="published", when=soon()),
        make_article(cast, title="Đã lưu trữ", state="archived"),
    ]
    shown = make_article(cast, title="Đã đăng", state="published")
    for article in hidden:
        for client in (anonymous, outsider, entrant):
            assert status_for(client, article) == 404, article.title
    assert status_for(anonymous, shown) == 200
    listing = anonymous.get(f"/{cast.union.slug}/news/").content.decode()
    assert "Đã đăng" in listing
    for article in hidden:
        assert article.title not in listing
    feed = anonymous.get(f"/{cast.union.slug}/news/feed/").content.decode()
    assert "Đã đăng" in feed and not any(a.title in feed for a in hidden)
    # another Union's address does not show this Union's article
    assert anonymous.get(f"/{cast.outsider_union.slug}/news/{shown.slug}/").status_code == 404


def test_a_scheduled_article_appears_by_itself_when_its_time_comes(cast, client_for):
    article = make_article(cast, title="Tin hẹn giờ", state="published", when=soon())
    assert article.is_scheduled()
    assert status_for(client_for(None), article) == 404
    later = timezone.now() + datetime.timedelta(days=3)
    assert Article.objects.visible(now=later).filter(pk=article.pk).exists()  # no job: visibility is a query
    Article.objects.filter(pk=article.pk).update(published_at=timezone.now() - datetime.timedelta(minutes=1))
    assert status_for(client_for(None), article) == 200


def test_a_reload_does_not_count_twice(cast, client):
    article = make_article(cast, state="published")
    url = article.get_absolute_url()
    client.get(url, HTTP_USER_AGENT="Trình duyệt A")
    client.get(url, HTTP_USER_AGENT="Trình duyệt A")
    article.refresh_from_db()
    assert article.view_count == 1
    client.get(url, HTTP_USER_AGENT="Trình duyệt B", REMOTE_ADDR="10.0.0.2")
    article.refresh_from_db()
    assert article.view_count == 2
    assert services.count_view(article, "khach", day=datetime.date(2030, 1, 1))
    assert not services.count_view(article, "khach", day=datetime.date(2030, 1, 1))


def test_images_with_captions_are_shown_only_with_a_public_article(cast, client_for):
    draft = make_article(cast)
    image = add_image(cast, draft)
    anonymous = client_for(None)
    assert anonymous.get(image.get_absolute_url()).status_code == 404
    assert client_for(cast.outsider_staff).get(image.get_absolute_url()).status_code == 404
    assert client_for(cast.staff).get(image.get_absolute_url()).status_code == 200  # the staff's preview
    draft = services.change_article_state(actor=cast.staff, article=draft, step="publish")
    response = anonymous.get(image.get_absolute_url())
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert "public" in response["Cache-Control"]
    html = anonymous.get(draft.get_absolute_url()).content.decode()
    assert "Quang cảnh làm việc tại huyện Đăk Tô." in html and "Ảnh: QM" in html
    assert 'alt="Quang cảnh làm việc tại huyện Đăk Tô."' in html


def test_a_non_image_upload_is_refused_in_vietnamese(cast, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    article = make_article(cast)
    fake = SimpleUploadedFile("anh.png", b"<svg onload=alert(1)></svg>", content_type="image/png")
    response = client_for(cast.staff).post(
        f"/{cast.union.slug}/app/news/{article.pk}/images/", {"file": fake, "caption": "Ảnh"}
    )
    assert response.status_code == 400
    assert "Nội dung tệp không thuộc định dạng được chấp nhận" in response.content.decode()
    assert not article.images.exists()


def test_staff_write_review_and_schedule_through_the_pages(cast, client_for):
    staff, leader = client_for(cast.staff), client_for(cast.leader)
    response = staff.post(
        f"/{cast.union.slug}/app/news/new/",
        {"title": "Làm việc tại Đăk Tô", "lead": "Sapo", "body": "Đoạn một.\n\nĐoạn hai."},
    )
    article = Article.objects.get()
    assert response.status_code == 302 and article.body == "<p>Đoạn một.</p><p>Đoạn hai.</p>"
    assert article.slug == "lam-viec-tai-dak-to"
    staff.post(f"/{cast.union.slug}/app/news/{article.pk}/state/submit/")
    when = timezone.localtime(soon()).strftime("%Y-%m-%dT%H:%M")
    leader.post(f"/{cast.union.slug}/app/news/{article.pk}/state/publish/", {"published_at": when})
    article.refresh_from_db()
    assert article.status == "published" and article.is_scheduled()
    dashboard = staff.get(f"/{cast.union.slug}/app/").content.decode()
    assert "Hẹn giờ đăng" in dashboard and "Làm việc tại Đăk Tô" in dashboard
    # the expert cannot publish
    assert client_for(cast.expert).post(f"/{cast.union.slug}/app/news/{article.pk}/state/archive/").status_code == 403


def test_atom_feed_is_valid_xml_with_the_published_entries(cast, client):
    first = make_article(cast, title="Tin thứ nhất", state="published", author="Quang Mạnh")
    make_article(cast, title="Tin nháp")
    response = client.get(f"/{cast.union.slug}/news/feed/")
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Tin thứ nhất"]
    entry = entries[0]
    assert entry.find(f"{ATOM}link").get("href") == f"http://testserver{first.get_absolute_url()}"
    assert entry.findtext(f"{ATOM}id") and entry.findtext(f"{ATOM}updated")
    assert entry.find(f"{ATOM}author").findtext(f"{ATOM}name") == "Quang Mạnh"
    assert "public" in response["Cache-Control"]


def test_sitemap_lists_public_addresses_only(cast, client):
    shown = make_article(cast, title="Công khai", state="published")
    hidden = make_article(cast, title="Nháp")
    response = client.get(f"/{cast.union.slug}/sitemap.xml")
    root = ET.fromstring(response.content)
    locs = [e.text for e in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert f"http://testserver{shown.get_absolute_url()}" in locs
    assert f"http://testserver/{cast.union.slug}/news/{hidden.slug}/" not in locs
    assert f"http://testserver/{cast.union.slug}/documents/{cast.public_document.pk}/" in locs
    assert f"http://testserver/{cast.union.slug}/documents/{cast.private_document.pk}/" not in locs


def test_public_pages_say_how_long_they_may_be_kept(cast, client_for):
    article = make_article(cast, state="published")
    response = client_for(None).get(article.get_absolute_url())
    assert "max-age=60" in response["Cache-Control"] and "public" in response["Cache-Control"]
    assert "no-cache" in client_for(cast.staff).get(article.get_absolute_url())["Cache-Control"]


@pytest.mark.parametrize("rows", [2, 20])
def test_news_list_queries_do_not_grow_with_rows(cast, client, django_assert_max_num_queries, rows):
    for i in range(rows):
        add_image(cast, make_article(cast, title=f"Tin số {i}", state="published"))
    with django_assert_max_num_queries(6):
        response = client.get(f"/{cast.union.slug}/news/")
    assert response.status_code == 200 and "Tin số 1" in response.content.decode()


def test_open_graph_tags_render(cast, rf):
    from django.template.loader import render_to_string

    html = render_to_string(
        "portal/includes/og.html",
        {
            "union": cast.union,
            "og_title": "Tin <b>",
            "og_description": "Sapo",
            "og_url": "http://x/",
            "og_type": "article",
        },
    )
    assert '<meta property="og:title" content="Tin &lt;b&gt;">' in html
    assert '<meta property="og:type" content="article">' in html and 'og:locale" content="vi_VN"' in html


def test_home_section_shows_the_latest_news(cast):
    from django.template.loader import render_to_string

    make_article(cast, title="Liên hiệp các Hội KH&KT tỉnh làm việc với lãnh đạo các địa phương", state="published")
    html = render_to_string("portal/union_home_section.html", {"union": cast.union})
    assert "Liên hiệp các Hội KH&amp;KT tỉnh làm việc với lãnh đạo các địa phương" in html
    assert f'href="/{cast.union.slug}/news/"' in html
