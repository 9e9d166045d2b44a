"""Users (用户), passwords and logging in."""
from __future__ import annotations

from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select

from workbench.bootstrap import Database
from workbench.domain.errors import AuthenticationFailed, InvalidInput, PermissionDenied
from workbench.domain.roles import ACTION_NAMES, ADMIN, ROLES, may
from workbench.store.models import User
from workbench.store.uow import Actor, UnitOfWork, now

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


def ensure_admin(uow: UnitOfWork) -> bool:
    """Create the `admin` user (password set on first use) if there is none; True if created."""
    if uow.session.scalar(select(User.id).where(User.name == ADMIN_NAME)) is not None:
        return False
    uow.session.add(User(name=ADMIN_NAME, role=ADMIN, password_hash=None, must_change_password=True))
    uow.audit("新增用户", "user", ADMIN_NAME, {"角色": ADMIN, "说明": "初始管理员, 首次使用时设置密码"})
    return True


def add_user(db: Database, actor: Actor, name: str, role: str, password: str) -> None:
    require(actor, "manage_users")
    name = name.strip()
    if not name or len(name) > 40:
        raise InvalidInput("用户名不能为空, 最多 40 个字")
    if role not in ROLES:
        raise InvalidInput(f"角色「{role}」无效, 应为 {'/'.join(ROLES)}")
    _check_password_strength(password)
    with db.unit_of_work(actor, write=True) as uow:
        if uow.session.scalar(select(User.id).where(User.name == name)) is not None:
            raise InvalidInput(f"用户「{name}」已存在")
        uow.session.add(User(name=name, role=role, password_hash=_hasher.hash(password)))
        uow.audit("新增用户", "user", name, {"角色": role})
        uow.commit()


def authenticate(db: Database, name: str, password: str) -> Actor:
    """Check a user's password; the first use of an account without one sets it.

    Five failures in a row lock the account for a while; the lock and the counter are stored,
    so they hold across every PC sharing the database.
    """
    # On a database that may not be written (a file on a network share) logging in still works,
    # to read; nothing about the login is stored there.
    writable = db.network_refusal is None
    with db.unit_of_work(Actor(name, ""), write=writable) as uow:
        user = uow.session.scalar(select(User).where(User.name == name))
        if user is None or not user.active:
            raise AuthenticationFailed("用户名或密码错误")
        moment = now()
        if user.locked_until and user.locked_until > moment:
            minutes = int((user.locked_until - moment).total_seconds() // 60) + 1
            raise AuthenticationFailed(f"连续 {MAX_FAILED_LOGINS} 次密码错误, 账户已锁定, 请 {minutes} 分钟后再试")
        uow.actor = Actor(user.name, user.role)
        if user.password_hash is None:
            if not writable:
                raise AuthenticationFailed(db.network_refusal)
            if not password:
                raise AuthenticationFailed(f"用户「{name}」尚未设置密码, 请提供初始密码")
            _check_password_strength(password)
            user.password_hash = _hasher.hash(password)
            user.must_change_password = False
            uow.audit("设置初始密码", "user", user.name)
            uow.commit()
            return Actor(user.name, user.role)
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
        return Actor(user.name, user.role)


def record_unmasking(db: Database, actor: Actor, what: str, count: int) -> None:
    """Full ID or account numbers were shown to `actor` (a role that needs them): one audit record."""
    if count <= 0 or not may(actor.role, "see_full_numbers") or db.network_refusal:
        return
    with db.unit_of_work(actor, write=True) as uow:
        uow.audit("查看完整号码", "numbers", what, {"条数": count})
        uow.commit()
