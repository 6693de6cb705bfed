"""Certificates of an approved edition: one per author of each awarded entry (and per guiding teacher when the
edition says so). Each is a portal certificate (random, unguessable code; register number; public check page) with a
PDF in the Union's layout (WeasyPrint, the project's own fonts, a QR code to the check page), made by a background
task with progress and downloadable one by one or as one ZIP."""

import hashlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import segno
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lienhiep.contests.models import Award, CertificateRun, Contributor, Edition, Entry, EntryCertificate
from lienhiep.core.models import User
from lienhiep.core.services import check, log_activity
from lienhiep.core.text import official_date
from lienhiep.paperwork.register import sign_as_organisation
from lienhiep.paperwork.signers import signer_for
from lienhiep.portal.services import issue_certificate, revoke_certificate

FONTS_CSS = Path(__file__).resolve().parents[1] / "paperwork" / "fonts" / "fonts.css"
CERTIFICATE_CSS = Path(__file__).resolve().with_name("certificate.css")


@dataclass(frozen=True)
class Holder:
    award: Award
    contributor: Contributor

    @property
    def entry(self) -> Entry:
        return self.award.entry


def holders(edition: Edition) -> list[Holder]:
    """Who should hold a certificate and has none that is valid (revoked ones are issued again)."""
    awards = (
        Award.objects.filter(entry__edition=edition, tier__isnull=False)
        .select_related("tier", "entry__field", "entry__edition__union")
        .prefetch_related("entry__contributors__person")
        .order_by("entry__number")
    )
    valid = set(
        EntryCertificate.objects.filter(entry__edition=edition, certificate__revoked_at__isnull=True).values_list(
            "contributor_id", flat=True
        )
    )
    out = []
    for award in awards:
        for contributor in award.entry.contributors.all():
            if contributor.role == Contributor.Role.MENTOR and not edition.mentor_certificates:
                continue
            if contributor.pk not in valid:
                out.append(Holder(award, contributor))
    return out


def certificate_title(holder: Holder) -> str:
    edition = holder.entry.edition
    if holder.contributor.role == Contributor.Role.MENTOR:
        return f"Hướng dẫn giải pháp đạt {holder.award.tier.name} {edition.title}"
    return f"{holder.award.tier.name} {edition.title}"


def qr_svg(url: str) -> str:

    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=4, border=1, xmldecl=False, svgns=True)
    return buffer.getvalue().decode()


def render_pdf(entry_certificate_data: dict) -> bytes:
    """The certificate page (A4 landscape) as PDF bytes, in the project's own fonts (lienhiep/paperwork/fonts)
    whatever the machine has."""
    from weasyprint import CSS, HTML  # here: it loads Pango and fonts (about a second), needed by the worker only
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()  # the @font-face rules and the PDF share it, so the vendored files are embedded
    sheets = [CSS(filename=str(path), font_config=fonts) for path in (FONTS_CSS, CERTIFICATE_CSS)]
    html = render_to_string("contests/certificate.html", entry_certificate_data)
    return HTML(string=html).write_pdf(stylesheets=sheets, font_config=fonts)


def certificate_context(holder: Holder, certificate, base_url: str) -> dict:
    edition = holder.entry.edition
    union = edition.union
    check_url = base_url.rstrip("/") + reverse("portal:certificate_check_code", args=[union.slug, certificate.code])
    return {
        "union": union,
        "edition": edition,
        "entry": holder.entry,
        "award": holder.award,
        "holder": holder.contributor,
        "mentor": holder.contributor.role == Contributor.Role.MENTOR,
        "certificate": certificate,
        "number": certificate.number_symbol(),
        "check_url": check_url,
        "qr": qr_svg(check_url),
        "dated": union.dated_line(certificate.issued_on),
        "decided": official_date(edition.decision_date) if edition.decision_date else "",
        "signer": signer_for(edition.signatory_name, union.signatory_title),
    }


