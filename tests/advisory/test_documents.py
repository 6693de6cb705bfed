"""Documents read back: the draft split into paragraphs (DOCX) or pages (PDF); the decision forming the council,
the report and the minutes as official documents (Decree 30/2020: heading, grounds, articles, composition, synthesis,
recommendations, signatures) read back with python-docx; the report as PDF; the public summary."""

import datetime
import io
import shutil
import subprocess

import pytest
from django.urls import reverse
from docx import Document

from lienhiep.advisory import documents, services
from lienhiep.advisory.draft import docx_paragraphs, pdf_pages
from lienhiep.advisory.models import CaseFile, Meeting, Status
from lienhiep.paperwork import Issue, Signer, render_docx, signer_for
from lienhiep.paperwork.models import IssuedDocument
from lienhiep.paperwork.pdf import docx_to_pdf
from lienhiep.paperwork.register import current_document, make_pdf
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
    pdf = docx_to_pdf(buffer.getvalue())
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


def read(doc) -> tuple[Document, str]:
    document = Document(io.BytesIO(render_docx(doc)))
    # the text of the paragraphs that have some, a line break in one read as a space
    return document, "\n".join(p.text.replace("\n", " ") for p in document.paragraphs if p.text)


@pytest.mark.django_db
def test_the_report_reads_back_as_an_official_document(cast):
    j = f.journey(cast, until=Status.REPORT_PENDING)
    j.case.recommendations.filter(number=3).update(text="Bổ sung đánh giá tác động môi trường\x01 dưới tán rừng.")
    data, name = documents.report_docx(j.case)
    assert name == "du-thao-bao-cao-pb-01-2022.docx"
    unsigned = Document(io.BytesIO(data))
    assert unsigned.tables[0].rows[1].cells[0].text == "Số:      /BC-LHH"  # the number is written when signed
    issue = Issue("02/BC-LHH", f.DAY + datetime.timedelta(days=27), signer_for("Nguyễn Văn Sơn", "Chủ tịch"))
    document, text = read(documents.case_report(j.case, issue))
    (left, right), (number, date) = ([c.text for c in row.cells] for row in document.tables[0].rows)
    assert "LIÊN HIỆP CÁC HỘI KH&KT" in left and number == "Số: 02/BC-LHH"
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in right and "Độc lập - Tự do - Hạnh phúc" in right
    assert date == "Kon Tum, ngày 28 tháng 3 năm 2022"
    lines = text.split("\n")
    # a report (BÁO CÁO) of the critique's results, the kind of work not repeated
    assert lines[:2] == [
        "BÁO CÁO",
        "Kết quả phản biện Đề án phát triển cây dược liệu huyện Đăk Tô giai đoạn 2022–2025",
    ]
    assert "BÁO CÁO PHẢN BIỆN" not in text and "Ý KIẾN TƯ VẤN" not in text
    assert (
        "Thực hiện đề nghị của UBND huyện Đăk Tô tại Văn bản số 215/UBND-KT ngày 26/02/2022 về việc phản biện Đề án"
        in text
    )
    # the council's composition, the reviews' synthesis under each heading, then the recommendations
    headings = [line for line in lines if line[:3] in ("I. ", "II.", "III", "IV.", "V. ")]
    assert headings == [
        "I. KHÁI QUÁT NỘI DUNG HỒ SƠ",
        "II. THÀNH PHẦN HỘI ĐỒNG",
        "III. Ý KIẾN PHẢN BIỆN",
        "IV. KẾT LUẬN",
        "V. KIẾN NGHỊ",
    ]
    assert "- Hoàng Minh Đức, Bệnh viện Đa khoa tỉnh Kon Tum – Chủ tịch Hội đồng;" in lines
    assert "- Y Blong, Phân hiệu Đại học Đà Nẵng tại Kon Tum – Thư ký Hội đồng." in lines
    synthesis = lines[lines.index("III. Ý KIẾN PHẢN BIỆN") + 1 : lines.index("IV. KẾT LUẬN")]
    assert synthesis == ["1. Về sự cần thiết", "Cần thiết."]  # both reviewers wrote it: once
    # the paragraph referred to goes before the full stop
    assert "1. Làm rõ cơ sở của mục tiêu 500 ha cây dược liệu (về đoạn 5 của dự thảo)." in lines
    assert "3. Bổ sung đánh giá tác động môi trường dưới tán rừng (về đoạn 3 của dự thảo)." in lines
    assert lines[-1].endswith("đối với các kiến nghị không tiếp thu./.")
    recipients, signature = (c.text for c in document.tables[1].rows[0].cells)
    assert recipients.startswith("Nơi nhận:") and "- UBND huyện Đăk Tô;" in recipients and "Lưu: VT" in recipients
    assert [line for line in signature.split("\n") if line] == ["TM. BAN THƯỜNG VỤ", "CHỦ TỊCH", "Nguyễn Văn Sơn"]


