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


# Which of the program's packages each layer may not import. The front ends reach the data only
# through the services; the services reach a database through the unit-of-work factory they are
# given, not through the bootstrap that builds it; the store serves, it does not call up.
FORBIDDEN = {
    "gui": ("workbench.store",),
    "cli": ("workbench.store",),
    "services": ("workbench.gui", "workbench.cli", "workbench.bootstrap"),
    "store": ("workbench.services", "workbench.gui", "workbench.cli", "workbench.bootstrap"),
    "documents": ("workbench.services", "workbench.gui", "workbench.cli", "workbench.bootstrap", "workbench.store"),
}


def layer_leaks(layer: str, package: Path = PACKAGE) -> set[str]:
    return {
        f"{path.relative_to(package)}: {module}"
        for path in (package / layer).rglob("*.py")
        for module in imported_modules(path)
        if module.startswith(FORBIDDEN[layer])
    }


def test_each_layer_imports_only_the_layers_beneath_it():
    assert {layer: layer_leaks(layer) for layer in FORBIDDEN} == {layer: set() for layer in FORBIDDEN}


def test_the_contract_sees_a_leak(tmp_path):
    """The contract is read from the files: an import inside a function of a screen is caught."""
    (tmp_path / "gui").mkdir()
    (tmp_path / "gui" / "leaky.py").write_text("def f():\n    from workbench.store.uow import UnitOfWork\n", encoding="utf-8")
    assert layer_leaks("gui", tmp_path) == {"gui/leaky.py: workbench.store.uow"}


def test_front_ends_open_no_unit_of_work_themselves():
    """A screen or a command asks a service; it does not open a unit of work and query."""
    opened = {
        f"{path.relative_to(PACKAGE)}:{node.lineno}"
        for layer in ("gui", "cli")
        for path in (PACKAGE / layer).rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "unit_of_work"
    }
    assert opened == set()
