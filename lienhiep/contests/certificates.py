"""Certificates of an approved edition: one per author of each awarded entry (and per guiding teacher when the
edition says so). Each is a portal certificate (random, unguessable code; register number; public check page) with a
PDF in the Union's layout (WeasyPrint, the project's own fonts, a QR code to the check page), made by a background
task with progress and downloadable one by one or as one ZIP.

A batch prepares what every certificate shares once (CertificateRenderer: the fonts, the stylesheets, a URL fetcher of
local files only, where the signature stamp goes) and spreads the rendering and signing over worker processes
(issue_batch): the parent issues the register numbers and stores the files, a chunk at a time in one transaction;
the children only turn HTML into signed PDF bytes."""

import functools
import hashlib
import io
import mimetypes
import multiprocessing
import os
import signal
import warnings
import zipfile
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import OpenerDirector, url2pathname

import segno
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import connections, transaction
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
from lienhiep.paperwork.signing import StampPlace, organisation_certificate, stamp_box
from lienhiep.portal.services import issue_certificate, revoke_certificate

FONTS_CSS = Path(__file__).resolve().parents[1] / "paperwork" / "fonts" / "fonts.css"
CERTIFICATE_CSS = Path(__file__).resolve().with_name("certificate.css")
CHUNK_PER_PROCESS = 4  # certificates per worker process in one transaction (the Union's register stays locked)
PDF_TIMEOUT = 300  # seconds to wait for one PDF from the worker processes (a tenth of a second when all is well)
POOL_FROM = 16  # a smaller batch is made in the worker's own process: starting others would cost more than it saves


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


class RefusedURL(Exception):
    """The certificate asked for a resource that is not one of its local files (a certificate never fetches from
    the network)."""


def local_files_fetcher(*folders: Path):
    """WeasyPrint's URL fetcher for certificates: serves the files under `folders` (read once, kept in memory) and
    refuses every other URL, remote or local. WeasyPrint's own fetcher would also make an SSL context (~46 ms) for
    every HTML and CSS object."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    roots = tuple(folder.resolve() for folder in folders)

    class LocalFiles(URLFetcher):
        def __init__(self) -> None:
            OpenerDirector.__init__(self)  # no urllib handlers at all: nothing can be opened through it
            self._fail_on_errors = True  # a resource refused or missing stops the certificate, never a blank in it
            self._files: dict[Path, bytes] = {}

        def fetch(self, url: str, headers=None) -> URLFetcherResponse:
            parts = urlsplit(url)
            if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
                raise RefusedURL(f"not a local file: {url}")
            path = Path(url2pathname(parts.path)).resolve()
            if not any(path.is_relative_to(root) for root in roots):
                raise RefusedURL(f"not one of the certificate's files: {url}")
            if path not in self._files:
                self._files[path] = path.read_bytes()
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, self._files[path], {"Content-Type": kind})

    return LocalFiles()


class CertificateRenderer:
    """What every certificate of a batch shares, prepared once: the vendored fonts in one FontConfiguration (the
    @font-face rules and the PDF share it, so the vendored files are embedded), the two stylesheets, the fetcher of
    local files, and where the signature stamp goes for each layout of the signature block (read from the first PDF
    of that layout with signing.stamp_box, then reused: the block sits at a fixed place on the page)."""

    def __init__(self) -> None:
        from weasyprint import CSS  # here: it loads Pango and fonts (about a second), needed by the worker only
        from weasyprint.text.fonts import FontConfiguration

        self.fetcher = local_files_fetcher(FONTS_CSS.parent)  # the fonts; the stylesheets are read by file name
        self.fonts = FontConfiguration()
        self.stylesheets = [
            CSS(filename=str(path), font_config=self.fonts, url_fetcher=self.fetcher)
            for path in (FONTS_CSS, CERTIFICATE_CSS)
        ]
        self.stamps: dict[tuple, StampPlace] = {}

    def render(self, html: str):
        """The laid-out document (weasyprint.Document)."""
        from weasyprint import HTML
        from weasyprint.urls import FatalURLFetchingError

        try:
            return HTML(string=html, url_fetcher=self.fetcher).render(
                stylesheets=self.stylesheets, font_config=self.fonts
            )
        except FatalURLFetchingError as error:  # a BaseException: made an ordinary error the run can report
            raise RefusedURL(str(error.__cause__ or error)) from error

    def pdf(self, html: str) -> bytes:
        """The certificate page as PDF bytes, unsigned."""
        return self.render(html).write_pdf()

    def signed_pdf(self, html: str, union, signer_name: str) -> bytes:
        """The certificate page as PDF bytes, signed with the Union's organisation certificate where it has one."""
        document = self.render(html)
        pdf = document.write_pdf()
        key = signature_layout(document, signer_name)

        def stamp() -> StampPlace:
            if key is None:  # no signature block found in the layout: read this PDF
                return stamp_box(pdf, signer_name)
            if key not in self.stamps:
                self.stamps[key] = stamp_box(pdf, signer_name)
            return self.stamps[key]

        return sign_as_organisation(pdf, union, signer_name=signer_name, stamp=stamp).pdf


