"""Core registry: tenants (Union), accounts and roles, administrative units, agencies, member associations,
people, attachments and the activity log that feeds every timeline."""

import datetime
import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lienhiep.core.text import fold, normalize, official_date, person_sort_key, sort_key


class Role(models.TextChoices):
    PLATFORM_ADMIN = "platform_admin", _("Platform administrator")
    UNION_ADMIN = "union_admin", _("Union administrator")
    STAFF = "staff", _("Union staff")
    LEADER = "leader", _("Union leader")
    EXPERT = "expert", _("Expert")
    AGENCY_REP = "agency_rep", _("Agency representative")
    ENTRANT = "entrant", _("Entrant")
    NATIONAL = "national", _("National body (VUSTA)")


# Roles held across the platform, with a membership that names no Union: they are never offered in a Union's
# list of users and roles, and no Union-wide permission admits them.
PLATFORM_ROLES = frozenset({Role.PLATFORM_ADMIN, Role.NATIONAL})
UNION_ROLES = tuple(role for role in Role if role not in PLATFORM_ROLES)


class SearchableName(models.Model):
    """A name kept NFC-normalised, with its folded search form and its Vietnamese sort key."""

    name_folded = models.CharField(max_length=500, editable=False, db_index=True, default="")
    sort_key = models.CharField(max_length=1200, editable=False, db_index=True, default="")

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.fill_search_fields()
        super().save(*args, **kwargs)

    def fill_search_fields(self) -> None:
        """Normalise the name and derive its search form and sort key (also called before bulk writes)."""
        self.name = normalize(self.name)
        self.name_folded = fold(" ".join(filter(None, [self.name, getattr(self, "short_name", "")])))
        self.sort_key = self.compute_sort_key()[:1200]

    def compute_sort_key(self) -> str:
        return sort_key(self.name)


class LienhiepUserManager(UserManager):
    def get_by_natural_key(self, username):
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


def new_access_key() -> str:
    return uuid.uuid4().hex


class User(AbstractUser):
    """An account. Vietnamese names are one full name; lists sort them by given name.

    `access_key` names the current state of what decides the user's access (their memberships, their
    authenticators, the Unions they are in): a signal renews it whenever one of them is saved or deleted
    (core/signals.py), and so do the querysets' update() and bulk_create() of memberships and Unions (which send
    no signal); what is cached of them is kept under it (core/rules.py), so a role removed takes effect on the next
    request. Raw SQL on those tables would bypass this."""

    first_name = None
    last_name = None
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    sort_key = models.CharField(max_length=1200, editable=False, db_index=True, default="")
    access_key = models.CharField(max_length=32, default=new_access_key, editable=False)
    history = HistoricalRecords(excluded_fields=["password", "last_login", "access_key"])

    objects = LienhiepUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def save(self, *args, **kwargs):
        self.full_name = normalize(self.full_name)
        self.sort_key = person_sort_key(self.full_name or self.username)[:1200]
        if not self._state.adding and not args and kwargs.get("update_fields") is None:
            # the access key is written only when renewed (renew_access_keys): a copy of the user read before a
            # renewal must not put the old key back when it is saved
            kwargs["update_fields"] = [
                f.name for f in self._meta.concrete_fields if not f.primary_key and f.name != "access_key"
            ]
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def get_short_name(self) -> str:
        return self.get_full_name()

    def __str__(self) -> str:
        return self.get_full_name()


class AdminUnit(SearchableName):
    """An administrative unit (province, district, commune/ward) valid over a span of dates.

    The 2025 reform abolished districts and merged provinces: old units keep their names and dates, point
    to their successors, and forms offer only units valid on the day.
    """

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        DISTRICT = "district", _("District")
        COMMUNE = "commune", _("Commune")

    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=200, help_text=_("Full name, e.g. Huyện Đăk Tô"))
    short_name = models.CharField(_("short name"), max_length=200, help_text=_("e.g. Đăk Tô"))
    kind = models.CharField(_("kind"), max_length=50, help_text=_("e.g. Huyện, Thành phố, Xã, Phường"))
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    successors = models.ManyToManyField(
        "self", verbose_name=_("successor units"), symmetrical=False, blank=True, related_name="predecessors"
    )
    history = HistoricalRecords(m2m_fields=[successors])

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["level", "code", "valid_from"], name="adminunit_unique_code_period"),
            models.UniqueConstraint(
                fields=["level", "code"], condition=Q(valid_from__isnull=True), name="adminunit_unique_code_open_start"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="adminunit_valid_span",
            ),
        ]

    def __str__(self) -> str:
        return self.full_path()

    def full_path(self) -> str:
        """'huyện Đăk Tô, tỉnh Kon Tum': the unit and its ancestors, as addresses are written."""
        parts = []
        unit: AdminUnit | None = self
        while unit is not None:
            parts.append(unit.title())
            unit = unit.parent
        return ", ".join(parts)

    def title(self) -> str:
        """'huyện Đăk Tô' — the kind in lower case before the short name, as in running text."""
        if self.kind and self.short_name:
            return f"{self.kind.lower()} {self.short_name}"
        return self.name

    def is_valid_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)

    @staticmethod
    def valid_on_q(day: datetime.date, prefix: str = "") -> Q:
        return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": day})) & (
            Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day})
        )


