"""Demo data of this module, loaded by lienhiep.devdata.demo after the registry (Unions, people, agencies, users).

From the seed article (Báo Kon Tum, 11/11/2021): on 9 and 11 November 2021 the Union's Party delegation and
Standing Committee worked with the Party committee and People's Committee of Tu Mơ Rông and Đăk Tô, and planned
to work with more districts and the city until the end of November. The minutes' wording, the action items and
the local projects are illustrations written for the demo, not facts from the article."""

import datetime

from django.utils import timezone

from lienhiep.core.models import AdminUnit, Agency, Person, Role, Union, User
from lienhiep.outreach import services
from lienhiep.outreach.models import (
    ActionItem,
    ContestPromotion,
    LocalProject,
    Minutes,
    PlannedVisit,
    Topic,
    WorkPlan,
    WorkSession,
)
from lienhiep.portal.models import LegalDocument

AGENDA = [
    ("Thông tin về chức năng, nhiệm vụ và hoạt động của Liên hiệp hội", Topic.ROLE),
    (
        "Các văn bản của Trung ương về tiếp tục đổi mới, nâng cao chất lượng, hiệu quả hoạt động của Liên hiệp các "
        "Hội Khoa học và Kỹ thuật Việt Nam trong thời kỳ đẩy mạnh công nghiệp hóa, hiện đại hóa đất nước",
        Topic.ROLE,
    ),
    (
        "Các văn bản của Tỉnh ủy về tiếp tục đổi mới nâng cao chất lượng, hiệu quả hoạt động của Liên hiệp các Hội "
        "Khoa học và Kỹ thuật tỉnh",
        Topic.ROLE,
    ),
    (
        "Quyết định số 48/2017/QĐ-UBND ngày 27/9/2017 của UBND tỉnh ban hành Quy định về hoạt động tư vấn, phản "
        "biện và giám định xã hội của Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh",
        Topic.ADVISORY,
    ),
    (
        "Kết quả triển khai Hội thi Sáng tạo kỹ thuật và Cuộc thi Sáng tạo Thanh thiếu niên – Nhi đồng thời gian qua",
        Topic.CONTESTS,
    ),
    ("Tình hình triển khai các dự án phát triển kinh tế, xã hội của địa phương", Topic.PROJECTS),
    (
        "Hoạt động của Hội thi Sáng tạo kỹ thuật và Cuộc thi Sáng tạo Thanh thiếu niên – Nhi đồng trên địa bàn huyện",
        Topic.CONTESTS,
    ),
]

CONCLUSION = (
    "Liên hiệp hội tỉnh phối hợp với huyện triển khai hoạt động tư vấn, phản biện và giám định xã hội năm 2022, giúp "
    "địa phương có thêm cơ sở, luận cứ khoa học và thực tiễn để lập, trình duyệt và triển khai thực hiện các đề án "
    "phát triển kinh tế, xã hội trên địa bàn; phối hợp triển khai có hiệu quả Hội thi và Cuộc thi trong thời gian tới."
)

REST_OF_NOVEMBER = [  # district short name (folded), planned day
    ("kon plong", 16),
    ("dak ha", 18),
    ("sa thay", 23),
    ("ngoc hoi", 25),
    ("kon tum", 30),
]


