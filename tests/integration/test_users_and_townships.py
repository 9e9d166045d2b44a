"""User management (list, role, reset, disable; names and passwords refused) and township users, who
reach only their townships' people in every service, while county users reach everyone."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tests.conftest import ADMIN, CLERK, REVIEWER, TODAY
from tests.helpers import make_id, roster_row, workbench, write_rows
from workbench.domain.errors import AuthenticationFailed, ImportRejected, InvalidInput, NotFound, PermissionDenied
from workbench.domain.month import Month
from workbench.services.accounts import add_user, authenticate, list_users, set_user
from workbench.services.checks import upcoming
from workbench.services.enrollment import apply_for_item, pending_applications
from workbench.services.payout import approve_month, diff_month, month_status, run_month, show_month
from workbench.services.printing import print_roster, print_summary
from workbench.services.roster import change_person
from workbench.services.roster_views import list_roster, person_detail, person_id_of, township_names
from workbench.services.roster_import import import_roster
from workbench.store.models import AuditRecord

HERE = make_id(date(1941, 5, 3), 11)  # 润城镇
THERE = make_id(date(1940, 2, 2), 22)  # 凤城镇
AUGUST = Month(2026, 8)


@pytest.fixture
def county(db, tmp_path):
    rows = [roster_row(身份证号=HERE, 乡镇="润城镇", 起始月份="2026-06"),
            roster_row(姓名="李秀英", 身份证号=THERE, 出生日期="1940-02-02", 性别="女", 乡镇="凤城镇", 起始月份="2026-06")]
    import_roster(db, CLERK, write_rows(tmp_path / "county.xlsx", rows), today=TODAY)
    add_user(db, ADMIN, "小王", "经办", "xiaowang-1", townships=["润城镇"])
    return db


def test_an_admin_lists_changes_resets_and_disables_users(county):
    assert [(user.name, user.role, user.scope) for user in list_users(county, ADMIN)] == [
        ("admin", "管理员", "全县"), ("小王", "经办", "润城镇")]
    set_user(county, ADMIN, "小王", role="审核", townships=["润城镇", "凤城镇"])
    set_user(county, ADMIN, "小王", reset_password=True)
    assert {user.name: user.state for user in list_users(county, ADMIN)}["小王"] == "待设密码"
    assert authenticate(county, "小王", "new-secret-9").townships == ("润城镇", "凤城镇")  # sets the new password
    with pytest.raises(AuthenticationFailed):
        authenticate(county, "小王", "xiaowang-1")
    set_user(county, ADMIN, "小王", active=False)
    with pytest.raises(AuthenticationFailed):
        authenticate(county, "小王", "new-secret-9")
    with pytest.raises(InvalidInput, match="不能停用自己"):
        set_user(county, ADMIN, "admin", active=False)
    with pytest.raises(InvalidInput, match="至少要保留一位启用的管理员"):
        set_user(county, ADMIN, "admin", role="经办")
    with pytest.raises(PermissionDenied):
        set_user(county, CLERK, "小王", active=True)
    with pytest.raises(NotFound):
        set_user(county, ADMIN, "nobody", active=True)
    with pytest.raises(InvalidInput, match="不在花名册中"):
        set_user(county, ADMIN, "小王", townships=["月亮镇"])
    with county.unit_of_work(ADMIN) as uow:
        changes = uow.session.scalars(select(AuditRecord.action).where(AuditRecord.action == "修改用户")).all()
    assert len(changes) == 3


@pytest.mark.parametrize("name, password, message", [
    ("系统", "good-pass-1", "程序自己使用"),
    ("a\nb", "good-pass-1", "控制字符"),
    ("tab\tname", "good-pass-1", "控制字符"),
    ("spaces", "        ", "全是空格"),
    ("short", "abc", "至少 6 位"),
])
def test_bad_user_names_and_passwords_are_refused(county, name, password, message):
    with pytest.raises(InvalidInput, match=message):
        add_user(county, ADMIN, name, "经办", password)


def test_a_township_user_reaches_only_their_townships_people(county, tmp_path):
    town = authenticate(county, "小王", "xiaowang-1")
    assert town.townships == ("润城镇",)
    assert township_names(county, town) == ["润城镇"] and len(township_names(county, ADMIN)) == 2
    assert [line.name for line in list_roster(county, town, today=TODAY)] == ["王德福"]
    assert len(list(list_roster(county, ADMIN, today=TODAY))) == 2
    with pytest.raises(PermissionDenied, match="凤城镇"):
        list(list_roster(county, town, township="凤城镇", today=TODAY))
    there = person_id_of(county, ADMIN, THERE)
    with pytest.raises(PermissionDenied):
        person_detail(county, town, there)
    with pytest.raises(PermissionDenied):
        change_person(county, town, THERE, "联系电话", "13800000000", None)
    with pytest.raises(PermissionDenied):
        apply_for_item(county, town, there, "YLFW", AUGUST)
    assert person_id_of(county, town, THERE) is None
    change_person(county, town, HERE, "联系电话", "13800000000", None)  # their own township's person
    change_person(county, CLERK, THERE, "联系电话", "13800000001", None)  # a county clerk reaches everyone

    # An import may not register or change people of other townships.
    with pytest.raises(ImportRejected) as refused:
        import_roster(county, town, write_rows(tmp_path / "other.xlsx", [roster_row(
            身份证号=THERE, 姓名="李秀英", 出生日期="1940-02-02", 性别="女", 乡镇="润城镇", 起始月份="2026-06")]), today=TODAY)
    assert "只负责 润城镇" in str(refused.value.errors[0])

    # County-wide steps are for county users; the month's lists show a township user their own people.
    with pytest.raises(PermissionDenied, match="县级用户"):
        run_month(county, town, AUGUST)
    assert "县级用户" in month_status(county, town, AUGUST).steps["run"]  # the window says so before a click
    run_month(county, CLERK, AUGUST)
    add_user(county, ADMIN, "小张", "审核", "xiaozhang-1", townships=["润城镇"])
    with pytest.raises(PermissionDenied, match="县级用户"):
        approve_month(county, authenticate(county, "小张", "xiaozhang-1"), AUGUST)
    assert {line.name for line in diff_month(county, town, AUGUST)} == {"王德福"}
    assert {line.name for line in diff_month(county, REVIEWER, AUGUST)} == {"王德福", "李秀英"}
    assert {line.name for line in show_month(county, town, AUGUST)} == {"王德福"}
    with pytest.raises(PermissionDenied, match="县级用户"):
        print_summary(county, town, AUGUST, tmp_path / "summary.pdf")
    with pytest.raises(PermissionDenied):
        print_roster(county, town, AUGUST, tmp_path / "roster.pdf", township="凤城镇")
    assert not (tmp_path / "roster.pdf").exists()
    print_roster(county, town, AUGUST, tmp_path / "roster.pdf")
    assert all(finding.township == "润城镇" for finding in upcoming(county, town, today=TODAY))
    assert all(application.township == "润城镇" for application in pending_applications(county, town))


def test_user_commands_on_the_command_line(tmp_path):
    db = str(tmp_path / "cli.db")
    assert workbench("init", "--policy", "yangcheng", db=db).returncode == 0
    rows = [roster_row(身份证号=HERE, 乡镇="润城镇", 起始月份="2026-06")]
    assert workbench("roster", "import", str(write_rows(tmp_path / "r.xlsx", rows)), db=db).returncode == 0
    added = workbench("user", "add", "小王", "--role", "经办", "--township", "润城镇", db=db,
                      env={"WORKBENCH_NEW_PASSWORD": "xiaowang-1"})
    assert added.returncode == 0, added.stderr
    listed = workbench("user", "list", "--format", "csv", db=db)
    assert listed.stdout.splitlines() == ["用户名,角色,状态,乡镇", "admin,管理员,正常,全县", "小王,经办,正常,润城镇"]
    changed = workbench("user", "set", "小王", "--role", "审核", "--county", db=db)
    assert changed.returncode == 0 and "全县" in changed.stdout
    refused = workbench("user", "set", "admin", "--disable", db=db)
    assert refused.returncode != 0 and "不能停用自己" in refused.stderr and "Traceback" not in refused.stderr
    as_township = workbench("roster", "list", "--format", "csv", db=db,
                            env={"WORKBENCH_USER": "小王", "WORKBENCH_PASSWORD": "xiaowang-1"})
    assert as_township.returncode == 0 and len(as_township.stdout.splitlines()) == 2
