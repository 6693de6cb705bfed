"""Each rule in one place: views and templates ask named permissions, never a set of roles; every permission a view
is guarded by is declared; the core imports no app; no two modules import each other."""

import ast
import re
from pathlib import Path

import rules
from django.urls import get_resolver

from lienhiep.core.access import access_of
from lienhiep.core.rules import UNION_PERMISSIONS

PACKAGE = Path(__file__).resolve().parent.parent / "lienhiep"
APPS = ("core", "experts", "advisory", "contests", "outreach", "portal", "paperwork", "national")
ROLE_NAMES = "union_admin|staff|leader|expert|agency_rep|entrant|platform_admin"

# What a view, a dashboard section, a context processor or a template may not do: decide by the roles held.
PYTHON_ROLE_TESTS = [
    (re.compile(r"request\.roles\b"), "request.roles"),
    (re.compile(r"\broles_in\("), "roles_in()"),
    (re.compile(r"\bRole\.[A-Z_]+\s+(not\s+)?in\b"), "Role.X in ..."),
    (re.compile(r"\b[A-Z]+_ROLES\b"), "a tuple of roles"),
    (re.compile(r"\bunion_roles\("), "union_roles()"),
]
TEMPLATE_ROLE_TESTS = [
    (re.compile(r"current_roles|is_union_staff|is_union_admin|\bmy_roles\b"), "a role flag"),
    (re.compile(rf"[\"'](?:{ROLE_NAMES})[\"']\s+(?:not\s+)?in\b"), "'role' in ..."),
]


def _view_modules() -> list[Path]:
    names = ("views.py", "dashboard.py", "context_processors.py")
    return sorted(p for p in PACKAGE.glob("*/*.py") if p.name.endswith(names) or p.name.startswith("views"))


def _templates() -> list[Path]:
    return sorted(PACKAGE.glob("**/templates/**/*.html"))


def _offences(paths: list[Path], patterns) -> list[str]:
    found = []
    for path in paths:
        for number, line in enumerate(path.read_text().splitlines(), 1):
            for pattern, what in patterns:
                if pattern.search(line):
                    found.append(f"{path.relative_to(PACKAGE)}:{number}: {what}: {line.strip()[:100]}")
    return found


def test_the_scan_sees_the_files_it_should():
    views = {p.relative_to(PACKAGE).as_posix() for p in _view_modules()}
    assert {"core/views.py", "advisory/views_work.py", "contests/entry_views.py", "experts/dashboard.py"} <= views
    assert {"core/context_processors.py", "portal/news_views.py"} <= views
    assert len(_templates()) > 100
    # and each pattern catches what it is meant to
    assert _offences_in_text("if Role.LEADER in request.roles:", PYTHON_ROLE_TESTS)
    assert _offences_in_text('can = roles_in(user, union) & {"staff"}', PYTHON_ROLE_TESTS)
    assert _offences_in_text('{% if "expert" in current_roles %}', TEMPLATE_ROLE_TESTS)
    assert _offences_in_text("{% if 'agency_rep' in roles %}", TEMPLATE_ROLE_TESTS)
    assert not _offences_in_text('{% has_perm "contests.judge" user current_union as judges %}', TEMPLATE_ROLE_TESTS)


def _offences_in_text(text: str, patterns) -> bool:
    return any(pattern.search(text) for pattern, _ in patterns)


def test_no_view_tests_a_set_of_roles():
    assert _offences(_view_modules(), PYTHON_ROLE_TESTS) == []


def test_no_template_tests_a_set_of_roles():
    assert _offences(_templates(), TEMPLATE_ROLE_TESTS) == []


def _views(resolver=None, seen=None):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if hasattr(pattern, "url_patterns"):
            yield from _views(pattern)
        else:
            yield pattern.callback


def test_every_guarded_view_names_a_declared_union_permission():
    permissions = {getattr(view, "permission", None) for view in _views()} - {None}
    assert len(permissions) > 20
    for permission in permissions:
        assert permission in UNION_PERMISSIONS, permission
        assert rules.perm_exists(permission), permission
        assert access_of_permission(permission).roles == UNION_PERMISSIONS[permission]


def access_of_permission(permission: str):
    view = next(view for view in _views() if getattr(view, "permission", None) == permission)
    return access_of(view)


