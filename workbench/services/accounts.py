"""Users (用户), passwords and logging in."""
from __future__ import annotations

import time
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select

from workbench.services.database import Database
from workbench.domain.actor import Actor
from workbench.domain.errors import AuthenticationFailed, InvalidInput, NotFound, PermissionDenied
from workbench.domain.roles import ACTION_NAMES, ADMIN, ROLES, may
from workbench.store.models import Township, User
from workbench.store.uow import UnitOfWork, now

ADMIN_NAME = "admin"
SYSTEM = Actor("系统", ADMIN)  # for set-up steps that run before anyone logs in
MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 6

# argon2id with explicit parameters (64 MiB, 3 passes): memory-hard, ~0.1 s per check.
_hasher = PasswordHasher(time_cost=3, memory_cost=64 * 1024, parallelism=2)


def require(actor: Actor, permission: str) -> None:
    """Refuse unless the actor's role has the permission."""
    if not may(actor.role, permission):
        raise PermissionDenied(f"用户「{actor.name}」的角色「{actor.role}」无权{ACTION_NAMES[permission]}")


def _check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"密码至少 {MIN_PASSWORD_LENGTH} 位")
    if not password.strip():
        raise InvalidInput("密码不能全是空格")
    if any(unicodedata.category(char) == "Cc" for char in password):
        raise InvalidInput("密码不能含控制字符 (如换行、制表符)")