def signature_layout(document, signer_name: str) -> tuple | None:
    """What decides where the stamp goes (signing.stamp_box: above the signer's name, below the line above it): the
    page, and the text and place of every line of the signature block (`.sign`), as laid out. Two certificates with the
    same key get the same stamp box; None when the page has no signature block."""
    from weasyprint.formatting_structure.boxes import TextBox

    for index, page in enumerate(document.pages):
        root = getattr(page, "_page_box", None)  # WeasyPrint's layout tree (no public name): without it, no key
        for box in root.descendants(placeholders=True) if root is not None else ():
            element = getattr(box, "element", None)
            if element is not None and "sign" in (element.get("class") or "").split() and box.element_tag == "div":
                lines = tuple(
                    (part.text, round(part.position_x, 2), round(part.position_y, 2), round(part.width, 2))
                    for part in box.descendants(placeholders=True)
                    if isinstance(part, TextBox)
                )
                return (index, len(document.pages), signer_name, lines)
    return None


def render_pdf(entry_certificate_data: dict, renderer: CertificateRenderer | None = None) -> bytes:
    """The certificate page (A4 landscape) as PDF bytes, unsigned, in the project's own fonts
    (lienhiep/paperwork/fonts) whatever the machine has."""
    renderer = renderer or CertificateRenderer()
    return renderer.pdf(render_to_string("contests/certificate.html", entry_certificate_data))


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


def issue_one(
    holder: Holder, *, actor: User, base_url: str, renderer: CertificateRenderer | None = None
) -> EntryCertificate:
    """Issue the portal certificate and store its PDF, signed with the Union's organisation certificate where one is
    configured (one transaction)."""
    renderer = renderer or CertificateRenderer()
    (made,) = _issue_chunk([holder], actor=actor, base_url=base_url, submit=_here(renderer))
    return made


Job = tuple[str, object, str]  # (the page's HTML, the Union, the signer's name): what a worker process needs
Submit = Callable[[Job], Callable[[], bytes]]  # starts making a job's PDF; the function returned waits for it


def _make(renderer: CertificateRenderer, job: Job) -> bytes:
    html, union, signer_name = job
    return renderer.signed_pdf(html, union, signer_name)


def _here(renderer: CertificateRenderer) -> Submit:
    """Each PDF made in this process, when it is asked for."""
    return lambda job: lambda: _make(renderer, job)


def _issue_chunk(chunk: Sequence[Holder], *, actor: User, base_url: str, submit: Submit) -> list[EntryCertificate]:
    """Issue the chunk's certificates (register numbers, codes) and store their PDFs, in one transaction: a failure
    leaves none of them. Each page goes to `submit` as soon as its number is taken, and the PDFs are stored in order as
    they come back: with worker processes, they render while this process issues and stores the others."""
    with transaction.atomic():
        pending = []
        for holder in chunk:
            edition = holder.entry.edition
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
                html = render_to_string("contests/certificate.html", certificate_context(holder, certificate, base_url))
            pending.append((holder, certificate, submit((html, edition.union, edition.signatory_name))))
        made = []
        for holder, certificate, result in pending:
            pdf = result()
            # issued means fixed: the bytes hashed are the bytes stored, once
            certificate.pdf_sha256 = hashlib.sha256(pdf).hexdigest()  # what the public verification page looks up
            certificate.save(update_fields=["pdf_sha256"])
            item = EntryCertificate(entry=holder.entry, contributor=holder.contributor, certificate=certificate)
            item.pdf.save("certificate.pdf", ContentFile(pdf), save=False)
            item.save()
            made.append(item)
    return made


