"""Query shapes that a large shared server cannot run: read from the source."""
import ast
from pathlib import Path

import workbench

PACKAGE = Path(workbench.__file__).parent


def _is_select(node: ast.AST) -> bool:
    """Whether `node` is `select(...)` or a chain on it (`select(...).where(...)`)."""
    while isinstance(node, ast.Call):
        if getattr(node.func, "id", None) == "select":
            return True
        node = node.func.value if isinstance(node.func, ast.Attribute) else None
    return False


def not_in_subqueries(package: Path = PACKAGE) -> set[str]:
    """Every `x.not_in(select(...))` (or `~x.in_(select(...))`): PostgreSQL cannot hash a NOT IN
    whose subquery outgrows its memory, and scans the subquery again for every row."""
    found = set()
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            call = node.operand if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Invert) else node
            if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.args):
                continue
            negated = call.func.attr == "not_in" or (call is not node and call.func.attr == "in_")
            argument = call.args[0]
            if negated and _is_select(argument):
                found.add(f"{path.relative_to(package)}:{call.lineno}")
    return found


def test_no_not_in_over_a_subquery():
    assert not_in_subqueries() == set()


def test_the_check_sees_one(tmp_path):
    (tmp_path / "q.py").write_text("a = t.c.x.not_in(select(u.c.y).where(u.c.z > 1))\nb = ~t.c.x.in_(select(u.c.y))\n"
                                   "c = t.c.x.in_(select(u.c.y))\n", encoding="utf-8")
    assert not_in_subqueries(tmp_path) == {"q.py:1", "q.py:2"}
