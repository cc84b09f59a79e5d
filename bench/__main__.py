"""Run every benchmark module (bench/bench_*.py) in turn: `python -m bench [name ...]`."""
import importlib
import pkgutil
import sys
from pathlib import Path


def main(argv):
    names = sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)])
                   if m.name.startswith("bench_"))
    wanted = [n for n in names if not argv or any(a in n for a in argv)]
    for name in wanted:
        print(f"== {name}")
        importlib.import_module(f"bench.{name}").main()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
