"""Portal records for tests, made through the services (as staff of the cast's Union)."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lienhiep.portal import services
from lienhiep.portal.models import Article, Publication


def png_bytes(size=(40, 30), colour=(20, 60, 120)) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return out.getvalue()


def make_article(cast, *, title="Bài thử nghiệm", body="Nội dung bài viết.", state="draft", when=None, **kw):
    article = services.save_article(
        actor=cast.staff,
        union=kw.pop("union", cast.union),
        article=Article(title=title, lead=kw.pop("lead", "Tóm tắt bài viết."), body=body, **kw),
    )
    if state in ("review", "published", "archived"):
        article = services.change_article_state(actor=cast.staff, article=article, step="submit")
    if state in ("published", "archived"):
        article = services.change_article_state(actor=cast.leader, article=article, step="publish", published_at=when)
    if state == "archived":
        article = services.change_article_state(actor=cast.leader, article=article, step="archive")
    return article


def add_image(cast, article, caption="Quang cảnh làm việc tại huyện Đăk Tô.", credit="Ảnh: QM"):
    upload = SimpleUploadedFile("anh.png", png_bytes(), content_type="image/png")
    return services.add_article_image(actor=cast.staff, article=article, upload=upload, caption=caption, credit=credit)


def make_publication(cast, *, published=False, title="Tóm tắt ý kiến phản biện đề án", union=None, actor=None):
    return services.publish_output(
        actor=actor or cast.staff,
        union=union or cast.union,
        kind=Publication.Kind.CRITIQUE_SUMMARY,
        title=title,
        summary="Hội đồng phản biện kiến nghị bổ sung đánh giá tác động môi trường.",
        publish=published,
    )


def make_certificate(cast, *, revoked=False, union=None, actor=None):
    certificate = services.issue_certificate(
        actor=actor or cast.staff,
        union=union or cast.union,
        holder_name="Nguyễn Thị Ánh",
        title="Giải Nhì Hội thi Sáng tạo kỹ thuật",
        issued_on=datetime.date(2021, 12, 20),
    )
    if revoked:
        certificate = services.revoke_certificate(actor=actor or cast.staff, certificate=certificate, reason="Cấp nhầm")
    return certificate


def soon() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=2)
