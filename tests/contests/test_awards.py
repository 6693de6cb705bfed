"""Awards: the proposal stored, the board's changes with reasons, the leader's approval, the award decision read
back with python-docx; certificates (unique, unguessable, verifiable, revocable) with a PDF read back with
pdftotext; publication with one click; national nomination ZIP."""

import datetime
import io
import shutil
import subprocess
import zipfile

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from lienhiep.contests import awards, certificates, editions, judging
from lienhiep.contests.award_decision import award_decision
from lienhiep.contests.models import Award, CertificateRun, Contributor, Edition, EntryCertificate
from lienhiep.paperwork import Issue, render_docx, signer_for
from lienhiep.portal.models import Certificate, Publication
from tests.tools import needs

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewed(cast, judges):
    """Two CK entries scored by two judges: «Máy tách hạt cà phê» 91.5 and «Lò sấy» 75; one NN entry 62."""
    ed = f.open_edition(cast, kind=Edition.Kind.YOUTH, code="TN14")
    people = f.authors(
        ("Đinh Thị Hồng Nhung", 60, datetime.date(2006, 3, 2)), ("Y Đăk Lăk", 40, datetime.date(2007, 1, 9))
    )
    from lienhiep.contests.services import ContributorData
    from lienhiep.core.models import Agency

    school = Agency.objects.create(union=cast.union, name="Trường THPT Nguyễn Trãi, huyện Đăk Tô", kind="school")
    people.append(ContributorData(name="Nguyễn Thị Thu Hường", role=Contributor.Role.MENTOR))
    one = f.accepted(cast, ed, "Máy tách hạt cà phê mini", people=people, school=school)
    two = f.accepted(cast, ed, "Lò sấy nông sản", people=f.authors(("A Sang", 100, datetime.date(2008, 5, 5)))
                     + [ContributorData(name="Y Hoa", role="mentor")], school=school)  # fmt: skip
    three = f.accepted(cast, ed, "Vườn rau thủy canh", field_code="NN",
                       people=f.authors(("Y Lan", 100, datetime.date(2009, 5, 5)))
                       + [ContributorData(name="Y Hoa", role="mentor")], school=school)  # fmt: skip
    ed.start_judging()
    ed.save()
    for entry, sheets in ((one, [(28, 32, 33), (27, 31, 32)]), (two, [(20, 25, 30), (20, 25, 30)]),
                          (three, [(20, 21, 21), (20, 21, 21)])):  # fmt: skip
        seats = [f.seat(cast, entry, j, confirm=False) for j in judges[:2]]
        judging.confirm_judges(actor=cast.staff, round=ed.rounds.get(), today=datetime.date(2022, 6, 20))
        for seat, points in zip(seats, sheets, strict=True):
            f.score(f.fresh(seat), *points)

    editions.move_edition(actor=cast.staff, edition=ed, move="start_review")
    return f.fresh(ed), one, two, three


def approved(cast, ed):
    awards.apply_proposal(actor=cast.staff, edition=ed)
    return awards.approve_awards(
        actor=cast.leader,
        edition=f.fresh(ed),
        number="25/QĐ-LHH",
        day=datetime.date(2022, 9, 1),
        signatory="Nguyễn Văn Sơn",
    )


def test_proposal_adjustment_with_reason_and_leader_approval(cast, reviewed):
    ed, one, two, three = reviewed
    assert awards.apply_proposal(actor=cast.staff, edition=ed) == 3
    assert f.fresh(ed).awards_basis == "raw"
    tiers = {a.entry_id: a.tier.name for a in Award.objects.filter(entry__edition=ed)}
    assert tiers == {one.pk: "Giải Nhất", two.pk: "Giải Ba", three.pk: "Giải Khuyến khích"}
    award = Award.objects.get(entry=three)
    with pytest.raises(ValidationError):
        awards.adjust_award(actor=cast.staff, award=award, tier=None, reason="")
    awards.adjust_award(actor=cast.staff, award=award, tier=None, reason="Trùng ý tưởng đã đạt giải năm trước")
    awards.apply_proposal(actor=cast.staff, edition=ed)  # a new proposal keeps the board's reasoned change
    award = Award.objects.get(entry=three)
    assert award.tier is None and award.proposed_tier.name == "Giải Khuyến khích" and award.adjusted
    with pytest.raises(PermissionDenied):  # staff do not approve; the leader does
        awards.approve_awards(actor=cast.staff, edition=ed, number="1", day=datetime.date(2022, 9, 1), signatory="x")
    ed = approved(cast, ed)
    assert ed.status == Edition.Status.APPROVED and ed.approved_by == cast.leader
    with pytest.raises(ValidationError):
        awards.adjust_award(actor=cast.staff, award=Award.objects.get(entry=two), tier=None, reason="muộn")


