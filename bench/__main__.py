"""``python -m bench [--quick] [ID ...]``: run all benchmarks or the named ones, write
``bench/results/latest.json`` and print the table."""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import tempfile
import time
from pathlib import Path

from .catalog import BENCHMARKS, BY_ID
from .options import Options
from .record import Record
from .report import RESULTS_FILE, Results, Run, format_table


def private_environment(workdir: Path) -> None:
    """HOME and the Jupyter dirs of this process and of everything it starts live in the run's
    scratch folder (the official SDK writes under $HOME; Jupyter servers write runtime files)."""
    for name in ("HOME", "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR"):
        path = workdir / name.lower()
        path.mkdir()
        os.environ[name] = str(path)


def merged(fresh: Results, path: Path) -> Results:
    """A run of named benchmarks replaces their records (and run) in the results file and keeps
    the others' (in catalog order), so the file always holds the latest figure of each."""
    kept = Results.read(path)
    records = [record for record in kept.records if record.id not in fresh.runs] + fresh.records
    runs = {**kept.runs, **fresh.runs}
    order = {name: index for index, name in enumerate(BY_ID)}
    return Results(
        {name: runs[name] for name in sorted(runs, key=lambda name: order.get(name, len(order)))},
        sorted(records, key=lambda record: order.get(record.id, len(order))),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("ids", nargs="*", metavar="ID", help=", ".join(BY_ID))
    parser.add_argument(
        "--quick", action="store_true", help="minimal repetitions (checks that benchmarks run)"
    )
    parser.add_argument("--output", type=Path, default=RESULTS_FILE, help="results file")
    args = parser.parse_args(argv)
    unknown = [name for name in args.ids if name not in BY_ID]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")
    selected = [BY_ID[name] for name in args.ids] if args.ids else BENCHMARKS
    cores = os.cpu_count() or 1
    records: list[Record] = []
    runs: dict[str, Run] = {}
    with tempfile.TemporaryDirectory(prefix="modelarts-bench-") as scratch:
        workdir = Path(scratch)
        private_environment(workdir)
        for benchmark in selected:
            load = os.getloadavg()[0]
            if load > cores:
                # Wall-clock figures then mostly measure the other work; CPU ones hold.
                print(f"warning: load average {load:.1f} on {cores} cores", file=sys.stderr)
            run = Run.starting(quick=args.quick, load_average=load, cores=cores)
            started = time.perf_counter()
            records += benchmark.run(Options(quick=args.quick, workdir=workdir))
            seconds = time.perf_counter() - started
            runs[benchmark.id] = dataclasses.replace(run, seconds=round(seconds, 1))
            print(f"{benchmark.id}: {seconds:.1f} s", file=sys.stderr)
    fresh = Results(runs, records)
    (merged(fresh, args.output) if args.ids else fresh).write(args.output)
    print(format_table(records))
    return 0


if __name__ == "__main__":
    sys.exit(main())
