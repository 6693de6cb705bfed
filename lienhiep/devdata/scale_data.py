"""A national-scale data set for benchmarks, seeded and repeatable: every provincial Union with its registry,
experts, advisory cases, contests, working sessions and public site, in consistent states.

At scale 1.0: 34 Unions; 20,000 experts; 3,000 advisory cases with 15,000 reviews and 30,000 recommendations
(the answered ones with the agency's response); 60 contest editions with 12,000 entries, 40,000 judge assignments
and 200,000 criterion scores; 5,000 working sessions with 20,000 action items; 50,000 news articles and documents.
Other scales multiply every count (a tiny scale keeps at least two Unions and one of everything).

Rows are written with bulk_create in batches: no history rows, no activity log, no signals. Search columns are
filled the way the models' save() fills them (fold(), sort keys, the portal's search index). The first Union
(the largest, with three times the share of the others) is the one the benchmarks sign in to.

Every generated account shares the password SCALE_PASSWORD; leaders and administrators get a TOTP authenticator
(print its code with `lienhiep totp <username>`)."""

from __future__ import annotations

import datetime
import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.text import slugify

from lienhiep.advisory.models import Case, FormOfWork, Kind, Recommendation, Review, Seat, Status
from lienhiep.contests import results
from lienhiep.contests.models import (
    Assignment,
    Award,
    AwardTier,
    ContestField,
    Contributor,
    Criterion,
    DossierItem,
    Edition,
    Entry,
    Jury,
    Round,
    Score,
)
from lienhiep.core.mfa import activate_totp
from lienhiep.core.models import AdminUnit, Agency, MemberAssociation, Membership, Person, Role, Union, User
from lienhiep.core.text import fold, normalize, person_sort_key, sort_key
from lienhiep.experts.models import Expert, Field
from lienhiep.outreach.models import ActionItem, AgendaItem, Topic, WorkSession
from lienhiep.portal import richtext
from lienhiep.portal.models import Article, LegalDocument, SearchEntry, number_key
from lienhiep.portal.search import search_text

SCALE_PASSWORD = "lienhiep-scale-2026"  # noqa: S105 - benchmark accounts only, never loaded in production
BATCH = 2000

# The national figures at scale 1.0.
NATIONAL = {
    "unions": 34,
    "experts": 20_000,
    "cases": 3_000,
    "reviews": 15_000,
    "recommendations": 30_000,
    "editions": 60,
    "entries": 12_000,
    "assignments": 40_000,
    "scores": 200_000,
    "sessions": 5_000,
    "action_items": 20_000,
    "articles": 30_000,
    "documents": 20_000,
}
CRITERIA_PER_ROUND = 5  # scores = assignments × 5

PROVINCES = [
    "Hà Nội",
    "Huế",
    "Lai Châu",
    "Điện Biên",
    "Sơn La",
    "Lạng Sơn",
    "Quảng Ninh",
    "Thanh Hóa",
    "Nghệ An",
    "Hà Tĩnh",
    "Cao Bằng",
    "Tuyên Quang",
    "Lào Cai",
    "Thái Nguyên",
    "Phú Thọ",
    "Bắc Ninh",
    "Hưng Yên",
    "Hải Phòng",
    "Ninh Bình",
    "Quảng Trị",
    "Đà Nẵng",
    "Quảng Ngãi",
    "Gia Lai",
    "Khánh Hòa",
    "Lâm Đồng",
    "Đắk Lắk",
    "Hồ Chí Minh",
    "Đồng Nai",
    "Tây Ninh",
    "Cần Thơ",
    "Vĩnh Long",
    "Đồng Tháp",
    "Cà Mau",
    "An Giang",
]
FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Y",
    "A",
    "Đinh",
    "Hà",
]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Ngọc", "Quốc", "Thanh", "Đức", "Thu", "Hồng", "Xuân", ""]
GIVEN = [
    "An",
    "Ánh",
    "Bình",
    "Cường",
    "Dũng",
    "Đức",
    "Giang",
    "Hà",
    "Hải",
    "Hằng",
    "Hiếu",
    "Hòa",
    "Hùng",
    "Hương",
    "Khang",
    "Khánh",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Nhung",
    "Phúc",
    "Phương",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Thuận",
    "Trang",
    "Trung",
    "Tuấn",
    "Uyên",
    "Việt",
    "Yến",
]
FIELDS = [
    ("NN", "Nông nghiệp", ["cà phê", "tưới tiết kiệm", "giống cây trồng", "chăn nuôi bò", "phân bón hữu cơ"]),
    ("YT", "Y tế", ["y học cổ truyền", "dược liệu", "y tế dự phòng", "dinh dưỡng", "bệnh viện tuyến huyện"]),
    ("GD", "Giáo dục", ["giáo dục STEM", "trường bán trú", "đào tạo giáo viên", "tiếng Việt", "chuyển đổi số"]),
    ("XD", "Xây dựng", ["quy hoạch đô thị", "giao thông nông thôn", "thủy lợi", "nhà ở xã hội", "vật liệu mới"]),
    ("MT", "Môi trường", ["rác thải", "nước sạch", "biến đổi khí hậu", "rừng phòng hộ", "xói mòn đất"]),
    ("DT", "Điện tử và công nghệ thông tin", ["IoT", "phần mềm", "cảm biến", "truy xuất nguồn gốc", "dữ liệu"]),
    ("VH", "Văn hóa và xã hội", ["du lịch cộng đồng", "cồng chiêng", "bảo tồn di sản", "giảm nghèo", "sinh kế"]),
    ("KT", "Kinh tế", ["hợp tác xã", "chuỗi giá trị", "thương mại điện tử", "doanh nghiệp nhỏ", "tín dụng"]),
    ("CK", "Cơ khí và tự động hóa", ["máy sấy", "robot", "điều khiển", "máy nông nghiệp", "tiết kiệm điện"]),
    ("NL", "Năng lượng", ["điện mặt trời", "biogas", "điện gió", "hiệu quả năng lượng", "lưới điện"]),
]
DEGREES = ["TS", "ThS", "ThS", "KS", "CN", "BS", "TS", "TSKH"]
POSITIONS = [
    "Giảng viên",
    "Trưởng khoa",
    "Phó Giám đốc",
    "Chuyên viên chính",
    "Nghiên cứu viên",
    "Kỹ sư trưởng",
    "Bác sĩ",
    "Trưởng phòng",
]
TOPICS = ["chỉ tiêu", "nguồn vốn", "lộ trình", "tác động"]
QUALITIES = ["tiết kiệm", "thông minh", "bền vững", "chi phí thấp"]
DOC_TYPES = ["decision", "plan", "official_letter", "guidance", "resolution", "directive"]
DOC_SYMBOL = {
    "decision": "QĐ",
    "plan": "KH",
    "official_letter": "CV",
    "guidance": "HD",
    "resolution": "NQ",
    "directive": "CT",
}