def issue_one(holder: Holder, *, actor: User, base_url: str) -> EntryCertificate:
    """Issue the portal certificate and store its PDF, signed with the Union's organisation certificate where one is
    configured (one transaction)."""

    edition = holder.entry.edition
    with transaction.atomic():
        certificate = issue_certificate(
            actor=actor,
            union=edition.union,
            holder_name=holder.contributor.person.name,
            title=certificate_title(holder),
            issued_on=edition.decision_date or timezone.localdate(),
            issuer=edition.union.name,
            source=holder.entry,
        )
        with translation.override("vi"):
            pdf = render_pdf(certificate_context(holder, certificate, base_url))
        pdf = sign_as_organisation(pdf, edition.union, signer_name=edition.signatory_name).pdf
        certificate.pdf_sha256 = hashlib.sha256(pdf).hexdigest()  # what the public verification page looks up
        certificate.save(update_fields=["pdf_sha256"])
        made = EntryCertificate(entry=holder.entry, contributor=holder.contributor, certificate=certificate)
        made.pdf.save("certificate.pdf", ContentFile(pdf), save=False)
        made.save()
    return made


@transaction.atomic
def start_certificates(edition: Edition, *, actor: User, base_url: str) -> CertificateRun:
    """Queue the generation of the edition's missing certificates as a background task."""
    check(actor, "contests.manage_contests", edition.union)
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    if edition.status not in (Edition.Status.APPROVED, Edition.Status.PUBLISHED):
        raise ValidationError(_("Certificates are made after the leader approves the awards."))
    if edition.certificate_runs.filter(status__in=[CertificateRun.Status.QUEUED, CertificateRun.Status.RUNNING]):
        raise ValidationError(_("Certificates are already being generated."))
    todo = holders(edition)
    if not todo:
        raise ValidationError(_("Every award winner already has a valid certificate."))
    run = CertificateRun.objects.create(edition=edition, total=len(todo), started_by=actor)
    log_activity(
        union=edition.union,
        actor=actor,
        verb="contests.certificates.started",
        message=_("Generating %(n)s certificates for %(edition)s") % {"n": len(todo), "edition": edition},
        target=edition,
    )
    generate_certificates.enqueue(run.pk, base_url)
    return run


@task()
def generate_certificates(run_id: int, base_url: str) -> int:
    """The background half: issue and render each missing certificate, counting progress as it goes."""
    run = CertificateRun.objects.select_related("edition__union", "started_by").get(pk=run_id)
    CertificateRun.objects.filter(pk=run.pk).update(status=CertificateRun.Status.RUNNING)
    done = 0
    try:
        for holder in holders(run.edition):
            issue_one(actor=run.started_by, holder=holder, base_url=base_url)
            done += 1
            CertificateRun.objects.filter(pk=run.pk).update(done=done)
    except Exception as error:  # the run shows it failed; what was made is kept
        CertificateRun.objects.filter(pk=run.pk).update(
            status=CertificateRun.Status.FAILED, error=str(error)[:500], finished_at=timezone.now()
        )
        raise
    CertificateRun.objects.filter(pk=run.pk).update(
        status=CertificateRun.Status.DONE, done=done, total=max(run.total, done), finished_at=timezone.now()
    )
    return done


def certificates_zip(edition: Edition) -> bytes:
    """Every valid certificate PDF of the edition in one ZIP."""
    buffer = io.BytesIO()
    made = EntryCertificate.objects.filter(entry__edition=edition, certificate__revoked_at__isnull=True).select_related(
        "entry", "contributor__person", "certificate"
    )
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in made:
            with item.pdf.open("rb") as handle:
                archive.writestr(item.filename(), handle.read())
    return buffer.getvalue()


def certificates_for_user(user: User, union) -> list[EntryCertificate]:
    """The certificates of a signed-in entrant: theirs as an author or mentor, or of entries they registered."""
    return list(
        EntryCertificate.objects.filter(entry__union=union, certificate__revoked_at__isnull=True)
        .filter(Q(contributor__person__user=user) | Q(entry__owner=user))
        .select_related("entry", "contributor__person", "certificate")
    )


@transaction.atomic
def revoke(item: EntryCertificate, *, actor: User, reason: str) -> EntryCertificate:
    """Revoke a certificate (the public check then says so); a new one can be generated afterwards."""

    if item.entry.union_id != item.certificate.union_id:
        raise PermissionDenied
    revoke_certificate(actor=actor, certificate=item.certificate, reason=reason)
    return item
