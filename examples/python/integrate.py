#!/usr/bin/env python3
"""The workbook's integral in CPython: sequential, threads, processes.

    python3 examples/python/integrate.py --n 1e7 --threads 2

The same left Riemann sum of x**2 over [0, 10] as the Rust examples, with the
same chunking rule, so every strategy adds exactly the same terms. Look at the
times: on CPython with the GIL (the default build), the `threading` run is no
faster than the sequential one (the GIL lets one thread run Python code at a
time), the `multiprocessing` run is. On a free-threaded build (python3.13t,
python3.14t) with the GIL off, threads run Python code in parallel and the
`threading` run speeds up too. The first line says which build runs.
`cargo run --release --example compare` puts these rows next to Rust's.
Standard library only.
"""

import argparse
import json
import multiprocessing
import os
import platform
import sys
import sysconfig
import threading
import time

MAX_N = 2**53
MAX_THREADS = 1024


# ANCHOR: sum_f
def sum_f(a, dx, start, end):
    """Sum of f(x_i) = x_i**2 for i in start..end: Rust's `Problem::sum_f`."""
    s = 0.0
    for i in range(start, end):
        x = a + i * dx
        s += x * x
    return s
# ANCHOR_END: sum_f


def chunk(n, parts, k):
    """The k-th of `parts` chunks of 0..n: the first n % parts get one more."""
    base, extra = divmod(n, parts)
    start = k * base + min(k, extra)
    return start, start + base + (1 if k < extra else 0)


def add_in_order(partials):
    """Adds left to right, like Rust's `.sum()`. (Python 3.12's `sum()` uses
    compensated addition for floats, which would change the last bits.)"""
    total = 0.0
    for p in partials:
        total += p
    return total


# ANCHOR: build
def build():
    """Which interpreter runs, and whether its threads can run Python code in
    parallel: (version, free_threaded, gil_enabled). A free-threaded build
    (Py_GIL_DISABLED, from 3.13) can still turn the GIL on at run time
    (PYTHON_GIL=1, or an extension module that needs it);
    sys._is_gil_enabled() says whether it is on now. Before 3.13 it always is."""
    free_threaded = sysconfig.get_config_var("Py_GIL_DISABLED") == 1
    is_gil_enabled = getattr(sys, "_is_gil_enabled", None)
    gil_enabled = True if is_gil_enabled is None else bool(is_gil_enabled())
    return platform_version(), free_threaded, gil_enabled
# ANCHOR_END: build


def platform_version():
    return f"{platform.python_implementation()} {platform.python_version()}"


def describe(version, free_threaded, gil_enabled):
    """'CPython 3.13.1, free-threaded build, GIL off': one line for people."""
    kind = "free-threaded build" if free_threaded else "default build"
    return f"{version}, {kind}, GIL {'on' if gil_enabled else 'off'}"


def sequential(a, b, n, threads):
    dx = (b - a) / n
    return sum_f(a, dx, 0, n) * dx


