"""Signing issued PDFs with a Union's organisation certificate (PAdES), as Decree 30/2020 Appendix I shows the
digital signature of an organisation: a visible stamp in the signature block's blank space, above the signer's name.

The certificate is a PKCS#12 file named in the environment (one per Union, or one for every Union); outside
production, the demo authority's file for the Union stands in (see demo_authority). With LIENHIEP_TSA_URL set, the
signature carries an RFC 3161 timestamp and the validation information (PAdES-B-LT), so it can still be checked when
the certificate has expired; without it, the signing time is the one the server claims.
"""

import asyncio
import datetime
import functools
import io
import os
import re
import tempfile
import unicodedata
import zoneinfo
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
from asn1crypto import pem, x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ec import ECDSA, EllipticCurvePrivateKey
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from django.conf import settings
from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.ttLib.scaleUpem import scale_upem
from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.general import get_pyca_cryptography_hash
from pyhanko.sign.timestamps import HTTPTimeStamper, TimeStamper
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import ValidationContext

from lienhiep.paperwork import demo_authority

VIETNAM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
FONT = Path(__file__).resolve().parent / "fonts" / "LiberationSerif-Regular.ttf"
MM = 72 / 25.4  # PDF points in a millimetre
STAMP_WIDTH = 75 * MM
STAMP_HEIGHT = 22 * MM
MIN_STAMP_HEIGHT = 14 * MM  # a signature block with less blank space has the stamp over the text above
PAGE_MARGIN = 5 * MM  # the stamp keeps this far from the page's edges
FIELD_NAME = "ChuKySoToChuc"
DEMO_LINE = "CHỨNG THƯ THỬ NGHIỆM – không có giá trị pháp lý"
TIME_FORMAT = "%d/%m/%Y %H:%M:%S +07:00"
STAMP_CHARACTERS = {
    *range(0x20, 0x7F),  # ASCII
    *range(0xA0, 0x250),  # Latin-1, Latin Extended-A and -B (ă â đ ê ô ơ ư ...)
    *range(0x300, 0x370),  # combining marks (text not in NFC)
    *range(0x1E00, 0x1F00),  # Latin Extended Additional (ạ ả ấ ... ỹ)
    *range(0x2000, 0x2070),  # punctuation (– — ‘ ’ “ ” …)
    0x20AB,  # ₫
}


class SigningError(Exception):
    """No usable certificate (a file missing, a wrong password), or a PDF pyHanko cannot sign."""


@dataclass(frozen=True)
class OrganisationCertificate:
    signer: signers.SimpleSigner
    organisation: str  # the subject's organisation name (O, else CN)
    is_demo: bool  # issued by the demo authority


_certificates: dict[tuple, OrganisationCertificate] = {}


def organisation_certificate(union) -> OrganisationCertificate | None:
    """The Union's PKCS#12: LIENHIEP_SIGNING_P12_<SLUG> (+ LIENHIEP_SIGNING_P12_PASSWORD_<SLUG>), else
    LIENHIEP_SIGNING_P12 (+ LIENHIEP_SIGNING_P12_PASSWORD) for every Union, else (outside production) the demo
    authority's file for the Union if it exists, else None. A configured file that cannot be read raises
    SigningError. Loaded once per process (until the file changes)."""
    key = union.slug.upper().replace("-", "_")
    for path_name, password_name in (
        (f"LIENHIEP_SIGNING_P12_{key}", f"LIENHIEP_SIGNING_P12_PASSWORD_{key}"),
        ("LIENHIEP_SIGNING_P12", "LIENHIEP_SIGNING_P12_PASSWORD"),
    ):
        path = os.environ.get(path_name, "").strip()
        if path:
            return _load(union.slug, Path(path), os.environ.get(password_name, "").encode())
    if not settings.PRODUCTION:
        path = demo_authority.union_p12_path(union.slug)
        if path.exists():
            return _load(union.slug, path, demo_authority.DEMO_PASSWORD)
    return None


