"""Whole-process timing for the benchmarks: each command is started fresh and timed from its start
to its exit (imports, opening the pack and writing the file included), with its peak memory as the
operating system accounts it for that child. Commands compared are run in turn, round by round, so
a machine that slows down during the run slows them alike."""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import time


def run_once(command: list[str], env: dict | None = None, cwd=None) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system: steadier than wall on a shared machine) and peak RSS (MB)
    of one run of ``command``; a failing command raises with its error."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
                                 env=env, cwd=cwd)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            err.seek(0)
            raise RuntimeError(f"{' '.join(map(str, command))} exited {child.returncode}:\n"
                               f"{err.read().decode(errors='replace')[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def compare(commands: dict[str, list[str]], runs: int = 5, warmup: int = 1, env: dict | None = None,
            cwd=None) -> dict[str, dict]:
    """Each command run ``warmup`` times uncounted, then ``runs`` rounds of all of them in turn: per
    command the median wall seconds, the spread, the median CPU seconds, the peak RSS (MB) and each
    run's seconds."""
    for _ in range(warmup):
        for command in commands.values():
            run_once(command, env, cwd)
    times: dict[str, list[tuple[float, float, float]]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            times[name].append(run_once(command, env, cwd))
    return {name: {"median": statistics.median(t for t, _, _ in runs_), "min": min(t for t, _, _ in runs_),
                   "max": max(t for t, _, _ in runs_), "cpu": statistics.median(c for _, c, _ in runs_),
                   "rss_mb": max(m for _, _, m in runs_), "runs": [t for t, _, _ in runs_]}
            for name, runs_ in times.items()}


def load() -> str:
    """The machine's load averages (1, 5, 15 minutes), to print beside figures measured on a shared machine."""
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())
