"""Services the desktop screens call: the roster as columns, the person form, applications, previews, the log."""
from datetime import date
from decimal import Decimal as D

import pytest
from pypdf import PdfReader

from tests.conftest import ADMIN, CLERK, REVIEWER, TODAY
from tests.helpers import han_name, make_id, roster_row, write_rows
from workbench.domain.errors import ImportRejected, InvalidInput, PermissionDenied
from workbench.domain.month import Month as M
from workbench.services.audit import search_audit
from workbench.services.enrollment import apply_for_item, decide_application, pending_applications
from workbench.services.payout import approve_month, run_month
from workbench.services.policy import preview_standard
from workbench.services.printing import print_approval
from workbench.services.roster_views import (
    AFTER_FIRST_VILLAGE, FIRST_VILLAGE, person_detail, roster_table, township_names,
)
from workbench.services.roster_import import import_roster, register_person

OLD = make_id(date(1941, 5, 3), 11)
WOMAN = make_id(date(1936, 2, 2), 32)
NEWCOMER = make_id(date(1944, 7, 1), 41)


@pytest.fixture
def county(db, tmp_path):
    rows = [
        roster_row(起始月份="2026-06"),
        roster_row(姓名="李秀英", 身份证号=WOMAN, 性别="女", 出生日期="1936-02-02", 乡镇="北留镇", **{"村(社区)": "北留村"},
                   低保="是", 享受项目="高龄补贴、养老服务补贴", 起始月份="2026-06", 死亡日期="2026-10-03"),
    ]
    import_roster(db, CLERK, write_rows(tmp_path / "county.xlsx", rows), today=TODAY)
    return db


def test_roster_table_by_township_adds_up_to_the_whole(county):
    whole = roster_table(county, CLERK, today=TODAY)
    assert whole.names == ["王德福", "李秀英"]  # 凤城镇 sorts before 北留镇 (by code point)
    assert whole.full_ids is None and whole.id_numbers[1] != WOMAN and whole.id_numbers[1][-4:] == WOMAN[-4:]
    assert whole.statuses == ["在册", "已故"]
    assert whole.dibao == ["否", "是"] and whole.hukou == ["农村", "农村"]
    assert whole.items == ["高龄补贴", "高龄补贴、养老服务补贴"]
    assert whole.ages == [85, 90]  # her age stops at her death
    parts = None
    for township in township_names(county, CLERK):
        part = roster_table(county, CLERK, township=township, today=TODAY)
        parts = part if parts is None else (parts.extend(part) or parts)
    assert parts.names == whole.names and parts.items == whole.items and parts.full_ids is None
    assert roster_table(county, ADMIN, today=TODAY).full_ids == [OLD, WOMAN]


def test_a_townships_first_village_and_the_rest_of_it_add_up_to_the_township(db, tmp_path):
    """The window shows the first township's first village (by name) before the rest of it."""
    villages = ["南村", "东村", "北村", "东村", "南村", "西村"]
    rows = [roster_row(姓名=han_name("赵德", index), 身份证号=make_id(date(1940, 1, 1), 2 * index + 1), 出生日期="1940-01-01",
                       乡镇="凤城镇", 起始月份="2026-06", **{"村(社区)": village}) for index, village in enumerate(villages, start=1)]
    import_roster(db, CLERK, write_rows(tmp_path / "villages.xlsx", rows), today=TODAY)
    whole = roster_table(db, ADMIN, township="凤城镇", today=TODAY)
    first = roster_table(db, ADMIN, township="凤城镇", today=TODAY, part=FIRST_VILLAGE)
    rest = roster_table(db, ADMIN, township="凤城镇", today=TODAY, part=AFTER_FIRST_VILLAGE)
    assert set(first.villages) == {min(villages)} and len(first) == villages.count(min(villages))
    assert min(villages) not in rest.villages
    first.extend(rest)
    assert first == whole


