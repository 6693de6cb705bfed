"""Signed at issue, verified by anyone: the worker signs an issued document's PDF with the Union's organisation
certificate (here the demo authority's); the public page at /<union>/verify/ says it is genuine, or exactly what is
wrong; a PDF signed outside the platform becomes the issued PDF only once checked. From outside, over HTTP."""

import datetime
import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from lienhiep.advisory.models import Status
from lienhiep.paperwork import demo_authority, register
from lienhiep.paperwork.models import IssuedDocument
from lienhiep.paperwork.signing import OrganisationCertificate, sign_pdf
from lienhiep.portal.outputs_views import CHECK_LIMIT
from tests.advisory import factories as af

pytestmark = pytest.mark.django_db
Kind = IssuedDocument.Kind


@pytest.fixture
def signed_decision(cast):
    """The decision forming a council, converted by LibreOffice and signed with Kon Tum's demo certificate."""
    demo_authority.ensure_demo_authority([cast.union, cast.outsider_union])
    j = af.journey(cast, until=Status.COUNCIL_FORMED)
    decision = register.current_document(j.case, Kind.COUNCIL_DECISION)
    register.make_pdf.call(decision.pk)
    decision.refresh_from_db()
    return decision


def verify(client, union, **data):
    return client.post(reverse("portal:verify", args=[union.slug]), data)


def upload(content: bytes, name: str = "van-ban.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def personal_certificate(name: str, *, days: int = 365) -> OrganisationCertificate:
    """A leader's own certificate from a trusted authority (the demo one), as on a USB token."""
    from pyhanko.sign import signers

    ca_cert, ca_key = demo_authority.root()
    now = datetime.datetime.now(datetime.UTC)
    valid = {"not_before": now - datetime.timedelta(days=1), "not_after": now + datetime.timedelta(days=days)}
    cert, key = demo_authority.issue_certificate(name, ca_cert, ca_key, **valid)
    data = demo_authority.p12_bytes(name, cert, key, ca_cert, b"token")
    return OrganisationCertificate(signers.SimpleSigner.load_pkcs12_data(data, [], b"token"), name, False)


def test_the_worker_signs_and_anyone_verifies_the_file(cast, client_for, signed_decision):
    decision = signed_decision
    assert decision.signature == IssuedDocument.Signature.ORGANISATION
    assert "Kon Tum" in decision.signed_by and decision.signed_at is not None
    staff_copy = client_for(cast.staff).get(reverse("paperwork:issued_pdf", args=[cast.union.slug, decision.pk]))
    assert hashlib.sha256(staff_copy.content).hexdigest() == decision.pdf_sha256
    anyone = client_for(None)
    page = verify(anyone, cast.union, file=upload(staff_copy.content)).content.decode()
    assert "Văn bản thật và không bị thay đổi kể từ khi ký" in page
    assert decision.number_symbol in page and decision.signer_name in page and "Ký số bởi" in page

    tampered = bytearray(staff_copy.content)
    middle = len(tampered) // 3
    tampered[middle] = (tampered[middle] + 1) % 256
    page = verify(anyone, cast.union, file=upload(bytes(tampered))).content.decode()
    assert "Không thể tin cậy tệp này" in page and "Văn bản thật" not in page

    other = verify(anyone, cast.outsider_union, file=upload(staff_copy.content)).content.decode()
    assert "không do" in other  # intact, but not in Quảng Ngãi's register


def test_number_and_code_and_the_replacement_are_told(cast, client_for, signed_decision):
    anyone = client_for(None)
    decision = signed_decision
    page = verify(anyone, cast.union, number=decision.number_symbol, code=decision.display_code.lower())
    assert "Văn bản này do Liên hiệp hội ban hành" in page.content.decode()
    wrong = verify(anyone, cast.union, number=decision.number_symbol, code="AAAA-BBBB-CCCC").content.decode()
    assert "Không có văn bản nào có số và mã xác thực này" in wrong
    assert verify(anyone, cast.union).status_code == 400  # neither a file nor a number and code
    not_pdf = verify(anyone, cast.union, file=upload(b"GIF89a not a pdf", "x.pdf"))
    assert not_pdf.status_code == 400 and "Đây không phải tệp PDF" in not_pdf.content.decode()

    printed = "\n".join(p.text for p in Document(io.BytesIO(decision.docx.open("rb").read())).paragraphs)
    assert decision.display_code in printed and "/kontum/verify/" in printed  # printed under the signature


def test_the_verification_page_is_rate_limited_like_the_certificate_check(cast, client_for):
    anyone = client_for(None)
    for _ in range(CHECK_LIMIT):
        assert verify(anyone, cast.union, number="01/QĐ-LHH", code="AAAABBBBCCCC").status_code == 200
    limited = verify(anyone, cast.union, number="01/QĐ-LHH", code="AAAABBBBCCCC")
    assert limited.status_code == 429 and "Retry-After" in limited


def test_a_pdf_signed_with_the_signers_token_becomes_the_issued_pdf_once_checked(cast, client_for, signed_decision):
    decision = signed_decision
    stored = decision.pdf.open("rb").read()
    staff = client_for(cast.staff)
    url = reverse("paperwork:upload_signed", args=[cast.union.slug, decision.pk])

    by_someone_else = sign_pdf(stored, personal_certificate("Trần Văn Khác"), signer_name=decision.signer_name)
    page = staff.post(url, {"file": upload(by_someone_else)}, follow=True).content.decode()
    assert "Trần Văn Khác" in page and decision.signer_name in page
    decision.refresh_from_db()
    assert decision.signature == IssuedDocument.Signature.ORGANISATION  # refused: nothing changed

    other_case = af.journey(cast, until=Status.COUNCIL_FORMED).case
    other_document = register.current_document(other_case, Kind.COUNCIL_DECISION)
    register.make_pdf.call(other_document.pk)
    other_document.refresh_from_db()
    wrong_content = sign_pdf(
        other_document.pdf.open("rb").read(), personal_certificate(decision.signer_name), signer_name=""
    )
    page = staff.post(url, {"file": upload(wrong_content)}, follow=True).content.decode()
    assert "không phải văn bản đã ban hành" in page

    assert client_for(cast.leader).post(url, {"file": upload(stored)}).status_code == 403  # staff keep the register
    genuine = sign_pdf(stored, personal_certificate(decision.signer_name), signer_name=decision.signer_name)
    assert staff.post(url, {"file": upload(genuine)}).status_code == 302
    decision.refresh_from_db()
    assert decision.signature == IssuedDocument.Signature.EXTERNAL and decision.signed_by == decision.signer_name
    assert decision.pdf.open("rb").read() == genuine and decision.unsigned_pdf.open("rb").read() == stored
    served = staff.get(reverse("advisory:decision_pdf", args=[cast.union.slug, decision.source_id])).content
    assert served == genuine
    page = verify(client_for(None), cast.union, file=upload(genuine)).content.decode()
    assert "Văn bản thật và không bị thay đổi kể từ khi ký" in page
