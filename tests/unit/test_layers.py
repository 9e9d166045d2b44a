"""The layers' imports, read from the source: the domain depends on nothing else of the program."""
import ast
from pathlib import Path

import workbench

PACKAGE = Path(workbench.__file__).parent


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at any depth (imports inside functions count)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_the_domain_imports_nothing_of_the_program_outside_itself():
    outside = {
        f"{path.relative_to(PACKAGE)}: {module}"
        for path in (PACKAGE / "domain").rglob("*.py")
        for module in imported_modules(path)
        if module.startswith("workbench") and not module.startswith("workbench.domain")
    }
    assert outside == set()


def test_the_user_a_use_case_acts_for_is_a_domain_value():
    """`Actor` is imported from the domain by the front ends and services, not from the store."""
    from_store = {
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom) and node.module == "workbench.store.uow"
        and any(alias.name == "Actor" for alias in node.names)
    }
    assert from_store == set()
