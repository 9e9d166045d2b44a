"""The monthly statistics workbook, formatted for printing."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import xlsxwriter

from workbench.domain.month import Month
from workbench.documents.output import TEXT_AS_TEXT


def write_report(path: Path, month: Month, state: str, by_town_item, by_age, per_month, last_month, changes=(),
                 changed=()) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(str(path), TEXT_AS_TEXT)
    try:
        title = book.add_format({"bold": True, "font_size": 14})
        head = book.add_format({"bold": True, "border": 1, "bg_color": "#DDEBF7", "align": "center", "text_wrap": True})
        money = book.add_format({"num_format": "#,##0.00", "border": 1})
        count = book.add_format({"num_format": "#,##0", "border": 1})
        text = book.add_format({"border": 1})
        total_money = book.add_format({"num_format": "#,##0.00", "border": 1, "bold": True})
        total_count = book.add_format({"num_format": "#,##0", "border": 1, "bold": True})
        total_text = book.add_format({"border": 1, "bold": True})

        def table(name: str, heading: str, headers, widths, rows, totals=None):
            sheet = book.add_worksheet(name)
            sheet.write_string(0, 0, heading, title)
            for index, (header, width) in enumerate(zip(headers, widths)):
                sheet.set_column(index, index, width)
                sheet.write_string(2, index, header, head)
            sheet.freeze_panes(3, 0)
            sheet.set_landscape()
            sheet.set_paper(9)  # A4
            sheet.repeat_rows(2)
            sheet.fit_to_pages(1, 0)
            for number, row in enumerate(rows + ([totals] if totals else []), start=3):
                bold = totals is not None and number == len(rows) + 3
                for index, value in enumerate(row):
                    if isinstance(value, Decimal):
                        sheet.write_number(number, index, float(value), total_money if bold else money)
                    elif isinstance(value, int):
                        sheet.write_number(number, index, value, total_count if bold else count)
                    else:
                        sheet.write_string(number, index, str(value), total_text if bold else text)

        heading = f"{month} 老年人补贴发放统计 ({state})"
        rows = [[town, item, len(tally.people), tally.paid, -tally.recovered] for (town, item), tally in sorted(by_town_item.items())]
        table("乡镇项目", heading, ["乡镇", "项目", "人数", "发放金额", "追回金额"], [14, 20, 10, 16, 14], rows,
              ["合计", "", len(set().union(*(t.people for t in by_town_item.values()))) if by_town_item else 0,
               sum((t.paid for t in by_town_item.values()), Decimal("0.00")),
               -sum((t.recovered for t in by_town_item.values()), Decimal("0.00"))])
        rows = [[band, len(tally.people), tally.paid] for band, tally in sorted(by_age.items())]
        table("年龄段", heading, ["年龄段", "人数", "发放金额"], [14, 10, 16], rows)
        this, last = per_month.get(month, {}), last_month  # January compares with December of the year before
        rows = []
        for item in sorted(set(this) | set(last)):
            now_people, now_amount = this.get(item, (0, Decimal("0.00")))
            before_people, before_amount = last.get(item, (0, Decimal("0.00")))
            rows.append([item, before_people, now_people, now_people - before_people, before_amount, now_amount, now_amount - before_amount])
        table("环比", heading, ["项目", "上月人数", "本月人数", "增减人数", "上月金额", "本月金额", "增减金额"],
              [20, 10, 10, 10, 16, 16, 14], rows)
        rows = [[row.township, row.item, row.before, row.added, row.stopped, row.now] for row in changes]
        table("增减变动", f"{month} 老年人补贴增减变动表 ({state})", ["乡镇", "项目", "上月人数", "本月新增", "本月停发", "本月人数"],
              [14, 20, 10, 10, 10, 10], rows,
              ["合计", "", *(sum(getattr(row, name) for row in changes) for name in ("before", "added", "stopped", "now"))])
        rows = [[person.township, person.category, person.name, person.id_number, person.item, person.reason]
                for person in changed]
        table("增减明细", f"{month} 新增和停发人员 ({state})", ["乡镇", "类别", "姓名", "身份证号", "项目", "原因"],
              [14, 8, 12, 22, 20, 60], rows)
        items = sorted({item for month_items in per_month.values() for item in month_items})
        rows = []
        for each in sorted(per_month):
            rows.append([str(each)] + [per_month[each].get(item, (0, Decimal("0.00")))[1] for item in items]
                        + [sum((amount for _, amount in per_month[each].values()), Decimal("0.00"))])
        totals = ["累计"] + [sum((per_month[each].get(item, (0, Decimal("0.00")))[1] for each in per_month), Decimal("0.00"))
                           for item in items] + [sum((row[-1] for row in rows), Decimal("0.00"))]
        table("本年累计", f"{month.year} 年 1-{month.month} 月累计发放", ["月份", *items, "合计"],
              [10] + [16] * (len(items) + 1), rows, totals)
    finally:
        book.close()
