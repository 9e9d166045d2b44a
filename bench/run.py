"""Runs every benchmark and prints one table: `uv run python bench/run.py [--quick]`.

--quick measures the small sizes only (20,000 people instead of 20,000 and 200,000). The first
run builds and caches its synthetic counties (the payout benchmark approves 12 months of history
through the service), so it takes several minutes; later runs reuse them.

--prefecture adds the prefecture on the shared server (bench_prefecture: 1,000,000 people, needs
WORKBENCH_BENCH_PG_URL); its first run builds the prefecture, about 20 minutes.
"""
from __future__ import annotations

import resource
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import bench_checks  # noqa: E402
import bench_export  # noqa: E402
import bench_gui  # noqa: E402
import bench_import  # noqa: E402
import bench_payout  # noqa: E402
import bench_prefecture  # noqa: E402
import bench_printing  # noqa: E402
import bench_review  # noqa: E402
from common import print_table  # noqa: E402


def main() -> None:
    quick = "--quick" in sys.argv
    results = []
    sizes = (20_000,) if quick else (20_000, 200_000)
    results += bench_import.run(sizes)
    results += bench_payout.run(sizes)
    results += bench_export.run(sizes)
    results += bench_printing.run(sizes)
    results += bench_checks.run(sizes)
    results += bench_gui.run(sizes)
    results += bench_review.run(sizes)
    if "--prefecture" in sys.argv:
        results += bench_prefecture.run()
    print_table(results)
    print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
