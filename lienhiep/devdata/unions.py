"""A year of work for each demo Union, from its story (the shape: lienhiep.devdata.provinces): Quảng Ngãi and
Gia Lai (lienhiep.devdata.quangngai, .gialai) get their registry (made with Kon Tum's by lienhiep.devdata.demo),
experts, advisory cases of last year and this year, one contest edition of last year taken to published results
with entries nominated to the national contest, and working sessions with action items; Kon Tum
(lienhiep.devdata.kontum), whose seed story is older, gets a few cases and sessions of last year. So the national
body's view compares three Unions on a laptop.

Everything goes through the services as in the Kon Tum demo (states, numbers, issued documents, checks), with two
shortcuts kept consistent: the experts are written as rows (as lienhiep.devdata.experts does), and the timestamps
the services set to "now" (answers, approvals, nominations, judges' sheets, publication, completed action items,
circulated minutes) are moved back to the day the story gives them. Deterministic for a given day (seeded
random); dates follow the day the demo is loaded, so the year of work always ends today."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lienhiep.advisory import services as advisory_services
from lienhiep.advisory.models import Case, CaseFile, FormOfWork, Recommendation
from lienhiep.contests import awards, editions, judging, typical
from lienhiep.contests import services as contest_services
from lienhiep.contests.models import Assignment, Edition, Entry
from lienhiep.contests.services import ContributorData
from lienhiep.core.models import AdminUnit, Agency, MemberAssociation, Person, Union, User
from lienhiep.core.places import REFORM_DATE
from lienhiep.core.text import fold, normalize
from lienhiep.devdata import advisory as advisory_demo
from lienhiep.devdata import contests as contests_demo
from lienhiep.devdata import gialai, kontum, quangngai
from lienhiep.devdata.experts import CV_LINES, FIELDS
from lienhiep.devdata.provinces import Place, SessionData, Story
from lienhiep.experts.models import Engagement, Expert, Field
from lienhiep.outreach import services as outreach_services
from lienhiep.outreach.models import ActionItem, ContestPromotion, Minutes, Topic, WorkSession
from lienhiep.portal.models import Publication

TZ = datetime.timezone(datetime.timedelta(hours=7))
BEFORE_REFORM = REFORM_DATE - datetime.timedelta(days=1)

RECOMMENDATIONS = [  # the councils' usual recommendations: text, category, priority
    ("Làm rõ cơ sở tính toán các chỉ tiêu và lộ trình thực hiện từng năm.", "objectives", "high"),
    ("Xác định rõ nguồn kinh phí, phân kỳ đầu tư và cơ chế huy động xã hội hóa.", "resources", "high"),
    ("Bổ sung đánh giá tác động môi trường và sinh kế của người dân vùng dự án.", "impact", "medium"),
    ("Cập nhật căn cứ pháp lý theo các văn bản ban hành sau khi sắp xếp đơn vị hành chính.", "legal", "low"),
    ("Xây dựng mô hình thí điểm, đánh giá hiệu quả trước khi nhân rộng.", "feasibility", "medium"),
    ("Lấy ý kiến cộng đồng dân cư và các hội thành viên trước khi trình phê duyệt.", "necessity", "medium"),
    ("Phân công rõ trách nhiệm của các sở, ngành và chính quyền cơ sở.", "feasibility", "low"),
    ("Bổ sung cơ chế giám sát, đánh giá giữa kỳ và chỉ số đo kết quả.", "objectives", "medium"),
]
EXPLANATIONS = {
    "accepted": ["", "Đã tiếp thu, chỉnh sửa trong dự thảo trình phê duyệt.", "Đã bổ sung vào phụ lục của đề án."],
    "partly": [
        "Tiếp thu một phần; nội dung còn lại sẽ cụ thể hóa trong kế hoạch hằng năm.",
        "Nguồn lực có hạn nên chỉ thực hiện ở các địa bàn trọng điểm.",
    ],
    "not_accepted": [
        "Nội dung thuộc thẩm quyền của cơ quan trung ương, địa phương chưa thể quyết định.",
        "Đề án đã trình trước khi văn bản mới có hiệu lực; sẽ cập nhật khi điều chỉnh.",
    ],
}
STORIES = (kontum.STORY, quangngai.STORY, gialai.STORY)
CONCLUSION = (
    "Liên hiệp hội và địa phương thống nhất danh mục các đề án, dự án cần tư vấn, phản biện; địa phương phối hợp "
    "phổ biến hội thi, cuộc thi sáng tạo và theo dõi việc tiếp thu các kiến nghị."
)


def load() -> None:
    today = timezone.localdate()
    for story in STORIES:
        union = Union.objects.filter(slug=story.slug).first()
        if union is not None:
            YearOfWork(story, union, today).load()


class Places:
    """The Union's places: the province and its districts before the reform; from it, today's province and the
    communes or wards that carry the districts on."""

    def __init__(self, province: AdminUnit) -> None:
        self.province = province
        self.province_after = province.successors.first() or province
        self.districts = {
            d.short_name: d
            for d in AdminUnit.objects.filter(level=AdminUnit.Level.DISTRICT, parent=province).prefetch_related(
                "successors"
            )
        }
        self._after: dict[tuple[str, str], AdminUnit] = {}

    def unit(self, place: Place | None, day: datetime.date) -> AdminUnit:
        before = day < REFORM_DATE
        if place is None:
            return self.province if before else self.province_after
        district = self.districts[place.district]
        if before:
            return district
        name = place.after or place.district
        key = (place.district, name)
        if key not in self._after:
            successors = sorted(district.successors.all(), key=lambda u: u.code)
            self._after[key] = (
                next((u for u in successors if u.short_name == normalize(name)), None)
                or next((u for u in successors if fold(u.short_name) == fold(name)), None)
                or successors[0]
            )
        return self._after[key]


def province_of(story: Story) -> AdminUnit:
    return AdminUnit.objects.get(
        AdminUnit.valid_on_q(BEFORE_REFORM), level=AdminUnit.Level.PROVINCE, short_name=story.province
    )


def create_registry(story: Story) -> dict[str, Person]:
    """The Union, its agencies and member associations, its leader and staff in the registry; returns the two
    people by the username their account will have."""
    province = province_of(story)
    union = Union.objects.create(
        name=story.name,
        short_name=story.short_name,
        slug=story.slug,
        province=province,
        governing_body=story.governing_body,
        issuing_body="LIÊN HIỆP CÁC HỘI KHOA HỌC VÀ KỸ THUẬT",
        document_symbol="LHH",
        place_name=story.place_name,
        signatory_title="CHỦ TỊCH",
        address=story.address,
        email=story.email,
        phone=story.phone,
    )
    where = Places(province)
    today = timezone.localdate()
    agencies: dict[str, Agency] = {}
    for data in story.agencies:
        agencies[data.name] = Agency.objects.create(
            union=union,
            name=data.name,
            kind=data.kind,
            short_name=data.short,
            admin_unit=where.unit(data.place, BEFORE_REFORM if data.until_reform else max(today, REFORM_DATE)),
            parent=agencies.get(data.parent),
            is_active=not data.until_reform,
        )
    for name, short, fields, members in story.associations:
        MemberAssociation.objects.create(
            union=union, name=name, short_name=short, field_summary=fields, member_count=members
        )
    return {
        data.username: Person.objects.create(
            union=union,
            name=data.name,
            gender=data.gender,
            birth_year=data.birth_year,
            degree=data.degree,
            position=data.position,
        )
        for data in (story.leader, story.staff)
    }


class YearOfWork:
    def __init__(self, story: Story, union: Union, today: datetime.date) -> None:
        self.story, self.union, self.today = story, union, today
        self.last_year = today.year - 1
        self.rng = random.Random(story.seed)
        self.staff = User.objects.get(username=story.staff.username)
        self.leader = User.objects.get(username=story.leader.username)
        self.staff_person = Person.objects.get(union=union, user=self.staff)
        self.leader_person = Person.objects.get(union=union, user=self.leader)
        self.places = Places(union.province)
        self.agencies = {a.name: a for a in Agency.objects.filter(union=union)}

    def load(self) -> None:
        if self.story.experts:
            self.experts()
        else:  # the Union's registry has them already
            self.fields = {f.code: f for f in Field.objects.filter(union=self.union)}
        self.advisory()
        edition = self.contest() if self.story.contest else None
        self.outreach(edition)

    # dates ----------------------------------------------------------------------------------------------------
    def day(self, last: tuple[int, int] | None, ago: int | None) -> datetime.date:
        """(month, day) of last year, or so many days ago but never before 1 January of this year."""
        if last is not None:
            return datetime.date(self.last_year, *last)
        return max(datetime.date(self.today.year, 1, 1), self.today - datetime.timedelta(days=ago or 0))

    def moment(self, day: datetime.date, hour: int = 9) -> datetime.datetime:
        return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=TZ)

    def agency(self, name: str, before: str, day: datetime.date) -> Agency:
        """The agency of the day: the district's body before the reform, the commune's (or any other) after."""
        return self.agencies[before if before and day < REFORM_DATE else name]

    # experts --------------------------------------------------------------------------------------------------
    def experts(self) -> None:
        union = self.union
        self.fields = {code: Field.objects.create(union=union, code=code, name=name) for code, name, _k in FIELDS}
        associations = {a.short_name: a for a in MemberAssociation.objects.filter(union=union)}
        self.experts_by_field: dict[str, list[Expert]] = {}
        for n, data in enumerate(self.story.experts, start=1):
            person = Person.objects.create(
                union=union,
                name=data.name,
                birth_year=data.birth_year,
                gender=data.gender,
                academic_title=data.title,
                degree=data.degree,
                position=data.position,
                agency=self.agencies[data.workplace],
                association=associations.get(data.association),
                email=f"chuyengia{n:02d}@{union.slug}.test",
            )
            expert = Expert.objects.create(
                union=union,
                person=person,
                code=f"CG-{n:04d}",
                keywords=data.keywords,
                cv=" ".join(CV_LINES[c] for c in data.fields),
                locality=self.places.unit(data.place, self.today) if data.place else None,
                availability=Expert.Availability.AVAILABLE,
            )
            expert.fields.set([self.fields[c] for c in data.fields])
            expert.refresh_search([self.fields[c].name for c in data.fields])
            expert.save(update_fields=["search_folded"])
            for code in data.fields:
                self.experts_by_field.setdefault(code, []).append(expert)

    # advisory -------------------------------------------------------------------------------------------------
    def advisory(self) -> None:
        rng = self.rng
        cases = sorted(self.story.cases, key=lambda c: self.day(c.last, c.ago))  # numbered in order of arrival
        for data in cases:
            day = self.day(data.last, data.ago)
            agency = self.agency(data.agency, data.before, day)
            case = Case(
                union=self.union,
                kind=data.kind,
                title=data.title,
                summary=data.summary,
                requesting_agency=agency,
                drafting_agency=agency,
                admin_unit=self.places.unit(None, day)  # the province of the day, or the district or commune
                if agency.admin_unit is None or agency.admin_unit.level == AdminUnit.Level.PROVINCE
                else agency.admin_unit,
                request_number=f"{rng.randint(40, 1900)}/{_symbol(agency)}",
                request_date=day - datetime.timedelta(days=rng.randint(3, 7)),
                requested_deadline=day + datetime.timedelta(days=30 if data.late else 60),
                received_on=day,
                council_size=5 if data.kind != "assessment" else 3,
                form_of_work=FormOfWork.COUNCIL if data.kind != "assessment" else FormOfWork.GROUP,
            )
            files = [
                (CaseFile.Kind.REQUEST_LETTER, _upload(f"Công văn {case.request_number.replace('/', '-')}.pdf")),
                (CaseFile.Kind.DRAFT, _upload("Dự thảo.docx", advisory_demo.draft_docx(data.title, data.summary))),
            ]
            case = advisory_services.open_case(
                actor=self.staff,
                union=self.union,
                case=case,
                fields=[self.fields[c] for c in data.fields],
                files=files,
                today=day,
            )
            recommendations = [
                (text, category, priority, 2 + 2 * k)
                for k, (text, category, priority) in enumerate(rng.sample(RECOMMENDATIONS, rng.randint(3, 5)))
            ]
            answers = []
            for _rec in recommendations:
                response = rng.choices(["accepted", "partly", "not_accepted"], weights=self.story.acceptance)[0]
                answers.append((response, rng.choice(EXPLANATIONS[response])))
            checks = [
                (100, "done", "Đề án được phê duyệt đã tiếp thu kiến nghị.", ""),
                (60, "in_progress", "Đang triển khai theo kế hoạch năm.", "Kiểm tra thực tế tại địa phương."),
            ]
            advisory_demo.walk(
                case,
                data.status,
                day,
                staff=self.staff,
                leader=self.leader,
                rep=self.staff,  # the agencies answer by letter; staff record the answers
                recommendations=recommendations,
                answers=answers,
                checks=checks,
            )
            case.refresh_from_db()
            if case.answered_on:  # the answers came with the agency's letter, not on the day the demo was loaded
                Recommendation.objects.filter(case=case).exclude(response="").update(
                    answered_at=self.moment(case.answered_on)
                )

    # contests -------------------------------------------------------------------------------------------------
    def contest(self) -> Edition:
        data, staff, union, rng = self.story.contest, self.staff, self.union, self.rng
        year = self.last_year
        youth = data.kind == Edition.Kind.YOUTH
        closes = datetime.datetime(year, *data.closes, 23, 59, 59, tzinfo=TZ)
        opens = datetime.datetime(year - 1, 12 if not youth else 11, 1, 7, tzinfo=TZ)
        results = datetime.date(year, *data.results)
        edition = editions.save_edition(
            actor=staff,
            union=union,
            edition=Edition(
                union=union,
                kind=data.kind,
                title=data.title,
                number=data.number,
                period=f"{year - 1}–{year}",
                code=data.code,
                summary=data.summary,
                **contests_demo.edition_calendar(opens, closes, results),
                max_team=3 if youth else 5,
                eligibility_note=data.eligibility,
                disagreement_gap=Decimal("15"),
                tie_break="TM" if youth else "UD, TM",
                national_quota=data.national_quota,
                **(
                    {
                        "age_cutoff": closes.date(),
                        "min_age": 6,
                        "max_age": 18,
                        "school_levels": "Tiểu học; THCS; THPT",
                        "mentor_certificates": True,
                    }
                    if youth
                    else {}
                ),
            ),
        )
        config = typical.for_kind(data.kind)
        typical.configure(
            edition,
            fields=config["fields"],
            criteria=config["criteria"],
            tiers=typical.TIERS,
            dossier=config["dossier"],
            rounds=typical.ROUNDS,
            age_groups=config["age_groups"],
        )
        editions.move_edition(actor=staff, edition=edition, move="open")

        schools = {}
        for name, place in data.schools:
            schools[name] = Agency.objects.create(
                union=union,
                name=name,
                kind=Agency.Kind.SCHOOL,
                admin_unit=self.places.unit(place, max(self.today, REFORM_DATE)),
            )
        pdf = contests_demo.sample_pdf()
        entries, targets = [], {}
        for n, item in enumerate(data.entries):
            received = closes - datetime.timedelta(days=2 + 3 * (len(data.entries) - n), hours=14)
            school = schools.get(item.school)
            people = []
            for name, share, *age in item.authors:
                birth = None
                if age:
                    birth = datetime.date(year - age[0], rng.randint(1, data.closes[0]), rng.randint(1, 28))
                people.append(ContributorData(name=name, share=Decimal(share), birth_date=birth, agency=school))
            if item.mentor:
                people.append(ContributorData(name=item.mentor, role="mentor", agency=school))
            summary = item.summary or f"Sản phẩm dự thi của học sinh: {item.title[0].lower()}{item.title[1:]}."
            entry = contests_demo.submit_demo_entry(
                edition,
                staff,
                item.title,
                item.field,
                summary,
                self.places.unit(item.place, received.date()),
                people,
                received,
                pdf,
                school=school,
            )
            entries.append(entry)
            targets[entry.pk] = item.score
        for entry in entries:
            if entry.title == data.rejected:
                contest_services.screen_entry(actor=staff, entry=entry, decision="reject", note=data.rejected_note)
            else:
                contest_services.screen_entry(actor=staff, entry=entry, decision="accept")
        editions.move_edition(actor=staff, edition=edition, move="start_judging")
        round_ = edition.rounds.get()
        contests_demo.set_juries(staff, round_, self.experts_by_field)
        judging.propose_judges(actor=staff, round=round_)
        judged_on = closes.date() + datetime.timedelta(days=12)
        judging.confirm_judges(actor=staff, round=round_, today=judged_on)
        criteria = list(round_.criteria.all())
        hand: dict[int, int] = {}
        for seat in Assignment.objects.filter(round=round_, status="confirmed").order_by("entry__number", "pk"):
            bias = hand.setdefault(seat.expert_id, rng.choice([-4, -2, 0, 0, 2, 4]))
            total = max(40, min(99, targets[seat.entry_id] + bias + rng.choice([-2, -1, 0, 1, 2])))
            judging.enter_paper_sheet(
                actor=staff, assignment=seat, points=_split(total, criteria), comment="Phiếu chấm giấy"
            )
        judging.close_round(actor=staff, round=round_)
        editions.move_edition(actor=staff, edition=edition, move="start_review")
        awards.apply_proposal(actor=staff, edition=edition)
        decided = results - datetime.timedelta(days=5)
        awards.approve_awards(
            actor=self.leader,
            edition=edition,
            number=f"{rng.randint(20, 90)}/QĐ-LHH",
            day=decided,
            signatory=self.leader_person.name,
        )
        edition = Edition.objects.get(pk=edition.pk)
        best = sorted(awards.winners(edition), key=lambda a: (a.tier.rank, -(a.score or 0)))
        nominated = [a.entry for a in best[: data.national_quota]]
        awards.nominate(actor=staff, edition=edition, entries=nominated)
        awards.publish_results(actor=staff, edition=edition)
        # the days of the story, not the day the demo was loaded
        Edition.objects.filter(pk=edition.pk).update(approved_at=self.moment(decided, 15))
        sheets = Assignment.objects.filter(round=round_, status="submitted")
        scored = judged_on + datetime.timedelta(days=10)
        Engagement.objects.filter(pk__in=sheets.values("engagement")).update(completed_on=scored)
        sheets.update(submitted_at=self.moment(scored), saved_at=self.moment(scored))
        Entry.objects.filter(pk__in=[e.pk for e in nominated]).update(
            nominated_at=self.moment(results + datetime.timedelta(days=10))
        )
        Publication.objects.filter(union=union, source_id=edition.pk, kind="contest_result").update(
            published_at=self.moment(results, 10)
        )
        return edition

    # outreach -------------------------------------------------------------------------------------------------
    def outreach(self, edition: Edition | None) -> None:
        for data in sorted(self.story.sessions, key=lambda s: self.day(s.last, s.ago)):
            self.session(data, edition)

    def session(self, data: SessionData, edition: Edition | None) -> WorkSession:
        staff, union = self.staff, self.union
        day = self.day(data.last, data.ago)
        before = day < REFORM_DATE and bool(data.before)
        names = data.before if before else data.agencies
        swap = dict(zip(data.agencies, data.before, strict=True)) if before else {}
        agencies = [self.agencies[n] for n in names]
        unit = self.places.unit(data.place, day) if data.place else None
        session = outreach_services.save_session(
            actor=staff,
            union=union,
            session=WorkSession(
                union=union,
                title=data.title,
                held_on=day,
                place=f"Trụ sở {agencies[0].name}",
                admin_unit=unit,
                summary=f"Thường trực Liên hiệp hội làm việc với {', '.join(a.name for a in agencies)} về hoạt động tư "
                "vấn, phản biện và giám định xã hội, các hội thi, cuộc thi sáng tạo trên địa bàn.",
            ),
            agenda=list(data.agenda),
            delegation=[self.leader_person, self.staff_person],
            agencies=agencies,
        )
        for item in session.agenda_items.all():
            item.topic = _topic(item.title)
            item.save(update_fields=["topic"])
        if data.promotes_contest and edition is not None:
            outreach_services.record_promotion(
                actor=staff,
                union=union,
                promotion=ContestPromotion(
                    union=union,
                    session=session,
                    contest_name=edition.title,
                    edition=edition.period,
                    contest_edition=edition,
                ),
            )
        for item in data.items:
            owner = item.owner
            person = {"staff": self.staff_person, "leader": self.leader_person}.get(owner)
            due = day + datetime.timedelta(days=item.due)
            action = outreach_services.save_action_item(
                actor=staff,
                union=union,
                item=ActionItem(
                    union=union,
                    session=session,
                    title=item.title,
                    owner_person=person,
                    owner_agency=None if person else self.agencies[swap.get(owner, owner)],
                    due_on=due,
                ),
            )
            if item.status != ActionItem.Status.OPEN:
                done = item.status == ActionItem.Status.DONE
                outreach_services.change_action_status(
                    actor=staff,
                    item=action,
                    status=item.status,
                    evidence=f"Văn bản báo cáo kết quả gửi Liên hiệp hội ngày {due:%d/%m/%Y}." if done else "",
                )
                if done:
                    finished = max(day, min(due - datetime.timedelta(days=3), self.today))
                    ActionItem.objects.filter(pk=action.pk).update(completed_on=finished)
        if data.minutes:
            minutes = outreach_services.start_minutes(actor=staff, session=session)
            entries = {item.pk: ("Các bên trao đổi, thống nhất.", "") for item in session.agenda_items.all()}
            outreach_services.save_minutes(
                actor=staff, minutes=minutes, conclusion=CONCLUSION, entries=entries, signatory=self.leader_person
            )
            outreach_services.circulate_minutes(actor=staff, minutes=minutes)
            Minutes.objects.filter(pk=minutes.pk).update(circulated_at=self.moment(day + datetime.timedelta(days=2)))
            if data.minutes == "approved":
                outreach_services.approve_minutes(actor=self.leader, minutes=minutes)
        return session


def _symbol(agency: Agency) -> str:
    if agency.kind == Agency.Kind.PEOPLES_COMMITTEE:
        return "UBND-KT"
    short = agency.short_name or agency.name
    return "".join(word[0] for word in short.replace("&", " ").split() if word[:1].isupper())[:6] or "CV"


def _split(total: int, criteria) -> dict[int, int]:
    """A sheet's total shared over the criteria in proportion to their maximum points (which sum to 100)."""
    points, left = {}, total
    for k, criterion in enumerate(criteria):
        most = int(criterion.max_points)
        share = left if k == len(criteria) - 1 else round(total * most / 100)
        points[criterion.pk] = max(0, min(most, share))
        left -= points[criterion.pk]
    return points


def _topic(title: str) -> str:
    folded = fold(title)
    if "hoi thi" in folded or "cuoc thi" in folded:
        return Topic.CONTESTS
    if "tu van, phan bien" in folded and "chuc nang" not in folded:
        return Topic.ADVISORY
    if "chuc nang" in folded:
        return Topic.ROLE
    return Topic.PROJECTS


def _upload(name: str, content: bytes = advisory_demo.LETTER) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)