RESERVED_SLUGS = {"accounts", "i18n", "places", "platform", "national", "static", "admin", "api", "files", "media"}


def renew_access_keys(users: models.QuerySet) -> None:
    """These users' access changed: a new `User.access_key` for them (see User)."""
    users.update(access_key=new_access_key())


def renew_access_keys_of(user_ids) -> None:
    ids = sorted(set(user_ids) - {None})
    for start in range(0, len(ids), 500):  # a bounded list of parameters per query
        renew_access_keys(User.objects.filter(pk__in=ids[start : start + 500]))


class UnionQuerySet(models.QuerySet):
    def update(self, **kwargs) -> int:
        """A Union is kept with its members' memberships (core/rules.py): an update renews their access keys, as
        saving one does (core/signals.py)."""
        unions = list(self.values_list("pk", flat=True))
        count = super().update(**kwargs)
        renew_access_keys(User.objects.filter(memberships__union__in=unions))
        return count


def validate_union_slug(value: str) -> None:
    if value.lower() in RESERVED_SLUGS:
        raise ValidationError(_("This address is reserved by the platform; choose another."))


class Union(SearchableName):
    """A provincial Union of Science and Technology Associations: the tenant."""

    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=50)
    slug = models.SlugField(
        _("address (slug)"),
        max_length=50,
        unique=True,
        validators=[validate_union_slug],
        help_text=_("The Union's pages live under /slug/, e.g. kontum"),
    )
    province = models.ForeignKey(
        AdminUnit,
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": AdminUnit.Level.PROVINCE},
    )
    governing_body = models.CharField(
        _("governing body (letterhead)"),
        max_length=255,
        blank=True,
        help_text=_("First letterhead line, e.g. UBND TỈNH KON TUM"),
    )
    issuing_body = models.CharField(
        _("issuing body (letterhead)"),
        max_length=255,
        help_text=_("Second letterhead line, e.g. LIÊN HIỆP CÁC HỘI KHOA HỌC VÀ KỸ THUẬT TỈNH KON TUM"),
    )
    document_symbol = models.CharField(
        _("document symbol"), max_length=30, default="LHH", help_text=_("Used in document numbers, e.g. 12/QĐ-LHH")
    )
    place_name = models.CharField(_("place name for dates"), max_length=100, help_text=_("e.g. Kon Tum"))
    signatory_title = models.CharField(_("signatory title"), max_length=100, default="CHỦ TỊCH")
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = UnionQuerySet.as_manager()

    class Meta:
        verbose_name = _("Union")
        verbose_name_plural = _("Unions")
        ordering = ["sort_key"]

    def __str__(self) -> str:
        return self.name

    def dated_line(self, day: datetime.date) -> str:
        return official_date(day, self.place_name)


