"""Bank payment list templates (代发清单模板) as data: columns, format, encoding, summary line."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass

from workbench.domain.errors import InvalidInput

SOURCES = ("序号", "姓名", "身份证号", "账号", "金额", "项目", "所属期", "乡镇", "村", "开户银行",
           "享受人姓名", "享受人身份证号", "收款人姓名", "收款人身份证号", "与享受人关系", "补贴项目编码", "补贴项目名称")
CONSTANT = "常量:"
SUMMARY_FIELDS = ("日期", "单位", "笔数", "总金额")
GENERIC = "通用"


class TemplateError(InvalidInput):
    """A bank template file is malformed; the message names the key."""


@dataclass(frozen=True, slots=True)
class TemplateColumn:
    header: str
    source: str  # one of SOURCES, or "常量:<text>"

    @property
    def constant(self) -> str | None:
        return self.source[len(CONSTANT):] if self.source.startswith(CONSTANT) else None


@dataclass(frozen=True, slots=True)
class BankTemplate:
    name: str
    format: str  # xlsx / text
    columns: tuple[TemplateColumn, ...]
    banks: tuple[str, ...] = ()  # 开户银行 names that use this template
    encoding: str = "utf-8"
    delimiter: str = ","
    header_line: tuple[str, ...] = ()  # text: a first line summarising the file
    trailer_line: tuple[str, ...] = ()  # text: a last line summarising the file
    unit: str = ""
    title: str = ""

    @property
    def suffix(self) -> str:
        return ".txt" if self.format == "text" else ".xlsx"

    @property
    def by_item(self) -> bool:
        """One workbook for every bank, a sheet per item (the 一卡通 upload)."""
        return self.format == "items"


def parse_template(text: str, where: str) -> BankTemplate:
    """Read and check one template file's text; `where` names the file in messages."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as problem:
        raise TemplateError(f"银行模板「{where}」格式错误: {problem}") from None

    def fail(key: str, reason: str):
        raise TemplateError(f"银行模板「{where}」的「{key}」{reason}")

    name = data.get("name")
    if not isinstance(name, str) or not name:
        fail("name", "缺少或为空")
    format_ = data.get("format")
    if format_ not in ("xlsx", "text", "items"):
        fail("format", "应为 xlsx、text 或 items (一个工作簿, 每个项目一张表, 不分银行)")
    columns = []
    for index, column in enumerate(data.get("columns") or ()):
        header, source = column.get("header"), column.get("source")
        if not header or not isinstance(header, str):
            fail(f"columns[{index}].header", "缺少")
        if source not in SOURCES and not (isinstance(source, str) and source.startswith(CONSTANT)):
            fail(f"columns[{index}].source", f"「{source}」未知, 应为 {'/'.join(SOURCES)} 或 常量:文字")
        columns.append(TemplateColumn(header, source))
    if not columns:
        fail("columns", "缺少")
    if not any(column.source == "金额" for column in columns) or not any(column.source == "账号" for column in columns):
        fail("columns", "必须包含 金额 和 账号")
    encoding = data.get("encoding", "utf-8").lower()
    if encoding not in ("gbk", "utf-8", "gb18030"):
        fail("encoding", "应为 gbk、gb18030 或 utf-8")
    header_line = tuple(data.get("header_line", ()))
    trailer_line = tuple(data.get("trailer_line", ()))
    for key, fields in (("header_line", header_line), ("trailer_line", trailer_line)):
        for field in fields:
            if field not in SUMMARY_FIELDS:
                fail(key, f"含未知项「{field}」, 应为 {'/'.join(SUMMARY_FIELDS)}")
    delimiter = data.get("delimiter", ",")
    if not isinstance(delimiter, str) or len(delimiter) != 1:
        fail("delimiter", "应为一个字符")
    return BankTemplate(
        name=name,
        format=format_,
        columns=tuple(columns),
        banks=tuple(data.get("banks", ())),
        encoding=encoding,
        delimiter=delimiter,
        header_line=header_line,
        trailer_line=trailer_line,
        unit=str(data.get("unit", "")),
        title=str(data.get("title", "")),
    )
