"""Advisory cases for the test cast, built through the services as the users would, up to any stage.

`journey(cast, until=Status.X)` returns a Journey: the case (a critique of UBND huyện Đăk Tô's draft), its
council's experts and their users. The cast's expert (Y Blong) sits on the council as its secretary; two
reviewers (Trần Thị Bình, Lê Văn Cường) and a chair (Hoàng Minh Đức) have accounts of their own."""

import datetime
import io
from dataclasses import dataclass
from dataclasses import field as dc_field

from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from lienhiep.advisory import services, services_council, services_work
from lienhiep.advisory.models import Case, CaseFile, Recommendation, Review, Seat, Status
from lienhiep.core.models import Agency, Person, Role
from lienhiep.core.text import fold
from lienhiep.experts.models import Expert, Field
from tests.conftest import make_user

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DAY = datetime.date(2022, 3, 1)
DRAFT_PARAGRAPHS = [
    "ĐỀ ÁN PHÁT TRIỂN CÂY DƯỢC LIỆU HUYỆN ĐĂK TÔ GIAI ĐOẠN 2022–2025",
    "Phần I. Sự cần thiết xây dựng đề án",
    "Huyện Đăk Tô có điều kiện khí hậu, thổ nhưỡng phù hợp phát triển sâm Ngọc Linh và cây dược liệu dưới tán rừng.",
    "Phần II. Mục tiêu",
    "Đến năm 2025 phát triển 500 ha cây dược liệu, trong đó 50 ha sâm Ngọc Linh.",
    "Phần III. Giải pháp và kinh phí",
    "Tổng kinh phí thực hiện 120 tỷ đồng từ ngân sách và xã hội hóa.",
]


def docx_bytes(paragraphs=DRAFT_PARAGRAPHS) -> bytes:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def field(union, code="NN", name="Nông nghiệp, lâm nghiệp, dược liệu") -> Field:
    return Field.objects.get_or_create(union=union, code=code, defaults={"name": name})[0]


def expert(union, name, *, user=None, agency=None, keywords="sâm Ngọc Linh; dược liệu", cv="", fields=None, **kw):
    person = Person.objects.create(
        union=union, name=name, user=user, agency=agency, email=f"{fold(name.split()[-1])}@example.test"
    )
    made = Expert.objects.create(
        union=union, person=person, code=Expert.next_code(union), keywords=keywords, cv=cv, **kw
    )
    made.fields.set(fields if fields is not None else [field(union)])
    return made


def university(union) -> Agency:
    return Agency.objects.get_or_create(
        union=union, name="Phân hiệu Đại học Đà Nẵng tại Kon Tum", defaults={"kind": Agency.Kind.SCHOOL}
    )[0]


def institute(union) -> Agency:
    return Agency.objects.get_or_create(
        union=union, name="Trung tâm Nghiên cứu Dược liệu Ngọc Linh", defaults={"kind": Agency.Kind.RESEARCH}
    )[0]


def hospital(union) -> Agency:
    return Agency.objects.get_or_create(
        union=union, name="Bệnh viện Đa khoa tỉnh Kon Tum", defaults={"kind": Agency.Kind.OTHER}
    )[0]


def new_case(cast, *, actor=None, files=True, **kw) -> Case:
    values = dict(
        kind="critique",
        title="Đề án phát triển cây dược liệu huyện Đăk Tô giai đoạn 2022–2025",
        summary="Phát triển sâm Ngọc Linh và cây dược liệu dưới tán rừng, liên kết chuỗi giá trị.",
        requesting_agency=cast.agency,
        admin_unit=cast.district,
        request_number="215/UBND-KT",
        request_date=DAY - datetime.timedelta(days=3),
        requested_deadline=DAY + datetime.timedelta(days=60),
        received_on=DAY,
        council_size=4,
    )
    values.update(kw)
    attached = (
        [
            (CaseFile.Kind.REQUEST_LETTER, upload("công văn 215.pdf", PDF_BYTES)),
            (CaseFile.Kind.DRAFT, upload("dự thảo đề án.docx", docx_bytes())),
        ]
        if files
        else []
    )
    return services.open_case(
        actor=actor or cast.agency_rep,
        union=cast.union,
        case=Case(**values),
        fields=[field(cast.union)],
        files=attached,
        today=values["received_on"],
    )


