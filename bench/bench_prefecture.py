"""A prefecture on the shared server (domain.md §7): 1,000,000 people, 12 months of history, on PostgreSQL.

`WORKBENCH_BENCH_PG_URL=postgresql://postgres@127.0.0.1/test uv run python bench/bench_prefecture.py [people]`

Targets (issue 21): the month's run under 30 s, `payout run --full` under 60 s, each under 2 GB of
peak memory; the roster window's first rows under 2 s. Each measurement runs in a fresh process on
a fresh server database made from a template.

Built once and cached: the county is built on SQLite as the payout benchmark builds its counties
(the roster written and imported, then 12 months run and approved through the service), kept in
the bench folder as payout_1000000.db, then copied to the server once by `db copy` and kept there
as the template wb_bench_payout_1000000. On this 2-core machine building took about 25 minutes
and the copy about 5 minutes; both print their times as they go.
"""
from __future__ import annotations

import sys

from bench_gui import PASSWORD, measure
from bench_payout import measured_on_server, prepare
from common import SYSTEM_ACTOR, print_table, server_copy_of, server_url, server_work_copy

from workbench.bootstrap import open_database

PREFECTURE = 1_000_000
ACTIONS = (("run", "payout run, 0.5% changed", "target < 30 s"), ("full", "payout run --full", "target < 60 s"))


def window_first_rows(server: str, template: str) -> dict:
    """The window's marks (bench_gui) on a work copy of the template with a clerk who can log in."""
    from workbench.services.accounts import add_user

    from sqlalchemy import text

    with server_work_copy(server, template) as url:
        db = open_database(url)
        add_user(db, SYSTEM_ACTOR, "clerk", "管理员", PASSWORD)
        with db.engine.connect() as connection:  # the copy's gigabytes written out first, not while the window starts
            connection.execute(text("CHECKPOINT"))
        db.close()
        return measure(url)


def run(people: int = PREFECTURE) -> list:
    server = server_url()
    if not server:
        raise SystemExit("请设置 WORKBENCH_BENCH_PG_URL (PostgreSQL 服务器), 地级市规模只在共享服务器上测量")
    template = server_copy_of(prepare(people), server, f"wb_bench_payout_{people}").rsplit("/", 1)[1]
    results = []
    for action, label, target in ACTIONS:
        seconds, megabytes = measured_on_server(server, template, action)
        results.append((f"PostgreSQL {label} ({people:,}) {megabytes:.0f} MB", people, seconds, target))
    marks = window_first_rows(server, template)
    results += [(f"PostgreSQL window: main window ({people:,})", people, marks["shown"], ""),
                (f"PostgreSQL window: roster's first rows ({people:,})", people, marks["first rows"], "target < 2 s"),
                (f"PostgreSQL window: rest of the roster ({people:,})", people, marks["rest_loaded_s"], "in background")]
    return results


if __name__ == "__main__":
    print_table(run(int(sys.argv[1]) if len(sys.argv) > 1 else PREFECTURE))