@pytest.mark.django_db
def test_the_decision_forming_the_council_prints_its_authority_grounds_and_articles(cast):
    j = f.journey(cast, until=Status.COUNCIL_FORMED)
    draft, text = read(documents.council_decision(j.case))
    assert draft.tables[0].rows[1].cells[0].text == "Số:      /QĐ-LHH"
    assert [line for line in draft.tables[1].rows[0].cells[1].text.split("\n") if line] == [
        "TM. BAN THƯỜNG VỤ",
        "CHỦ TỊCH",
    ]  # a draft: no name yet
    deputy = signer_for("Trần Văn Hùng", "Phó Chủ tịch")
    document, text = read(documents.council_decision(j.case, Issue("01/QĐ-LHH", f.DAY, deputy)))
    paragraphs = [p for p in document.paragraphs if p.text]
    lines = [p.text for p in paragraphs]
    assert (
        lines[1]
        == "Về việc thành lập Hội đồng phản biện Đề án phát triển cây dược liệu\nhuyện Đăk Tô giai đoạn 2022–2025"
    )
    authority = lines.index("BAN THƯỜNG VỤ LIÊN HIỆP CÁC HỘI KHOA HỌC\nVÀ KỸ THUẬT TỈNH KON TUM")
    enacting = lines.index("QUYẾT ĐỊNH:")
    grounds = paragraphs[authority + 1 : enacting]
    assert [p.text for p in grounds][2:] == [
        "Căn cứ đề nghị của UBND huyện Đăk Tô tại Văn bản số 215/UBND-KT ngày 26/02/2022;",
        "Theo đề nghị của Trưởng Ban Tư vấn, phản biện và giám định xã hội.",
    ]
    assert all(p.text.startswith(("Căn cứ", "Theo")) for p in grounds) and len(grounds) == 4
    assert all(run.italic for p in grounds for run in p.runs)
    article = paragraphs[enacting + 1]
    assert [(run.text, bool(run.bold)) for run in article.runs] == [
        ("Điều 1.", True),
        (" Thành lập Hội đồng phản biện Đề án phát triển cây dược liệu huyện Đăk Tô giai đoạn 2022–2025, gồm các "
         "ông (bà) có tên sau:", False),
    ]  # fmt: skip
    members = lines[enacting + 2 : enacting + 6]
    assert members[0] == "1. Hoàng Minh Đức, Bệnh viện Đa khoa tỉnh Kon Tum – Chủ tịch Hội đồng;"
    assert members[-1].endswith("– Thư ký Hội đồng.")
    assert lines[enacting + 6].startswith("Điều 2. Hội đồng phản biện có nhiệm vụ")
    assert lines[enacting + 7].startswith("Điều 3. Quyết định này có hiệu lực kể từ ngày ký.")
    assert lines[enacting + 7].endswith("chịu trách nhiệm thi hành Quyết định này./.")
    signature = [line for line in document.tables[1].rows[0].cells[1].text.split("\n") if line]
    assert signature == ["TM. BAN THƯỜNG VỤ", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Văn Hùng"]


@pytest.mark.django_db
def test_an_assessment_by_an_expert_group_does_not_repeat_its_kind_of_work(cast):
    case = f.new_case(
        cast,
        kind="assessment",
        form_of_work="group",
        title="Giám định xã hội việc thực hiện Đề án phát triển cây dược liệu",
    )
    _document, decision = read(documents.council_decision(case))
    assert "Về việc thành lập Tổ chuyên gia giám định xã hội việc thực hiện Đề án phát triển cây dược liệu" in decision
    _document, report = read(documents.case_report(case))
    assert report.startswith("BÁO CÁO\nKết quả giám định xã hội việc thực hiện Đề án phát triển cây dược liệu\n")
    assert "giám định xã hội Giám định xã hội" not in decision + report
    assert "về việc giám định xã hội việc thực hiện Đề án" in report


@pytest.mark.django_db
def test_the_minutes_name_the_chair_and_the_secretary_and_carry_both_signatures(cast):
    j = f.journey(cast, until=Status.CONSOLIDATING)
    meeting = Meeting.objects.get(case=j.case)
    _document, draft = read(documents.meeting_minutes(j.case, meeting))
    assert "Thời gian: ngày 19 tháng 3 năm 2022." in draft  # no times recorded: none printed
    meeting.starts_at, meeting.ends_at = datetime.time(8, 0), datetime.time(11, 30)
    meeting.save()
    chair = Signer("Hoàng Minh Đức", "CHỦ TỌA")
    document, text = read(documents.meeting_minutes(j.case, meeting, Issue("03/BB-LHH", f.DAY, chair)))
    lines = text.split("\n")
    assert lines[:2] == [
        "BIÊN BẢN",
        "Họp Hội đồng phản biện Đề án phát triển cây dược liệu huyện Đăk Tô giai đoạn 2022–2025",
    ]
    assert lines[2:6] == [
        "Thời gian: 08 giờ 00, ngày 19 tháng 3 năm 2022.",
        "Địa điểm: Hội trường Liên hiệp hội.",
        "Chủ trì (chủ tọa): Hoàng Minh Đức – Chủ tịch Hội đồng.",
        "Thư ký (người ghi biên bản): Y Blong – Thư ký Hội đồng.",
    ]
    assert "Có mặt 4/4 thành viên Hội đồng phản biện (đủ số lượng theo quy định):" in lines
    assert "Biểu quyết: 4 tán thành, 0 không tán thành, 0 không biểu quyết (thông qua)." in lines
    assert (
        lines[-1] == "Cuộc họp kết thúc vào 11 giờ 30 cùng ngày. Biên bản được lập xong và thông qua tại phiên họp./."
    )
    secretary, chair_cell = (c.text for c in document.tables[1].rows[0].cells)
    assert [line for line in secretary.split("\n") if line] == ["THƯ KÝ", "Y Blong"]
    assert [line for line in chair_cell.split("\n") if line] == ["CHỦ TỌA", "Hoàng Minh Đức"]
    assert "Nơi nhận" not in text + secretary


@pytest.mark.django_db
@pytest.mark.libreoffice
@needs_soffice
@needs("pdftotext", "poppler-utils")
def test_the_report_as_pdf(cast, client_for):
    """The worker converts the signed report once with LibreOffice; the agency downloads that file."""
    j = f.journey(cast, until=Status.SENT)
    report = current_document(j.case, IssuedDocument.Kind.CASE_REPORT)
    make_pdf.call(report.pk)
    response = client_for(cast.agency_rep).get(reverse("advisory:report_pdf", args=[cast.union.slug, j.case.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = subprocess.run(["pdftotext", "-", "-"], input=response.content, capture_output=True).stdout.decode()
    assert "BÁO CÁO" in text and "Kết quả phản biện" in text and "Số: 03/BC-LHH" in text
    assert "UBND huyện Đăk Tô" in text


@pytest.mark.django_db
@pytest.mark.libreoffice
def test_a_missing_libreoffice_is_explained(cast, client_for, monkeypatch):
    j = f.journey(cast, until=Status.SENT)
    report = current_document(j.case, IssuedDocument.Kind.CASE_REPORT)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    make_pdf.call(report.pk)  # the worker, on a machine without LibreOffice
    report.refresh_from_db()
    assert report.pdf_state == IssuedDocument.PdfState.FAILED and "libreoffice-writer-nogui" in report.pdf_error
    response = client_for(cast.agency_rep).get(reverse("advisory:report_pdf", args=[cast.union.slug, j.case.pk]))
    assert response.status_code == 503 and "Không tạo được bản PDF" in response.content.decode()
    docx = client_for(cast.agency_rep).get(reverse("advisory:report_docx", args=[cast.union.slug, j.case.pk]))
    assert docx.status_code == 200  # the DOCX is the issued document and still downloads
    register = client_for(cast.staff).get(reverse("paperwork:register", args=[cast.union.slug])).content.decode()
    assert "Không tạo được PDF" in register and "Thử lại" in register


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
