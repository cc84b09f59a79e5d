"""Benchmarks: each bench_*.py has main(), compares with a baseline measured in the same run."""
import time


def best(fn, runs=3):
    """(fastest wall time of `runs` calls, the last result)."""
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def once(fn):
    """(wall time of one call, its result): for steps that change state."""
    return best(fn, runs=1)
