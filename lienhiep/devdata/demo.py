"""Demo data drawn from the seed article (Báo Kon Tum, 11/11/2021): the Kon Tum Union, its leader and staff,
Tu Mơ Rông and Đăk Tô with their Huyện ủy and UBND, a few experts of member associations; two more Unions
(Quảng Ngãi, Gia Lai) with a year of work each and a few records of last year for Kon Tum
(lienhiep.devdata.unions), so that the national body's view (the `trunguong` login) compares three Unions and
tenant isolation can be seen.

Demo accounts share one password and exist only on machines that are not in production."""

import datetime
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from lienhiep.core import places
from lienhiep.core.mfa import activate_totp, totp_secret
from lienhiep.core.models import AdminUnit, Agency, MemberAssociation, Membership, Person, Role, Union, User
from lienhiep.devdata import advisory, contests, experts, national, outreach, portal, unions
from lienhiep.paperwork.demo_authority import ensure_demo_authority

DEMO_PASSWORD = "kontum-2021-demo"


@dataclass
class DemoLogin:
    username: str
    role: str
    union: str
    totp_secret: str | None


DEMO_USERS = [
    # username, full name, e-mail, role, union slug, agency name (for representatives)
    ("quantri", "Trần Quốc Huy", "quantri@lienhiep.test", Role.PLATFORM_ADMIN, None, None),
    ("admin.kontum", "Lê Thị Thu Hà", "admin.kontum@lienhiep.test", Role.UNION_ADMIN, "kontum", None),
    ("lanhdao", "Nguyễn Văn Sơn", "lanhdao@lienhiep.test", Role.LEADER, "kontum", None),
    ("canbo", "Phạm Thị Hồng Nhung", "canbo@lienhiep.test", Role.STAFF, "kontum", None),
    ("chuyengia", "Y Blong", "chuyengia@lienhiep.test", Role.EXPERT, "kontum", None),
    ("daidien.dakto", "A Thuận", "daidien.dakto@lienhiep.test", Role.AGENCY_REP, "kontum", "UBND huyện Đăk Tô"),
    ("thisinh", "Đinh Văn Khang", "thisinh@lienhiep.test", Role.ENTRANT, "kontum", None),
    ("canbo.quangngai", "Võ Minh Tâm", "canbo.quangngai@lienhiep.test", Role.STAFF, "quangngai", None),
    ("lanhdao.quangngai", "Phan Văn Lộc", "lanhdao.quangngai@lienhiep.test", Role.LEADER, "quangngai", None),
    ("canbo.gialai", "Rơ Mah Thúy", "canbo.gialai@lienhiep.test", Role.STAFF, "gialai", None),
    ("lanhdao.gialai", "Lê Thị Thu Hương", "lanhdao.gialai@lienhiep.test", Role.LEADER, "gialai", None),
    # the national body (VUSTA): every Union's aggregate figures, no Union of its own
    ("trunguong", "Đặng Vũ Minh", "trunguong@lienhiep.test", Role.NATIONAL, None, None),
]


def load_demo() -> list[DemoLogin]:
    """Load the demo if the database has no Union yet; return the demo logins (one per role)."""
    if settings.PRODUCTION:
        raise ImproperlyConfigured("Demo data is never loaded in production.")
    if not Union.objects.exists():
        _load()
    ensure_demo_authority(Union.objects.all())  # a test authority, so that issued PDFs are signed on a laptop
    return demo_logins()


def demo_logins() -> list[DemoLogin]:
    logins = []
    for username, _name, _email, role, union_slug, _agency in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is not None:
            logins.append(
                DemoLogin(
                    username,
                    str(Role(role).label),
                    union_slug or "*",
                    totp_secret(user) if role in settings.LIENHIEP_MFA_REQUIRED_ROLES else None,
                )
            )
    return logins


