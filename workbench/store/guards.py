"""The database's own protections: the triggers that keep the audit log append-only, approved
batches and their totals unchangeable, and the change log written. `audit verify` checks that
none was dropped."""
from __future__ import annotations

from sqlalchemy import text

_CHANGE_TABLES = ("status_facts", "enrollments", "liveness_checks", "prior_payments", "recovery_clearings")
_EVENTS = ("insert", "update", "delete")
_CHANGE_LOG = (*(f"{table}_changed_{event}" for table in _CHANGE_TABLES for event in _EVENTS),
               "persons_changed_update", "ledger_lines_changed_bank")
SQLITE = ("audit_log_no_update", "audit_log_no_delete", "ledger_lines_locked_insert", "ledger_lines_locked_update",
          "ledger_lines_locked_delete", "batches_locked_delete", "batches_locked_update", "batch_totals_no_update",
          "batch_totals_no_delete", *_CHANGE_LOG, *(f"standards_changed_{event}" for event in _EVENTS),
          "settings_changed_insert", "settings_changed_update")
POSTGRESQL = ("audit_log_append_only", "ledger_lines_guard", "ledger_lines_insert_guard", "batches_guard", "batch_totals_guard", *_CHANGE_LOG,
              "standards_changed", "settings_changed",
              # the ledger's references to its batch and person (foreign keys on SQLite)
              "ledger_lines_references_insert", "ledger_lines_references_update", *(f"{table}_lines_kept_{event}"
                                                                                   for table in ("batches", "persons")
                                                                                   for event in ("delete", "update")))


def missing_guards(session, dialect: str) -> list[str]:
    """The protecting triggers this version's schema has and the database lacks."""
    if dialect == "sqlite":
        present = set(session.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")))
        expected = SQLITE
    else:
        present = set(session.scalars(text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")))
        expected = POSTGRESQL
    return [name for name in expected if name not in present]
