"""`workbench init`: create or upgrade the schema, make the admin, load the policy."""
from __future__ import annotations

from dataclasses import dataclass

from workbench.services.database import Database
from workbench.domain.policy import parse_policy
from workbench.services.accounts import SYSTEM, ensure_admin
from workbench.services.policy import install_policy, read_policy_source
from workbench.store.migrate import SchemaState


@dataclass(frozen=True)
class InitReport:
    schema: str  # 新建 / 已升级 / 已是最新
    admin_created: bool
    policy_name: str
    standards_added: int


def initialize(db: Database, policy_reference: str) -> InitReport:
    """Idempotent: running it again changes nothing that is already in place."""
    policy = parse_policy(read_policy_source(policy_reference))
    before = db.state
    if before is not SchemaState.CURRENT:
        db.upgrade()
    schema = {SchemaState.EMPTY: "新建", SchemaState.BEHIND: "已升级"}.get(before, "已是最新")
    with db.unit_of_work(SYSTEM, write=True) as uow:
        created = ensure_admin(uow)
        added = install_policy(uow, policy)
        uow.commit()
    return InitReport(schema=schema, admin_created=created, policy_name=policy.name, standards_added=added)