@transaction.atomic
def _load() -> None:
    _load_registry()
    # each app's demo data after the registry's, in this order (later ones use earlier ones); then the year of
    # work of the other Unions, and last year's annual reports sent to the national body
    for module in (experts, portal, outreach, advisory, contests, unions, national):
        module.load()


def _load_registry() -> None:
    # Kon Tum's group brings the old Kon Tum and Quảng Ngãi and today's Quảng Ngãi; Gia Lai's, the old Gia Lai
    # and Bình Định and today's Gia Lai
    day_2021 = datetime.date(2021, 11, 11)
    missing = [
        name
        for name in ("Kon Tum", "Gia Lai")
        if not AdminUnit.objects.filter(AdminUnit.valid_on_q(day_2021), level="province", short_name=name).exists()
    ]
    if missing:
        report = places.import_units(places.package_rows(missing))
        if report.errors:
            raise RuntimeError(f"Administrative units failed to load: {report.errors[:3]}")
    kontum_province = AdminUnit.objects.filter(
        AdminUnit.valid_on_q(day_2021), level="province", name_folded__contains="kon tum"
    ).first()

    def district(short: str) -> AdminUnit | None:
        return AdminUnit.objects.filter(
            AdminUnit.valid_on_q(day_2021), level="district", name_folded__contains=short, parent=kontum_province
        ).first()

    kontum = Union.objects.create(
        name="Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Kon Tum",
        short_name="LHH Kon Tum",
        slug="kontum",
        province=kontum_province,
        governing_body="UBND TỈNH KON TUM",
        issuing_body="LIÊN HIỆP CÁC HỘI KHOA HỌC VÀ KỸ THUẬT",
        document_symbol="LHH",
        place_name="Kon Tum",
        signatory_title="CHỦ TỊCH",
        address="Thành phố Kon Tum, tỉnh Kon Tum",
        email="lienhiephoi@kontum.test",
    )
    # the other Unions' registries (agencies, member associations, their leader and staff)
    persons = {}
    for story in unions.STORIES:
        if story.name:
            persons.update(unions.create_registry(story))

    def agency(name, kind, unit=None, parent=None, short=""):
        return Agency.objects.create(
            union=kontum, name=name, kind=kind, admin_unit=unit, parent=parent, short_name=short
        )

    K = Agency.Kind
    ubnd_tinh = agency("UBND tỉnh Kon Tum", K.PEOPLES_COMMITTEE, kontum_province)
    agency("Tỉnh ủy Kon Tum", K.PARTY_COMMITTEE, kontum_province)
    so_khcn = agency("Sở Khoa học và Công nghệ tỉnh Kon Tum", K.DEPARTMENT, kontum_province, ubnd_tinh, "Sở KH&CN")
    agency("Sở Giáo dục và Đào tạo tỉnh Kon Tum", K.DEPARTMENT, kontum_province, ubnd_tinh, "Sở GD&ĐT")
    tu_mo_rong, dak_to = district("tu mo rong"), district("dak to")
    agency("Huyện ủy Tu Mơ Rông", K.PARTY_COMMITTEE, tu_mo_rong)
    ubnd_tmr = agency("UBND huyện Tu Mơ Rông", K.PEOPLES_COMMITTEE, tu_mo_rong, ubnd_tinh)
    agency("Huyện ủy Đăk Tô", K.PARTY_COMMITTEE, dak_to)
    ubnd_dakto = agency("UBND huyện Đăk Tô", K.PEOPLES_COMMITTEE, dak_to, ubnd_tinh)
    phong_nn = agency(
        "Phòng Nông nghiệp và Phát triển nông thôn huyện Đăk Tô",
        K.DEPARTMENT,
        dak_to,
        ubnd_dakto,
        "Phòng NN&PTNT Đăk Tô",
    )
    agency("Phòng Kinh tế - Hạ tầng huyện Tu Mơ Rông", K.DEPARTMENT, tu_mo_rong, ubnd_tmr)
    dai_hoc = agency("Phân hiệu Đại học Đà Nẵng tại Kon Tum", K.SCHOOL, kontum_province)
    agency("Báo Kon Tum", K.OTHER, kontum_province)

    def association(name, short, fields, members=None):
        return MemberAssociation.objects.create(
            union=kontum, name=name, short_name=short, field_summary=fields, member_count=members
        )

    hoi_y = association("Hội Y học tỉnh Kon Tum", "Hội Y học", "Y tế, dược", 420)
    hoi_nn = association(
        "Hội Khoa học Kỹ thuật Nông nghiệp tỉnh Kon Tum", "Hội KHKT Nông nghiệp", "Nông nghiệp, lâm nghiệp", 180
    )
    hoi_kts = association("Hội Kiến trúc sư tỉnh Kon Tum", "Hội KTS", "Kiến trúc, quy hoạch, xây dựng", 65)
    association("Hội Khoa học Lịch sử tỉnh Kon Tum", "Hội KH Lịch sử", "Lịch sử, văn hóa", 90)
    association("Hội Làm vườn tỉnh Kon Tum", "Hội Làm vườn", "Kinh tế vườn, trang trại", 1200)
    hoi_tin = association("Hội Tin học tỉnh Kon Tum", "Hội Tin học", "Công nghệ thông tin", 75)

    def person(name, **kw):
        return Person.objects.create(union=kw.pop("union", kontum), name=name, **kw)

    persons |= {
        "lanhdao": person("Nguyễn Văn Sơn", birth_year=1968, gender="male", degree="ThS", position="Chủ tịch"),
        "canbo": person(
            "Phạm Thị Hồng Nhung",
            birth_year=1987,
            gender="female",
            degree="CN",
            position="Chuyên viên Ban Tư vấn, phản biện",
        ),
        "chuyengia": person(
            "Y Blong",
            birth_year=1975,
            gender="male",
            degree="TS",
            position="Giảng viên",
            agency=dai_hoc,
            association=hoi_nn,
            email="chuyengia@lienhiep.test",
        ),
        "daidien.dakto": person(
            "A Thuận", birth_year=1979, gender="male", position="Chánh Văn phòng", agency=ubnd_dakto
        ),
    }
    person(
        "Trần Thị Minh Thư",
        birth_year=1972,
        gender="female",
        academic_title="PGS",
        degree="TS",
        position="Trưởng khoa",
        agency=dai_hoc,
        association=hoi_kts,
    )
    person(
        "Lê Văn Bình", birth_year=1965, gender="male", degree="BS", position="Phó Giám đốc Bệnh viện", association=hoi_y
    )
    person(
        "Hoàng Ngọc Ánh",
        birth_year=1983,
        gender="female",
        degree="ThS",
        position="Phó Trưởng phòng",
        agency=so_khcn,
        association=hoi_tin,
    )
    person(
        "Nguyễn Thị Ánh",
        birth_year=1990,
        gender="female",
        degree="KS",
        position="Kỹ sư nông nghiệp",
        agency=phong_nn,
        association=hoi_nn,
    )

    agencies = {"UBND huyện Đăk Tô": ubnd_dakto}
    by_slug = {union.slug: union for union in Union.objects.all()}
    password = make_password(DEMO_PASSWORD)  # hashed once (half a second a hash): every demo account shares it
    for username, full_name, email, role, union_slug, agency_name in DEMO_USERS:
        user = User.objects.create_user(username=username, email=email, password=None, full_name=full_name)
        user.password = password
        user.save(update_fields=["password"])
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
        union = by_slug.get(union_slug)
        Membership.objects.create(user=user, union=union, role=role, agency=agencies.get(agency_name))
        if username in persons:
            persons[username].user = user
            persons[username].save()
        if role in settings.LIENHIEP_MFA_REQUIRED_ROLES:
            activate_totp(user)