@dataclass
class Journey:
    case: Case
    secretary: Expert = None
    chair: Expert = None
    reviewers: list[Expert] = dc_field(default_factory=list)
    reviewer_users: list = dc_field(default_factory=list)

    def refresh(self) -> Case:
        self.case.refresh_from_db()
        return self.case


def council_experts(cast) -> dict:
    union = cast.union
    cast.expert.__dict__.pop("_advisory_experts", None)  # the per-request cache outlives a rolled-back journey
    existing = {e.person.name: e for e in Expert.objects.filter(union=union).select_related("person__user")}
    if "Hoàng Minh Đức" in existing:  # a second journey in the same test reuses the council's experts
        reviewers = [existing["Trần Thị Bình"], existing["Lê Văn Cường"]]
        return {
            "secretary": existing["Y Blong"],
            "chair": existing["Hoàng Minh Đức"],
            "reviewers": reviewers,
            "reviewer_users": [r.person.user for r in reviewers],
        }
    users = [
        make_user("binh", "Trần Thị Bình", Role.EXPERT, union),
        make_user("cuong", "Lê Văn Cường", Role.EXPERT, union),
    ]
    return {
        "secretary": expert(union, "Y Blong", user=cast.expert, agency=university(union), keywords="thủy lợi"),
        "chair": expert(union, "Hoàng Minh Đức", agency=hospital(union), keywords="y học cổ truyền; dược liệu"),
        "reviewers": [
            expert(union, "Trần Thị Bình", user=users[0], agency=institute(union)),
            expert(union, "Lê Văn Cường", user=users[1], keywords="sâm Ngọc Linh dưới tán rừng; trồng rừng"),
        ],
        "reviewer_users": users,
    }


STEPS = [
    Status.RECEIVED,
    Status.ACCEPTED,
    Status.COUNCIL_PENDING,
    Status.COUNCIL_FORMED,
    Status.REVIEWING,
    Status.CONSOLIDATING,
    Status.REPORT_PENDING,
    Status.REPORT_SIGNED,
    Status.SENT,
    Status.ANSWERED,
    Status.ASSESSED,
    Status.CLOSED,
]


