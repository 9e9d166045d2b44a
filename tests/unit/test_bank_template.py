import re

import pytest

from workbench.domain.bank_template import TemplateError, parse_template
from workbench.paths import resources_dir

SHIPPED = sorted((resources_dir() / "bank_templates").glob("*.toml"))


def test_shipped_templates_parse():
    names = {parse_template(path.read_text(encoding="utf-8"), path.name).name for path in SHIPPED}
    assert {"通用", "一卡通文本"} <= names


@pytest.mark.parametrize("text, key", [
    ('name = "x"\nformat = "pdf"\ncolumns = [{header = "a", source = "金额"}]', "format"),
    ('name = "x"\nformat = "text"\ncolumns = [{header = "a", source = "工资"}]', "columns[0].source"),
    ('name = "x"\nformat = "text"\ncolumns = [{header = "a", source = "姓名"}]', "必须包含 金额 和 账号"),
    ('name = "x"\nformat = "text"\nencoding = "big5"\ncolumns = [{header = "a", source = "金额"}, {header = "b", source = "账号"}]', "encoding"),
    ('name = "x"\nformat = "text"\nheader_line = ["日期", "经办人"]\ncolumns = [{header = "a", source = "金额"}, {header = "b", source = "账号"}]', "header_line"),
])
def test_a_broken_template_names_the_key(text, key):
    with pytest.raises(TemplateError, match=re.escape(key)):
        parse_template(text, "坏模板.toml")


def test_a_trailer_line_closes_a_text_file(tmp_path):
    from decimal import Decimal
    from datetime import date

    from workbench.documents.bank_files import PaymentRow, write_payment_file

    template = parse_template('name = "t"\nformat = "text"\ntrailer_line = ["笔数", "总金额"]\n'
                              'columns = [{header = "账号", source = "账号"}, {header = "金额", source = "金额"}]', "t.toml")
    rows = [PaymentRow("x", "王", "b", "6231000011112222", Decimal("66.67"), "高龄补贴", "2026-10", "镇", "村")] * 2
    write_payment_file(tmp_path / "t.txt", template, rows, title="", notes=(), today=date(2026, 11, 22))
    assert (tmp_path / "t.txt").read_bytes().decode("utf-8").split("\r\n")[-2] == "2,133.34"
