"""One fixed cast for every test: the Kon Tum Union with a user per role, and an outsider Union with its staff.

The cast is built once per test session (per xdist worker), committed, and kept as a database state
(tests/dbstate.py): a test in a transaction rolls back to it, and a transactional test puts it back when it ends.
The demo data is built once too, the first time a test asks for it (the `demo` fixture)."""

import copy
import datetime
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings as django_settings
from django.core.files.storage import storages
from django.db import transaction
from django.test import TransactionTestCase, override_settings
from django.utils import translation

from lienhiep.core.mfa import activate_totp
from lienhiep.core.models import AdminUnit, Agency, MemberAssociation, Membership, Person, Role, Union, User
from lienhiep.paperwork import register
from lienhiep.portal.models import LegalDocument
from tests import dbstate
from tests.tools import docx_as_plain_pdf

PASSWORD = "mat-khau-thu-nghiem-2021"
TEST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_xdist_auto_num_workers(config) -> int | None:
    """`-n auto` (the default, in pyproject.toml) runs one worker per core, each with its own test database,
    except when every argument names one file or one test (`tests/x.py`, `tests/x.py::test_y`): those run in
    this process, without starting workers that would each migrate a database for a handful of tests."""
    args = [arg for arg in config.invocation_params.args if not arg.startswith("-")]
    if args and all(arg.split("::")[0].endswith(".py") for arg in args):
        return 0
    return None  # xdist's own count of cores


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.STORAGES = storages_in(tmp_path / "private")
    settings.LIENHIEP_SIGNING_DIR = tmp_path / "signing"  # no demo authority unless a test makes one
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.PASSWORD_HASHERS = TEST_PASSWORD_HASHERS
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.AXES_ENABLED = True
    # Public pages are not kept between requests (the local cache outlives a test's database); the tests of that
    # cache turn it on (tests/core/test_public_page_cache.py).
    settings.LIENHIEP_PUBLIC_PAGE_CACHE_SECONDS = 0
    # The cache is a database table: each test's rollback empties it (browser tests clear it themselves).
    # Each test starts in Vietnamese, as a user does: a page asked for in English (a cookie) leaves English active
    # in the thread, and the next test of the same worker would read its messages in English.
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _quick_pdf_conversion(request, monkeypatch):
    """The worker converts issued documents with a quick stand-in for LibreOffice (a second or more a document,
    run by every journey that issues one); tests marked `libreoffice` convert for real."""
    if not request.node.get_closest_marker("libreoffice"):
        monkeypatch.setattr(register, "docx_to_pdf", docx_as_plain_pdf)


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
    national: User  # the national body (VUSTA): every Union's aggregates, nothing below them
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
            "national": self.national,
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


def build_cast() -> Cast:
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
        national=make_user("vusta", "Đặng Vũ Minh", Role.NATIONAL, None),
        agency=agency,
        outsider_agency=outsider_agency,
        association=association,
        person=person,
        public_document=public_document,
        private_document=private_document,
        district=district,
    )


_built: dict[str, Cast] = {}


def _put_back_the_cast(self) -> None:
    """Replaces TransactionTestCase's flush: the database holds the cast again, committed, for the next test."""
    for alias in self._databases_names(include_mirrors=False):
        assert alias == "default", alias
        dbstate.restore("cast")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database as pytest-django makes it (migrated), then the cast, committed; both kept as states."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=TEST_PASSWORD_HASHERS):
        dbstate.save("migrated")
        with transaction.atomic():
            _built["cast"] = build_cast()
        dbstate.save("cast")
    flush = TransactionTestCase._fixture_teardown
    TransactionTestCase._fixture_teardown = _put_back_the_cast
    yield
    TransactionTestCase._fixture_teardown = flush
    with django_db_blocker.unblock():
        _end_other_sessions()


def _end_other_sessions() -> None:
    """On PostgreSQL, end the sessions that threads of earlier tests left open on the test database (a thread's
    connection outlives the thread), so that pytest-django can drop it."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    # a fresh connection: the one held may have been ended already (the fault tests end sessions on purpose)
    connection.close()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture
def cast(db) -> Cast:
    """The cast: fresh Python objects for each test, for the rows the session committed."""
    return copy.deepcopy(_built["cast"])


@pytest.fixture
def empty_db(transactional_db) -> None:
    """The database as `migrate` leaves it (no cast), committed, for a test that needs no Union at all; the test
    is transactional: when it ends the cast is put back."""
    dbstate.restore("migrated")


def storages_in(location: Path) -> dict:
    """Files in a folder of the test's own; static files as they are in the source tree."""
    return {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": location}},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(scope="session")
def _demo_state(django_db_setup, django_db_blocker, tmp_path_factory) -> Path:
    """The demo data, loaded once on the migrated database and kept as the state "demo"; its files (images,
    certificates, dossiers) in a folder of their own, returned."""
    from lienhiep.devdata.demo import load_demo

    files = tmp_path_factory.mktemp("demo-files")
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=TEST_PASSWORD_HASHERS, STORAGES=storages_in(files)),
    ):
        dbstate.restore("migrated")
        load_demo()
        dbstate.save("demo")
        dbstate.restore("cast")
    return files


@pytest.fixture
def demo(_demo_state, transactional_db):
    """The database holds the demo data (instead of the cast), committed, for this test, and the test's file
    folder the demo's files; returns the demo logins (one per role). The test is transactional: when it ends the
    cast is put back."""
    from lienhiep.devdata.demo import demo_logins

    dbstate.restore("demo")
    shutil.copytree(_demo_state, storages["default"].location, dirs_exist_ok=True)
    return demo_logins()


@pytest.fixture
def client_for(client):
    """client_for(user) → a test client signed in as that user (None: anonymous)."""
    from django.test import Client

    def make(user: User | None) -> Client:
        c = Client()
        if user is not None:
            c.force_login(user, backend="lienhiep.core.auth.AuthenticationBackend")
        return c

    return make
