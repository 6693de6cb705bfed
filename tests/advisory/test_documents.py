"""Documents read back: the draft split into paragraphs (DOCX) or pages (PDF), the report as DOCX (Decree 30/2020:
letterhead, number, date, recipients, Vietnamese intact) and as PDF through LibreOffice, the public summary."""

import datetime
import io
import shutil
import subprocess

import pytest
from django.urls import reverse
from docx import Document

from lienhiep.advisory import documents, services, services_work
from lienhiep.advisory.draft import docx_paragraphs, pdf_pages
from lienhiep.advisory.models import CaseFile, Status
from lienhiep.portal.models import Publication
from tests.tools import needs

from . import factories as f

needs_soffice = needs("soffice", "libreoffice-writer-nogui")


def test_a_word_draft_becomes_numbered_paragraphs_with_its_tables():
    document = Document()
    document.add_heading("DỰ THẢO ĐỀ ÁN", level=1)
    document.add_paragraph("Mục tiêu: 500 ha sâm Ngọc Linh.")
    document.add_paragraph("   ")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Hạng mục", "Kinh phí (tỷ đồng)"
    table.cell(1, 0).text, table.cell(1, 1).text = "Vườn ươm", "12"
    buffer = io.BytesIO()
    document.save(buffer)
    assert docx_paragraphs(buffer.getvalue()) == [
        ("DỰ THẢO ĐỀ ÁN", True),
        ("Mục tiêu: 500 ha sâm Ngọc Linh.", False),
        ("Hạng mục | Kinh phí (tỷ đồng)", False),
        ("Vườn ươm | 12", False),
    ]


@needs_soffice
def test_a_pdf_only_draft_is_anchored_by_page(cast):
    document = Document()
    document.add_paragraph("Trang một: sự cần thiết của đề án.")
    document.add_page_break()
    document.add_paragraph("Trang hai: kinh phí thực hiện.")
    buffer = io.BytesIO()
    document.save(buffer)
    pdf = documents.docx_to_pdf(buffer.getvalue())
    assert pdf.startswith(b"%PDF")
    pages = pdf_pages(pdf)
    assert [n for n, _text in pages] == [1, 2]
    assert "Trang hai: kinh phí thực hiện." in pages[1][1]
    case = f.new_case(cast, files=False)
    services.add_case_file(actor=cast.staff, case=case, kind=CaseFile.Kind.DRAFT, upload=f.upload("dự thảo.pdf", pdf))
    paragraphs = list(case.paragraphs.all())
    assert [(p.number, p.page) for p in paragraphs] == [(1, 1), (2, 2)]
    assert paragraphs[1].anchor_label() == "trang 2"


def test_a_damaged_draft_is_refused_with_a_message():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        docx_paragraphs(b"PK\x03\x04 not really a document")
    assert error.value.messages


@pytest.mark.django_db
def test_the_draft_cannot_be_replaced_once_commented(cast):
    j = f.journey(cast, until=Status.CONSOLIDATING)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.add_case_file(
            actor=cast.staff, case=j.case, kind=CaseFile.Kind.DRAFT, upload=f.upload("mới.docx", f.docx_bytes())
        )
    assert j.case.paragraphs.count() == len(f.DRAFT_PARAGRAPHS)


@pytest.mark.django_db
def test_the_report_reads_back_as_an_official_document(cast):
    j = f.journey(cast, until=Status.REPORT_PENDING)
    j.case.recommendations.filter(number=3).update(text="Bổ sung đánh giá tác động môi trường\x01 dưới tán rừng.")
    unsigned = Document(io.BytesIO(documents.report_docx(j.case)[0]))
    assert "Số:      /BC-LHH" in unsigned.tables[0].rows[0].cells[0].text  # the number is written when signed
    services_work.sign_report(j.case, actor=cast.leader, today=f.DAY + datetime.timedelta(days=27))
    data, name = documents.report_docx(j.case)
    assert name == "bao-cao-pb-01-2022.docx"
    document = Document(io.BytesIO(data))
    left, right = (c.text for c in document.tables[0].rows[0].cells)
    assert "LIÊN HIỆP CÁC HỘI KH&KT" in left and "Số: 2/BC-LHH" in left
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in right and "Độc lập - Tự do - Hạnh phúc" in right
    assert "Kon Tum, ngày 28 tháng 3 năm 2022" in right
    text = "\n".join(p.text for p in document.paragraphs)
    assert "BÁO CÁO PHẢN BIỆN" in text
    assert "Thực hiện đề nghị của UBND huyện Đăk Tô tại Văn bản số 215/UBND-KT ngày 26/02/2022" in text
    assert "1. Làm rõ cơ sở của mục tiêu 500 ha cây dược liệu. (về đoạn 5 của dự thảo)" in text
    assert "3. Bổ sung đánh giá tác động môi trường dưới tán rừng." in text
    recipients, signature = (c.text for c in document.tables[1].rows[0].cells)
    assert recipients.startswith("Nơi nhận:") and "- UBND huyện Đăk Tô;" in recipients and "Lưu: VT" in recipients
    assert "TM. BAN THƯỜNG VỤ" in signature and "CHỦ TỊCH" in signature and "Nguyễn Văn Sơn" in signature


@pytest.mark.django_db
@needs_soffice
@needs("pdftotext", "poppler-utils")
def test_the_report_as_pdf(cast, client_for):
    j = f.journey(cast, until=Status.SENT)
    response = client_for(cast.agency_rep).get(reverse("advisory:report_pdf", args=[cast.union.slug, j.case.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = subprocess.run(["pdftotext", "-", "-"], input=response.content, capture_output=True).stdout.decode()
    assert "BÁO CÁO PHẢN BIỆN" in text and "Số: 2/BC-LHH" in text and "UBND huyện Đăk Tô" in text


@pytest.mark.django_db
def test_a_missing_libreoffice_is_explained(cast, client_for, monkeypatch):
    j = f.journey(cast, until=Status.SENT)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    response = client_for(cast.staff).get(
        reverse("advisory:report_pdf", args=[cast.union.slug, j.case.pk]), follow=True
    )
    assert "Cần cài LibreOffice trên máy chủ" in response.content.decode()


@pytest.mark.django_db
def test_staff_publish_a_public_summary_in_one_click(cast, client_for):
    j = f.journey(cast, until=Status.ANSWERED)
    staff = client_for(cast.staff)
    response = staff.post(reverse("advisory:case_step", args=[cast.union.slug, j.case.pk, "publish_summary"]))
    publication = Publication.objects.get()
    assert response.status_code == 302 and response["Location"] == publication.get_staff_url()
    assert publication.kind == "critique_summary" and publication.source == j.case
    assert publication.status == Publication.Status.DRAFT
    assert "Làm rõ cơ sở của mục tiêu 500 ha" in publication.body
    assert client_for(None).get(publication.get_absolute_url()).status_code == 404  # not until staff publish it
