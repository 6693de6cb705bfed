"""One fixed cast for every test: the Kon Tum Union with a user per role, and an outsider Union with its staff."""

import datetime
from dataclasses import dataclass

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings as django_settings

from lienhiep.core.mfa import activate_totp
from lienhiep.core.models import AdminUnit, Agency, MemberAssociation, Membership, Person, Role, Union, User
from lienhiep.portal.models import LegalDocument

PASSWORD = "mat-khau-thu-nghiem-2021"


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.STORAGES = {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.AXES_ENABLED = True
    # The cache is a database table: each test's rollback empties it (browser tests clear it themselves).


@dataclass
class Cast:
    union: Union
    outsider_union: Union
    platform_admin: User
    union_admin: User
    leader: User
    staff: User
    expert: User
    agency_rep: User
    entrant: User
    outsider_staff: User
    agency: Agency
    outsider_agency: Agency
    association: MemberAssociation
    person: Person
    public_document: LegalDocument
    private_document: LegalDocument
    district: AdminUnit

    def users_by_role(self) -> dict[str, User]:
        return {
            "platform_admin": self.platform_admin,
            "union_admin": self.union_admin,
            "leader": self.leader,
            "staff": self.staff,
            "expert": self.expert,
            "agency_rep": self.agency_rep,
            "entrant": self.entrant,
            "outsider_staff": self.outsider_staff,
        }


def make_user(username: str, full_name: str, role: str | None, union: Union | None, agency=None) -> User:
    user = User.objects.create_user(
        username=username, email=f"{username}@example.test", password=PASSWORD, full_name=full_name
    )
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    if role:
        Membership.objects.create(user=user, union=union, role=role, agency=agency)
        if role in django_settings.LIENHIEP_MFA_REQUIRED_ROLES:
            activate_totp(user)
    return user


@pytest.fixture
def cast(db) -> Cast:
    province = AdminUnit.objects.create(
        code="62",
        name="Tỉnh Kon Tum",
        short_name="Kon Tum",
        kind="Tỉnh",
        level="province",
        valid_to=datetime.date(2025, 6, 30),
    )
    district = AdminUnit.objects.create(
        code="612",
        name="Huyện Đăk Tô",
        short_name="Đăk Tô",
        kind="Huyện",
        level="district",
        parent=province,
        valid_to=datetime.date(2025, 6, 30),
    )
    union = Union.objects.create(
        name="Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Kon Tum",
        short_name="LHH Kon Tum",
        slug="kontum",
        province=province,
        issuing_body="LIÊN HIỆP CÁC HỘI KH&KT",
        place_name="Kon Tum",
    )
    outsider = Union.objects.create(
        name="Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Quảng Ngãi",
        short_name="LHH Quảng Ngãi",
        slug="quangngai",
        issuing_body="LHH QUẢNG NGÃI",
        place_name="Quảng Ngãi",
    )
    agency = Agency.objects.create(
        union=union, name="UBND huyện Đăk Tô", kind=Agency.Kind.PEOPLES_COMMITTEE, admin_unit=district
    )
    outsider_agency = Agency.objects.create(
        union=outsider, name="UBND tỉnh Quảng Ngãi", kind=Agency.Kind.PEOPLES_COMMITTEE
    )
    association = MemberAssociation.objects.create(union=union, name="Hội Y học tỉnh Kon Tum")
    person = Person.objects.create(union=union, name="Nguyễn Văn An", agency=agency, association=association)
    public_document = LegalDocument.objects.create(
        union=union,
        number_symbol="48/2017/QĐ-UBND",
        doc_type="decision",
        issuer="UBND tỉnh Kon Tum",
        issued_on=datetime.date(2017, 9, 27),
        summary="Quy định về hoạt động tư vấn, phản biện và giám định xã hội",
    )
    private_document = LegalDocument.objects.create(
        union=union,
        number_symbol="01/KH-LHH",
        doc_type="plan",
        issuer="LHH Kon Tum",
        is_public=False,
        issued_on=datetime.date(2022, 1, 5),
        summary="Kế hoạch nội bộ chưa công bố",
    )
    return Cast(
        union=union,
        outsider_union=outsider,
        platform_admin=make_user("platform", "Trần Quốc Huy", Role.PLATFORM_ADMIN, None),
        union_admin=make_user("uadmin", "Lê Thị Hà", Role.UNION_ADMIN, union),
        leader=make_user("leader", "Nguyễn Văn Sơn", Role.LEADER, union),
        staff=make_user("staff", "Phạm Thị Nhung", Role.STAFF, union),
        expert=make_user("expert", "Y Blong", Role.EXPERT, union),
        agency_rep=make_user("rep", "A Thuận", Role.AGENCY_REP, union, agency=agency),
        entrant=make_user("entrant", "Đinh Văn Khang", Role.ENTRANT, union),
        outsider_staff=make_user("outsider", "Võ Minh Tâm", Role.STAFF, outsider),
        agency=agency,
        outsider_agency=outsider_agency,
        association=association,
        person=person,
        public_document=public_document,
        private_document=private_document,
        district=district,
    )


@pytest.fixture
def client_for(client):
    """client_for(user) → a test client signed in as that user (None: anonymous)."""
    from django.test import Client

    def make(user: User | None) -> Client:
        c = Client()
        if user is not None:
            c.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
        return c

    return make
