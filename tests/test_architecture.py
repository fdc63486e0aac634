"""bot/'s core stays free of Rasa; only the glue packages may import it."""
import ast

import pytest

from bot.settings import REPO_ROOT

GLUE = {"channels", "nlu", "serve"}  # Rasa input channels, tracker store, NLU, launcher
CORE_MODULES = [p for p in (REPO_ROOT / "bot").rglob("*.py")
                if p.relative_to(REPO_ROOT / "bot").parts[0] not in GLUE]


def imported_roots(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module.split(".")[0]


@pytest.mark.parametrize("path", CORE_MODULES, ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_core_imports_no_rasa(path):
    assert not {"rasa", "rasa_sdk"} & set(imported_roots(path))


def test_input_filter_is_pure():
    path = REPO_ROOT / "bot" / "channels" / "input_filter.py"
    assert not {"rasa", "rasa_sdk", "sanic"} & set(imported_roots(path))


def test_the_check_sees_imports():
    assert "rasa" in set(imported_roots(REPO_ROOT / "bot" / "channels" / "rest.py"))
