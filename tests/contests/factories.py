"""Builders of contest objects for the Kon Tum cast: editions configured as the domain describes (Kon Tum's
technical contest, the youth contest), entries through the services, judges from the expert registry."""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lienhiep.contests import judging, services
from lienhiep.contests.models import (
    AgeGroup,
    Assignment,
    Award,
    AwardTier,
    ContestField,
    Criterion,
    DossierItem,
    Edition,
    Entry,
    EntryCertificate,
    Round,
)
from lienhiep.contests.services import ContributorData
from lienhiep.core.models import AdminUnit, Person, User
from lienhiep.experts.models import Expert

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TZ = datetime.timezone(datetime.timedelta(hours=7))
DEADLINE = datetime.datetime(2022, 6, 15, 23, 59, 59, tzinfo=TZ)


def fresh(obj):
    """The object read again (refresh_from_db refuses protected state fields)."""
    return type(obj).objects.get(pk=obj.pk)


def aware(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=TZ)


def edition(cast, kind: str = Edition.Kind.TECHNICAL, code: str = "ST9", *, rounds: int = 1, **kw) -> Edition:
    """An edition open for registration from 1/3/2022 to the deadline 15/6/2022 23:59:59 (+07), configured
    with two fields, a 100-point rubric per round, four tiers and two required dossier items."""
    union = kw.pop("union", cast.union)
    values = {
        "title": "Hội thi Sáng tạo kỹ thuật tỉnh Kon Tum lần thứ 9"
        if kind == Edition.Kind.TECHNICAL
        else "Cuộc thi Sáng tạo Thanh thiếu niên, Nhi đồng tỉnh Kon Tum lần thứ 14",
        "number": 9,
        "period": "2022–2023",
        "registration_opens_at": aware(2022, 3, 1, 7, 0, 0),
        "registration_closes_at": DEADLINE,
        "submission_deadline": DEADLINE,
        "disagreement_gap": Decimal("15"),
        "tie_break": "TM, UD",
        "max_team": 3,
    }
    if kind == Edition.Kind.YOUTH:
        values |= {"age_cutoff": datetime.date(2022, 6, 15), "min_age": 6, "max_age": 18, "mentor_certificates": True}
    made = Edition.objects.create(union=union, kind=kind, code=code, **(values | kw))
    ContestField.objects.create(edition=made, code="CK", name="Cơ khí, tự động hóa")
    ContestField.objects.create(edition=made, code="NN", name="Nông, lâm nghiệp")
    DossierItem.objects.create(edition=made, name="Phiếu đăng ký", order=1, shown_to_judges=False)  # names them
    DossierItem.objects.create(edition=made, name="Bản mô tả giải pháp", order=2)
    DossierItem.objects.create(
        edition=made, name="Video giới thiệu", kind=DossierItem.Kind.LINK, required=False, order=3
    )
    if kind == Edition.Kind.YOUTH:
        AgeGroup.objects.create(edition=made, name="Bảng A", min_age=6, max_age=11)
        AgeGroup.objects.create(edition=made, name="Bảng B", min_age=12, max_age=15)
        AgeGroup.objects.create(edition=made, name="Bảng C", min_age=16, max_age=18)
    names = ["Sơ khảo", "Chung khảo"][-rounds:] if rounds <= 2 else [f"Vòng {i}" for i in range(1, rounds + 1)]
    for order, name in enumerate(names, start=1):
        r = Round.objects.create(edition=made, order=order, name=name, judges_per_entry=2, max_load=10)
        Criterion.objects.create(round=r, code="TM", name="Tính mới, sáng tạo", max_points=30, order=1)
        Criterion.objects.create(round=r, code="UD", name="Khả năng áp dụng", max_points=35, order=2)
        Criterion.objects.create(round=r, code="HQ", name="Hiệu quả kinh tế - xã hội", max_points=35, order=3)
    for rank, (name, minimum, per_field, prize) in enumerate(
        [
            ("Giải Nhất", 90, 1, 15_000_000),
            ("Giải Nhì", 80, 1, 10_000_000),
            ("Giải Ba", 70, 2, 8_000_000),
            ("Giải Khuyến khích", 60, None, 5_000_000),
        ],  # fmt: skip
        start=1,
    ):
        AwardTier.objects.create(
            edition=made, rank=rank, name=name, min_score=minimum, quota_per_field=per_field, prize_amount=prize
        )
    return made


def open_edition(cast, **kw) -> Edition:
    made = edition(cast, **kw)
    made.open()
    made.save()
    return made


def field(edition: Edition, code: str = "CK") -> ContestField:
    return edition.fields.get(code=code)


def authors(*specs) -> list[ContributorData]:
    """authors(("Đinh Văn Khang", 60), ("Y Hạnh", 40)) → contributor data (birth dates with a third item)."""
    out = []
    for spec in specs:
        name, share, *rest = spec
        out.append(
            ContributorData(
                name=name,
                share=Decimal(str(share)),
                birth_date=rest[0] if rest else None,
                **(rest[1] if len(rest) > 1 else {}),
            )
        )
    return out