def test_award_decision_docx_with_the_winners_annex(cast, reviewed):
    ed, one, two, three = reviewed
    ed = approved(cast, ed)
    issue = Issue(ed.decision_number, ed.decision_date, signer_for(ed.signatory_name, "Chủ tịch"))
    document = docx.Document(io.BytesIO(render_docx(award_decision(ed, issue))))
    text = "\n".join(p.text.replace("\n", " ") for p in document.paragraphs)
    heading, signature, annex = document.tables
    assert heading.rows[1].cells[0].text == "Số: 25/QĐ-LHH"
    assert heading.rows[1].cells[1].text == "Kon Tum, ngày 01 tháng 9 năm 2022"
    assert "QUYẾT ĐỊNH" in text and "Về việc tặng giải thưởng Cuộc thi Sáng tạo Thanh thiếu niên" in text
    assert "BAN THƯỜNG VỤ LIÊN HIỆP CÁC HỘI KHOA HỌC VÀ KỸ THUẬT TỈNH KON TUM" in text  # the province too
    assert "Điều 1. Tặng giải thưởng Cuộc thi Sáng tạo Thanh thiếu niên, Nhi đồng tỉnh Kon Tum lần thứ 14 cho 3" in text
    assert "Nguyễn Văn Sơn" in signature.rows[0].cells[1].text
    # the annex after the signature: a table of the winners, by award
    assert text.index("\nPhụ lục\n") > text.index("chịu trách nhiệm thi hành Quyết định này./.")
    assert "(Kèm theo Quyết định số 25/QĐ-LHH ngày 01 tháng 9 năm 2022 của Ban Thường vụ Liên hiệp" in text
    rows = [[c.text for c in row.cells] for row in annex.rows]
    assert rows[0] == [
        "TT",
        "Số đăng ký",
        "Tên giải pháp",
        "Tác giả",
        "Đơn vị, địa phương",
        "Giải",
        "Tiền thưởng (đồng)",
    ]
    assert [row[5] for row in rows[1:]] == ["Nhất", "Ba", "Khuyến khích"]
    first = rows[1]
    assert first[2].startswith("Máy tách hạt cà phê mini") and first[3] == "Đinh Thị Hồng Nhung, Y Đăk Lăk"
    assert first[4] == "Trường THPT Nguyễn Trãi, huyện Đăk Tô; huyện Đăk Tô" and first[6] == "15.000.000"