class UnionOwned(models.Model):
    """Every tenant-owned row carries its Union; views fetch through `queries.get_for_union()`
    or filter on `union=` explicitly."""

    union = models.ForeignKey(Union, verbose_name=_("Union"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True, user__is_active=True)

    # save() and delete() renew the users' access keys through signals (core/signals.py); these send none.
    def update(self, **kwargs) -> int:
        users = set(self.values_list("user_id", flat=True))
        count = super().update(**kwargs)
        renew_access_keys_of(users)
        return count

    def bulk_create(self, objs, *args, **kwargs) -> list:
        created = super().bulk_create(objs, *args, **kwargs)
        renew_access_keys_of(m.user_id for m in created)
        return created


class Membership(models.Model):
    """A user's role in a Union. Platform administrators hold a membership with no Union."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    union = models.ForeignKey(Union, null=True, blank=True, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    agency = models.ForeignKey(
        "Agency",
        verbose_name=_("agency represented"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="representatives",
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "union", "role"], name="membership_unique_role"),
            models.UniqueConstraint(
                fields=["user", "role"], condition=Q(union__isnull=True), name="membership_unique_platform_role"
            ),
            models.CheckConstraint(
                condition=(Q(role__in=["platform_admin", "national"]) & Q(union__isnull=True))
                | (~Q(role__in=["platform_admin", "national"]) & Q(union__isnull=False)),
                name="membership_union_iff_not_platform",
            ),
            models.CheckConstraint(
                condition=Q(agency__isnull=True) | Q(role="agency_rep"), name="membership_agency_only_for_rep"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.union or '*'}"


class Agency(UnionOwned, SearchableName):
    """A body the Union works with: Huyện ủy, UBND huyện/xã, Sở, a school, a company ..."""

    class Kind(models.TextChoices):
        PARTY_COMMITTEE = "party_committee", _("Party committee")
        PEOPLES_COUNCIL = "peoples_council", _("People's Council")
        PEOPLES_COMMITTEE = "peoples_committee", _("People's Committee")
        DEPARTMENT = "department", _("Department or office")
        MASS_ORGANISATION = "mass_organisation", _("Mass organisation")
        SCHOOL = "school", _("School or university")
        RESEARCH = "research", _("Research institute")
        ENTERPRISE = "enterprise", _("Enterprise")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    admin_unit = models.ForeignKey(
        AdminUnit,
        verbose_name=_("administrative unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agencies",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["sort_key"]
        constraints = [models.UniqueConstraint(fields=["union", "name"], name="agency_unique_name")]

    def __str__(self) -> str:
        return self.name

    def ancestors(self) -> list["Agency"]:
        chain, seen, agency = [], {self.pk}, self.parent
        while agency is not None and agency.pk not in seen:
            chain.append(agency)
            seen.add(agency.pk)
            agency = agency.parent
        return chain


class MemberAssociation(UnionOwned, SearchableName):
    """A member association (Hội thành viên) of the Union."""

    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    field_summary = models.CharField(_("fields of activity"), max_length=255, blank=True)
    president = models.CharField(_("president"), max_length=200, blank=True)
    member_count = models.PositiveIntegerField(_("number of members"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("member association")
        verbose_name_plural = _("member associations")
        ordering = ["sort_key"]
        constraints = [models.UniqueConstraint(fields=["union", "name"], name="association_unique_name")]

    def __str__(self) -> str:
        return self.name


class Person(UnionOwned, SearchableName):
    """A person the Union knows: a leader, an expert, an official of a locality. May have an account."""

    class Gender(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        OTHER = "other", _("Other")

    class AcademicTitle(models.TextChoices):
        NONE = "", _("None")
        PROFESSOR = "GS", _("Professor (GS)")
        ASSOCIATE_PROFESSOR = "PGS", _("Associate professor (PGS)")

    class Degree(models.TextChoices):
        NONE = "", _("None")
        DOCTOR_SCIENCE = "TSKH", _("Doctor of Science (TSKH)")
        DOCTOR = "TS", _("Doctor (TS)")
        MASTER = "ThS", _("Master (ThS)")
        ENGINEER = "KS", _("Engineer (KS)")
        BACHELOR = "CN", _("Bachelor (CN)")
        PHYSICIAN = "BS", _("Physician (BS)")
        ARCHITECT = "KTS", _("Architect (KTS)")

    name = models.CharField(_("full name"), max_length=200)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    academic_title = models.CharField(_("academic title"), max_length=5, choices=AcademicTitle.choices, blank=True)
    degree = models.CharField(_("degree"), max_length=5, choices=Degree.choices, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    agency = models.ForeignKey(
        Agency, verbose_name=_("workplace"), null=True, blank=True, on_delete=models.PROTECT, related_name="people"
    )
    association = models.ForeignKey(
        MemberAssociation,
        verbose_name=_("member association"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["sort_key"]

    def __str__(self) -> str:
        return self.display_title()

    def compute_sort_key(self) -> str:
        return person_sort_key(self.name)

    def display_title(self) -> str:
        """'PGS.TS Nguyễn Văn A' — title and degree before the name, as Vietnamese letters write it."""
        prefix = ".".join(filter(None, [self.academic_title, self.degree]))
        return f"{prefix} {self.name}" if prefix else self.name


def attachment_path(instance: "Attachment", filename: str) -> str:
    """Stored names are random; the original (Vietnamese) name is kept only for display."""
    today = timezone.now()
    return f"{instance.union_id}/{today:%Y/%m}/{uuid.uuid4().hex}{instance.extension}"


class Attachment(UnionOwned):
    """A file attached to a record. Served only through a permission-checked view."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    owner = GenericForeignKey("content_type", "object_id")
    file = models.FileField(upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    extension = models.CharField(max_length=10)
    mime_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    description = models.CharField(_("description"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return self.original_name


class ActivityLog(models.Model):
    """One row per thing that happened (a service call): feeds timelines and the dashboards."""

    union = models.ForeignKey(Union, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verb = models.CharField(max_length=100, help_text="e.g. core.agency.created")
    message = models.CharField(max_length=500)
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE)
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["target_type", "target_id"]), models.Index(fields=["union", "-created_at"])]

    def __str__(self) -> str:
        return self.message
