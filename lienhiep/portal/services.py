"""Every write of the portal: one function per use case, atomic, permission-checked, in the activity log.

Other modules publish through `publish_output()` (a critique summary, contest results) and issue certificates
through `issue_certificate()`."""

import datetime
import hashlib
import hmac

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import can_proceed
from PIL import Image, UnidentifiedImageError

from lienhiep.core.clients import client_ip
from lienhiep.core.models import Union, User
from lienhiep.core.services import check, locked, log_activity, transition
from lienhiep.core.uploads import JPEG, PNG, check_upload
from lienhiep.portal.models import Article, ArticleImage, ArticleView, Certificate, LegalDocument, Publication


@transaction.atomic
def save_document(union: Union, *, actor: User, document: LegalDocument) -> LegalDocument:
    check(actor, "portal.manage_content", union)
    created = document.pk is None
    document.union = union
    document.save()
    log_activity(
        union=union,
        actor=actor,
        verb=f"portal.document.{'created' if created else 'changed'}",
        message=(_("Document recorded: %s") if created else _("Document changed: %s")) % document,
        target=document,
    )
    return document


# News


@transaction.atomic
def save_article(union: Union, *, actor: User, article: Article) -> Article:
    """Create or change an article's text (its state changes only through the transitions below)."""
    check(actor, "portal.edit_content", union)
    created = article.pk is None
    article.union = union
    if created:
        article.created_by = actor
    article.save()
    log_activity(
        union=union,
        actor=actor,
        verb=f"portal.article.{'created' if created else 'changed'}",
        message=(_("Article written: %s") if created else _("Article changed: %s")) % article.title,
        target=article,
    )
    return article


TRANSITIONS = {
    # a step of Article (its transition, which names who may take it) → the activity log's line
    "submit": gettext_lazy("Article sent for review: %s"),
    "return_to_draft": gettext_lazy("Article returned to draft: %s"),
    "publish": gettext_lazy("Article published: %s"),
    "archive": gettext_lazy("Article archived: %s"),
    "reopen": gettext_lazy("Article reopened as a draft: %s"),
}


@transaction.atomic
def change_article_state(
    article: Article, *, actor: User, step: str, published_at: datetime.datetime | None = None
) -> Article:
    """Move an article along draft → in review → published → archived. Publishing with a future time schedules
    it: the public pages compute visibility from published_at, so it appears by itself."""
    if step not in TRANSITIONS:
        raise PermissionDenied
    article = locked(article)
    transition(article, step, actor=actor)
    if step == "publish":
        article.published_at = published_at or timezone.now()
    article.save()
    text = str(TRANSITIONS[step]) % article.title
    if step == "publish" and article.published_at > timezone.now():
        text = _("Article scheduled for %(when)s: %(title)s") % {
            "when": timezone.localtime(article.published_at).strftime("%d/%m/%Y %H:%M"),
            "title": article.title,
        }
    log_activity(union=article.union, actor=actor, verb=f"portal.article.{step}", message=text, target=article)
    return article


def _image_size(upload: UploadedFile) -> tuple[int, int]:

    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image.verify()
            size = image.size
    except (UnidentifiedImageError, OSError, SyntaxError) as error:
        raise ValidationError(_("The image could not be read; upload a PNG or JPEG photo.")) from error
    finally:
        upload.seek(0)
    if size[0] * size[1] > 40_000_000:
        raise ValidationError(_("The image is too large (more than 40 megapixels)."))
    return size


@transaction.atomic
def add_article_image(
    article: Article, *, actor: User, upload: UploadedFile, caption: str, credit: str = "", alt: str = ""
) -> ArticleImage:
    check(actor, "portal.edit_content", article.union)
    kind = check_upload(upload, (PNG, JPEG))
    width, height = _image_size(upload)
    position = article.images.count()
    image = ArticleImage(
        article=article,
        extension=kind.extension,
        mime_type=kind.mime_type,
        width=width,
        height=height,
        caption=caption.strip(),
        credit=credit.strip(),
        alt=alt.strip(),
        position=position,
    )
    image.file.save("image", upload, save=False)
    image.save()
    log_activity(
        union=article.union,
        actor=actor,
        verb="portal.article.image_added",
        message=_("Image added to the article: %s") % image.caption,
        target=article,
    )
    return image


@transaction.atomic
def remove_article_image(image: ArticleImage, *, actor: User) -> None:
    article = image.article
    check(actor, "portal.edit_content", article.union)
    stored, storage, caption = image.file.name, image.file.storage, image.caption
    image.delete()
    log_activity(
        union=article.union,
        actor=actor,
        verb="portal.article.image_removed",
        message=_("Image removed from the article: %s") % caption,
        target=article,
    )
    transaction.on_commit(lambda: storage.delete(stored))


def visitor_key(request) -> str:
    """A keyed hash of the visitor's address and browser: counts a person once a day without storing either."""
    raw = f"{client_ip(request)}|{request.META.get('HTTP_USER_AGENT', '')[:300]}"
    return hmac.new(settings.SECRET_KEY.encode(), raw.encode(), hashlib.sha256).hexdigest()


