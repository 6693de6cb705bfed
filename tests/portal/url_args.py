"""Sample URL arguments for the security harness (tests/test_url_access.py): objects of the Kon Tum cast Union.

They are made directly (not through the services) because the harness counts activity-log rows around its
requests, and made once per cast."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lienhiep.portal.models import Article, ArticleImage, Certificate, Publication


def objects(cast) -> dict:
    made = getattr(cast, "_portal_objects", None)
    if made is None:
        from tests.portal.factories import png_bytes

        article = Article.objects.create(union=cast.union, title="Bản nháp", lead="Tóm tắt.", body="Nội dung.")
        image = ArticleImage(article=article, extension=".png", mime_type="image/png", caption="Ảnh")
        image.file.save("image", SimpleUploadedFile("a.png", png_bytes()), save=False)
        image.save()
        draft = Publication.objects.create(
            union=cast.union, kind=Publication.Kind.CRITIQUE_SUMMARY, title="Nháp", summary="Nháp"
        )
        published = Publication.objects.create(
            union=cast.union,
            kind=Publication.Kind.CONTEST_RESULT,
            title="Kết quả",
            summary="Kết quả",
            status=Publication.Status.PUBLISHED,
            published_at=timezone.now(),
        )
        certificate = Certificate.objects.create(
            union=cast.union, holder_name="Y Blong", title="Giải Ba", issued_on=datetime.date(2021, 12, 1), issuer="LHH"
        )
        made = cast._portal_objects = {
            "article": article,
            "image": image,
            "draft": draft,
            "published": published,
            "certificate": certificate,
        }
    return made


URL_ARGS = {
    "portal:article_manage_list": lambda c, a: {},
    "portal:article_create": lambda c, a: {},
    "portal:article_manage": lambda c, a: {"pk": objects(c)["article"].pk},
    "portal:article_edit": lambda c, a: {"pk": objects(c)["article"].pk},
    "portal:article_transition": lambda c, a: {"pk": objects(c)["article"].pk, "step": "submit"},
    "portal:article_image_upload": lambda c, a: {"pk": objects(c)["article"].pk},
    "portal:article_image_delete": lambda c, a: {"pk": objects(c)["image"].pk},
    "portal:publication_manage_list": lambda c, a: {},
    "portal:publication_create": lambda c, a: {},
    "portal:publication_manage": lambda c, a: {"pk": objects(c)["draft"].pk},
    "portal:publication_edit": lambda c, a: {"pk": objects(c)["draft"].pk},
    "portal:publication_publish": lambda c, a: {"pk": objects(c)["draft"].pk},
    "portal:publication_withdraw": lambda c, a: {"pk": objects(c)["published"].pk},
    "portal:certificate_manage_list": lambda c, a: {},
    "portal:certificate_manage": lambda c, a: {"pk": objects(c)["certificate"].pk},
    "portal:certificate_revoke": lambda c, a: {"pk": objects(c)["certificate"].pk},
}
