"""The shape of the code: apps import each other in one direction only, and the lowest
floor (``samverkan/*.py``: the door, forms, identity check, charts, spreadsheets …)
imports no app at all. Every import counts, at module level or inside a function."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "samverkan"
APPS = sorted(p.name for p in ROOT.iterdir() if (p / "__init__.py").exists() and p.is_dir())


def imported_packages(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "samverkan" and len(parts) > 1 and parts[1] in APPS:
                found.add(parts[1])
    return found


def graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {app: set() for app in APPS}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            edges[app] |= imported_packages(path) - {app}
    return edges


def test_the_lowest_floor_imports_no_app():
    for path in ROOT.glob("*.py"):
        if path.name in {"settings.py", "urls.py", "wsgi.py", "views.py"}:
            continue  # the project's wiring sits on top, not at the bottom
        assert imported_packages(path) == set(), path.name


def test_apps_import_each_other_in_one_direction():
    edges = graph()
    cycles = []

    def visit(app, path):
        for dep in sorted(edges[app]):
            if dep in path:
                cycles.append(path[path.index(dep) :] + [dep])
            elif len(path) < len(APPS):
                visit(dep, path + [dep])

    for app in APPS:
        visit(app, [app])
    assert not cycles, "import loops: " + "; ".join(" -> ".join(c) for c in cycles[:5])


@pytest.mark.parametrize(
    ("low", "high"),
    [("organisations", "people"), ("people", "consent"), ("consent", "forum"), ("forum", "sip")],
)
def test_lower_apps_do_not_reach_up(low, high):
    assert high not in graph()[low]


def sources() -> str:
    texts = []
    for path in list(ROOT.rglob("*.py")) + list(ROOT.rglob("*.html")):
        if path.name != "rules.py" and "migrations" not in path.parts:
            texts.append(path.read_text())
    return "\n".join(texts)


def test_every_rule_is_asked_somewhere():
    """A rule nobody asks is a rule nobody tests: delete it."""
    import re

    import rules

    text = sources()
    # The existence rules ``load()`` asks are registered with ``knows()`` in rules.py.
    rules_py = (ROOT / "accounts/rules.py").read_text()
    text += "\n".join(f'"{name}"' for name in re.findall(r'knows\(\w+, "([\w.]+)"\)', rules_py))
    unused = [
        name
        for name in rules.permissions.permissions  # the registry rules.add_perm fills
        if f'"{name}"' not in text and f"'{name}'" not in text
    ]
    assert not unused, unused


def test_templates_ask_rules_not_role_flags():
    flags = ("is_secretariat", "is_log_reviewer", "is_superuser", "is_staff", "roles.is_")
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text()
        for flag in flags:
            assert flag not in text, f"{path.relative_to(ROOT)} asks {flag}"


def test_records_about_a_child_have_a_log_label_without_a_name():
    from django.apps import apps

    for model in apps.get_models():
        if hasattr(model, "audit_child_id"):
            assert "audit_label" in vars(model), model


def test_views_and_forms_never_read_role_flags():
    """Flags become rights only in rules.py; what a user is, is read in standing.py."""
    allowed_places = {
        "accounts/rules.py", "accounts/models.py", "accounts/signals.py", "accounts/admin.py",
        "organisations/standing.py", "deviations/access.py",
    }  # fmt: skip
    for path in ROOT.rglob("*.py"):
        relative = str(path.relative_to(ROOT))
        if relative in allowed_places or "migrations" in path.parts or relative.startswith("demo/"):
            continue
        text = path.read_text()
        for flag in (".is_secretariat", ".is_log_reviewer", ".is_superuser"):
            assert flag not in text, f"{relative} reads {flag}"
