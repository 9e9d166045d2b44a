"""Errors a user can cause, typed and worded in Chinese for the screen and the command line."""
from __future__ import annotations

from dataclasses import dataclass


class WorkbenchError(Exception):
    """A refusal the user can act on; its message is shown as it is."""


class InvalidInput(WorkbenchError):
    """A value typed or passed on the command line is not acceptable."""


class NotFound(WorkbenchError):
    """The named record does not exist."""


class PermissionDenied(WorkbenchError):
    """The acting user's role may not do this."""


class AuthenticationFailed(WorkbenchError):
    """Wrong user name or password, or a locked account."""


class ConcurrentEdit(WorkbenchError):
    """Someone else saved the record first (optimistic locking)."""


class DatabaseUnavailable(WorkbenchError):
    """The database server went away during the operation; nothing of it was saved."""


class SchemaMismatch(WorkbenchError):
    """The database schema is newer or older than this program."""


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem in one cell of an input file: 第 row 行, 列 column: reason."""

    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"第 {self.row} 行「{self.column}」: {self.reason}"


class ImportRejected(InvalidInput):
    """An input file was refused; nothing was written."""

    def __init__(self, errors: list[RowError], summary: str | None = None) -> None:
        self.errors = errors
        first = str(errors[0]) if errors else ""
        more = f"(共 {len(errors)} 处错误)" if len(errors) > 1 else ""
        super().__init__(summary or f"导入被拒绝, 未写入任何数据: {first}{more}")
