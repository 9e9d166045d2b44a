"""The command line's usage errors come out in Chinese, whatever argparse said."""
import re

import pytest

from workbench.cli.common import EXIT_USAGE
from workbench.cli.main import main

ENGLISH = re.compile(r"expected|choose from|argument|invalid|required|unrecognized|ambiguous|allowed", re.IGNORECASE)


@pytest.mark.parametrize("argv, chinese", [
    (["payout", "show"], "缺少参数: YYYY-MM"),
    (["payout", "show", "2026-11", "--format"], "参数 --format: 需要一个值"),
    (["payout", "show", "2026-11", "--format", "pdf"], "参数 --format: 无效的选项「pdf」(可选: table、csv)"),
    (["bogus"], "无效的选项「bogus」(可选: init、"),
    (["payout", "show", "2026-11", "--zzz"], "无法识别的参数: --zzz"),
    (["payout", "run", "2026-13"], "月份「2026-13」格式应为 YYYY-MM"),
    (["report"], "缺少参数: YYYY-MM、--out"),
    (["budget", "99999"], "年度「99999」应为 2000 到 2100 之间的四位数"),
])
def test_a_usage_error_is_one_chinese_line(argv, chinese, capsys):
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == EXIT_USAGE
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "命令用法错误" in error and chinese in error
    assert not ENGLISH.search(error), error


HELP_ENGLISH = re.compile(r"usage:|positional arguments|options:|show this help|show program", re.IGNORECASE)


@pytest.mark.parametrize("argv", [["--help"], ["payout", "--help"], ["roster", "import", "--help"], ["db", "restore", "-h"]])
def test_help_is_in_chinese(argv, capsys):
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == 0
    shown = capsys.readouterr().out
    assert shown.startswith("用法: workbench") and "显示本帮助并退出" in shown
    assert not HELP_ENGLISH.search(shown), shown
