"""Who holds which role, and the shared predicates every app's permissions are built from (django-rules).

A permission has one name and one meaning. An app's `rules.py` names its permissions from the predicates here; the
service checks it (`core.services.check`), the view serving the page with `access.union_permission` or
`user.has_perm`, and the template with `{% has_perm %}`. No view or template tests a set of roles itself.

A Union-wide permission (its target is the Union) is declared with `add_union_perm`, which also records the roles
it admits: the URL classification and the authorization matrix read them from there.
"""

from collections.abc import Callable

import rules
from django.core.cache import caches
from django.db.models import QuerySet
from rules.predicates import Predicate

from lienhiep.core.models import UNION_ROLES, Membership, Role, Union

STAFF_ROLES = (Role.UNION_ADMIN, Role.STAFF, Role.LEADER)
EDITOR_ROLES = (Role.UNION_ADMIN, Role.STAFF)
ALL_UNION_ROLES = UNION_ROLES


SHARED = "local"  # the cache alias (settings.CACHES): per process, read without a query
SHARED_TIMEOUT = 600  # seconds: an entry is never stale (its key says what it was read at), only left to expire


def shared_key(user, name: str) -> str | None:
    """The key of what is cached of `name` for this user across requests, or None where nothing may be.

    Only for the user a signed-in request read afresh (core/auth.py): the key carries the `access_key` read with
    that user, which every change of their memberships or authenticators renews (core/signals.py). A user object
    kept from before a change (a test's, a service's) reads the database as it always did."""
    if not getattr(user, "_lienhiep_loaded_for_request", False):
        return None
    return f"access:{name}:{user.pk}:{user.access_key}"


def read_shared(user, name: str, read: Callable):
    """`read()` for this user, through the shared cache where `shared_key` allows it."""
    key = shared_key(user, name)
    if key is None:
        return read()
    value = caches[SHARED].get(key)
    if value is None:
        value = read()
        caches[SHARED].set(key, value, SHARED_TIMEOUT)
    return value


def _read_memberships(user, with_unions: bool) -> tuple[dict, dict, dict]:
    roles: dict = {}
    agencies: dict = {}
    active = Membership.objects.active().filter(user=user).values_list("union_id", "role", "agency_id")
    for union_id, role, agency_id in active:
        roles.setdefault(union_id, set()).add(role)
        if role == Role.AGENCY_REP and agency_id is not None:
            agencies.setdefault(union_id, []).append(agency_id)
    unions = {}
    if with_unions and set(roles) - {None}:
        unions = {union.slug: union for union in Union.objects.filter(pk__in=set(roles) - {None}, is_active=True)}
    return roles, agencies, unions


def _load_memberships(user) -> None:
    """A user's active memberships, read once per request. For the user of a signed-in request they are kept
    across requests (`read_shared`), with the active Unions they are in (`member_union`): a change of the
    memberships or of one of those Unions renews the user's access key (core/signals.py)."""
    if shared_key(user, "memberships") is None:
        held = _read_memberships(user, with_unions=False)
    else:
        held = read_shared(user, "memberships", lambda: _read_memberships(user, with_unions=True))
    user._lienhiep_roles, user._lienhiep_agencies, user._lienhiep_unions = held


def member_union(user, slug: str) -> Union | None:
    """The active Union at `slug` if the user holds a role in it and it was read with their memberships (for the
    user of a signed-in request, without a query); None otherwise: the caller reads it from the database."""
    if not user.is_authenticated:
        return None
    if getattr(user, "_lienhiep_unions", None) is None:
        _load_memberships(user)
    return user._lienhiep_unions.get(slug)


def _role_map(user) -> dict:
    """{union_id (None for platform roles): {role, ...}} of a user's active memberships, read once per request."""
    if getattr(user, "_lienhiep_roles", None) is None:
        _load_memberships(user)
    return user._lienhiep_roles


def roles_in(user, union: Union | None) -> set[str]:
    """The active roles a user holds in a Union (platform administrators hold theirs everywhere)."""
    if not user.is_authenticated:
        return set()
    roles = _role_map(user)
    return set(roles.get(union.pk if union else None, set())) | set(roles.get(None, set()))


def roles_key(user, union: Union | None) -> str:
    """The roles a user holds in a Union as one text: the key of what depends on roles alone (the menu)."""
    return ",".join(sorted(roles_in(user, union)))


def all_roles(user) -> set[str]:
    """Every active role a user holds, in any Union."""
    if not user.is_authenticated:
        return set()
    return {role for roles in _role_map(user).values() for role in roles}


def read_once_per_union(user, name: str, union: Union, read: Callable[[], list[int]]) -> list[int]:
    """`read()` for this user and Union, kept on the user object for the rest of the request (a signed-in user is
    loaded afresh for each request). getattr/setattr reach the user behind a template's lazy one."""
    if not user.is_authenticated:
        return []
    cache = getattr(user, name, None)
    if cache is None:
        cache = {}
        setattr(user, name, cache)
    if union.pk not in cache:
        cache[union.pk] = read()
    return cache[union.pk]