def _checked_user_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 40:
        raise InvalidInput("用户名不能为空, 最多 40 个字")
    if any(unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") for char in name):
        raise InvalidInput(f"用户名「{name.encode('unicode_escape').decode()}」含控制字符或换行, 请重新输入")
    if name == SYSTEM.name:
        raise InvalidInput(f"「{SYSTEM.name}」是程序自己使用的名称, 不能作为用户名")
    return name


def _checked_townships(uow: UnitOfWork, townships) -> list[str]:
    """The townships named, each once, in the roster's spelling; an unknown one is refused."""
    wanted = list(dict.fromkeys(name.strip() for name in townships or () if name.strip()))
    known = set(uow.session.scalars(select(Township.name).where(Township.name.in_(wanted)))) if wanted else set()
    unknown = [name for name in wanted if name not in known]
    if unknown:
        raise InvalidInput(f"乡镇「{'、'.join(unknown)}」不在花名册中")
    return wanted


def ensure_admin(uow: UnitOfWork) -> bool:
    """Create the `admin` user (password set on first use) if there is none; True if created."""
    if uow.session.scalar(select(User.id).where(User.name == ADMIN_NAME)) is not None:
        return False
    uow.session.add(User(name=ADMIN_NAME, role=ADMIN, password_hash=None, must_change_password=True))
    uow.audit("新增用户", "user", ADMIN_NAME, {"角色": ADMIN, "说明": "初始管理员, 首次使用时设置密码"})
    return True


def _checked_role(role: str) -> str:
    if role not in ROLES:
        raise InvalidInput(f"角色「{role}」无效, 应为 {'/'.join(ROLES)}")
    return role


def add_user(db: Database, actor: Actor, name: str, role: str, password: str, townships=()) -> None:
    """A new user; `townships` makes a township user (乡镇经办), limited to those townships' people."""
    require(actor, "manage_users")
    name = _checked_user_name(name)
    _checked_role(role)
    _check_password_strength(password)
    with db.unit_of_work(actor, write=True) as uow:
        if uow.session.scalar(select(User.id).where(User.name == name)) is not None:
            raise InvalidInput(f"用户「{name}」已存在")
        limited = _checked_townships(uow, townships)
        uow.session.add(User(name=name, role=role, password_hash=_hasher.hash(password), townships=limited))
        uow.audit("新增用户", "user", name, {"角色": role, **({"乡镇": limited} if limited else {})})
        uow.commit()


@dataclass(frozen=True)
class UserRow:
    name: str
    role: str
    state: str  # 正常 / 已停用 / 已锁定 / 待设密码
    townships: tuple[str, ...]  # empty: the whole county

    @classmethod
    def of(cls, user: User, moment) -> UserRow:
        return cls(user.name, user.role, _state(user, moment), tuple(user.townships or ()))

    @property
    def scope(self) -> str:
        return "、".join(self.townships) if self.townships else "全县"


def list_users(db: Database, actor: Actor) -> list[UserRow]:
    require(actor, "manage_users")
    moment = now()
    with db.unit_of_work(actor) as uow:
        users = uow.session.scalars(select(User).order_by(User.id)).all()
        return [UserRow.of(user, moment) for user in users]


def _state(user: User, moment) -> str:
    if not user.active:
        return "已停用"
    if user.locked_until and user.locked_until > moment:
        return "已锁定"
    if user.password_hash is None:
        return "待设密码"
    return "正常"


def set_user(db: Database, actor: Actor, name: str, *, role: str | None = None, townships=None,
             active: bool | None = None, reset_password: bool = False) -> UserRow:
    """Change a user's role, townships (an empty list: the whole county) or state, or reset the
    password (the user sets a new one at the next login). The last active 管理员 keeps that role and
    stays enabled, and a user cannot disable themselves. Audited."""
    require(actor, "manage_users")
    with db.unit_of_work(actor, write=True) as uow:
        user = uow.session.scalar(select(User).where(User.name == name.strip()))
        if user is None:
            raise NotFound(f"没有用户「{name}」")
        changes: dict = {}
        if role is not None and role != user.role:
            changes["角色"] = f"{user.role} → {_checked_role(role)}"
            user.role = role
        if townships is not None:
            limited = _checked_townships(uow, townships)
            if limited != list(user.townships or ()):
                changes["乡镇"] = f"{'、'.join(user.townships or ()) or '全县'} → {'、'.join(limited) or '全县'}"
                user.townships = limited
        if active is not None and active != user.active:
            if not active and user.name == actor.name:
                raise InvalidInput("不能停用自己的账户")
            changes["状态"] = "启用" if active else "停用"
            user.active = active
        if reset_password:
            user.password_hash, user.must_change_password = None, True
            user.failed_logins, user.locked_until = 0, None
            changes["密码"] = "已重置, 下次登录时设置新密码"
        if not changes:
            raise InvalidInput(f"用户「{user.name}」没有要修改的内容")
        uow.session.flush()
        admins = uow.session.scalar(select(func.count()).select_from(User).where(User.role == ADMIN, User.active.is_(True)))
        if not admins:
            raise InvalidInput("至少要保留一位启用的管理员")
        uow.audit("修改用户", "user", user.name, changes)
        uow.commit()
        return UserRow.of(user, now())


def authenticate(db: Database, name: str, password: str) -> Actor:
    """Check a user's password; the first use of an account without one sets it.

    Five failures in a row lock the account for a while; the lock and the counter are stored,
    so they hold across every PC sharing the database.
    """
    # On a database that may not be written (a file on a network share or a read-only disk, a newer
    # schema) logging in still works, to read; nothing about the login is stored there.
    writable = db.read_only is None
    with db.unit_of_work(Actor(name, ""), write=writable) as uow:
        user = uow.session.scalar(select(User).where(User.name == name))
        if user is None or not user.active:
            raise AuthenticationFailed("用户名或密码错误")
        moment = now()
        if user.locked_until and user.locked_until > moment:
            minutes = int((user.locked_until - moment).total_seconds() // 60) + 1
            raise AuthenticationFailed(f"连续 {MAX_FAILED_LOGINS} 次密码错误, 账户已锁定, 请 {minutes} 分钟后再试")
        uow.actor = Actor(user.name, user.role, tuple(user.townships or ()))
        if user.password_hash is None:
            if not writable:
                raise AuthenticationFailed(db.read_only)
            if not password:
                raise AuthenticationFailed(f"用户「{name}」尚未设置密码, 请提供初始密码")
            _check_password_strength(password)
            user.password_hash = _hasher.hash(password)
            user.must_change_password = False
            uow.audit("设置初始密码", "user", user.name)
            uow.commit()
            return Actor(user.name, user.role, tuple(user.townships or ()))
        try:
            _hasher.verify(user.password_hash, password)
        except (VerificationError, InvalidHashError):
            user.failed_logins += 1
            if user.failed_logins >= MAX_FAILED_LOGINS:
                user.locked_until = moment + LOCKOUT
                user.failed_logins = 0
                uow.audit("账户锁定", "user", user.name, {"原因": f"连续 {MAX_FAILED_LOGINS} 次密码错误"})
            if writable:
                uow.commit()
            raise AuthenticationFailed("用户名或密码错误") from None
        if user.failed_logins or user.locked_until:
            user.failed_logins = 0
            user.locked_until = None
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = _hasher.hash(password)
        if writable:
            uow.commit()
        return Actor(user.name, user.role, tuple(user.townships or ()))


UNMASKING_QUIET_SECONDS = 600  # the same list shown again to the same user within this is not recorded again
_unmasked: dict[tuple[str, str, str], float] = {}


def shows_full_numbers(db: Database, actor: Actor) -> bool:
    """Whether lists show `actor` whole ID and account numbers: only a role that needs them, and only
    where the viewing can be recorded in the log (not on a database that cannot be written)."""
    return may(actor.role, "see_full_numbers") and db.read_only is None


def record_unmasking(db: Database, actor: Actor, what: str, count: int) -> None:
    """Full ID or account numbers were shown to `actor` (a role that needs them): one audit record,
    once per list and user in ten minutes (a screen read again, a month picked back and forth, does
    not fill the log with the same record)."""
    if count <= 0 or not may(actor.role, "see_full_numbers") or db.read_only:
        return
    key, moment = (str(db.engine.url), actor.name, what), time.monotonic()
    if moment - _unmasked.get(key, -UNMASKING_QUIET_SECONDS) < UNMASKING_QUIET_SECONDS:
        return
    _unmasked[key] = moment
    with db.unit_of_work(actor, write=True) as uow:
        uow.audit("查看完整号码", "numbers", what, {"条数": count})
        uow.commit()
