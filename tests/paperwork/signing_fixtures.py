"""What the signing tests sign and how they tamper with it: three real documents (a decision with an annex and a
report through LibreOffice, a certificate through WeasyPrint), the demo authority in a temporary folder, another
authority, an expired certificate, and the ways a signed file gets changed."""

import datetime
import io
import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from types import SimpleNamespace

import weasyprint
from asn1crypto import keys, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import copy_into_new_writer
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.timestamps import DummyTimeStamper

from lienhiep.paperwork import (
    Annex,
    Article,
    Heading,
    Letterhead,
    OfficialDocument,
    Table,
    issuing_authority,
    render_docx,
    signer_for,
)
from lienhiep.paperwork import demo_authority as demo
from lienhiep.paperwork.pdf import docx_to_pdf
from lienhiep.paperwork.signing import OrganisationCertificate, outside_event_loop

UNION = SimpleNamespace(slug="kon-tum", name="Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Kon Tum")
OTHER_UNION = SimpleNamespace(slug="gia-lai", name="Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Gia Lai")
LETTERHEAD = Letterhead(
    governing_body="UBND TỈNH KON TUM",
    issuing_body="LIÊN HIỆP CÁC HỘI KHOA HỌC VÀ KỸ THUẬT",
    document_symbol="LHH",
    place_name="Kon Tum",
)
DAY = datetime.date(2026, 3, 5)
OTHER_PASSWORD = b"mat-khau"
FONTS = Path(__file__).resolve().parents[2] / "lienhiep" / "paperwork" / "fonts"


@dataclass(frozen=True)
class Document:
    name: str
    pdf: bytes
    signer_name: str


def decision() -> OfficialDocument:
    signer = signer_for("Nguyễn Văn Sơn", "Chủ tịch")
    competence, issuer = issuing_authority(signer, UNION.name)
    return OfficialDocument(
        letterhead=LETTERHEAD,
        doc_type="QUYẾT ĐỊNH",
        number="7/QĐ-LHH",
        date=DAY,
        subject="Về việc thành lập Hội đồng phản biện",
        competence=competence,
        grounds=["Căn cứ Điều lệ Liên hiệp hội;", "Theo đề nghị của Văn phòng"],
        body=[
            Article("Điều 1.", "Thành lập Hội đồng phản biện Đề án phát triển cây dược liệu."),
            Article("Điều 2.", "Quyết định này có hiệu lực kể từ ngày ký."),
        ],
        signer=signer,
        recipients=["Như Điều 2", "Lưu: VT"],
        annex=Annex(
            "DANH SÁCH THÀNH VIÊN",
            [Table(("TT", "Họ và tên"), (("1", "Hoàng Minh Đức"), ("2", "Y Blong")), widths=(1, 4), align="cl")],
            issuer=issuer,
        ),
    )


def report() -> OfficialDocument:
    return OfficialDocument(
        letterhead=LETTERHEAD,
        doc_type="BÁO CÁO",
        number="12/BC-LHH",
        date=DAY,
        subject="Kết quả hoạt động tư vấn, phản biện năm 2025",
        body=[Heading("1. Kết quả"), "Liên hiệp hội đã phản biện 6 đề án.", "Các kiến nghị được tiếp thu."],
        signatory_name="Trần Văn Hùng",
        authority="KT. CHỦ TỊCH",
        recipients=["UBND tỉnh", "Lưu: VT"],
    )


CERTIFICATE_HTML = """<html><head><style>
@font-face {{ font-family: Serif; src: url("LiberationSerif-Regular.ttf"); }}
@font-face {{ font-family: Serif; font-weight: bold; src: url("LiberationSerif-Bold.ttf"); }}
@page {{ size: A4 landscape; margin: 20mm; }}
body {{ font-family: Serif; font-size: 16pt; text-align: center; }}
.sign {{ position: absolute; right: 10mm; bottom: 10mm; width: 90mm; }}
</style></head><body>
<h1>GIẤY CHỨNG NHẬN</h1><p>Ban Tổ chức Hội thi Sáng tạo kỹ thuật tỉnh Kon Tum chứng nhận</p>
<h2>Y Blong</h2><p>đạt Giải Nhất với giải pháp «Máy sấy cà phê dùng năng lượng mặt trời»</p>
<div class="sign"><b>TM. BAN TỔ CHỨC<br>TRƯỞNG BAN</b><br><br><br><br><br><br><b>{signer}</b></div>
</body></html>"""


def render_documents() -> dict[str, Document]:
    with ThreadPoolExecutor(2) as pool:
        decision_pdf, report_pdf = pool.map(lambda doc: docx_to_pdf(render_docx(doc)), [decision(), report()])
    html = CERTIFICATE_HTML.format(signer="Nguyễn Văn Sơn")
    certificate_pdf = weasyprint.HTML(string=html, base_url=str(FONTS) + "/").write_pdf()
    return {
        "decision": Document("decision", decision_pdf, "Nguyễn Văn Sơn"),
        "report": Document("report", report_pdf, "Trần Văn Hùng"),
        "certificate": Document("certificate", certificate_pdf, "Nguyễn Văn Sơn"),
    }


def loaded(cert, key, ca_cert, is_demo: bool = False) -> OrganisationCertificate:
    """An OrganisationCertificate from cryptography objects, through a PKCS#12 as a Union's would be."""
    data = demo.p12_bytes("test", cert, key, ca_cert, b"test")
    signer = signers.SimpleSigner.load_pkcs12_data(data, [], passphrase=b"test")
    organisation = signer.signing_cert.subject.native["organization_name"]
    return OrganisationCertificate(signer=signer, organisation=organisation, is_demo=is_demo)