def _load(slug: str, path: Path, password: bytes) -> OrganisationCertificate:
    try:
        cache_key = (slug, str(path), path.stat().st_mtime_ns, password)
        if cache_key not in _certificates:
            loaded = signers.SimpleSigner.load_pkcs12_data(path.read_bytes(), [], passphrase=password or None)
            signer = _KeyLoadedOnce(
                signing_cert=loaded.signing_cert,
                signing_key=loaded.signing_key,
                cert_registry=loaded.cert_registry,
                signature_mechanism=loaded.signature_mechanism,
            )
            _certificates[cache_key] = OrganisationCertificate(
                signer=signer, organisation=_organisation(signer.signing_cert), is_demo=_is_demo(signer.signing_cert)
            )
        return _certificates[cache_key]
    except (OSError, ValueError) as error:
        raise SigningError(f"Cannot load the signing certificate {path}: {error}") from error


class _KeyLoadedOnce(signers.SimpleSigner):
    """pyHanko's SimpleSigner parses and checks the private key again (~100 ms for RSA) for every raw signature, two
    per signed PDF (the size estimate signs too): here the key is loaded once per process. RSA (PKCS#1 v1.5) and
    ECDSA are signed with it; any other mechanism goes the library's way."""

    @functools.cached_property
    def _private_key(self):
        return serialization.load_der_private_key(self.signing_key.dump(), password=None)

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        try:
            algorithm = mechanism.signature_algo
        except ValueError:
            return super().sign_raw(data, digest_algorithm)
        key = self._private_key
        digest = get_pyca_cryptography_hash(digest_algorithm)
        if algorithm == "rsassa_pkcs1v15" and isinstance(key, RSAPrivateKey):
            return key.sign(data, PKCS1v15(), digest)
        if algorithm == "ecdsa" and isinstance(key, EllipticCurvePrivateKey):
            return key.sign(data, ECDSA(digest))
        return super().sign_raw(data, digest_algorithm)


def _organisation(cert: x509.Certificate) -> str:
    subject = cert.subject.native
    return subject.get("organization_name") or subject.get("common_name") or ""


def _is_demo(cert: x509.Certificate) -> bool:
    return cert.issuer.native.get("common_name") == demo_authority.DEMO_CA_NAME


def trust_roots() -> list[x509.Certificate]:
    """The roots a signature must chain to: LIENHIEP_TRUST_ROOTS (settings or environment; comma-separated PEM or DER
    files), and outside production the demo authority's root. A file that cannot be read is skipped."""
    configured = getattr(settings, "LIENHIEP_TRUST_ROOTS", None) or os.environ.get("LIENHIEP_TRUST_ROOTS", "")
    paths = configured.split(",") if isinstance(configured, str) else list(configured)
    files = [Path(str(path).strip()) for path in paths if str(path).strip()]
    if not settings.PRODUCTION:
        files.append(demo_authority.ca_path())
    roots = []
    for path in files:
        try:
            roots.extend(load_certificates(path.read_bytes()))
        except (OSError, ValueError):
            continue
    return roots


def load_certificates(data: bytes) -> list[x509.Certificate]:
    """Every certificate of a PEM file (one or more), or the one of a DER file."""
    if pem.detect(data):
        return [
            x509.Certificate.load(der) for kind, _, der in pem.unarmor(data, multiple=True) if kind == "CERTIFICATE"
        ]
    cert = x509.Certificate.load(data)
    cert.native  # noqa: B018  (parse now: a file that is not a certificate fails here)
    return [cert]


@dataclass(frozen=True)
class _VietnamTimeStampStyle(TextStampStyle):
    """pyHanko formats the signing time in the server's zone: shown here in Vietnam's (UTC+7) instead."""

    timestamp_format: str = "%Y-%m-%dT%H:%M:%S%z"

    def create_stamp(self, writer, box, text_params):
        signed = datetime.datetime.strptime(text_params["ts"], self.timestamp_format).astimezone(VIETNAM)
        return super().create_stamp(writer, box, {**text_params, "ts": signed.strftime(TIME_FORMAT)})


