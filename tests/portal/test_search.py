"""One search box over news, documents and published results: diacritic-insensitive, ranked, highlighted,
escaped, and the same on SQLite (FTS5) and PostgreSQL (pg_trgm) — this file runs on both."""

import datetime

import pytest
from django.db import connection

from lienhiep.devdata.portal import BODY, LEAD, TITLE
from lienhiep.portal import services
from lienhiep.portal.models import LegalDocument, SearchEntry
from lienhiep.portal.search import highlight, search_entries, words_of

from .factories import make_article, make_publication

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(cast):
    article = make_article(cast, title=TITLE, lead=LEAD, body=BODY, state="published")
    tthg = services.save_document(
        actor=cast.staff,
        union=cast.union,
        document=LegalDocument(
            number_symbol="14/2014/QĐ-TTg",
            doc_type="decision",
            issuer="Thủ tướng Chính phủ",
            issued_on=datetime.date(2014, 2, 14),
            summary="Về hoạt động tư vấn, phản biện và giám định xã hội của Liên hiệp các Hội Khoa học và Kỹ thuật "
            "Việt Nam",
        ),
    )
    published = make_publication(cast, published=True, title="Tóm tắt kết quả phản biện đề án ở huyện Đăk Tô")
    draft_news = make_article(cast, title="Bản nháp về Tu Mơ Rông và Đăk Tô, phản biện 48/2017")
    draft_pub = make_publication(cast, title="Nháp phản biện Đăk Tô 48/2017")
    return {
        "article": article,
        "qd48": cast.public_document,
        "qd14": tthg,
        "published": published,
        "hidden": [draft_news, draft_pub, cast.private_document],
    }


def found(cast, q):
    return [(e.kind, e.object_id) for e in search_entries(cast.union, q)]


def key(obj):
    kind = {"Article": "news", "LegalDocument": "document", "Publication": "publication"}[type(obj).__name__]
    return (kind, obj.pk)


def test_the_issue_queries_find_the_right_items(cast, library):
    assert found(cast, "tu mo rong") == [key(library["article"])]
    assert found(cast, "dak to")[0] == key(library["published"])  # in its title: ranked first
    assert set(found(cast, "dak to")) == {key(library["article"]), key(library["published"])}
    assert found(cast, "48/2017")[0] == key(library["qd48"])  # the number itself first, then what cites it
    assert set(found(cast, "48/2017")) == {key(library["qd48"]), key(library["article"])}
    assert set(found(cast, "phan bien")) == {
        key(library["article"]),
        key(library["qd48"]),
        key(library["qd14"]),
        key(library["published"]),
    }
    assert found(cast, "phản biện") == found(cast, "PHAN BIEN") == found(cast, "phan bien")
    for hidden in library["hidden"]:
        for q in ("tu mo rong", "dak to", "48/2017", "phan bien"):
            assert key(hidden) not in found(cast, q)


def test_short_words_match_whole_words_and_long_ones_prefixes(cast, library):
    assert words_of("Đăk Tô, 48/2017") == ["dak", "to", "48", "2017"]
    assert key(library["article"]) in found(cast, "phan bie")  # a prefix of a longer word
    assert found(cast, "to chuc xyz") == []


def test_another_unions_items_are_not_found(cast, library, client_for):
    html = client_for(None).get(f"/{cast.outsider_union.slug}/search/", {"q": "phan bien"}).content.decode()
    assert "Không tìm thấy kết quả" in html


def test_results_page_highlights_and_escapes(cast, library, client):
    make_article(cast, title="<script>alert('Đăk Tô')</script> tin", state="published")
    hostile = client.get(f"/{cast.union.slug}/search/", {"q": '"><img src=x onerror=alert(1)>'}).content.decode()
    assert "<img src=x" not in hostile and "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in hostile
    response = client.get(f"/{cast.union.slug}/search/", {"q": "dak to"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<mark>Đăk</mark> <mark>Tô</mark>" in html
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#x27;<mark>Đăk</mark> <mark>Tô</mark>&#x27;)&lt;/script&gt; tin" in html


def test_highlight_escapes_everything_then_marks():
    assert highlight("<b>Đăk Tô</b> & tóm", ["to"]) == "&lt;b&gt;Đăk <mark>Tô</mark>&lt;/b&gt; &amp; tóm"


def test_the_index_follows_publishing(cast, library):
    article = library["article"]
    services.change_article_state(actor=cast.leader, article=article, step="archive")
    assert key(article) not in found(cast, "tu mo rong")
    entry = SearchEntry.objects.get(object_id=article.pk, kind="news")
    assert entry.is_public is False


def test_the_database_index_exists(cast):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'portal_searchfts'")
            assert "trigram" in cursor.fetchone()[0]
        else:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'portal_searchentry_folded_trgm'")
            assert "gin_trgm_ops" in cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL's planner picks the Union or the trigram index")
def test_the_database_index_serves_the_search(cast):
    """The plan hands the words' LIKE to the FTS5 trigram index: an ESCAPE clause silently turned it off (every
    Union's rows were scanned: 50 ms on the national data set instead of 0.2–9 ms)."""
    sql, params = search_entries(cast.union, "dak to cà phê").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "VIRTUAL TABLE INDEX 0:L" in plan, plan  # L: the LIKE constraint handed to FTS5


def test_typed_wildcards_are_only_letters_to_search_for(cast, library):
    assert found(cast, "%") == found(cast, "_") == found(cast, "\\") == []
    assert found(cast, "tu_mo%rong") == found(cast, "tu mo rong")


@pytest.mark.parametrize("rows", [2, 20])
def test_search_page_queries_do_not_grow_with_rows(cast, client, django_assert_max_num_queries, rows):
    for i in range(rows):
        make_article(cast, title=f"Làm việc tại Đăk Tô số {i}", state="published")
    with django_assert_max_num_queries(5):
        response = client.get(f"/{cast.union.slug}/search/", {"q": "dak to"})
    assert response.content.decode().count("<mark>Đăk</mark>") >= min(rows, 20)