# ANCHOR: threading
def with_threads(a, b, n, threads):
    """One `threading.Thread` per chunk, each storing its partial sum."""
    dx = (b - a) / n
    partials = [0.0] * threads

    def work(k):
        start, end = chunk(n, threads, k)
        partials[k] = sum_f(a, dx, start, end)

    workers = [threading.Thread(target=work, args=(k,)) for k in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return add_in_order(partials) * dx
# ANCHOR_END: threading


# ANCHOR: multiprocessing
def with_processes(a, b, n, threads):
    """A pool of T worker processes, one chunk each. The time includes
    starting the pool, as the Rust `processes` strategy includes its start-up."""
    dx = (b - a) / n
    tasks = [(a, dx) + chunk(n, threads, k) for k in range(threads)]
    with multiprocessing.Pool(threads) as pool:
        partials = pool.starmap(sum_f, tasks)
    return add_in_order(partials) * dx
# ANCHOR_END: multiprocessing


STRATEGIES = {
    "sequential": sequential,
    "threading": with_threads,
    "multiprocessing": with_processes,
}


def count(text):
    """A whole number such as 1000, 1_000_000 or 1e7, at least 1."""
    clean = text.strip().replace("_", "")
    try:
        value = int(clean)
    except ValueError:
        try:
            f = float(clean)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not a whole number")
        if not (f == f and f not in (float("inf"), float("-inf")) and f.is_integer()):
            raise argparse.ArgumentTypeError(f"'{text}' is not a whole number")
        if f > MAX_N:
            raise argparse.ArgumentTypeError(f"'{text}' is more than 2^53 = {MAX_N}")
        value = int(f)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    if value > MAX_N:
        raise argparse.ArgumentTypeError(f"'{text}' is more than 2^53 = {MAX_N}")
    return value


def thread_count(text):
    value = count(text)
    if value > MAX_THREADS:
        raise argparse.ArgumentTypeError(f"at most {MAX_THREADS} threads")
    return value


def bound(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number")
    if value != value or value in (float("inf"), float("-inf")):
        raise argparse.ArgumentTypeError(f"'{text}' is not a finite number")
    return value


class Parser(argparse.ArgumentParser):
    def error(self, message):
        """Bad input: one line on stderr and exit status 2, no usage dump."""
        fail(message)


def fail(message):
    print(f"error: {message}", file=sys.stderr)
    sys.exit(2)


def parse(argv):
    parser = Parser(
        prog="integrate.py",
        description="The workbook's integral in CPython: sequential, threading, multiprocessing.",
    )
    parser.add_argument("--a", type=bound, default=0.0, help="lower bound (default 0)")
    parser.add_argument("--b", type=bound, default=10.0, help="upper bound (default 10)")
    parser.add_argument("--n", type=count, default=10_000_000, help="number of points N (default 1e7)")
    parser.add_argument(
        "--threads", "-t", type=thread_count, default=os.cpu_count() or 1,
        help="threads or processes T (default: the number of cores)",
    )
    parser.add_argument(
        "--strategies", default=",".join(STRATEGIES),
        help="comma-separated, from: " + ", ".join(STRATEGIES) + " (default: all)",
    )
    parser.add_argument("--repeats", type=count, default=1, help="runs per strategy; the median time is kept (default 1)")
    parser.add_argument("--json", action="store_true", help="one JSON object per strategy instead of a text line")
    args = parser.parse_args(argv)
    if args.a > args.b:
        fail(f"--a ({args.a}) must not be greater than --b ({args.b})")
    if args.threads > args.n:
        fail(f"--threads {args.threads} is more than --n {args.n}: each thread needs at least one point")
    if args.repeats > 100:
        fail("--repeats: at most 100")
    names = [s.strip() for s in args.strategies.split(",") if s.strip()]
    for name in names:
        if name not in STRATEGIES:
            fail(f"--strategies: unknown '{name}'; known: {', '.join(STRATEGIES)}")
    if not names:
        fail("--strategies: name at least one")
    args.strategies = names
    return args


def main(argv):
    args = parse(argv)
    version, free_threaded, gil_enabled = build()
    if not args.json:
        print(f"# {describe(version, free_threaded, gil_enabled)}", flush=True)
    for name in args.strategies:
        threads = 1 if name == "sequential" else args.threads
        times = []
        for _ in range(args.repeats):
            start = time.perf_counter()
            result = STRATEGIES[name](args.a, args.b, args.n, threads)
            times.append(time.perf_counter() - start)
        seconds = sorted(times)[len(times) // 2]
        if args.json:
            print(json.dumps({
                "strategy": name, "language": "python", "a": args.a, "b": args.b,
                "n": args.n, "threads": threads, "result": result, "seconds": seconds,
                "python": version, "free_threaded": free_threaded, "gil": gil_enabled,
            }), flush=True)
        else:
            print(f"{name:<16} N={args.n} T={threads}  result={result!r}  time={seconds:.3f} s", flush=True)


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except BrokenPipeError:
        # The reader went away (`... | head -1`): stop quietly.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