def test_a_person_entered_on_the_form_waits_for_another_users_approval(county, tmp_path):
    cells = {"姓名": "赵文华", "身份证号": NEWCOMER, "乡镇": "凤城镇", "村(社区)": "东关村", "户籍性质": "城镇",
             "开户银行": "阳城农商银行", "银行账号": "6231000011119999", "享受项目": "高龄补贴", "起始月份": "2026-08"}
    person_id = register_person(county, CLERK, cells, today=TODAY)
    detail = person_detail(county, CLERK, person_id, today=TODAY)
    assert (detail.sex, detail.birth_date, detail.age) == ("男", date(1944, 7, 1), 82)
    assert detail.enrollments == [("高龄补贴", M(2026, 8), None, "待审批", "")]
    assert detail.account.endswith("9999") and "1111" not in detail.account
    with pytest.raises(InvalidInput, match="已在花名册中"):
        register_person(county, CLERK, cells, today=TODAY)
    with pytest.raises(ImportRejected, match="未保存: 「身份证号」") as refused:
        register_person(county, CLERK, {**cells, "身份证号": NEWCOMER[:-1] + "0"}, today=TODAY)
    assert [error.column for error in refused.value.errors] == ["身份证号"]

    # The sheet is printed for signing before the approval: it shows what the item would pay.
    sheet = print_approval(county, REVIEWER, person_id, "高龄补贴", tmp_path / "sheet.pdf", today=TODAY)
    text = "".join(page.extract_text() for page in PdfReader(sheet).pages)
    shown = ("赵文华" in text, "66.66 元" in text, "2026-08 至 2026-10" in text, "200.00 元" in text)
    assert shown == (True, True, True, True)  # November's installment; back pay August to October

    [application] = pending_applications(county, REVIEWER)
    assert (application.name, application.item_name, application.entered_by) == ("赵文华", "高龄补贴", "clerk")
    with pytest.raises(PermissionDenied, match="不能审批自己录入的申请"):
        decide_application(county, ADMIN.__class__("clerk", "管理员"), application.enrollment_id, approve=True)
    assert run_month(county, CLERK, M(2026, 8)).people == 2
    decided = decide_application(county, REVIEWER, application.enrollment_id, approve=True)
    # The item by name and the monthly amount the ledger engine computes (August's share of 800 a year).
    assert decided.startswith("赵文华 的「高龄补贴」申请已批准, 自 2026-08 起每月 66.66 元"), decided
    assert pending_applications(county, REVIEWER) == []
    # The approval marks the person changed: the draft's rerun pays the new enrollment.
    report = run_month(county, CLERK, M(2026, 8))
    assert report.people == 3


def test_applications_are_refused_when_they_cannot_hold(county):
    person_id = roster_table(county, CLERK, today=TODAY).person_ids[0]
    with pytest.raises(InvalidInput, match="不能重复申请"):
        apply_for_item(county, CLERK, person_id, "GLBT", M(2026, 9))
    with pytest.raises(InvalidInput, match="驳回申请须填写理由"):
        decide_application(county, REVIEWER, 1, approve=False)
    dead = roster_table(county, CLERK, today=TODAY).person_ids[1]
    with pytest.raises(InvalidInput, match="已于 2026-10-03 去世"):
        apply_for_item(county, CLERK, dead, "HLBT", M(2026, 11))
    enrollment = apply_for_item(county, CLERK, person_id, "YLFW", M(2026, 9))
    decide_application(county, REVIEWER, enrollment, approve=False, note="非低保对象")
    assert pending_applications(county, REVIEWER) == []
    [record] = search_audit(county, ADMIN, text="驳回")
    assert record.user == "reviewer" and record.detail["理由"] == "非低保对象"


def test_standard_preview_counts_back_pay_of_paid_months_without_saving(county):
    for month in (M(2026, 6), M(2026, 7)):
        run_month(county, CLERK, month)
        approve_month(county, REVIEWER, month)
    recorded = len(search_audit(county, ADMIN, text="录入标准"))
    preview = preview_standard(county, ADMIN, "高龄补贴", "80-89", "960", date(2026, 6, 1))
    # 800 -> 960 a year for him: 160/12 = 13.33 a month for June and July.
    assert (preview.first, preview.last, preview.people) == (M(2026, 6), M(2026, 7), 1)
    assert preview.back_pay == D("26.66") and preview.recovery == 0
    later = preview_standard(county, ADMIN, "高龄补贴", "80-89", "960", date(2026, 9, 1))
    assert later.last is None and later.back_pay == 0
    assert len(search_audit(county, ADMIN, text="录入标准")) == recorded  # nothing saved
    with pytest.raises(PermissionDenied):
        preview_standard(county, CLERK, "高龄补贴", "80-89", "960", date(2026, 6, 1))


