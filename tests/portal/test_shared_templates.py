"""What the portal needs from templates it does not own: the news and documents on the Union's public home
(core/union_home.html includes portal/union_home_section.html) and Open Graph tags in the head (base.html's
{% block head %}). Without that line in the other template, these tests fail."""

import pytest

from .factories import add_image, make_article

pytestmark = pytest.mark.django_db


def test_the_public_home_shows_the_latest_news_and_the_documents(cast, client):
    make_article(cast, title="Liên hiệp các Hội KH&KT tỉnh làm việc với lãnh đạo các địa phương", state="published")
    make_article(cast, title="Bản nháp chưa đăng")
    html = client.get(f"/{cast.union.slug}/").content.decode()
    assert "Liên hiệp các Hội KH&amp;KT tỉnh làm việc với lãnh đạo các địa phương" in html
    assert "Bản nháp chưa đăng" not in html
    assert "48/2017/QĐ-UBND" in html and 'id="nav-q"' in html


def test_an_article_page_carries_open_graph_tags_in_its_head(cast, client):
    article = make_article(cast, title="Tin có ảnh", lead="Sapo của tin", state="published")
    image = add_image(cast, article)
    html = client.get(article.get_absolute_url()).content.decode()
    head = html.split("</head>", 1)[0]
    assert '<meta property="og:title" content="Tin có ảnh">' in head
    assert '<meta property="og:description" content="Sapo của tin">' in head
    assert f'<meta property="og:image" content="http://testserver{image.get_absolute_url()}">' in head
    assert f'<link rel="canonical" href="http://testserver{article.get_absolute_url()}">' in head