def journey(cast, until: str = Status.SENT) -> Journey:
    """A case walked through the services, step by step, until the given status."""
    people = council_experts(cast)
    case = new_case(cast)
    j = Journey(case, people["secretary"], people["chair"], people["reviewers"], people["reviewer_users"])
    stop = STEPS.index(until)

    def reached(status) -> bool:
        return stop > STEPS.index(status)

    if reached(Status.RECEIVED):
        services.accept_case(case, actor=cast.staff, today=DAY + datetime.timedelta(days=2))
    if reached(Status.ACCEPTED):
        services_council.place_expert(case, actor=cast.staff, expert=j.chair, role=Seat.Role.CHAIR)
        services_council.place_expert(case, actor=cast.staff, expert=j.secretary, role=Seat.Role.SECRETARY)
        for reviewer in j.reviewers:
            services_council.place_expert(case, actor=cast.staff, expert=reviewer, role=Seat.Role.REVIEWER)
        services_council.submit_council(case, actor=cast.staff, today=DAY + datetime.timedelta(days=4))
    if reached(Status.COUNCIL_PENDING):
        services_council.approve_council(case, actor=cast.leader, today=DAY + datetime.timedelta(days=5))
    if reached(Status.COUNCIL_FORMED):
        services_council.start_review(
            case,
            actor=cast.staff,
            review_due_on=DAY + datetime.timedelta(days=20),
            today=DAY + datetime.timedelta(days=6),
        )
    if reached(Status.REVIEWING):
        paragraphs = list(case.paragraphs.order_by("number"))
        texts = ["Mục tiêu 500 ha chưa có cơ sở.", "Kinh phí chưa rõ nguồn."]
        for user, text in zip(j.reviewer_users, texts, strict=True):
            review = Review.objects.get(case=case, seat__expert__person__user=user)
            services_work.save_review(
                review,
                actor=user,
                sections={"necessity": "Cần thiết.", "conclusions": text, "recommendations": text},
                submit=True,
                today=DAY + datetime.timedelta(days=15),
            )
            services_work.add_comment(case, actor=user, paragraph=paragraphs[4], text=text)
        services_work.save_meeting(
            case,
            actor=cast.staff,
            held_on=DAY + datetime.timedelta(days=18),
            place="Hội trường Liên hiệp hội",
            quorum_percent=50,
            present=list(case.seats.all()),
            conclusion="Hội đồng thống nhất đề nghị bổ sung cơ sở các chỉ tiêu.",
            agenda=[
                services_work.AgendaLine("Ý kiến của các ủy viên phản biện", "Hai ủy viên trình bày ý kiến."),
                services_work.AgendaLine("Biểu quyết kết luận", "", "Thông qua.", 4, 0, 0),
            ],
        )
        services_work.issue_minutes(case, actor=cast.staff, today=DAY + datetime.timedelta(days=18))
        services_council.start_consolidation(case, actor=cast.staff, today=DAY + datetime.timedelta(days=21))
    if reached(Status.CONSOLIDATING):
        reviews = list(case.reviews.all())
        paragraphs = list(case.paragraphs.order_by("number"))
        for text, priority, para in [
            ("Làm rõ cơ sở của mục tiêu 500 ha cây dược liệu.", Recommendation.Priority.HIGH, paragraphs[4]),
            ("Xác định rõ nguồn kinh phí xã hội hóa.", Recommendation.Priority.MEDIUM, paragraphs[6]),
            ("Bổ sung đánh giá tác động môi trường dưới tán rừng.", Recommendation.Priority.LOW, paragraphs[2]),
        ]:
            services_work.save_recommendation(
                case,
                actor=cast.expert,
                recommendation=Recommendation(text=text, priority=priority),
                reviews=reviews,
                paragraphs=[para],
            )
        services_work.save_conclusion(case, actor=cast.expert, conclusion="Đề án cần thiết, cần bổ sung cơ sở.")
        services_work.submit_report(case, actor=cast.expert, today=DAY + datetime.timedelta(days=25))
    if reached(Status.REPORT_PENDING):
        services_work.sign_report(case, actor=cast.leader, today=DAY + datetime.timedelta(days=27))
    if reached(Status.REPORT_SIGNED):
        services_work.send_report(case, actor=cast.staff, today=DAY + datetime.timedelta(days=28))
    if reached(Status.SENT):
        recs = list(case.recommendations.order_by("number"))
        services_work.answer_recommendations(
            case,
            actor=cast.agency_rep,
            answers={
                recs[0].pk: ("accepted", ""),
                recs[1].pk: ("partly", "Nguồn xã hội hóa sẽ xác định theo từng dự án."),
                recs[2].pk: ("not_accepted", "Đã có báo cáo môi trường riêng."),
            },
        )
        services_work.finish_answers(case, actor=cast.agency_rep, today=DAY + datetime.timedelta(days=40))
    if reached(Status.ANSWERED):
        rec = case.recommendations.get(number=1)
        services_work.record_assessment(
            rec,
            actor=cast.staff,
            checked_on=DAY + datetime.timedelta(days=300),
            percent=60,
            status="in_progress",
            evidence="Đã trồng 300 ha.",
            today=DAY + datetime.timedelta(days=301),
        )
    if reached(Status.ASSESSED):
        services.close_case(case, actor=cast.staff, today=DAY + datetime.timedelta(days=320))
    j.refresh()
    return j
