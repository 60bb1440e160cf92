"""The automatic checks of a 3-hour print: how long computing them takes.

    .venv/bin/python bench/grading_checks.py [--hours 3] [--rounds 20]

Builds in memory the telemetry a follower keeps for a print of `--hours` hours (a reading
every 2 s, a layer change every 30 s) and the G-code facts of a real PrusaSlicer file from
the tests, then times every registered check over the rounds (pure functions: no database)
and the G-code read that gives the facts. Prints the median and worst round in ms.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hours", type=float, default=3)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    import django

    django.setup()
    from practicals.grading.checks import CHECKS, CheckInput, check_run
    from practicals.grading.gcode_facts import gcode_facts
    from practicals.services.telemetry import Series

    seconds = int(args.hours * 3600)
    series = Series()
    for t in range(0, seconds + 1, 2):
        share = min(1.0, t / 120)
        series.t.append(float(t))
        series.nozzle.append(25 + 185 * share + (t % 7) * 0.3)
        series.nozzle_target.append(210.0)
        series.bed.append(25 + 35 * share)
        series.bed_target.append(60.0)
    series.marks = [
        [float(t), "z", round(0.2 * (i + 1), 2)] for i, t in enumerate(range(120, seconds, 30))
    ]
    gcode = ROOT / "tests" / "practicals" / "gcode" / "cube10-pla-prusaslicer.gcode"
    timings = {"gcode_facts": []}
    for _ in range(args.rounds):
        start = time.perf_counter()
        with gcode.open("rb") as file:
            facts = gcode_facts(file)
        timings["gcode_facts"].append(time.perf_counter() - start)
    data = CheckInput(state="completed", print_time_s=seconds, series=series, facts=facts)
    for kind in CHECKS:
        timings[kind] = []
        for _ in range(args.rounds):
            start = time.perf_counter()
            check_run(kind, data, 10)
            timings[kind].append(time.perf_counter() - start)
    every = [
        sum(t[i] for k, t in timings.items() if k != "gcode_facts") for i in range(args.rounds)
    ]
    print(f"{len(series.t)} readings, {len(series.marks)} layer marks, {args.rounds} rounds")
    for name, values in [*timings.items(), ("all checks", every)]:
        median, worst = statistics.median(values) * 1000, max(values) * 1000
        print(f"{name:>12}: median {median:7.2f} ms, worst {worst:7.2f} ms")


if __name__ == "__main__":
    main()