def certificate_processes() -> int:
    """How many processes render a batch: LIENHIEP_CERTIFICATE_PROCESSES, else every core the worker may use (one
    where processes cannot be forked)."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    configured = getattr(settings, "LIENHIEP_CERTIFICATE_PROCESSES", 0)
    if configured > 0:
        return configured
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


_batch_renderer: CertificateRenderer | None = None  # in a batch's worker process: the batch's, inherited when forked
_inherited: list = []  # in a batch's worker process: the parent's database connections, kept from being closed


def _child_started() -> None:
    """A batch's worker process: interruption is the parent's to handle (the worker's own signal handlers are not
    this process's); the parent's database connections are set aside unused (their sockets are the parent's) and
    never closed from here (the process ends with os._exit)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    for connection in connections.all(initialized_only=True):
        _inherited.append(connection.connection)
        connection.connection = None


def _make_in_child(job: Job) -> bytes:
    return _make(_batch_renderer, job)


def issue_batch(
    holders_to_issue: Sequence[Holder],
    *,
    actor: User,
    base_url: str,
    processes: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[EntryCertificate]:
    """Issue many certificates with one renderer. With several processes (certificate_processes(), for a batch of
    POOL_FROM or more), the PDFs are rendered and signed in forked worker processes, CHUNK_PER_PROCESS per process at
    a time, while this process issues the numbers and stores the files (a chunk per transaction: a failure keeps the
    chunks before it). `progress` is told the number made after each chunk."""
    global _batch_renderer
    if processes is None:
        processes = certificate_processes() if len(holders_to_issue) >= POOL_FROM else 1
    processes = max(1, min(processes, len(holders_to_issue)))
    renderer = CertificateRenderer()
    for union in {holder.entry.edition.union for holder in holders_to_issue}:
        organisation_certificate(union)  # loaded once here, before the worker processes inherit it
    made: list[EntryCertificate] = []

    def chunks(size: int):
        for start in range(0, len(holders_to_issue), size):
            yield holders_to_issue[start : start + size]

    if processes == 1:  # one certificate per transaction, as issue_one
        for chunk in chunks(1):
            made += _issue_chunk(chunk, actor=actor, base_url=base_url, submit=_here(renderer))
            if progress:
                progress(len(made))
        return made
    _batch_renderer = renderer

    def in_pool(job: Job) -> Callable[[], bytes]:
        return functools.partial(pool.submit(_make_in_child, job).result, timeout=PDF_TIMEOUT)

    before = set(multiprocessing.active_children())
    pool = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("fork"), initializer=_child_started)
    try:
        with warnings.catch_warnings():
            # Forked (not spawned: a fresh interpreter would spend seconds on Django and the fonts) while the worker
            # has other threads: numpy's idle OpenBLAS threads (and a test runner's). The children take none of their
            # locks: they only turn HTML into PDF and hand it back; a stuck child fails the run (PDF_TIMEOUT).
            warnings.filterwarnings("ignore", r"This process .* is multi-threaded", DeprecationWarning)
            pool.submit(int).result()  # every process is forked now, before the pool starts its own threads
        for chunk in chunks(CHUNK_PER_PROCESS * processes):
            made += _issue_chunk(chunk, actor=actor, base_url=base_url, submit=in_pool)
            if progress:
                progress(len(made))
        pool.shutdown()
    except TimeoutError:  # a worker process stuck on a PDF: stopped, so the task fails rather than hangs
        pool.shutdown(wait=False, cancel_futures=True)
        for child in set(multiprocessing.active_children()) - before:
            child.kill()
            child.join(timeout=10)
        raise
    except BaseException:  # the PDFs under way finish (a fraction of a second), the others are not started
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    finally:
        _batch_renderer = None
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

    def counted(made: int) -> None:
        nonlocal done
        done = made
        CertificateRun.objects.filter(pk=run.pk).update(done=done)

    try:
        issue_batch(holders(run.edition), actor=run.started_by, base_url=base_url, progress=counted)
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