def expired_certificate() -> OrganisationCertificate:
    """Issued by the demo root to the Union, valid for a year that ended yesterday."""
    ca_cert, ca_key = demo.root()
    now = datetime.datetime.now(datetime.UTC)
    cert, key = demo.issue_certificate(
        UNION.name,
        ca_cert,
        ca_key,
        not_before=now - datetime.timedelta(days=366),
        not_after=now - datetime.timedelta(days=1),
    )
    return loaded(cert, key, ca_cert, is_demo=True)


def another_authority() -> SimpleNamespace:
    """A Union certificate from an authority nobody configured: the certificate, the authority's root (asn1crypto)
    and the PKCS#12 (password OTHER_PASSWORD)."""
    ca_cert, ca_key = demo.make_root("Another Authority CA")
    now = datetime.datetime.now(datetime.UTC)
    month = datetime.timedelta(days=30)
    cert, key = demo.issue_certificate(UNION.name, ca_cert, ca_key, not_before=now - month, not_after=now + month)
    return SimpleNamespace(
        certificate=loaded(cert, key, ca_cert),
        root=_asn1(ca_cert),
        p12=demo.p12_bytes(UNION.name, cert, key, ca_cert, OTHER_PASSWORD),
    )


# --- tampering ----------------------------------------------------------------------------------------------------


def flip_byte_in_signed_range(signed: bytes) -> bytes:
    """One byte changed inside the first page's content stream (covered by the signature, still a readable PDF)."""
    position = signed.index(b"stream", signed.index(b"/Contents")) + 20
    return signed[:position] + bytes([signed[position] ^ 0x01]) + signed[position + 1 :]


def add_page(signed: bytes) -> bytes:
    """An incremental update appending a page with its own text."""
    writer = IncrementalPdfFileWriter(io.BytesIO(signed), strict=False)
    content = generic.StreamObject(stream_data=b"BT /F1 24 Tf 72 720 Td (Trang them) Tj ET")
    font = generic.DictionaryObject(
        {
            generic.pdf_name("/Type"): generic.pdf_name("/Font"),
            generic.pdf_name("/Subtype"): generic.pdf_name("/Type1"),
            generic.pdf_name("/BaseFont"): generic.pdf_name("/Helvetica"),
        }
    )
    page = generic.DictionaryObject(
        {
            generic.pdf_name("/Type"): generic.pdf_name("/Page"),
            generic.pdf_name("/MediaBox"): generic.ArrayObject([generic.NumberObject(n) for n in (0, 0, 595, 842)]),
            generic.pdf_name("/Contents"): writer.add_object(content),
            generic.pdf_name("/Resources"): generic.DictionaryObject(
                {generic.pdf_name("/Font"): generic.DictionaryObject({generic.pdf_name("/F1"): font})}
            ),
        }
    )
    writer.insert_page(page)
    return _written(writer)


def change_first_page(signed: bytes) -> bytes:
    """An incremental update replacing the first page's content with other text."""
    writer = IncrementalPdfFileWriter(io.BytesIO(signed), strict=False)
    page_ref = writer.find_page_for_modification(0)[0]
    page = page_ref.get_object()
    content = generic.StreamObject(stream_data=b"BT /F1 24 Tf 72 720 Td (Noi dung khac) Tj ET")
    page[generic.pdf_name("/Contents")] = writer.add_object(content)
    writer.update_container(page)
    return _written(writer)


def swap_pages(signed: bytes) -> bytes:
    """The file written anew (not incrementally) with its first two pages swapped."""
    reader = PdfFileReader(io.BytesIO(signed), strict=False)
    writer = copy_into_new_writer(reader)
    pages = writer.root["/Pages"]
    kids = pages["/Kids"]
    kids[0], kids[1] = kids[1], kids[0]
    writer.update_container(pages)
    return _written(writer)


def sign_unchecked(pdf: bytes, certificate: OrganisationCertificate, timestamper=None) -> bytes:
    """Signed with pyHanko directly (invisible, no check of the certificate's dates): what sign_pdf refuses to do."""
    metadata = signers.PdfSignatureMetadata(field_name="Signature", subfilter=SigSeedSubFilter.PADES)
    signer = signers.PdfSigner(metadata, certificate.signer, timestamper=timestamper)
    # pyHanko runs its own asyncio loop: outside any loop a browser test of the same process left running
    return outside_event_loop(lambda: signer.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf))).getvalue())


def _written(writer) -> bytes:
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


# --- a timestamp authority on localhost -------------------------------------------------------------------------


class TimestampAuthority:
    """pyHanko's DummyTimeStamper answering RFC 3161 requests over HTTP, so the real HTTPTimeStamper is used."""

    def __init__(self, timestamper: DummyTimeStamper):
        self.timestamper = timestamper
        authority = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                request = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
                answer = authority.timestamper.request_tsa_response(request).dump()
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", _free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "TimestampAuthority":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def dummy_timestamper(at: datetime.datetime | None = None) -> DummyTimeStamper:
    """A timestamping certificate issued by the demo root (so its timestamps are trusted where the root is)."""
    ca_cert, ca_key = demo.root()
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = datetime.datetime.now(datetime.UTC)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Lienhiep DEMO TSA")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=30))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    der_key = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return DummyTimeStamper(
        tsa_cert=_asn1(cert), tsa_key=keys.PrivateKeyInfo.load(der_key), certs_to_embed=[_asn1(ca_cert)], fixed_dt=at
    )


def _asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
