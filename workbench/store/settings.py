"""Settings every installation shares (the 设置 table): read one, write one."""
from __future__ import annotations

from sqlalchemy import select

from workbench.store.models import Setting
from workbench.store.uow import UnitOfWork, now


def read_setting(uow: UnitOfWork, key: str, default: str = "") -> str:
    value = uow.session.scalar(select(Setting.value).where(Setting.key == key))
    return default if value is None else value


def write_setting(uow: UnitOfWork, key: str, value: str) -> None:
    """Insert or replace the setting, stamped with who changed it and when."""
    setting = uow.session.get(Setting, key)
    if setting is None:
        uow.session.add(Setting(key=key, value=value, updated_at=now(), updated_by=uow.actor.name))
    else:
        setting.value, setting.updated_at, setting.updated_by = value, now(), uow.actor.name
