"""Outreach records for the test cast's Kon Tum Union, made through the services (as staff would)."""

import datetime

from lienhiep.core.models import Agency
from lienhiep.outreach import services
from lienhiep.outreach.models import ActionItem, LocalProject, PlannedVisit, WorkPlan, WorkSession

NOV_9 = datetime.date(2021, 11, 9)


def plan(cast, **kw) -> WorkPlan:
    values = dict(
        union=cast.union,
        title="Kế hoạch làm việc với các địa phương tháng 11/2021",
        starts_on=datetime.date(2021, 11, 1),
        ends_on=datetime.date(2021, 11, 30),
    )
    values.update(kw)
    return services.save_plan(actor=cast.staff, union=cast.union, plan=WorkPlan(**values))


def visit(cast, work_plan=None, **kw) -> PlannedVisit:
    work_plan = work_plan or plan(cast)
    values = dict(union=cast.union, plan=work_plan, admin_unit=cast.district, planned_on=NOV_9, topics=["role"])
    values.update(kw)
    return services.save_visit(actor=cast.staff, union=cast.union, visit=PlannedVisit(**values), agencies=[cast.agency])


def session(cast, *, agencies=None, title="Làm việc với UBND huyện Đăk Tô", held_on=NOV_9, **kw) -> WorkSession:
    values = dict(union=cast.union, title=title, held_on=held_on, admin_unit=cast.district, place="Huyện Đăk Tô")
    values.update(kw)
    return services.save_session(
        actor=cast.staff,
        union=cast.union,
        session=WorkSession(**values),
        agenda=["Chức năng, nhiệm vụ của Liên hiệp hội", "Quyết định 48/2017/QĐ-UBND", "Hội thi Sáng tạo kỹ thuật"],
        agencies=[cast.agency] if agencies is None else agencies,
        delegation=[cast.person],
        documents=[cast.public_document],
    )


def other_agency(cast) -> Agency:
    return Agency.objects.get_or_create(
        union=cast.union, name="UBND huyện Tu Mơ Rông", defaults={"kind": "peoples_committee"}
    )[0]


def action_item(cast, *, work_session=None, owner_agency=None, due_on=datetime.date(2021, 12, 15), **kw) -> ActionItem:
    values = dict(
        union=cast.union,
        session=work_session,
        title="Gửi danh mục dự án cần tư vấn, phản biện",
        owner_agency=owner_agency or (None if kw.get("owner_person") else cast.agency),
        due_on=due_on,
    )
    values.update(kw)
    return services.save_action_item(actor=cast.staff, union=cast.union, item=ActionItem(**values))


def approved_minutes(cast, work_session=None, notice_number=""):
    work_session = work_session or session(cast)
    minutes = services.start_minutes(actor=cast.staff, session=work_session)
    services.save_minutes(
        actor=cast.staff,
        minutes=minutes,
        conclusion="Huyện phối hợp triển khai tư vấn, phản biện năm 2022.",
        entries={item.pk: ("Đã trình bày.", f"Kết luận {item.order}") for item in work_session.agenda_items.all()},
        notice_number=notice_number,
        signatory=cast.person,
    )
    services.circulate_minutes(actor=cast.staff, minutes=minutes)
    return services.approve_minutes(actor=cast.leader, minutes=minutes)


def local_project(cast, **kw) -> LocalProject:
    values = dict(
        union=cast.union, name="Quy hoạch xây dựng vùng huyện Đăk Tô", owner_agency=cast.agency, sector="Xây dựng"
    )
    values.update(kw)
    return services.save_local_project(actor=cast.staff, union=cast.union, project=LocalProject(**values))