def load() -> None:
    """Add this module's demo records to the demo Unions (slug "kontum", and "quangngai" for isolation)."""
    union = Union.objects.get(slug="kontum")
    staff = User.objects.get(username="canbo")
    leader = User.objects.get(username="lanhdao")
    day = datetime.date(2021, 11, 9)

    def unit(short: str) -> AdminUnit | None:
        return AdminUnit.objects.filter(
            AdminUnit.valid_on_q(day), level="district", name_folded__endswith=short, parent=union.province
        ).first()

    def agency(name: str) -> Agency:
        return Agency.objects.get(union=union, name=name)

    son = Person.objects.get(union=union, name="Nguyễn Văn Sơn")
    nhung = Person.objects.get(union=union, name="Phạm Thị Hồng Nhung")
    thuan = Person.objects.get(union=union, name="A Thuận")
    decision_48 = LegalDocument.objects.filter(union=union, number_symbol="48/2017/QĐ-UBND").first()
    topics = [Topic.ROLE, Topic.ADVISORY, Topic.CONTESTS, Topic.PROJECTS]

    plan = services.save_plan(
        actor=staff,
        union=union,
        plan=WorkPlan(
            union=union,
            title="Kế hoạch làm việc với các huyện, thành phố tháng 11 năm 2021",
            starts_on=datetime.date(2021, 11, 1),
            ends_on=datetime.date(2021, 11, 30),
            purpose="Làm việc với Huyện ủy, UBND các huyện, thành phố để triển khai nhiệm vụ tư vấn, phản biện và "
            "giám định xã hội năm 2022; thông tin về Hội thi Sáng tạo kỹ thuật và Cuộc thi Sáng tạo Thanh thiếu niên"
            " – Nhi đồng.",
        ),
    )
    held = [
        ("tu mo rong", 9, ["Huyện ủy Tu Mơ Rông", "UBND huyện Tu Mơ Rông"], "Tu Mơ Rông"),
        ("dak to", 11, ["Huyện ủy Đăk Tô", "UBND huyện Đăk Tô"], "Đăk Tô"),
    ]
    sessions = []
    for short, day_of_month, agency_names, label in held:
        agencies = [agency(n) for n in agency_names]
        visit = services.save_visit(
            actor=staff,
            union=union,
            visit=PlannedVisit(
                union=union,
                plan=plan,
                admin_unit=unit(short),
                planned_on=datetime.date(2021, 11, day_of_month),
                topics=topics,
            ),
            agencies=agencies,
            delegation=[son, nhung],
        )
        session = services.save_session(
            actor=staff,
            union=union,
            session=WorkSession(
                union=union,
                plan_visit=visit,
                title=f"Làm việc với Huyện ủy, UBND huyện {label}",
                held_on=visit.planned_on,
                place=f"Huyện {label}",
                admin_unit=visit.admin_unit,
                summary="Đảng đoàn và Ban Thường vụ Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh làm việc với Huyện ủy, "
                f"UBND huyện {label} để triển khai nhiệm vụ tư vấn, phản biện và giám định xã hội năm 2022.",
            ),
            agenda=[title for title, _topic in AGENDA],
            delegation=[son, nhung],
            participants=[thuan] if short == "dak to" else [],
            agencies=agencies,
            documents=[decision_48] if decision_48 else [],
        )
        for item, (_title, topic) in zip(session.agenda_items.all(), AGENDA, strict=True):
            item.topic = topic
            item.save(update_fields=["topic"])
        sessions.append(session)
        for contest in (
            "Hội thi Sáng tạo kỹ thuật tỉnh Kon Tum",
            "Cuộc thi Sáng tạo Thanh thiếu niên, Nhi đồng tỉnh Kon Tum",
        ):
            services.record_promotion(
                actor=staff,
                union=union,
                promotion=ContestPromotion(union=union, session=session, contest_name=contest, edition="2022"),
            )
        minutes = services.start_minutes(actor=staff, session=session)
        entries = {
            item.pk: (
                "Lãnh đạo Liên hiệp hội trình bày." if topic != Topic.PROJECTS else "Lãnh đạo huyện thông tin.",
                "",
            )
            for item, (_t, topic) in zip(session.agenda_items.all(), AGENDA, strict=True)
        }
        services.save_minutes(
            actor=staff, minutes=minutes, conclusion=CONCLUSION, entries=entries, notice_number="", signatory=son
        )
        services.circulate_minutes(actor=staff, minutes=minutes)
        if short == "tu mo rong":
            services.approve_minutes(actor=leader, minutes=minutes)
            # the demo's minutes were approved in 2021, not on the day the demo is loaded
            Minutes.objects.filter(pk=minutes.pk).update(
                approved_at=timezone.make_aware(datetime.datetime(2021, 11, 12, 9))
            )

    for short, day_of_month in REST_OF_NOVEMBER:
        locality = unit(short)
        if locality is None:
            continue
        services.save_visit(
            actor=staff,
            union=union,
            visit=PlannedVisit(
                union=union,
                plan=plan,
                admin_unit=locality,
                planned_on=datetime.date(2021, 11, day_of_month),
                topics=topics,
                note="Theo kế hoạch (thời gian cụ thể thống nhất với địa phương)",
            ),
            delegation=[son, nhung],
        )

    tmr, dakto = sessions
    items = [
        (
            dakto,
            agency("UBND huyện Đăk Tô"),
            None,
            "Gửi Liên hiệp hội danh mục các đề án, dự án cần tư vấn, phản biện năm 2022",
            datetime.date(2021, 12, 15),
            None,
        ),
        (
            tmr,
            agency("UBND huyện Tu Mơ Rông"),
            None,
            "Phổ biến Hội thi Sáng tạo kỹ thuật tới các xã và đơn vị trên địa bàn huyện",
            datetime.date(2022, 3, 31),
            ActionItem.Status.IN_PROGRESS,
        ),
        (
            dakto,
            None,
            nhung,
            "Gửi UBND huyện Đăk Tô Quyết định 48/2017/QĐ-UBND và hướng dẫn quy trình đề nghị tư vấn, phản biện",
            datetime.date(2021, 11, 19),
            ActionItem.Status.DONE,
        ),
        (
            tmr,
            None,
            nhung,
            "Tổng hợp nhu cầu tư vấn, phản biện của huyện Tu Mơ Rông vào kế hoạch năm 2022",
            datetime.date(2021, 12, 10),
            None,
        ),
    ]
    for session, owner_agency, owner_person, title, due, status in items:
        item = services.save_action_item(
            actor=staff,
            union=union,
            item=ActionItem(
                union=union,
                session=session,
                title=title,
                owner_agency=owner_agency,
                owner_person=owner_person,
                due_on=due,
            ),
        )
        if status:
            services.change_action_status(
                actor=staff,
                item=item,
                status=status,
                evidence="Công văn gửi huyện ngày 18/11/2021." if status == ActionItem.Status.DONE else "",
            )
    for name, session, owner, sector, stage, decision in [
        (
            "Đề án phát triển vùng trồng sâm Ngọc Linh và dược liệu huyện Tu Mơ Rông",
            tmr,
            "UBND huyện Tu Mơ Rông",
            "Nông nghiệp, dược liệu",
            LocalProject.Stage.PREPARING,
            datetime.date(2022, 6, 30),
        ),
        (
            "Quy hoạch xây dựng vùng huyện Đăk Tô",
            dakto,
            "UBND huyện Đăk Tô",
            "Quy hoạch, xây dựng",
            LocalProject.Stage.IDEA,
            datetime.date(2022, 9, 30),
        ),
    ]:
        services.save_local_project(
            actor=staff,
            union=union,
            project=LocalProject(
                union=union,
                name=name,
                learned_at=session,
                owner_agency=agency(owner),
                admin_unit=session.admin_unit,
                sector=sector,
                stage=stage,
                expected_decision_on=decision,
            ),
        )

    # The other Union has one session of its own, never visible from Kon Tum.
    other = Union.objects.get(slug="quangngai")
    other_staff = User.objects.filter(memberships__union=other, memberships__role=Role.STAFF).first()
    if other_staff:
        services.save_session(
            actor=other_staff,
            union=other,
            session=WorkSession(
                union=other, title="Làm việc với UBND tỉnh Quảng Ngãi", held_on=datetime.date(2021, 11, 15)
            ),
            agenda=["Triển khai hoạt động tư vấn, phản biện năm 2022"],
            agencies=list(Agency.objects.filter(union=other, name="UBND tỉnh Quảng Ngãi")),
        )