def test_certificates_one_per_author_and_mentor_unique_verifiable_revocable(cast, reviewed, client):
    ed, one, two, three = reviewed
    ed = approved(cast, ed)
    run = certificates.start_certificates(actor=cast.staff, edition=ed, base_url="https://lienhiep.test")
    run = CertificateRun.objects.get(pk=run.pk)
    # 3 awarded entries: (2 authors + 1 mentor) + (1 + 1) + (1 + 1) = 7 (mentors too: the edition says so)
    assert (run.status, run.done, run.total) == ("done", 7, 7)
    made = list(EntryCertificate.objects.filter(entry__edition=ed).select_related("certificate"))
    codes = [m.certificate.code for m in made]
    assert len(set(codes)) == 7 and all(len(c) >= 12 for c in codes)
    assert all(not c.isdigit() for c in codes)  # random, not a sequence
    holder = next(m for m in made if m.contributor.person.name == "Đinh Thị Hồng Nhung")
    assert holder.certificate.title.startswith("Giải Nhất Cuộc thi Sáng tạo")
    url = reverse("portal:certificate_check_code", args=[cast.union.slug, holder.certificate.code])
    page = client.get(url).content.decode()
    assert "Đinh Thị Hồng Nhung" in page
    # the ZIP holds every PDF
    archive = zipfile.ZipFile(io.BytesIO(certificates.certificates_zip(ed)))
    assert len(archive.namelist()) == 7 and all(n.endswith(".pdf") for n in archive.namelist())
    # revocation: the check page says so; a new run issues a new certificate for that person only
    certificates.revoke(actor=cast.staff, item=holder, reason="Ghi sai tên trường")
    assert Certificate.objects.get(pk=holder.certificate.pk).is_revoked
    page = client.get(url).content.decode()
    assert "Ghi sai tên trường" in page or "thu hồi" in page.lower() or "revoked" in page.lower()
    assert len(zipfile.ZipFile(io.BytesIO(certificates.certificates_zip(ed))).namelist()) == 6
    again = certificates.start_certificates(actor=cast.staff, edition=ed, base_url="https://lienhiep.test")
    assert CertificateRun.objects.get(pk=again.pk).done == 1
    with pytest.raises(ValidationError):
        certificates.start_certificates(actor=cast.staff, edition=ed, base_url="https://lienhiep.test")


@needs("pdftotext", "poppler-utils")
def test_certificate_pdf_keeps_the_diacritics(cast, reviewed, tmp_path):
    ed, one, two, three = reviewed
    ed = approved(cast, ed)
    certificates.start_certificates(actor=cast.staff, edition=ed, base_url="https://lienhiep.test")
    holder = EntryCertificate.objects.get(contributor__person__name="Đinh Thị Hồng Nhung")
    path = tmp_path / "c.pdf"
    with holder.pdf.open("rb") as handle:
        path.write_bytes(handle.read())
    if shutil.which("pdftoppm"):  # a picture of the certificate to look at
        from tests.e2e.conftest import SCREENSHOTS

        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-singlefile", str(path), str(SCREENSHOTS / "contests-certificate")],
            check=True,
        )
    assert path.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True).stdout.decode()
    for expected in ("GIẤY CHỨNG NHẬN", "Đinh Thị Hồng Nhung", "Máy tách hạt cà phê mini", "Giải Nhất",
                     "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Kon Tum, ngày 01 tháng 9 năm 2022",
                     holder.certificate.display_code()):  # fmt: skip
        assert expected in text, expected
    assert "lienhiep.test/kontum/certificates/" in text.replace("\n", "").replace(" ", "")


def test_publishing_with_one_click(cast, reviewed, client):
    ed, one, two, three = reviewed
    public = reverse("contests:public_results", args=[cast.union.slug, ed.pk])
    assert client.get(public).status_code == 404  # not yet
    with pytest.raises(ValidationError):
        awards.publish_results(actor=cast.staff, edition=ed)
    ed = approved(cast, ed)
    publication = awards.publish_results(actor=cast.staff, edition=ed)
    assert publication.status == Publication.Status.PUBLISHED and publication.source == ed
    assert f.fresh(ed).status == Edition.Status.PUBLISHED
    page = client.get(public).content.decode()
    assert "Máy tách hạt cà phê mini" in page and "Đinh Thị Hồng Nhung" in page
    assert "Hà Văn Một" not in page and "Lò Thị Hai" not in page  # never judges' names


def test_nomination_to_the_national_contest(cast, reviewed):
    ed, one, two, three = reviewed
    from lienhiep.contests.models import Edition as E

    E.objects.filter(pk=ed.pk).update(national_quota=1)
    ed = approved(cast, f.fresh(ed))
    with pytest.raises(ValidationError):
        awards.nominate(actor=cast.staff, edition=ed, entries=[one, two])
    awards.nominate(actor=cast.staff, edition=ed, entries=[one])
    archive = zipfile.ZipFile(io.BytesIO(awards.nomination_zip(ed)))
    names = archive.namelist()
    assert "TN14-001/tom-tat.txt" in names and len([n for n in names if n.startswith("TN14-001/")]) == 3
    summary = archive.read("TN14-001/tom-tat.txt").decode()
    assert "Đinh Thị Hồng Nhung (60%)" in summary and "Giải Nhất" in summary
