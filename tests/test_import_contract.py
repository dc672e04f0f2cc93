"""Which app may import which. An app may import only apps in lower layers (and, within the platform layer,
each other); `casereview/lib` imports no Django and no app. A backwards import fails this test, whether it
sits at the top of a module or inside a function.

The layers follow a case through the framework: the case, its review (opened by a referral's decision), then
what hangs off a review.
"""

import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parent.parent / "casereview"

LAYERS: list[set[str]] = [
    {"lib"},
    # The platform every part of the process stands on: pages, people, audit, email, the typology.
    {"core", "audit", "notifications", "partnership", "typology"},
    {"cases"},
    {"deadlines"},
    # A review hangs off a case; a referral's decision opens one (referrals call reviews, never the reverse).
    {"reviews"},
    {"referrals"},
    {"chronology", "actions"},
    # Committees put the work of the apps below on agendas; learning registers its own agenda items there.
    {"committees"},
    {"learning"},
    {"api"},
]
PLATFORM = LAYERS[1]
LAYER_OF = {app: index for index, layer in enumerate(LAYERS) for app in layer}

# Backward imports still to be removed: (importing app, imported app, module). Each entry is a debt; the test
# fails when an entry is no longer needed, so the list only ever shrinks.
KNOWN_BACKWARD: set[tuple[str, str, str]] = set()


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def _app_modules():
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if "migrations" in relative.parts or len(relative.parts) < 2:
            continue
        yield relative.parts[0], path


def _backward_imports() -> set[tuple[str, str, str]]:
    found = set()
    for app, path in _app_modules():
        for module in _imports(path):
            parts = module.split(".")
            if parts[0] != "casereview" or len(parts) < 2 or parts[1] == app:
                continue
            target = parts[1]
            if target not in LAYER_OF:
                continue
            if app in PLATFORM and target in PLATFORM:
                continue
            if LAYER_OF[target] >= LAYER_OF[app]:
                found.add((app, target, str(path.relative_to(ROOT))))
    return found


def test_every_app_has_a_layer():
    apps = {p.name for p in ROOT.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert apps - set(LAYER_OF) == set(), "add the new app to LAYERS in this test"


def test_no_app_imports_a_higher_or_sibling_app():
    found = _backward_imports()
    new = sorted(found - KNOWN_BACKWARD)
    assert not new, "backward imports (move the code down, or invert the call with a hook):\n" + "\n".join(
        f"  {app} -> {target} in {module}" for app, target, module in new)


def test_known_backward_imports_are_still_needed():
    assert not (KNOWN_BACKWARD - _backward_imports()), "remove fixed entries from KNOWN_BACKWARD"


def test_lib_imports_neither_django_nor_apps():
    offenders = []
    for path in sorted((ROOT / "lib").rglob("*.py")):
        for module in _imports(path):
            if module.split(".")[0] == "django" or (module.startswith("casereview.") and
                                                    not module.startswith("casereview.lib")):
                offenders.append(f"{path.name}: {module}")
    assert not offenders
