"""Anyone, on a phone, in Chromium: uploads the signed decision the Union issued to /kontum/verify/ and reads that it
is genuine; uploads a copy changed by one byte and reads that it cannot be trusted, and why."""

import pytest
from playwright.sync_api import expect

from lienhiep.core.models import Union
from lienhiep.paperwork import demo_authority, register
from lienhiep.paperwork.models import IssuedDocument

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_a_visitor_verifies_a_signed_decision_and_a_tampered_copy(live_server, page, screenshot, demo, tmp_path):
    demo_authority.ensure_demo_authority(Union.objects.all())
    decision = IssuedDocument.objects.filter(union__slug="kontum", kind=IssuedDocument.Kind.COUNCIL_DECISION).first()
    register.make_pdf.call(decision.pk)  # the worker: LibreOffice, then the Union's (demo) signature
    decision.refresh_from_db()
    assert decision.signature == IssuedDocument.Signature.ORGANISATION
    genuine = tmp_path / f"{decision.file_stem}.pdf"
    genuine.write_bytes(decision.pdf.open("rb").read())
    tampered = tmp_path / "sua-mot-byte.pdf"
    changed = bytearray(genuine.read_bytes())
    changed[len(changed) // 3] ^= 0x01
    tampered.write_bytes(bytes(changed))

    console_errors = []
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/kontum/certificates/")
    page.get_by_role("link", name="Kiểm tra văn bản").click()
    expect(page.locator("h1")).to_have_text("Kiểm tra văn bản")
    page.set_input_files("input[name=file]", str(genuine))
    page.get_by_role("button", name="Kiểm tra", exact=True).click()
    verdict = page.locator("#verdict")
    expect(verdict).to_have_text("Văn bản thật và không bị thay đổi kể từ khi ký.")
    expect(page.locator("main")).to_contain_text(decision.number_symbol)
    expect(page.locator("main")).to_contain_text("Ký số bởi Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Kon Tum")
    screenshot(page, "verify-genuine-phone")

    page.set_input_files("input[name=file]", str(tampered))
    page.get_by_role("button", name="Kiểm tra", exact=True).click()
    expect(verdict).to_have_text("Không thể tin cậy tệp này.")
    expect(page.locator("main")).to_contain_text("Tệp đã bị sửa trong phần được ký")
    screenshot(page, "verify-tampered-phone")

    page.fill("input[name=number]", decision.number_symbol)
    page.fill("input[name=code]", decision.display_code)
    page.get_by_role("button", name="Kiểm tra", exact=True).click()
    expect(verdict).to_have_text("Văn bản này do Liên hiệp hội ban hành.")
    assert not [e for e in console_errors if "Content Security Policy" in e], console_errors