def current_commune() -> AdminUnit:
    """A commune valid today (forms offer only those): xã Đăk Tô of the post-2025 tree."""
    unit, _created = AdminUnit.objects.get_or_create(
        level="commune", code="23470", defaults={"name": "Xã Đăk Tô", "short_name": "Đăk Tô", "kind": "Xã"}
    )
    return unit


def draft(cast, ed: Edition, title: str = "Máy tách hạt cà phê cải tiến", *, owner: User | None = None,
          people=None, field_code: str = "CK", now=None, **kw) -> Entry:  # fmt: skip
    owner = owner or cast.entrant
    entry = Entry(
        edition=ed,
        field=field(ed, field_code),
        title=title,
        summary=kw.pop("summary", "Cải tiến máy tách hạt cà phê cho hộ nông dân huyện Đăk Tô, tiết kiệm điện."),
        locality=kw.pop("locality", cast.district),
        owner=owner,
        **kw,
    )
    return services.save_entry(
        actor=owner,
        entry=entry,
        people=people if people is not None else authors((owner.get_full_name(), 100)),
        now=now or aware(2022, 5, 1, 9, 0, 0),
    )


def add_files(cast, entry: Entry, actor: User | None = None) -> None:
    for item in entry.edition.dossier_items.filter(required=True):
        services.add_entry_file(
            actor=actor or entry.owner,
            entry=entry,
            item=item,
            upload=SimpleUploadedFile(f"{item.name}.pdf", PDF, content_type="application/pdf"),
        )


def submitted(cast, ed: Edition, title: str = "Máy tách hạt cà phê cải tiến", **kw) -> Entry:
    entry = draft(cast, ed, title, **kw)
    add_files(cast, entry)
    return services.submit_entry(actor=entry.owner, entry=entry, now=aware(2022, 6, 1, 10, 0, 0))


def accepted(cast, ed: Edition, title: str = "Máy tách hạt cà phê cải tiến", **kw) -> Entry:
    entry = submitted(cast, ed, title, **kw)
    return services.screen_entry(actor=cast.staff, entry=entry, decision="accept")


def judge(union, name: str, *, user: User | None = None, agency=None, keywords: str = "", max_load=None) -> Expert:
    person = Person.objects.filter(union=union, user=user).first() if user else None
    if person is None:
        person = Person.objects.create(
            union=union, name=name, agency=agency, user=user, email=f"{abs(hash(name))}@gk.test"
        )
    existing = Expert.objects.filter(person=person).first()  # another module's fixture made them an expert
    if existing is not None:
        return existing
    made = Expert.objects.create(
        union=union, person=person, code=Expert.next_code(union), keywords=keywords, max_load=max_load
    )
    return made


def seat(cast, entry: Entry, expert: Expert, *, confirm: bool = True) -> Assignment:
    """A judge put on an entry by hand (conflicts checked) and, by default, confirmed (the round opens)."""
    r = (
        entry.edition.rounds.order_by("order").first()
        if entry.reached_round == 1
        else entry.edition.rounds.get(order=entry.reached_round)
    )
    made = judging.place_judge(actor=cast.staff, round=r, entry=entry, expert=expert)
    if confirm:
        judging.confirm_judges(actor=cast.staff, round=r, today=datetime.date(2022, 6, 20))
        made = fresh(made)
    return made


def score(assignment: Assignment, tm, ud, hq, *, submit: bool = True) -> Assignment:
    user = assignment.expert.person.user
    criteria = {c.code: c.pk for c in assignment.round.criteria.all()}
    points = {criteria["TM"]: tm, criteria["UD"]: ud, criteria["HQ"]: hq}
    return judging.save_scores(actor=user, assignment=assignment, points=points, comments={}, submit=submit)


def url_objects(cast) -> dict:
    """One of each object the contest pages take in their URLs, in the Kon Tum Union, visible to the cast's
    entrant (owner of the entry) and expert (judge of it)."""
    ed = open_edition(cast)
    entry = accepted(cast, ed)
    mine = judge(cast.union, "Y Blong", user=cast.expert)
    ed.start_judging()
    ed.save()
    assignment = seat(cast, entry, mine)
    award = Award.objects.create(entry=entry, tier=ed.tiers.last(), proposed_tier=ed.tiers.last(), score=65)
    entry_file = entry.files.first()
    from lienhiep.portal.models import Certificate

    certificate = Certificate.objects.create(
        union=cast.union,
        holder_name="Đinh Văn Khang",
        title="Giải Ba",
        issued_on=datetime.date(2022, 9, 1),
        issuer="LHH",
    )
    made = EntryCertificate(entry=entry, contributor=entry.contributors.first(), certificate=certificate)
    made.pdf.save("c.pdf", ContentFile(PDF), save=True)
    return {
        "edition": ed,
        "round": ed.rounds.first(),
        "entry": entry,
        "assignment": assignment,
        "award": award,
        "file": entry_file,
        "certificate": made,
        "field": field(ed),
        "now": timezone.now(),
    }
