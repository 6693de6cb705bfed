from django import template

from lienhiep.portal.queries import public_articles

register = template.Library()


@register.inclusion_tag("portal/includes/home_news.html")
def portal_home(union) -> dict:
    """The latest news and the search box, for the Union's public home page."""
    return {"union": union, "articles": public_articles(union)[:5]}
