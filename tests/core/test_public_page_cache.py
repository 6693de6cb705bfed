"""An anonymous visitor's public page is kept by the server process for its max-age and served again without the
view, the database or the other middleware (core.middleware.PublicPageCache); everyone else gets a page made for
them."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lienhiep.core.models import Union
from tests.portal.factories import make_article


@pytest.fixture
def kept(settings):
    settings.LIENHIEP_PUBLIC_PAGE_CACHE_SECONDS = 60
    caches["local"].clear()
    yield
    caches["local"].clear()


def get(client: Client, url: str, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    return response, len(queries)


def test_a_visitors_public_page_is_served_again_without_the_database(cast, kept):
    url = f"/{cast.union.slug}/"
    first, first_queries = get(Client(), url)
    again, again_queries = get(Client(), url)
    assert first.status_code == again.status_code == 200
    assert first_queries > 0 and again_queries == 0
    assert again.content == first.content
    assert "public" in again["Cache-Control"] and "max-age=60" in again["Cache-Control"]
    assert again["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_what_is_kept_is_what_was_asked(cast, kept):
    search = reverse("portal:search", args=[cast.union.slug])
    by_query = {q: Client().get(f"{search}?q={q}").content for q in ("tu+van", "hoi+thi")}
    assert by_query["tu+van"] != by_query["hoi+thi"]
    assert Client().get(f"{search}?q=hoi+thi").content == by_query["hoi+thi"]
    url = f"/{cast.union.slug}/"
    vietnamese = Client().get(url).content.decode()
    english_visitor = Client()
    english_visitor.cookies["django_language"] = "en"
    english = english_visitor.get(url).content.decode()
    assert english != vietnamese and 'lang="en"' in english and 'lang="vi"' in vietnamese


def test_a_signed_in_user_or_a_visitor_with_a_message_gets_their_own_page(cast, kept, client_for):
    url = f"/{cast.union.slug}/"
    Client().get(url)
    staff_page, staff_queries = get(client_for(cast.staff), url)
    assert staff_queries > 0 and cast.staff.get_full_name() in staff_page.content.decode()
    assert "public" not in staff_page["Cache-Control"]
    with_message = Client()
    with_message.cookies["messages"] = "anything"
    assert get(with_message, url)[1] > 0


def test_a_change_shows_once_the_page_has_expired(cast, kept):
    url = f"/{cast.union.slug}/"
    before = Client().get(url).content.decode()
    Union.objects.filter(pk=cast.union.pk).update(name="Liên hiệp đã đổi tên")
    assert Client().get(url).content.decode() == before  # kept: as a browser or a proxy keeps it, 60 s at most
    caches["local"].clear()  # what the passing of max-age does
    assert "Liên hiệp đã đổi tên" in Client().get(url).content.decode()


def test_a_page_that_counts_visits_is_never_kept(cast, kept):
    article = make_article(cast, state="published")
    url = f"/{cast.union.slug}/news/{article.slug}/"
    assert "public" in Client().get(url)["Cache-Control"]
    assert get(Client(), url)[1] > 0


def test_turned_off_nothing_is_kept(cast, kept, settings):
    settings.LIENHIEP_PUBLIC_PAGE_CACHE_SECONDS = 0
    url = f"/{cast.union.slug}/"
    Client().get(url)
    assert get(Client(), url)[1] > 0


def test_forms_and_errors_are_not_kept(cast, kept):
    login = reverse("account_login")
    Client().get(login)
    assert "csrftoken" in Client().get(login).cookies  # made again: a page that sets a cookie is not kept
    missing = f"/{cast.union.slug}/news/no-such-article/"
    Client().get(missing)
    response, queries = get(Client(), missing)
    assert response.status_code == 404 and queries > 0