def count_view(article: Article, visitor: str, day: datetime.date | None = None) -> bool:
    """Count one view per visitor and day; a reload the same day adds nothing. True if it was counted."""
    day = day or timezone.localdate()
    try:
        with transaction.atomic():
            ArticleView.objects.create(article=article, visitor=visitor, day=day)
    except IntegrityError:
        return False
    Article.objects.filter(pk=article.pk).update(view_count=F("view_count") + 1)
    return True


# Published outputs (critique summaries, contest results)


@transaction.atomic
def save_publication(union: Union, *, actor: User, publication: Publication) -> Publication:
    check(actor, "portal.edit_content", union)
    created = publication.pk is None
    publication.union = union
    if created:
        publication.created_by = actor
    publication.save()
    log_activity(
        union=union,
        actor=actor,
        verb=f"portal.publication.{'created' if created else 'changed'}",
        message=(_("Publication prepared: %s") if created else _("Publication changed: %s")) % publication.title,
        target=publication,
    )
    return publication


@transaction.atomic
def publish_output(
    union: Union,
    *,
    actor: User,
    kind: str,
    title: str,
    summary: str,
    body: str = "",
    source: models.Model | None = None,
    publish: bool = False,
) -> Publication:
    """What the advisory and contests modules call: a publication of `source`, kept as a draft unless
    `publish` (staff publish it with one click otherwise)."""
    if source is not None and getattr(source, "union_id", union.pk) != union.pk:
        raise PermissionDenied
    publication = Publication(union=union, kind=kind, title=title, summary=summary, body=body)
    if source is not None:
        publication.source_type = ContentType.objects.get_for_model(source)
        publication.source_id = source.pk
    publication = save_publication(actor=actor, union=union, publication=publication)
    if publish:
        publication = set_publication_published(actor=actor, publication=publication, published=True)
    return publication


@transaction.atomic
def set_publication_published(publication: Publication, *, actor: User, published: bool) -> Publication:
    """Publish (or withdraw) in one click; a withdrawn publication is a 404 to the public again."""
    check(actor, "portal.manage_content", publication.union)
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    method = publication.publish if published else publication.withdraw
    if not can_proceed(method):
        raise ValidationError(_("This publication is already in that state."))
    method()
    if published:
        publication.published_at = timezone.now()
    publication.save()
    log_activity(
        union=publication.union,
        actor=actor,
        verb=f"portal.publication.{'published' if published else 'withdrawn'}",
        message=(_("Published: %s") if published else _("Withdrawn from the public site: %s")) % publication.title,
        target=publication,
    )
    return publication


# Certificates


def next_certificate_number(union: Union, year: int) -> int:
    """The register's next number for the year, under a lock of the Union row held to the end of the transaction
    (two certificates issued at once wait for each other rather than take the same number)."""
    locked(union)
    last = Certificate.objects.filter(union=union, issued_on__year=year).aggregate(last=models.Max("number"))["last"]
    return (last or 0) + 1


@transaction.atomic
def issue_certificate(
    union: Union,
    *,
    actor: User,
    holder_name: str,
    title: str,
    issued_on: datetime.date,
    issuer: str = "",
    source: models.Model | None = None,
) -> Certificate:
    """Record a certificate with a new random code and the next register number of the Union in the year of issue
    (Số: 01/GCN-LHH; the contests module calls this for each award)."""
    check(actor, "portal.edit_content", union)
    if source is not None and getattr(source, "union_id", union.pk) != union.pk:
        raise PermissionDenied
    certificate = Certificate(
        union=union,
        holder_name=holder_name,
        title=title,
        issued_on=issued_on,
        issuer=issuer or union.name,
        issued_by=actor,
        number=next_certificate_number(union, issued_on.year),
    )
    if source is not None:
        certificate.source_type = ContentType.objects.get_for_model(source)
        certificate.source_id = source.pk
    for _attempt in range(5):  # a clash among 32^12 codes is improbable; retry rather than fail
        try:
            with transaction.atomic():
                certificate.code = ""
                certificate.save()
            break
        except IntegrityError:
            certificate.pk = None
    else:
        raise IntegrityError("no free certificate code")
    log_activity(
        union=union,
        actor=actor,
        verb="portal.certificate.issued",
        message=_("Certificate issued to %(name)s: %(title)s") % {"name": certificate.holder_name, "title": title},
        target=certificate,
    )
    return certificate


@transaction.atomic
def revoke_certificate(certificate: Certificate, *, actor: User, reason: str) -> Certificate:
    check(actor, "portal.edit_content", certificate.union)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the certificate is revoked."))
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.revoked_at is not None:
        raise ValidationError(_("This certificate is already revoked."))
    certificate.revoked_at = timezone.now()
    certificate.revoke_reason = reason[:500]
    certificate.save()
    log_activity(
        union=certificate.union,
        actor=actor,
        verb="portal.certificate.revoked",
        message=_("Certificate %(code)s revoked: %(reason)s") % {"code": certificate.display_code(), "reason": reason},
        target=certificate,
    )
    return certificate