def test_audit_search_filters_by_user_and_date(county):
    everything = search_audit(county, ADMIN)
    assert everything and everything[0].id > everything[-1].id
    assert {entry.user for entry in search_audit(county, ADMIN, user="clerk")} == {"clerk"}
    assert search_audit(county, ADMIN, since=date(2100, 1, 1)) == []


def test_every_showing_of_full_numbers_is_audited(county):
    def unmaskings():
        return [(entry.user, entry.entity_id, entry.detail["条数"]) for entry in search_audit(county, ADMIN, text="查看完整号码")]

    roster_table(county, CLERK, today=TODAY)
    person_detail(county, CLERK, roster_table(county, CLERK, today=TODAY).person_ids[0], today=TODAY)
    assert unmaskings() == []  # a clerk only ever sees masked numbers
    table = roster_table(county, ADMIN, today=TODAY)
    person_detail(county, REVIEWER, table.person_ids[0], today=TODAY)
    roster_table(county, ADMIN, township="凤城镇", today=TODAY, audited=False)  # a part of a load audited as a whole
    assert unmaskings() == [("reviewer", f"人员 {table.person_ids[0]}", 1), ("admin", "花名册", 2)]


def test_a_list_shown_again_soon_is_not_recorded_again(county):
    from workbench.services.payout import diff_month, run_month

    run_month(county, CLERK, M(2026, 10))
    for _ in range(3):  # a reviewer switching months back and forth, refreshing the screen
        diff_month(county, REVIEWER, M(2026, 10))
    roster_table(county, REVIEWER, today=TODAY)
    shown = [(entry.user, entry.entity_id) for entry in search_audit(county, ADMIN, text="查看完整号码")]
    assert shown == [("reviewer", "花名册"), ("reviewer", "2026-10 审核清单")]


def test_the_log_reads_as_text_with_names_and_masked_numbers(county):
    from workbench.services.audit import readable_audit
    from workbench.services.roster import change_person

    number = roster_table(county, ADMIN, today=TODAY).full_ids[0]
    change_person(county, CLERK, number, "银行账号", "6228480011112222", None)
    entry = readable_audit(county, ADMIN, search_audit(county, ADMIN, text="更换银行账户"))[0]
    assert entry.entity == "人员" and number not in entry.target and number[-4:] in entry.target
    assert "6228480011112222" not in entry.content and "6228********2222" in entry.content
    assert "{" not in entry.content and "人员ID" not in entry.content
    assert entry.at[:4].isdigit() and len(entry.at) == 19


def test_the_standard_preview_lists_exactly_the_lines_the_next_run_writes(county):
    from workbench.services.policy import set_standard
    from workbench.services.payout import show_month

    for month in (M(2026, 6), M(2026, 7), M(2026, 8)):
        run_month(county, CLERK, month)
        approve_month(county, REVIEWER, month)
    preview = preview_standard(county, ADMIN, "高龄补贴", "80-89", "700", date(2026, 7, 1), today=TODAY)
    assert preview.month == M(2026, 9) and preview.recovery < 0 and preview.lines
    with county.unit_of_work(ADMIN) as uow:
        from sqlalchemy import select
        from workbench.store.models import Person
        numbers = dict(uow.session.execute(select(Person.id, Person.id_number)).all())
    previewed = {(numbers[line.person_id], line.period, line.amount, line.kind) for line in preview.lines}
    set_standard(county, ADMIN, "高龄补贴", "80-89", "700", date(2026, 7, 1))
    run_month(county, CLERK, M(2026, 9), today=TODAY)
    written = {(line.id_number, line.period, line.amount, line.kind)
               for line in show_month(county, ADMIN, M(2026, 9)) if line.kind in ("补发", "追回")}
    assert previewed == written