@dataclass
class Report:
    """What was generated: rows per table, seconds, and the sign-in users (username, role, Union slug)."""

    counts: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    logins: list[tuple[str, str, str]] = field(default_factory=list)


def targets(scale: float) -> dict[str, int]:
    """The number of rows of each kind at this scale (at least one of each; at least two Unions)."""
    out = {key: max(1, round(value * scale)) for key, value in NATIONAL.items()}
    out["unions"] = min(NATIONAL["unions"], max(2, out["unions"]))
    out["scores"] = out["assignments"] * CRITERIA_PER_ROUND
    return out


def split(total: int, weights: list[int]) -> list[int]:
    """total split over the weights (largest remainders), summing exactly to total."""
    whole = sum(weights)
    raw = [total * w / whole for w in weights]
    parts = [int(x) for x in raw]
    for i in sorted(range(len(weights)), key=lambda i: parts[i] - raw[i])[: total - sum(parts)]:
        parts[i] += 1
    return parts


class UnionsExist(Exception):
    pass


def _bulk(report: Report, model: type[models.Model], rows: list) -> list:
    created = model.objects.bulk_create(rows, batch_size=BATCH)
    report.counts[model._meta.db_table] += len(rows)
    return created


class Generator:
    def __init__(self, scale: float, seed: int, out=None) -> None:
        self.scale, self.seed = scale, seed
        self.rng = random.Random(seed)
        self.n = targets(scale)
        self.report = Report()
        self.out = out
        self.today = datetime.date(2026, 11, 30)  # fixed, so the same seed gives the same rows on any day
        self.now = datetime.datetime(2026, 11, 30, 9, 0, tzinfo=datetime.UTC)
        self.weights = [3] + [1] * (self.n["unions"] - 1)

    def log(self, text: str) -> None:
        if self.out is not None:
            self.out(text)

    def bulk(self, model, rows) -> list:
        return _bulk(self.report, model, rows)

    def name(self) -> str:
        r = self.rng
        return " ".join(filter(None, [r.choice(FAMILY), r.choice(MIDDLE), r.choice(GIVEN)]))

    def per_union(self, key: str) -> list[int]:
        return split(self.n[key], self.weights)

    # ------------------------------------------------------------------------------------------------------------
    def run(self) -> Report:
        started = time.perf_counter()
        if Union.objects.exists():
            raise UnionsExist
        with transaction.atomic():
            steps = [
                ("registry", self.registry),
                ("experts", self.experts),
                ("advisory", self.advisory),
                ("contests", self.contests),
                ("outreach", self.outreach),
                ("portal", self.portal),
            ]
            for label, step in steps:
                t0 = time.perf_counter()
                step()
                self.log(f"{label}: {time.perf_counter() - t0:.1f} s")
        t0 = time.perf_counter()
        with connection.cursor() as cursor:  # fresh statistics, as autovacuum would gather them in a live system
            cursor.execute("ANALYZE")
        self.log(f"statistics: {time.perf_counter() - t0:.1f} s")
        self.report.seconds = time.perf_counter() - started
        return self.report

    # Registry: Unions, places, agencies, associations, accounts -----------------------------------------------
    def registry(self) -> None:
        self.unions: list[Union] = []
        for i in range(self.n["unions"]):
            province = PROVINCES[i]
            slug = slugify(fold(province)).replace("-", "")
            union = Union(
                name=f"Liên hiệp các Hội Khoa học và Kỹ thuật {'thành phố' if i in (0, 17, 20, 26, 29) else 'tỉnh'} "
                f"{province}",
                short_name=f"LHH {province}",
                slug=slug,
                governing_body=f"UBND TỈNH {province.upper()}",
                issuing_body="LIÊN HIỆP CÁC HỘI KHOA HỌC VÀ KỸ THUẬT",
                place_name=province,
                address=f"Số {i + 1} đường Trần Phú, {province}",
                email=f"lienhiep@{slug}.test",
            )
            union.fill_search_fields()
            self.unions.append(union)
        self.unions = self.bulk(Union, self.unions)

        units = []
        for i in range(len(self.unions)):
            unit = AdminUnit(
                code=f"SC{i:02d}",
                name=f"Tỉnh {PROVINCES[i]}",
                short_name=PROVINCES[i],
                kind="Tỉnh",
                level=AdminUnit.Level.PROVINCE,
            )
            unit.fill_search_fields()
            units.append(unit)
        provinces = self.bulk(AdminUnit, units)
        communes = []
        for i, province in enumerate(provinces):
            for j in range(8):
                short = f"{self.rng.choice(GIVEN)} {self.rng.choice(['Đông', 'Tây', 'Nam', 'Bắc', 'Trung'])} {j + 1}"
                unit = AdminUnit(
                    code=f"SC{i:02d}{j:02d}",
                    name=f"Xã {short}",
                    short_name=short,
                    kind="Xã",
                    level=AdminUnit.Level.COMMUNE,
                    parent=province,
                )
                unit.fill_search_fields()
                communes.append(unit)
        communes = self.bulk(AdminUnit, communes)
        for union, province in zip(self.unions, provinces, strict=True):
            union.province = province
        Union.objects.bulk_update(self.unions, ["province"])
        self.communes = defaultdict(list)
        for unit in communes:
            self.communes[unit.parent_id].append(unit)
        self.localities = {u.pk: self.communes[u.province_id] for u in self.unions}

        agencies = []
        for union, province in zip(self.unions, provinces, strict=True):
            p = province.short_name
            names = [
                (f"UBND tỉnh {p}", Agency.Kind.PEOPLES_COMMITTEE, ""),
                (f"Tỉnh ủy {p}", Agency.Kind.PARTY_COMMITTEE, ""),
                (f"Sở Khoa học và Công nghệ tỉnh {p}", Agency.Kind.DEPARTMENT, "Sở KH&CN"),
                (f"Sở Nông nghiệp và Môi trường tỉnh {p}", Agency.Kind.DEPARTMENT, "Sở NN&MT"),
                (f"Sở Giáo dục và Đào tạo tỉnh {p}", Agency.Kind.DEPARTMENT, "Sở GD&ĐT"),
                (f"Sở Y tế tỉnh {p}", Agency.Kind.DEPARTMENT, "Sở Y tế"),
                (f"Sở Xây dựng tỉnh {p}", Agency.Kind.DEPARTMENT, "Sở XD"),
                (f"Trường Đại học {p}", Agency.Kind.SCHOOL, ""),
                (f"Viện Nghiên cứu Phát triển {p}", Agency.Kind.RESEARCH, ""),
            ]
            for unit in self.communes[province.pk]:
                names.append((f"UBND {unit.name.lower()}", Agency.Kind.PEOPLES_COMMITTEE, ""))
            for k in range(6):
                names.append((f"Trường THPT số {k + 1} {p}", Agency.Kind.SCHOOL, ""))
            for k in range(3):
                names.append((f"Công ty Cổ phần Công nghệ {p} {k + 1}", Agency.Kind.ENTERPRISE, ""))
            for name, kind, short in names:
                agency = Agency(union=union, name=name, kind=kind, short_name=short, admin_unit=province)
                agency.fill_search_fields()
                agencies.append(agency)
        agencies = self.bulk(Agency, agencies)
        self.agencies = defaultdict(list)
        self.schools = defaultdict(list)
        for agency in agencies:
            self.agencies[agency.union_id].append(agency)
            if agency.kind == Agency.Kind.SCHOOL:
                self.schools[agency.union_id].append(agency)

        associations = []
        for union, province in zip(self.unions, provinces, strict=True):
            for _code, field_name, _terms in FIELDS[:8]:
                a = MemberAssociation(
                    union=union,
                    name=f"Hội {field_name} tỉnh {province.short_name}",
                    short_name=f"Hội {field_name}",
                    field_summary=field_name,
                    member_count=self.rng.randint(40, 1500),
                )
                a.fill_search_fields()
                associations.append(a)
        associations = self.bulk(MemberAssociation, associations)
        self.associations = defaultdict(list)
        for a in associations:
            self.associations[a.union_id].append(a)

        # One account per role per Union, plus one platform administrator.
        password = make_password(SCALE_PASSWORD)
        roles = [
            ("quantri", Role.UNION_ADMIN),
            ("canbo", Role.STAFF),
            ("lanhdao", Role.LEADER),
            ("chuyengia", Role.EXPERT),
            ("daidien", Role.AGENCY_REP),
            ("thisinh", Role.ENTRANT),
        ]
        users, specs = [], []
        admin = User(username="nentang.scale", email="nentang.scale@lienhiep.test", full_name="Trần Quốc Huy")
        users.append(admin)
        specs.append((None, Role.PLATFORM_ADMIN))
        for union in self.unions:
            for prefix, role in roles:
                username = f"{prefix}.{union.slug}"
                users.append(User(username=username, email=f"{username}@lienhiep.test", full_name=self.name()))
                specs.append((union, role))
        for user in users:
            user.password = password
            user.full_name = normalize(user.full_name)
            user.sort_key = person_sort_key(user.full_name)[:1200]
        users = self.bulk(User, users)

        self.bulk(EmailAddress, [EmailAddress(user=u, email=u.email, primary=True, verified=True) for u in users])
        memberships = []
        self.accounts: dict[tuple[int, str], User] = {}
        for user, (union, role) in zip(users, specs, strict=True):
            agency = self.agencies[union.pk][0] if role == Role.AGENCY_REP else None
            memberships.append(Membership(user=user, union=union, role=role, agency=agency))
            if union is not None:
                self.accounts[(union.pk, role)] = user
            self.report.logins.append((user.username, str(role), union.slug if union else "*"))
        self.bulk(Membership, memberships)
        self.platform_admin = admin

        for user, (_union, role) in zip(users, specs, strict=True):
            if role in settings.LIENHIEP_MFA_REQUIRED_ROLES:
                activate_totp(user, secret=None)
                self.report.counts["mfa_authenticator"] += 1

        # The staff's own records in the registry (people with an account).
        people = []
        for union in self.unions:
            for role in (Role.STAFF, Role.LEADER, Role.AGENCY_REP):
                user = self.accounts[(union.pk, role)]
                person = Person(union=union, name=user.full_name, user=user, position="Chuyên viên")
                person.fill_search_fields()
                people.append(person)
        people = self.bulk(Person, people)
        self.leader_person = {p.union_id: p for p in people if p.user_id == self.accounts[(p.union_id, Role.LEADER)].pk}

    # Experts ------------------------------------------------------------------------------------------------------
    def experts(self) -> None:
        rows = []
        for union in self.unions:
            for code, name, _terms in FIELDS:
                f = Field(union=union, code=code, name=name, description=f"Lĩnh vực {name.lower()}")
                f.fill_search_fields()
                rows.append(f)
        self.fields = defaultdict(list)
        for f in self.bulk(Field, rows):
            self.fields[f.union_id].append(f)
        terms = {code: t for code, _n, t in FIELDS}

        people, experts_spec = [], []
        for union, count in zip(self.unions, self.per_union("experts"), strict=True):
            for i in range(count):
                degree = self.rng.choice(DEGREES)
                person = Person(
                    union=union,
                    name=self.name(),
                    birth_year=self.rng.randint(1955, 1995),
                    gender=self.rng.choice(["male", "female"]),
                    academic_title=self.rng.choice(["", "", "", "", "PGS", "GS"]) if degree.startswith("TS") else "",
                    degree=degree,
                    position=self.rng.choice(POSITIONS),
                    agency=self.rng.choice(self.agencies[union.pk]),
                    association=self.rng.choice(self.associations[union.pk]),
                    email=f"cg{i}@{union.slug}.test",
                )
                if i == 0:
                    person.user = self.accounts[(union.pk, Role.EXPERT)]
                    person.email = person.user.email
                person.fill_search_fields()
                people.append(person)
                experts_spec.append((union, i, self.rng.sample(self.fields[union.pk], self.rng.choice([1, 1, 2, 3]))))
        people = self.bulk(Person, people)
        experts = []
        for person, (union, i, flds) in zip(people, experts_spec, strict=True):
            keywords = "; ".join(self.rng.sample(terms[flds[0].code], 3))
            cv = (
                f"Có {self.rng.randint(3, 30)} năm kinh nghiệm về {flds[0].name.lower()}; chủ nhiệm "
                f"{self.rng.randint(1, 12)} đề tài cấp tỉnh về {keywords.split('; ')[0]}."
            )
            expert = Expert(
                union=union,
                person=person,
                code=f"CG-{i + 1:05d}",
                keywords=keywords,
                cv=cv,
                locality=self.rng.choice(self.localities[union.pk]),
                availability=self.rng.choice(["available"] * 8 + ["limited", "unavailable"]),
            )
            workplace = person.agency.name if person.agency else ""
            parts = [person.name, expert.code, keywords, person.position, workplace, *[f.name for f in flds], cv]
            expert.search_folded = fold(" ".join(p for p in parts if p))
            experts.append(expert)
        experts = self.bulk(Expert, experts)
        links = []
        self.experts_of = defaultdict(list)
        self.experts_by_field = defaultdict(list)  # (union id, field code) → experts
        for expert, (_union, _i, flds) in zip(experts, experts_spec, strict=True):
            self.experts_of[expert.union_id].append(expert)
            for f in flds:
                links.append(Expert.fields.through(expert_id=expert.pk, field_id=f.pk))
                self.experts_by_field[(expert.union_id, f.code)].append(expert)
        self.bulk(Expert.fields.through, links)

    # Advisory -----------------------------------------------------------------------------------------------------
    def advisory(self) -> None:
        main = [
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
        # Most cases are finished or far along; every stage has some. Cycled so even a tiny scale has late stages.
        cycle = [
            Status.CLOSED,
            Status.REVIEWING,
            Status.ANSWERED,
            Status.CONSOLIDATING,
            Status.SENT,
            Status.CLOSED,
            Status.RECEIVED,
            Status.ASSESSED,
            Status.COUNCIL_FORMED,
            Status.REPORT_PENDING,
            Status.CLOSED,
            Status.ACCEPTED,
            Status.REPORT_SIGNED,
            Status.COUNCIL_PENDING,
            Status.CLOSED,
            Status.DECLINED,
            Status.ANSWERED,
            Status.WITHDRAWN,
            Status.REVIEWING,
            Status.CLOSED,
        ]
        stage = {s: i for i, s in enumerate(main)}
        cases, specs = [], []
        for union, count in zip(self.unions, self.per_union("cases"), strict=True):
            seq = Counter()
            for i in range(count):
                status = cycle[i % len(cycle)]
                days_ago = 5 + (count - i) * 900 // max(count, 1) + self.rng.randint(0, 20)
                received = self.today - datetime.timedelta(days=days_ago)
                seq[received.year] += 1
                agency = self.rng.choice(self.agencies[union.pk][:20])
                flds = self.rng.sample(self.fields[union.pk], 2)
                kind = self.rng.choice([Kind.CRITIQUE, Kind.CRITIQUE, Kind.CONSULTING, Kind.ASSESSMENT])
                title = (
                    f"Đề án {self.rng.choice(FIELDS)[2][self.rng.randint(0, 4)]} "
                    f"{agency.name.split(' ', 1)[-1]} giai đoạn {received.year}–{received.year + 5}"
                )
                far = stage.get(status, -1)
                case = Case(
                    union=union,
                    kind=kind,
                    year=received.year,
                    seq=seq[received.year],
                    title=normalize(title),
                    summary=f"Nội dung chính về {flds[0].name.lower()} và {flds[1].name.lower()}; nguồn lực, tiến độ.",
                    requesting_agency=agency,
                    drafting_agency=agency,
                    admin_unit=agency.admin_unit,
                    request_number=f"{self.rng.randint(10, 2000)}/UBND-KT",
                    request_date=received - datetime.timedelta(days=3),
                    requested_deadline=received + datetime.timedelta(days=60),
                    received_on=received,
                    form_of_work=FormOfWork.COUNCIL,
                    council_size=5,
                    status=status,
                    stage_due_on=None
                    if status in (Status.CLOSED, Status.DECLINED, Status.WITHDRAWN)
                    else received + datetime.timedelta(days=30 + 10 * max(far, 0)),
                    review_due_on=received + datetime.timedelta(days=40)
                    if far >= stage[Status.COUNCIL_FORMED]
                    else None,
                    accepted_on=received + datetime.timedelta(days=3) if far >= stage[Status.ACCEPTED] else None,
                    sent_on=received + datetime.timedelta(days=70) if far >= stage[Status.SENT] else None,
                    answered_on=received + datetime.timedelta(days=100) if far >= stage[Status.ANSWERED] else None,
                    closed_on=received + datetime.timedelta(days=130) if status == Status.CLOSED else None,
                    decline_reason="Nội dung không thuộc phạm vi tư vấn, phản biện."
                    if status == Status.DECLINED
                    else "",
                    withdraw_reason="Cơ quan đề nghị rút hồ sơ." if status == Status.WITHDRAWN else "",
                    conclusion="Đề án cần thiết; đề nghị tiếp thu các kiến nghị."
                    if far >= stage[Status.REPORT_PENDING]
                    else "",
                    signatory=self.leader_person[union.pk] if far >= stage[Status.REPORT_SIGNED] else None,
                    created_by=self.accounts[(union.pk, Role.STAFF)],
                )
                case.search_folded = fold(f"{case.code} {case.title} {agency.name} {case.request_number}")
                cases.append(case)
                specs.append((far, flds))
        cases = self.bulk(Case, cases)
        self.bulk(
            Case.fields.through,
            [
                Case.fields.through(case_id=c.pk, field_id=f.pk)
                for c, (_far, flds) in zip(cases, specs, strict=True)
                for f in flds
            ],
        )

        # Reviews go to cases from the reviewing stage on; every council has a secretary who writes none.
        reviewed = [c for c, (far, _f) in zip(cases, specs, strict=True) if far >= stage[Status.REVIEWING]]
        councils = [c for c, (far, _f) in zip(cases, specs, strict=True) if far >= stage[Status.COUNCIL_PENDING]]
        per_case = dict(zip([c.pk for c in reviewed], split(self.n["reviews"], [1] * len(reviewed)), strict=True))
        seats, seat_spec = [], []
        expert_user_seats = set()
        for case in councils:
            writers = per_case.get(case.pk, 4)
            pool = self.experts_of[case.union_id]
            chosen = self.rng.sample(pool[1:], min(writers + 1, len(pool) - 1))
            if case.pk in per_case and case.union_id not in expert_user_seats and writers:
                chosen[0] = pool[0]  # the Union's expert account sits on a council with reviews
                expert_user_seats.add(case.union_id)
            roles = [Seat.Role.CHAIR] + [Seat.Role.REVIEWER] * 2 + [Seat.Role.MEMBER] * max(0, writers - 3)
            for k, expert in enumerate(chosen[:writers]):
                seats.append(
                    Seat(
                        union_id=case.union_id,
                        case=case,
                        expert=expert,
                        role=roles[k] if k < len(roles) else Seat.Role.MEMBER,
                        affinity=round(self.rng.random(), 3),
                    )
                )
                seat_spec.append(case.pk in per_case)
            if len(chosen) > writers:
                seats.append(Seat(union_id=case.union_id, case=case, expert=chosen[writers], role=Seat.Role.SECRETARY))
                seat_spec.append(False)
        seats = self.bulk(Seat, seats)
        case_status = {c.pk: c.status for c in cases}
        reviews = []
        for seat, writes in zip(seats, seat_spec, strict=True):
            if not writes:
                continue
            submitted = case_status[seat.case_id] != Status.REVIEWING or self.rng.random() < 0.5
            reviews.append(
                Review(
                    union_id=seat.union_id,
                    case_id=seat.case_id,
                    seat=seat,
                    state=Review.State.SUBMITTED if submitted else Review.State.DRAFT,
                    legal_basis="Căn cứ pháp lý cơ bản đầy đủ.",
                    necessity="Đề án cần thiết.",
                    objectives="Một số chỉ tiêu chưa có cơ sở tính toán.",
                    feasibility="Giải pháp còn chung.",
                    resources="Nguồn kinh phí chưa rõ.",
                    impact="Cần đánh giá thêm tác động môi trường.",
                    conclusions="Có thể trình phê duyệt sau khi chỉnh sửa.",
                    recommendations="Làm rõ chỉ tiêu.",
                    due_on=self.today - datetime.timedelta(days=self.rng.randint(-10, 30)),
                    submitted_at=self.now - datetime.timedelta(days=self.rng.randint(1, 60)) if submitted else None,
                )
            )
        reviews = self.bulk(Review, reviews)
        reviews_of = defaultdict(list)
        for review in reviews:
            reviews_of[review.case_id].append(review)

        consolidated = [c for c, (far, _f) in zip(cases, specs, strict=True) if far >= stage[Status.CONSOLIDATING]]
        answered = {c.pk for c, (far, _f) in zip(cases, specs, strict=True) if far >= stage[Status.ANSWERED]}
        counts = split(self.n["recommendations"], [1] * len(consolidated)) if consolidated else []
        recs = []
        categories = [c.value for c in Recommendation.Category]
        for case, count in zip(consolidated, counts, strict=True):
            for k in range(count):
                response = (
                    self.rng.choice(["accepted", "accepted", "partly", "not_accepted"]) if case.pk in answered else ""
                )
                recs.append(
                    Recommendation(
                        union_id=case.union_id,
                        case=case,
                        number=k + 1,
                        text=f"Kiến nghị {k + 1}: làm rõ {self.rng.choice(TOPICS)}.",
                        category=self.rng.choice(categories),
                        priority=self.rng.choice(["high", "medium", "low"]),
                        response=response,
                        explanation="Cơ quan soạn thảo đã tiếp thu và chỉnh sửa." if response else "",
                        answered_at=self.now - datetime.timedelta(days=self.rng.randint(5, 300)) if response else None,
                    )
                )
        recs = self.bulk(Recommendation, recs)
        self.report.counts["advisory_recommendation (with a response)"] = sum(1 for r in recs if r.response)
        links = []
        for rec in recs:
            pool = reviews_of.get(rec.case_id)
            if pool:
                links.append(
                    Recommendation.reviews.through(recommendation_id=rec.pk, review_id=pool[rec.number % len(pool)].pk)
                )
        self.bulk(Recommendation.reviews.through, links)

    # Contests -----------------------------------------------------------------------------------------------------
    def contests(self) -> None:
        S = Edition.Status
        cycle = [S.PUBLISHED, S.JUDGING, S.REVIEW, S.PUBLISHED, S.APPROVED, S.OPEN]
        editions, union_of = [], []
        for union, count in zip(self.unions, self.per_union("editions"), strict=True):
            for i in range(count):
                status = cycle[i % len(cycle)]
                youth = i % 2 == 1
                year = 2026 - (count - i) // 2
                opens = datetime.datetime(year - 1, 3, 1, 1, 0, tzinfo=datetime.UTC)
                title = (
                    f"Cuộc thi Sáng tạo Thanh thiếu niên, Nhi đồng {union.place_name} lần thứ {10 + i}"
                    if youth
                    else f"Hội thi Sáng tạo kỹ thuật {union.place_name} lần thứ {5 + i}"
                )
                done = status in (S.APPROVED, S.PUBLISHED)
                editions.append(
                    Edition(
                        union=union,
                        kind=Edition.Kind.YOUTH if youth else Edition.Kind.TECHNICAL,
                        title=title,
                        number=10 + i if youth else 5 + i,
                        period=f"{year - 1}–{year}",
                        code=f"{'TN' if youth else 'ST'}{i + 1}",
                        summary="Khuyến khích các giải pháp sáng tạo phục vụ phát triển kinh tế – xã hội.",
                        announced_on=opens.date(),
                        registration_opens_at=opens,
                        registration_closes_at=opens + datetime.timedelta(days=180),
                        submission_deadline=opens + datetime.timedelta(days=200),
                        results_on=(opens + datetime.timedelta(days=300)).date(),
                        max_team=5,
                        tie_break="TM, UD",
                        status=status,
                        awards_basis="raw" if done else "",
                        decision_number=f"{self.rng.randint(10, 300)}/QĐ-LHH" if done else "",
                        decision_date=(opens + datetime.timedelta(days=290)).date() if done else None,
                        signatory_name=self.leader_person[union.pk].name if done else "",
                        approved_by=self.accounts[(union.pk, Role.LEADER)] if done else None,
                        approved_at=opens + datetime.timedelta(days=290) if done else None,
                    )
                )
                union_of.append(union)
        editions = self.bulk(Edition, editions)

        cfields, rounds, tiers, items = [], [], [], []
        for edition in editions:
            for f in self.fields[edition.union_id][:5]:
                cfields.append(ContestField(edition=edition, code=f.code, name=f.name, expert_field=f))
            rstatus = {S.OPEN: Round.Status.PENDING, S.JUDGING: Round.Status.OPEN}.get(
                edition.status, Round.Status.CLOSED
            )
            rounds.append(
                Round(
                    edition=edition,
                    order=1,
                    name="Chung khảo",
                    judges_per_entry=4,
                    max_load=40,
                    status=rstatus,
                    due_on=edition.submission_deadline.date() + datetime.timedelta(days=40),
                )
            )
            for rank, (name, score, quota) in enumerate(
                [("Giải Nhất", 85, 1), ("Giải Nhì", 75, 2), ("Giải Ba", 65, 3), ("Giải Khuyến khích", 55, 5)], 1
            ):
                tiers.append(
                    AwardTier(
                        edition=edition,
                        rank=rank,
                        name=name,
                        min_score=Decimal(score),
                        quota_per_field=quota,
                        prize_amount=(5 - rank) * 5_000_000,
                    )
                )
            items.append(DossierItem(edition=edition, name="Thuyết minh giải pháp", order=1))
            items.append(DossierItem(edition=edition, name="Video minh họa", kind="link", required=False, order=2))
        cfields = self.bulk(ContestField, cfields)
        rounds = self.bulk(Round, rounds)
        self.bulk(AwardTier, tiers)
        self.bulk(DossierItem, items)
        criteria = []
        for r in rounds:
            for k, (code, name) in enumerate(
                [
                    ("TM", "Tính mới"),
                    ("KH", "Tính khoa học"),
                    ("UD", "Khả năng ứng dụng"),
                    ("HQ", "Hiệu quả"),
                    ("TB", "Trình bày"),
                ]
            ):
                criteria.append(Criterion(round=r, code=code, name=name, max_points=Decimal(20), order=k))
        criteria = self.bulk(Criterion, criteria)
        criteria_of = defaultdict(list)
        for c in criteria:
            criteria_of[c.round_id].append(c)
        fields_of = defaultdict(list)
        for f in cfields:
            fields_of[f.edition_id].append(f)
        round_of = {r.edition_id: r for r in rounds}

        # Entries, spread over the editions (the first Union's editions are the largest, like its share).
        authors_needed = defaultdict(int)
        counts = split(self.n["entries"], [3 if e.union_id == self.unions[0].pk else 1 for e in editions])
        entries, entry_people = [], []
        for edition, count in zip(editions, counts, strict=True):
            judged = edition.status != S.OPEN
            for k in range(count):
                field_ = fields_of[edition.pk][k % len(fields_of[edition.pk])]
                if judged:
                    status = Entry.Status.REJECTED if k % 25 == 24 else Entry.Status.ACCEPTED
                else:
                    status = [
                        Entry.Status.SUBMITTED,
                        Entry.Status.DRAFT,
                        Entry.Status.SUBMITTED,
                        Entry.Status.RETURNED,
                    ][k % 4]
                term = self.rng.choice(FIELDS)[2][self.rng.randint(0, 4)]
                entries.append(
                    Entry(
                        union_id=edition.union_id,
                        edition=edition,
                        field=field_,
                        title=f"Giải pháp {term} {self.rng.choice(QUALITIES)} số {k + 1}",
                        summary=f"Giải pháp ứng dụng {term} tại địa phương, đã áp dụng thử và cho hiệu quả rõ rệt.",
                        locality=self.rng.choice(self.localities[edition.union_id]),
                        school=self.rng.choice(self.schools[edition.union_id]) if edition.is_youth else None,
                        school_level="THPT" if edition.is_youth else "",
                        number=f"{edition.code}-{k + 1:03d}" if status != Entry.Status.DRAFT else "",
                        status=status,
                        owner=self.accounts[(edition.union_id, Role.ENTRANT)] if k % 10 == 0 else None,
                        submitted_at=edition.submission_deadline - datetime.timedelta(days=self.rng.randint(1, 60))
                        if status != Entry.Status.DRAFT
                        else None,
                    )
                )
                n_authors = self.rng.choice([1, 1, 2, 3])
                entry_people.append(n_authors)
                authors_needed[edition.union_id] += n_authors + (1 if edition.is_youth else 0)
            edition.next_number = count + 1
        Edition.objects.bulk_update(editions, ["next_number"], batch_size=BATCH)
        entries = self.bulk(Entry, entries)

        people = []
        for union in self.unions:
            for _ in range(authors_needed[union.pk]):
                person = Person(
                    union=union,
                    name=self.name(),
                    birth_year=self.rng.randint(1970, 2012),
                    gender=self.rng.choice(["male", "female"]),
                )
                person.fill_search_fields()
                people.append(person)
        people = self.bulk(Person, people)
        pool = defaultdict(list)
        for p in people:
            pool[p.union_id].append(p)
        edition_by_pk = {e.pk: e for e in editions}
        contributors = []
        for entry, n_authors in zip(entries, entry_people, strict=True):
            shares = split(100, [1] * n_authors)
            for k in range(n_authors):
                contributors.append(
                    Contributor(entry=entry, person=pool[entry.union_id].pop(), share=Decimal(shares[k]), order=k)
                )
            if edition_by_pk[entry.edition_id].is_youth:
                contributors.append(
                    Contributor(entry=entry, person=pool[entry.union_id].pop(), role=Contributor.Role.MENTOR)
                )
        self.bulk(Contributor, contributors)

        # Juries of six per field, judges on the accepted entries of judged editions; every sheet scores the rubric.
        judged_entries = [e for e in entries if e.status == Entry.Status.ACCEPTED]
        per_entry = split(self.n["assignments"], [1] * len(judged_entries)) if judged_entries else []
        juries, jury_members, assignments = {}, defaultdict(set), []
        expert_user_judges = set()
        for entry, k in zip(judged_entries, per_entry, strict=True):
            edition = edition_by_pk[entry.edition_id]
            key = (edition.pk, entry.field_id)
            if key not in juries:
                code = next(f.code for f in fields_of[edition.pk] if f.pk == entry.field_id)
                candidates = self.experts_by_field[(edition.union_id, code)] or self.experts_of[edition.union_id]
                size = max(6, k)
                jury = self.rng.sample(candidates, min(size, len(candidates)))
                if len(jury) < k:
                    jury += self.rng.sample(
                        [x for x in self.experts_of[edition.union_id] if x not in jury], k - len(jury)
                    )
                if edition.status == S.JUDGING and edition.union_id not in expert_user_judges:
                    first = self.experts_of[edition.union_id][0]  # the expert account has sheets to score
                    if first not in jury:
                        jury[0] = first
                    expert_user_judges.add(edition.union_id)
                juries[key] = jury
            judges = juries[key][:k] if len(juries[key]) == k else self.rng.sample(juries[key], k)
            if (
                self.experts_of[edition.union_id][0] in juries[key]
                and self.experts_of[edition.union_id][0] not in judges
            ):
                judges[0] = self.experts_of[edition.union_id][0]
            for expert in judges:
                jury_members[key].add(expert.pk)
                if edition.status == S.JUDGING:
                    status = Assignment.Status.SUBMITTED if self.rng.random() < 0.6 else Assignment.Status.CONFIRMED
                else:
                    status = Assignment.Status.SUBMITTED
                assignments.append(
                    Assignment(
                        union_id=entry.union_id,
                        round=round_of[edition.pk],
                        entry=entry,
                        expert=expert,
                        status=status,
                        affinity=round(self.rng.random(), 3),
                        comment="Giải pháp có tính mới, cần hoàn thiện thêm.",
                        saved_at=self.now - datetime.timedelta(days=2),
                        submitted_at=self.now - datetime.timedelta(days=1)
                        if status == Assignment.Status.SUBMITTED
                        else None,
                    )
                )
        assignments = self.bulk(Assignment, assignments)
        jury_rows = self.bulk(Jury, [Jury(round=round_of[ed], field_id=fid) for ed, fid in juries])
        self.bulk(
            Jury.members.through,
            [
                Jury.members.through(jury_id=j.pk, expert_id=x)
                for j, key in zip(jury_rows, juries, strict=True)
                for x in sorted(jury_members[key])
            ],
        )
        quality = {e.pk: self.rng.uniform(8, 19) for e in judged_entries}
        bias = {}
        scores = []
        for a in assignments:
            b = bias.setdefault(a.expert_id, self.rng.uniform(-2, 2))
            for c in criteria_of[a.round_id]:
                points = min(20.0, max(0.0, quality[a.entry_id] + b + self.rng.uniform(-2, 2)))
                scores.append(Score(assignment=a, criterion=c, points=Decimal(f"{points:.2f}")))
        self.bulk(Score, scores)
        self.report.counts["contests_entry (accepted)"] = len(judged_entries)

        # Awards of the editions whose results are under review, approved or published: the rules' proposal.

        awards = []
        for edition in editions:
            if edition.status in (S.REVIEW, S.APPROVED, S.PUBLISHED):
                table = results.store_results(round_of[edition.pk])  # stored as the services store it
                for row in table.rows:
                    awards.append(
                        Award(
                            entry=row.entry,
                            proposed_tier=row.tier,
                            tier=row.tier,
                            score=row.mean,
                            rank=row.rank,
                            note=row.note[:500],
                        )
                    )
        self.bulk(Award, awards)

    # Outreach -----------------------------------------------------------------------------------------------------
    def outreach(self) -> None:
        sessions = []
        for union, count in zip(self.unions, self.per_union("sessions"), strict=True):
            for i in range(count):
                unit = self.rng.choice(self.localities[union.pk])
                held = self.today - datetime.timedelta(
                    days=(count - i) * 1000 // max(count, 1) + self.rng.randint(0, 9) - 5
                )
                title = f"Làm việc với UBND {unit.name.lower()} về {self.rng.choice(FIELDS)[2][self.rng.randint(0, 4)]}"
                s = WorkSession(
                    union=union,
                    title=normalize(title),
                    held_on=held,
                    starts_at=datetime.time(8, 0),
                    place=f"Hội trường UBND {unit.name}",
                    admin_unit=unit,
                    summary="Trao đổi về nhu cầu tư vấn, phản biện và hội thi sáng tạo.",
                )
                s.search_folded = fold(f"{s.title} {s.place}")
                sessions.append(s)
        sessions = self.bulk(WorkSession, sessions)
        topics = [t.value for t in Topic]
        agenda = []
        for s in sessions:
            for k in range(3):
                agenda.append(
                    AgendaItem(session=s, order=k + 1, title=f"Nội dung {k + 1}", topic=topics[k % len(topics)])
                )
        agenda = self.bulk(AgendaItem, agenda)
        agenda_of = defaultdict(list)
        for a in agenda:
            agenda_of[a.session_id].append(a)
        links = [
            WorkSession.agencies.through(worksession_id=s.pk, agency_id=self.rng.choice(self.agencies[s.union_id]).pk)
            for s in sessions
        ]
        self.bulk(WorkSession.agencies.through, links)
        counts = split(self.n["action_items"], [1] * len(sessions))
        items = []
        statuses = ["open", "in_progress", "done", "done", "open", "dropped", "done", "in_progress"]
        for s, count in zip(sessions, counts, strict=True):
            for k in range(count):
                status = statuses[(s.pk + k) % len(statuses)]
                by_agency = k % 2 == 0
                due = s.held_on + datetime.timedelta(days=self.rng.randint(15, 120))
                items.append(
                    ActionItem(
                        union_id=s.union_id,
                        session=s,
                        agenda_item=agenda_of[s.pk][k % 3],
                        title=f"Chuẩn bị hồ sơ đề nghị phản biện {self.rng.choice(FIELDS)[1].lower()} ({k + 1})",
                        owner_agency=self.rng.choice(self.agencies[s.union_id]) if by_agency else None,
                        owner_person=None if by_agency else self.leader_person[s.union_id],
                        locality=s.admin_unit,
                        due_on=due,
                        status=status,
                        drop_reason="Địa phương không còn nhu cầu." if status == "dropped" else "",
                        evidence="Đã gửi văn bản." if status == "done" else "",
                        completed_on=due - datetime.timedelta(days=3) if status == "done" else None,
                    )
                )
        self.bulk(ActionItem, items)

    # Portal -------------------------------------------------------------------------------------------------------
    def portal(self) -> None:
        articles = []
        for union, count in zip(self.unions, self.per_union("articles"), strict=True):
            for i in range(count):
                term = self.rng.choice(FIELDS)[2][self.rng.randint(0, 4)]
                title = normalize(f"{union.short_name} hội thảo khoa học về {term} lần {i + 1}")
                r = self.rng.random()
                status = "published" if r < 0.85 else ("draft" if r < 0.93 else ("review" if r < 0.97 else "archived"))
                published = self.now - datetime.timedelta(hours=(count - i) * 24 * 2000 // max(count, 1))
                if status == "published" and i == count - 1:
                    published = self.now + datetime.timedelta(days=3)  # one scheduled article
                lead = f"Sáng nay, {union.short_name} tổ chức hội thảo về {term} với sự tham gia của các nhà khoa học."
                body = "".join(
                    f"<p>Đoạn {k + 1}: các đại biểu thảo luận về {term}, ứng dụng khoa học và công nghệ.</p>"
                    for k in range(4)
                )
                articles.append(
                    Article(
                        union=union,
                        title=title,
                        slug=f"{slugify(fold(title))[:100]}-{i + 1}",
                        lead=lead,
                        body=body,
                        author=self.name(),
                        status=status,
                        published_at=published if status in ("published", "archived") else None,
                        created_by=self.accounts[(union.pk, Role.STAFF)],
                    )
                )
        # Article.save() would add the search row one by one: the bulk path writes them below.
        articles = self.bulk(Article, articles)
        documents = []
        for union, count in zip(self.unions, self.per_union("documents"), strict=True):
            for i in range(count):
                doc_type = DOC_TYPES[i % len(DOC_TYPES)]
                issued = self.today - datetime.timedelta(days=(count - i) * 3000 // max(count, 1))
                symbol = normalize(f"{i + 1}/{issued.year}/{DOC_SYMBOL[doc_type]}-UBND")
                term = self.rng.choice(FIELDS)[2][self.rng.randint(0, 4)]
                d = LegalDocument(
                    union=union,
                    number_symbol=symbol,
                    number_key=number_key(symbol),
                    doc_type=doc_type,
                    issuer=f"UBND tỉnh {union.place_name}",
                    issued_on=issued,
                    effective_on=issued,
                    summary=normalize(f"Về việc triển khai {term} trên địa bàn tỉnh {union.place_name}"),
                    fields="Khoa học và công nghệ, Tư vấn phản biện",
                    is_public=i % 5 != 4,
                )
                d.search_folded = fold(f"{d.number_symbol} {d.issuer} {d.summary} {d.fields}")
                d.sort_key = sort_key(d.number_symbol)[:600]
                documents.append(d)
        documents = self.bulk(LegalDocument, documents)

        slugs = {u.pk: u.slug for u in self.unions}
        article_type = ContentType.objects.get_for_model(Article)
        document_type = ContentType.objects.get_for_model(LegalDocument)
        with translation.override("vi"):  # the index holds Vietnamese titles whatever the interface language
            labels = {k: str(v) for k, v in LegalDocument.DocType.choices}
        article_url = reverse("portal:article_detail", args=["UNION", "SLUG"])
        document_url = reverse("portal:document_detail", args=["UNION", 999999999])
        entries = []
        for a in articles:
            title = a.title[:400]
            text = f"{a.lead} {richtext.to_text(a.body)}"
            entries.append(
                SearchEntry(
                    union_id=a.union_id,
                    kind="news",
                    content_type=article_type,
                    object_id=a.pk,
                    title=title,
                    text=text,
                    title_folded=search_text(title)[:400],
                    folded=search_text(f"{title} {text}"),
                    url=article_url.replace("UNION", slugs[a.union_id]).replace("SLUG", a.slug),
                    is_public=a.status == "published" and a.published_at is not None,
                    visible_from=a.published_at,
                    dated=a.published_at,
                )
            )
        for d in documents:
            title = f"{labels[d.doc_type]} {d.number_symbol}"
            text = f"{d.summary} · {d.issuer} · {d.fields}"
            day = datetime.datetime.combine(d.issued_on, datetime.time(), tzinfo=datetime.UTC)
            entries.append(
                SearchEntry(
                    union_id=d.union_id,
                    kind="document",
                    content_type=document_type,
                    object_id=d.pk,
                    title=title,
                    text=text,
                    title_folded=search_text(title)[:400],
                    folded=search_text(f"{title} {text}"),
                    url=document_url.replace("UNION", slugs[d.union_id]).replace("999999999", str(d.pk)),
                    is_public=d.is_public,
                    visible_from=None,
                    dated=day,
                )
            )
        self.bulk(SearchEntry, entries)


def generate(scale: float = 1.0, seed: int = 1, out=None) -> Report:
    """Generate the data set into an empty database (raises UnionsExist if any Union is there)."""
    return Generator(scale, seed, out).run()


def row_counts(report: Report) -> list[tuple[str, int]]:
    return sorted(report.counts.items())