def test_a_union_permission_is_named_app_dot_verb():
    for name in UNION_PERMISSIONS:
        app, _, verb = name.partition(".")
        assert app in APPS and re.fullmatch(r"[a-z_]+", verb), name


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    """{module: the project modules it imports, at the top or inside a function}, migrations left out."""
    modules = {_module_name(path): path for path in PACKAGE.rglob("*.py") if "migrations" not in path.parts}

    def known(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                targets |= {known(alias.name) for alias in node.names if alias.name.startswith("lienhiep")}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("lienhiep"):
                targets |= {known(f"{node.module}.{alias.name}") for alias in node.names}
        graph[name] = targets - {None, name}
    return graph


def test_the_core_imports_no_other_app():
    graph = _imports()
    assert "lienhiep.core.views" in graph and "lienhiep.devdata.demo" in graph
    apps = tuple(f"lienhiep.{app}" for app in APPS if app != "core") + ("lienhiep.devdata",)
    offences = sorted(
        f"{module} imports {target}"
        for module, targets in graph.items()
        if module.startswith("lienhiep.core")
        for target in targets
        if target.startswith(apps)
    )
    assert offences == []


def test_no_two_modules_import_each_other():
    graph = _imports()
    pairs = sorted({tuple(sorted((a, b))) for a, targets in graph.items() for b in targets if a in graph.get(b, ())})
    assert pairs == []


def test_only_the_cli_tests_and_benchmarks_import_the_demo_data():
    importers = {
        module for module, targets in _imports().items() if any(t.startswith("lienhiep.devdata") for t in targets)
    }
    assert {m for m in importers if not m.startswith("lienhiep.devdata")} == {"lienhiep.cli"}


def test_the_workspace_prefix_is_mounted_once():
    spelled = sorted(
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("urls.py")
        if "<slug:union_slug>/app" in path.read_text()
    )
    assert spelled == ["urls.py"]


def test_each_app_registers_its_own_dashboard_section():
    from lienhiep.core.dashboard import SECTIONS

    # where work waits for people first (issue 19, item 9), the registry and the public site after
    assert [section.name for section in SECTIONS] == ["advisory", "contests", "outreach", "experts", "portal"]
    assert "experts" not in (PACKAGE / "core" / "views.py").read_text()


def test_status_badges_are_read_from_the_model():
    import datetime

    from django.template.loader import render_to_string

    from lienhiep.contests.models import Entry
    from lienhiep.outreach.models import ActionItem
    from lienhiep.portal.models import Article

    def entry_badge(status: str) -> str:
        return render_to_string("contests/includes/entry_status.html", {"entry": Entry(status=status)})

    assert "text-bg-success" in entry_badge(Entry.Status.ACCEPTED)
    assert "text-bg-danger" in entry_badge(Entry.Status.REJECTED)
    assert "text-bg-secondary" in entry_badge(Entry.Status.DRAFT)
    today = datetime.date(2026, 12, 6)

    def item_badge(status: str, due: datetime.date) -> str:
        item = ActionItem(status=status, due_on=due)
        return render_to_string("outreach/includes/status.html", {"item": item, "today": today})

    assert "text-bg-danger" in item_badge(ActionItem.Status.OPEN, datetime.date(2026, 12, 1))  # overdue
    assert "text-bg-success" in item_badge(ActionItem.Status.DONE, datetime.date(2026, 12, 1))
    assert "text-bg-info" in item_badge(ActionItem.Status.IN_PROGRESS, datetime.date(2026, 12, 31))
    article = render_to_string("portal/includes/article_status.html", {"a": Article(status=Article.Status.REVIEW)})
    assert "text-bg-warning" in article


def test_no_template_compares_a_state_with_a_literal():
    """A template reads a state through the model's named properties (`entry.is_submitted`, `entry.badge`) or the
    steps its view computed; `status == "open"` on a list's own filter value is not a model's state."""
    pattern = re.compile(
        r"""\.(?:status|state)\s*(?:==|!=)\s*['"]|['"]\w+['"]\s+(?:not\s+)?in\s+[\w.]+\.(?:status|state)"""
    )
    assert pattern.search('{% if case.status == "sent" %}') and pattern.search("{% if 'x' in entry.status %}")
    assert _offences(_templates(), [(pattern, "a state compared with a literal")]) == []
