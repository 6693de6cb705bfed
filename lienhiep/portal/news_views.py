"""News: the public list, article, Atom feed and images; the staff's pages to write, review and publish."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import feedgenerator, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lienhiep.core.access import public, union_permission
from lienhiep.core.params import QueryParams, page_number
from lienhiep.core.queries import get_for_union, timeline_for
from lienhiep.portal import services
from lienhiep.portal.forms import ArticleForm, ArticleImageForm, PublishForm
from lienhiep.portal.models import Article, ArticleImage
from lienhiep.portal.queries import PAGE_SIZE, public_article, public_articles, staff_articles
from lienhiep.portal.views import public_page, public_union, shared_cache

FEED_SIZE = 20


@public
@public_page()
def article_list(request: HttpRequest, union_slug: str) -> HttpResponse:
    union = public_union(request, union_slug)
    page = Paginator(public_articles(union), PAGE_SIZE).get_page(page_number(request))
    return render(request, "portal/article_list.html", {"union": union, "page": page})


@public
@public_page(kept_by_server=False)  # every visit is counted
def article_detail(request: HttpRequest, union_slug: str, slug: str) -> HttpResponse:
    """A published article whose time has come; drafts, scheduled and archived ones are a 404 here."""
    union = public_union(request, union_slug)
    article = public_article(union, slug)
    if article is None:
        raise Http404
    if services.count_view(article, services.visitor_key(request)):
        article.view_count += 1
    images = list(article.images.all())
    return render(
        request,
        "portal/article_detail.html",
        {
            "union": union,
            "article": article,
            "images": images,
            "canonical": request.build_absolute_uri(article.get_absolute_url()),
            "og_image": request.build_absolute_uri(images[0].get_absolute_url()) if images else "",
            "latest": public_articles(union).exclude(pk=article.pk)[:5],
        },
    )


@public
def article_feed(request: HttpRequest, union_slug: str) -> HttpResponse:
    """Atom feed of the latest published articles."""
    union = public_union(request, union_slug)
    feed = feedgenerator.Atom1Feed(
        title=f"{union.name} — {_('News')}",
        link=request.build_absolute_uri(f"/{union.slug}/news/"),
        description=_("News of %s") % union.name,
        language="vi",
        feed_url=request.build_absolute_uri(),
        author_name=union.name,
    )
    for article in public_articles(union)[:FEED_SIZE]:
        link = request.build_absolute_uri(article.get_absolute_url())
        feed.add_item(
            title=article.title,
            link=link,
            description=article.lead,
            unique_id=link,
            pubdate=article.published_at,
            updateddate=max(article.updated_at, article.published_at),
            author_name=article.author or union.short_name,
        )
    response = HttpResponse(content_type=f"{feed.content_type}")
    feed.write(response, "utf-8")
    return shared_cache(response, 300)


@public
def article_image(request: HttpRequest, union_slug: str, pk: int) -> HttpResponse:
    """An article's photo: to everyone once the article is public, before that only to the Union's staff."""
    image = ArticleImage.objects.filter(pk=pk, article__union__slug=union_slug).select_related("article__union").first()
    if image is None:
        raise Http404
    visible = image.article.is_visible_to_public()
    if not visible and not request.user.has_perm("portal.manage_content", image.article.union):
        raise Http404
    response = FileResponse(image.file.open("rb"), content_type=image.mime_type)
    if visible:
        return shared_cache(response, 3600)
    response["Cache-Control"] = "private, no-store"
    return response


# Staff pages


@union_permission("portal.manage_content")
def article_manage_list(request: HttpRequest) -> HttpResponse:
    status = QueryParams(request).choice("status", Article.Status.values)
    page = Paginator(staff_articles(request.union, status), 30).get_page(page_number(request))
    return render(
        request,
        "portal/article_manage_list.html",
        {
            "page": page,
            "status": status,
            "statuses": Article.Status.choices,
            "can_edit": request.user.has_perm("portal.edit_content", request.union),
            "now": timezone.now(),
        },
    )


@union_permission("portal.manage_content")
def article_manage(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_for_union(Article, request.union, pk, Article.objects.prefetch_related("images"))
    return _manage_page(request, article, PublishForm(), ArticleImageForm())


def _manage_page(request, article, publish_form, image_form, status=200) -> HttpResponse:
    can_edit = request.user.has_perm("portal.edit_content", request.union)
    # the steps its viewer may take from here (each transition names its permission)
    allowed = {t.name: True for t in article.get_available_user_status_transitions(request.user)}
    return render(
        request,
        "portal/article_manage.html",
        {
            "article": article,
            "images": article.images.all(),
            "can_edit": can_edit,
            "allowed": allowed,
            "publish_form": publish_form,
            "image_form": image_form,
            "timeline": timeline_for(article),
        },
        status=status,
    )


@union_permission("portal.edit_content")
def article_create(request: HttpRequest) -> HttpResponse:
    return _edit(request, Article(union=request.union))


@union_permission("portal.edit_content")
def article_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit(request, get_for_union(Article, request.union, pk))


def _edit(request: HttpRequest, article: Article) -> HttpResponse:
    form = ArticleForm(request.POST or None, instance=article)
    if request.method == "POST" and form.is_valid():
        article = services.save_article(actor=request.user, union=request.union, article=form.save(commit=False))
        messages.success(request, _("Saved."))
        return redirect("portal:article_manage", union_slug=request.union.slug, pk=article.pk)
    return render(request, "portal/article_form.html", {"form": form, "article": article})


@require_POST
@union_permission("portal.manage_content")
def article_transition(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    article = get_for_union(Article, request.union, pk)
    if step not in services.TRANSITIONS:
        raise Http404
    publish_form = PublishForm(request.POST if step == "publish" else None)
    if step == "publish" and not publish_form.is_valid():
        return _manage_page(request, article, publish_form, ArticleImageForm(), status=400)
    when = publish_form.cleaned_data.get("published_at") if step == "publish" else None
    try:
        services.change_article_state(actor=request.user, article=article, step=step, published_at=when)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, services.TRANSITIONS[step] % article.title)  # what was done, to which article
    return redirect("portal:article_manage", union_slug=request.union.slug, pk=article.pk)


@require_POST
@union_permission("portal.edit_content")
def article_image_upload(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_for_union(Article, request.union, pk)
    form = ArticleImageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_article_image(
                actor=request.user,
                article=article,
                upload=form.cleaned_data["file"],
                caption=form.cleaned_data["caption"],
                credit=form.cleaned_data["credit"],
                alt=form.cleaned_data["alt"],
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, _("Image added."))
            return redirect("portal:article_manage", union_slug=request.union.slug, pk=article.pk)
    return _manage_page(request, article, PublishForm(), form, status=400)


@require_POST
@union_permission("portal.edit_content")
def article_image_delete(request: HttpRequest, pk: int) -> HttpResponse:
    image = ArticleImage.objects.filter(pk=pk, article__union=request.union).select_related("article").first()
    if image is None:
        raise Http404
    article = image.article
    services.remove_article_image(actor=request.user, image=image)
    messages.success(request, _("Image removed."))
    return redirect("portal:article_manage", union_slug=request.union.slug, pk=article.pk)