def stamp_style(is_demo: bool) -> TextStampStyle:
    lines = ["Ký bởi: %(organisation)s", "Người ký: %(person)s", "Thời gian ký: %(ts)s"]
    if is_demo:
        lines.append(DEMO_LINE)
    font = _stamp_font_factory()(str(stamp_font()), font_size=8)
    return _VietnamTimeStampStyle(
        stamp_text="\n".join(lines),
        text_box_style=TextBoxStyle(font=font, font_size=8, leading=10),
        border_width=1,
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MIN,
            y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins(left=4, right=4, top=3, bottom=3),
        ),
    )


_embedded_stamp_fonts: dict[tuple, bytes] = {}  # (font file, glyph ids) → the font program pyHanko would embed


@functools.cache
def _stamp_font_factory():
    """pyHanko's GlyphAccumulatorFactory, whose fonts cut the stamp font down to the glyphs a stamp uses once per set of
    glyphs rather than for every signature (fontTools: about 40 % of a signature's time). The digits are always
    included, so stamps that differ only in their time share a set: every certificate of a batch. Leans on pyHanko's
    GlyphAccumulator internals (its glyph table, the subsetting and embedding steps), pinned by uv.lock;
    tests/paperwork/test_signing.py reads every line of the stamp back."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.font.opentype import (  # needs uharfbuzz: pyhanko[opentype]
        GlyphAccumulator,
        GlyphAccumulatorFactory,
    )

    class StampFont(GlyphAccumulator):
        def __init__(self, *args, font_file: str, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self.font_file = font_file
            self.shape("0123456789")

        def prepare_write(self) -> None:
            if not self._write_prepared:
                key = (self.font_file, frozenset(self._glyphs))
                if key not in _embedded_stamp_fonts:
                    self._extract_subset()
                    program = io.BytesIO()
                    self.tt.save(program)
                    if len(_embedded_stamp_fonts) >= 256:  # signers and Unions without end: keep the cache small
                        _embedded_stamp_fonts.clear()
                    _embedded_stamp_fonts[key] = program.getvalue()
                self._subset_created = True
                cidfont, data = self.cidfont_obj, _embedded_stamp_fonts[key]

                def set_font_file(writer):  # as CIDFontType2.set_font_file, with the program made already
                    stream = generic.StreamObject(stream_data=data)
                    stream.compress()
                    ref = writer.add_object(stream)
                    cidfont._font_descriptor[generic.pdf_name("/FontFile2")] = ref
                    return ref

                cidfont.set_font_file = set_font_file
            super().prepare_write()

    class StampFontFactory(GlyphAccumulatorFactory):
        def create_font_engine(self, writer, obj_stream=None) -> StampFont:
            if obj_stream is None and writer.stream_xrefs and self.create_objstream_if_needed:
                obj_stream = writer.prepare_object_stream()
            with open(self.font_file, "rb") as handle:
                return StampFont(
                    writer=writer,
                    font_handle=io.BytesIO(handle.read()),
                    font_size=self.font_size,
                    obj_stream=obj_stream,
                    font_file=self.font_file,
                )

    return StampFontFactory


def stamp_font() -> Path:
    """The stamp's font: Liberation Serif cut down to the Latin and Vietnamese letters and scaled to 1000 units per
    em, made once into the temporary folder. pyHanko writes glyph widths in the font's own units, which a PDF reads as
    thousandths of an em (Liberation's 2048 would space the letters twice too wide); the subset also spares pyHanko
    cutting down the whole 400 KB font at each signature."""
    path = Path(tempfile.gettempdir()) / f"lienhiep-stamp-v1-{FONT.stat().st_size}-{FONT.stat().st_mtime_ns}.ttf"
    if not path.exists():
        font = TTFont(FONT)
        options = subset.Options()
        options.layout_features = ["*"]
        options.name_IDs = ["*"]
        options.hinting = False
        options.drop_tables += ["FFTM"]
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=STAMP_CHARACTERS)
        subsetter.subset(font)
        scale_upem(font, 1000)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        font.save(partial)
        os.replace(partial, path)  # whole, even with several workers making it at once
    return path


def stamp_box(pdf: bytes, signer_name: str) -> tuple[int, tuple[int, int, int, int]]:
    """Where the stamp goes: (page index, (x1, y1, x2, y2) in PDF points), just above the last occurrence of the
    signer's name, searched from the last page back (a decision's annex comes after its signature); else the
    bottom-right corner of the last page."""
    name = " ".join(unicodedata.normalize("NFC", signer_name).split())
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        pages = document.pages
        for index in range(len(pages) - 1, -1, -1) if name else ():
            page = pages[index]
            pattern = r"\s+".join(re.escape(word) for word in name.split())
            found = page.search(pattern, regex=True, return_chars=False)
            if found:
                return index, _box_above(page, found[-1])
        page = pages[-1]
        return len(pages) - 1, _box_in_corner(page)


def _box_above(page, match: dict) -> tuple[int, int, int, int]:
    """Centred over the name, from 1 mm above it up to 1 mm below the text above it (the signer's title), between
    MIN_STAMP_HEIGHT and STAMP_HEIGHT tall, inside the page."""
    x0, y0, width, height = _page_area(page)
    centre = (match["x0"] + match["x1"]) / 2
    left = min(max(centre - STAMP_WIDTH / 2, PAGE_MARGIN), width - PAGE_MARGIN - STAMP_WIDTH)
    above = [
        word["bottom"]
        for word in page.extract_words()
        if word["bottom"] <= match["top"] and word["x1"] > left and word["x0"] < left + STAMP_WIDTH
    ]
    space = match["top"] - max(above, default=0) - 2 * MM
    box_height = min(max(space, MIN_STAMP_HEIGHT), STAMP_HEIGHT)
    bottom = min(height - match["top"] + 1 * MM, height - PAGE_MARGIN - box_height)
    return _rounded(x0 + left, y0 + bottom, box_height)


def _box_in_corner(page) -> tuple[int, int, int, int]:
    x0, y0, width, _ = _page_area(page)
    return _rounded(x0 + width - 15 * MM - STAMP_WIDTH, y0 + 15 * MM, STAMP_HEIGHT)


def _page_area(page) -> tuple[float, float, float, float]:
    """The page's lower-left corner in PDF coordinates, and its size (pdfplumber measures from the top)."""
    x0, y0, _, _ = (float(value) for value in page.mediabox)
    return x0, y0, float(page.width), float(page.height)


def _rounded(left: float, bottom: float, box_height: float) -> tuple[int, int, int, int]:
    return round(left), round(bottom), round(left + STAMP_WIDTH), round(bottom + box_height)


def timestamper() -> TimeStamper | None:
    url = getattr(settings, "LIENHIEP_TSA_URL", "")
    return HTTPTimeStamper(url, timeout=20) if url else None


def outside_event_loop[T](work: Callable[[], T]) -> T:
    """pyHanko's synchronous calls start an asyncio loop of their own, which fails inside a running one (an async
    server, a browser-driving test): there, run them in a thread of their own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return work()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result()


StampPlace = tuple[int, tuple[int, int, int, int]]  # what stamp_box returns: page index, (x1, y1, x2, y2)


def sign_pdf(
    pdf: bytes,
    certificate: OrganisationCertificate,
    *,
    signer_name: str,
    signer_title: str = "",
    stamp: StampPlace | None = None,
) -> bytes:
    """The PDF signed (PAdES, SHA-256) with a visible stamp above the signer's name; with a timestamp authority
    configured, timestamped with the validation information embedded (PAdES-B-LT). Raises SigningError, also for a
    certificate expired or not yet valid (its signature would never verify). `stamp` is where the stamp goes when the
    caller knows it already (a certificate batch: one layout, stamp_box read once), else stamp_box reads the PDF."""
    return outside_event_loop(
        lambda: _sign(pdf, certificate, signer_name=signer_name, signer_title=signer_title, stamp=stamp)
    )


def _sign(
    pdf: bytes, certificate: OrganisationCertificate, *, signer_name: str, signer_title: str, stamp: StampPlace | None
) -> bytes:
    cert = certificate.signer.signing_cert
    if not cert.not_valid_before <= datetime.datetime.now(datetime.UTC) <= cert.not_valid_after:
        raise SigningError(f"The signing certificate is valid from {cert.not_valid_before} to {cert.not_valid_after}")
    try:
        page, box = stamp or stamp_box(pdf, signer_name)
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        field_name = _free_field_name(writer)
        tsa = timestamper()
        metadata = signers.PdfSignatureMetadata(
            field_name=field_name,
            md_algorithm="sha256",
            subfilter=fields.SigSeedSubFilter.PADES,
            name=", ".join(part for part in (signer_name, signer_title) if part) or None,
            embed_validation_info=tsa is not None,
            validation_context=_signing_context(certificate) if tsa is not None else None,
        )
        pdf_signer = signers.PdfSigner(
            metadata,
            certificate.signer,
            timestamper=tsa,
            stamp_style=stamp_style(certificate.is_demo),
            new_field_spec=fields.SigFieldSpec(sig_field_name=field_name, on_page=page, box=box),
        )
        reserved_key = (cert.sha256, metadata.md_algorithm)
        output = pdf_signer.sign_pdf(
            writer,
            bytes_reserved=None if tsa is not None else _reserved.get(reserved_key),
            appearance_text_params={
                "organisation": unicodedata.normalize("NFC", certificate.organisation or _organisation(cert)),
                "person": unicodedata.normalize("NFC", signer_name),
            },
        )
        signed = output.getvalue()
        if tsa is None and reserved_key not in _reserved:
            _reserved[reserved_key] = _reserved_in(signed)
        return signed
    except SigningError:
        raise
    except Exception as error:  # pyHanko and the PDF parsers raise many kinds; the worker records the message
        raise SigningError(f"Cannot sign the PDF: {error}") from error


# The room pyHanko reserved for the signature container, per signing certificate (and digest), as it measured it the
# first time: it measures by making a second, throw-away signature for every PDF, and without a timestamp (whose
# token varies) the container is the same size every time.
_reserved: dict[tuple, int] = {}


def _reserved_in(signed: bytes) -> int | None:
    """The signature container's room (hex digits) of the PDF's last signature."""
    try:
        contents = PdfFileReader(io.BytesIO(signed), strict=False).embedded_signatures[-1].sig_object["/Contents"]
    except (IndexError, KeyError, ValueError):
        return None
    return len(contents.original_bytes if hasattr(contents, "original_bytes") else bytes(contents)) * 2


def _free_field_name(writer: IncrementalPdfFileWriter) -> str:
    """FIELD_NAME, or FIELD_NAME_2, _3 ... when the PDF is signed already (a second signature of its own)."""
    taken = {name for name, _, _ in fields.enumerate_sig_fields(writer.prev)}
    name, number = FIELD_NAME, 1
    while name in taken:
        number += 1
        name = f"{FIELD_NAME}_{number}"
    return name


def _signing_context(certificate: OrganisationCertificate) -> ValidationContext:
    """For collecting revocation information at signing time: the configured roots and the chain in the P12."""
    chain = [cert for cert in certificate.signer.cert_registry if cert.self_signed != "no"]
    return ValidationContext(trust_roots=trust_roots() + chain, allow_fetching=True)