def represented_agencies(user, union: Union) -> QuerySet:
    """Agencies the user represents in the Union (through its agency-representative roles): their ids, as a
    queryset to filter by (`requesting_agency__in=...`) without reading them first."""
    return (
        Membership.objects.active()
        .filter(user=user, union=union, role=Role.AGENCY_REP, agency__isnull=False)
        .values("agency_id")
    )


def represented_agency_ids(user, union: Union) -> list[int]:
    """Agencies the user represents in the Union (through its agency-representative roles), read with the user's
    memberships (`_load_memberships`): once per request, and across requests where `read_shared` allows."""
    if not user.is_authenticated:
        return []
    if getattr(user, "_lienhiep_agencies", None) is None:
        _load_memberships(user)
    return list(user._lienhiep_agencies.get(union.pk, []))


def role_labels(user, union: Union | None) -> list[str]:
    """The names of the roles a user holds in a Union, in the order of `Role`, to show (never to decide)."""
    held = roles_in(user, union)
    return [label for value, label in Role.choices if value in held]


def holds_role(*roles: str) -> Predicate:
    """A predicate on (user, union): the user holds one of `roles` in the Union."""
    wanted = frozenset(str(r) for r in roles)

    def test(user, union) -> bool:
        return union is not None and bool(roles_in(user, union) & wanted)

    return Predicate(test, name="holds_role(" + ", ".join(sorted(wanted)) + ")")


# Shared predicates on (user, union): one name per group of people, one meaning per name.
is_leader = holds_role(Role.LEADER)
is_editor = holds_role(*EDITOR_ROLES)  # runs the Union's records: staff and the administrator
is_union_staff = holds_role(*STAFF_ROLES)  # reads them all: staff, the administrator and the leader
is_entrant = holds_role(Role.ENTRANT)


@rules.predicate
def is_platform_admin(user) -> bool:
    return Role.PLATFORM_ADMIN in roles_in(user, None)


@rules.predicate
def is_national_body(user) -> bool:
    """Staff of the national body (VUSTA): every Union's aggregate figures, never a record below them."""
    return Role.NATIONAL in roles_in(user, None)


# Union-wide permissions: name → the roles it admits (for the URL classification and the authorization matrix).
UNION_PERMISSIONS: dict[str, frozenset[str]] = {}


def add_union_perm(name: str, *roles: str) -> None:
    """Declare a permission whose target is a Union, held by the members with one of `roles` in it."""
    UNION_PERMISSIONS[name] = frozenset(str(r) for r in roles)
    rules.add_perm(name, holds_role(*roles))


def union_of(obj) -> Union:
    """The Union of a tenant-owned object, as an instance carrying only its id (no query per row of a list)."""
    return Union(pk=obj.union_id)


def in_its_union(predicate: Predicate) -> Predicate:
    """A predicate on (user, union) turned into one on (user, object) for an object of that Union."""

    def test(user, obj) -> bool:
        return obj is not None and predicate.test(user, union_of(obj))

    return Predicate(test, name=f"{predicate.name} in its union")


# The core's own permissions.
add_union_perm("core.view_dashboard", *ALL_UNION_ROLES, Role.PLATFORM_ADMIN)
# The Union's figures and activity: its staff, and the platform administrator who looks after every Union.
add_union_perm("core.view_overview", *STAFF_ROLES, Role.PLATFORM_ADMIN)
add_union_perm("core.view_own_record", Role.EXPERT, Role.ENTRANT)  # the person record the Union keeps of them
add_union_perm("core.represent_agency", Role.AGENCY_REP)  # acts for an agency (which: `Membership.agency`)
# The Union's registry (agencies, member associations, people, documents): staff, leader and administrator read it,
# staff and the administrator change it.
add_union_perm("core.view_registry", *STAFF_ROLES)
add_union_perm("core.change_registry", *EDITOR_ROLES)
add_union_perm("core.administer_union", Role.UNION_ADMIN)  # users and roles, the letterhead
add_union_perm("core.manage_members", Role.UNION_ADMIN, Role.PLATFORM_ADMIN)  # add, suspend and restore a role
# The people picker of a form (core.queries.people_to_choose): staff search the Union's whole registry, an agency's
# representative only the people of the agencies it represents and of the units under them (its drafting team).
add_union_perm("core.pick_people", *STAFF_ROLES, Role.AGENCY_REP)
# The agencies picker: the Union's public bodies, which an agency's request names as its drafting body (the names of
# bodies, not of people).
add_union_perm("core.pick_agencies", *STAFF_ROLES, Role.AGENCY_REP)
add_union_perm("core.attach_files", *STAFF_ROLES)  # attach a file to a record of the Union, and remove it
rules.add_perm("core.manage_platform", is_platform_admin)


@rules.predicate
def attachment_owner_is_public(user, attachment) -> bool:
    owner = attachment.owner
    return owner is not None and bool(getattr(owner, "is_visible_to_public", lambda: False)())


@rules.predicate
def attachment_owner_admits(user, attachment) -> bool:
    """Later modules let an owner admit more people (a council member, an entrant) via `admits_download`."""
    owner = attachment.owner
    return owner is not None and bool(getattr(owner, "admits_download", lambda u: False)(user))


rules.add_perm(
    "core.download_attachment", attachment_owner_is_public | in_its_union(is_union_staff) | attachment_owner_admits
)
