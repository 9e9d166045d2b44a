"""Users: argon2id hashes, the admin's first-use password, lockout after five failures."""
import pytest
from sqlalchemy import select

from tests.conftest import ADMIN, CLERK
from workbench.domain.errors import AuthenticationFailed, InvalidInput, PermissionDenied
from workbench.services.accounts import MAX_FAILED_LOGINS, add_user, authenticate
from workbench.store.models import AuditRecord, User


def test_admin_sets_its_password_on_first_use_then_must_use_it(db):
    with pytest.raises(AuthenticationFailed, match="尚未设置密码"):
        authenticate(db, "admin", "")
    assert authenticate(db, "admin", "first-secret") == ADMIN
    assert authenticate(db, "admin", "first-secret") == ADMIN
    with pytest.raises(AuthenticationFailed, match="用户名或密码错误"):
        authenticate(db, "admin", "other-secret")
    with db.unit_of_work(ADMIN) as uow:
        stored = uow.session.scalar(select(User.password_hash).where(User.name == "admin"))
    assert stored.startswith("$argon2id$") and "first-secret" not in stored


def test_five_failures_lock_the_account_even_for_the_right_password(db):
    authenticate(db, "admin", "first-secret")
    for _ in range(MAX_FAILED_LOGINS):
        with pytest.raises(AuthenticationFailed, match="用户名或密码错误"):
            authenticate(db, "admin", "wrong")
    with pytest.raises(AuthenticationFailed, match="已锁定"):
        authenticate(db, "admin", "first-secret")
    with db.unit_of_work(ADMIN) as uow:
        assert "账户锁定" in uow.session.scalars(select(AuditRecord.action)).all()


def test_only_an_admin_adds_users_and_names_are_unique(db):
    add_user(db, ADMIN, "clerk", "经办", "clerk-pass")
    assert authenticate(db, "clerk", "clerk-pass") == CLERK
    with pytest.raises(PermissionDenied, match="无权管理用户"):
        add_user(db, CLERK, "other", "经办", "other-pass")
    with pytest.raises(InvalidInput, match="已存在"):
        add_user(db, ADMIN, "clerk", "审核", "clerk-pass")
    with pytest.raises(InvalidInput, match="角色"):
        add_user(db, ADMIN, "boss", "局长", "boss-pass")
    with pytest.raises(InvalidInput, match="至少"):
        add_user(db, ADMIN, "short", "经办", "abc")
    with pytest.raises(AuthenticationFailed):
        authenticate(db, "nobody", "x")
