"""Every operation has a command: applications and their decision, ending an enrollment, the log."""
import csv
import io
from datetime import date

from tests.helpers import make_id, roster_row, workbench, write_rows

ID = make_id(date(1941, 5, 3), 11)
REVIEWER = {"WORKBENCH_USER": "shen", "WORKBENCH_PASSWORD": "shen-secret"}


def _csv(done) -> list[dict[str, str]]:
    assert done.returncode == 0, done.stderr
    return list(csv.DictReader(io.StringIO(done.stdout)))


def test_an_application_is_entered_decided_by_another_user_and_ended(cli_db, tmp_path):
    assert workbench("roster", "import", str(write_rows(tmp_path / "r.xlsx", [roster_row(享受项目="", 起始月份="2026-09")])),
                     db=cli_db).returncode == 0
    assert workbench("user", "add", "shen", "--role", "审批", db=cli_db,
                     env={"WORKBENCH_NEW_PASSWORD": "shen-secret"}).returncode == 0
    applied = workbench("enroll", "apply", ID, "高龄补贴", "--from", "2026-09", db=cli_db)
    assert applied.returncode == 0 and "待其他用户审批" in applied.stdout, applied.stderr
    assert [row["状态"] for row in _csv(workbench("enroll", "list", "--format", "csv", db=cli_db))] == ["待审批"]
    own = workbench("enroll", "approve", ID, "高龄补贴", db=cli_db)
    assert own.returncode == 1 and "不能审批自己录入的申请" in own.stderr
    approved = workbench("enroll", "approve", ID, "高龄补贴", db=cli_db, env=REVIEWER)
    assert approved.returncode == 0 and "已批准" in approved.stdout and "每月" in approved.stdout, approved.stderr
    assert workbench("payout", "run", "2026-10", db=cli_db).returncode == 0
    paid = _csv(workbench("payout", "show", "2026-10", "--format", "csv", db=cli_db))
    assert sorted(row["所属期"] for row in paid) == ["2026-09", "2026-10"]
    ended = workbench("enroll", "end", ID, "GLBT", "--after", "2026-09", db=cli_db)
    assert ended.returncode == 0 and "享受至 2026-09" in ended.stdout, ended.stderr
    listed = _csv(workbench("enroll", "list", "--state", "已终止", "--format", "csv", db=cli_db))
    assert [(row["项目"], row["起始月份"], row["享受至"], row["审批人"]) for row in listed] == [
        ("高龄补贴", "2026-09", "2026-09", "shen")]
    assert _csv(workbench("enroll", "list", "--state", "已批准", "--format", "csv", db=cli_db)) == []
    assert workbench("payout", "run", "2026-10", db=cli_db).returncode == 0  # the draft is computed again
    paid = _csv(workbench("payout", "show", "2026-10", "--format", "csv", db=cli_db))
    assert [row["所属期"] for row in paid] == ["2026-09"]
    again = workbench("enroll", "end", ID, "高龄补贴", "--after", "2026-10", db=cli_db)
    assert again.returncode == 1 and "已于 2026-09 之后终止" in again.stderr


def test_a_rejection_needs_a_reason_and_is_listed(cli_db, tmp_path):
    assert workbench("roster", "import", str(write_rows(tmp_path / "r.xlsx", [roster_row(享受项目="")])), db=cli_db).returncode == 0
    assert workbench("user", "add", "shen", "--role", "审批", db=cli_db,
                     env={"WORKBENCH_NEW_PASSWORD": "shen-secret"}).returncode == 0
    assert workbench("enroll", "apply", ID, "高龄补贴", "--from", "2026-10", db=cli_db).returncode == 0
    usage = workbench("enroll", "reject", ID, "高龄补贴", db=cli_db, env=REVIEWER)
    assert usage.returncode == 2 and "--reason" in usage.stderr
    rejected = workbench("enroll", "reject", ID, "高龄补贴", "--reason", "户籍不在本县", db=cli_db, env=REVIEWER)
    assert rejected.returncode == 0 and "已驳回" in rejected.stdout, rejected.stderr
    assert [row["状态"] for row in _csv(workbench("enroll", "list", "--state", "已驳回", "--format", "csv", db=cli_db))] == ["已驳回"]
    unknown = workbench("enroll", "apply", ID, "长寿补贴", "--from", "2026-10", db=cli_db)
    assert unknown.returncode == 1 and "没有项目「长寿补贴」" in unknown.stderr


def test_audit_list_prints_the_log_in_order_filtered_by_user_and_day(cli_db, tmp_path):
    assert workbench("roster", "import", str(write_rows(tmp_path / "r.xlsx", [roster_row()])), db=cli_db).returncode == 0
    assert workbench("user", "add", "shen", "--role", "审批", db=cli_db,
                     env={"WORKBENCH_NEW_PASSWORD": "shen-secret"}).returncode == 0
    everything = _csv(workbench("audit", "list", "--format", "csv", db=cli_db))
    assert list(everything[0]) == ["时间", "用户", "安装", "操作", "对象", "内容"]
    times = [row["时间"] for row in everything]
    assert times == sorted(times) and len(everything) >= 4
    assert [row["操作"] for row in everything if row["操作"] in ("导入花名册", "新增用户")] == ["新增用户", "导入花名册", "新增用户"]
    assert not any(ID in row["内容"] or ID in row["对象"] for row in everything)  # numbers masked
    admins = _csv(workbench("audit", "list", "--user", "admin", "--format", "csv", db=cli_db))
    assert admins and {row["用户"] for row in admins} == {"admin"}
    today = date.today().isoformat()
    assert len(_csv(workbench("audit", "list", "--from", today, "--to", today, "--format", "csv", db=cli_db))) == len(everything)
    assert _csv(workbench("audit", "list", "--to", "2020-01-01", "--format", "csv", db=cli_db)) == []
    backwards = workbench("audit", "list", "--from", "2026-12-02", "--to", "2026-12-01", db=cli_db)
    assert backwards.returncode == 1 and "晚于" in backwards.stderr
