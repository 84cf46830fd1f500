"""How promptly every command stops at ``--time-limit``: the overshoot of each command.

Run ``python bench/bench_limits.py [--limit S] [--repeat N]``. Each command runs on an
input that needs far longer than S seconds (measured without the limit in the same run,
up to a cap), in a fresh process, with ``--time-limit S``. Printed per command: the exit
status, the wall time, the overshoot (wall time - S) and PASS when the run stopped with
status 3 within S + 2 s (the target of the limits issue). The ratio column is the run's
time without the limit (capped) over its time with it.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time

import numpy as np


def net(widths, seed=1):
    rng = random.Random(seed)
    layers = [{"weights": [[rng.randint(-9, 9) for _ in range(a)] for _ in range(b)],
               "biases": [rng.randint(-9, 9) for _ in range(b)]} for a, b in zip(widths, widths[1:])]
    return {"format": "polytopo.network/1", "layers": layers}


def files(d):
    def w(name, obj):
        p = os.path.join(d, name)
        with open(p, "w") as fh:
            json.dump(obj, fh)
        return p

    big2 = w("n2.json", net([2, 160, 1]))
    n9 = w("n9.json", net([9, 5, 1]))
    n3 = w("n3.json", net([3, 24, 24, 1]))
    ck = [w(f"c{i}.json", net([3, 24, 24, 1], seed=i)) for i in range(3)]
    data = os.path.join(d, "x.npy")
    np.save(data, np.random.default_rng(0).normal(size=(20000, 2)))
    lp_net = w("n2lp.json", net([2, 400, 1]))
    out = lambda name: os.path.join(d, name)  # noqa: E731
    return {
        "analyze 9-5-1": ["analyze", n9, "--box", "-10", "10", "--json", out("a.json")],
        "analyze 3-24-24-1": ["analyze", n3, "--box", "-10", "10", "--json", out("a.json")],
        "regions 2-160-1": ["regions", big2, "--box", "-10", "10", "--json", out("r.json")],
        "regions --engine lp 2-400-1": ["regions", lp_net, "--engine", "lp", "--box", "-10",
                                        "10", "--jsonl", out("r.jsonl")],
        "reference 2-160-1": ["reference", big2, "--box", "-10", "10", "--json", out("f.json")],
        "dual-graph 2-160-1": ["dual-graph", big2, "--box", "-10", "10", "--json", out("g.json")],
        "plot 2-160-1": ["plot", big2, "--box", "-10", "10", "--out", out("p.png")],
        "track 3 checkpoints": ["track", *ck, "--box", "-10", "10", "--json", out("t.json")],
        "layers 20000 points": ["layers", big2, data, "--k", "10,50", "--ollivier",
                                "--max-points", "20000", "--json", out("l.json")],
        "bounds --build 0 --verify": ["bounds", "3-12-12-12-1", "--build", "0", "--verify", "--json", out("b.json")],
        "experiment": ["experiment", "low-rank", "--dims", "3", "--widths", "12,16,20",
                       "--seeds", "6", "--out", out("e.csv")],
    }


def run(args, limit=None, cap=120):
    cmd = [sys.executable, "-m", "polytopo.cli", *args]
    if limit is not None:
        cmd += ["--time-limit", str(limit)]
    t0 = time.monotonic()
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=cap)
        status = p.returncode
    except subprocess.TimeoutExpired:
        status = None
    return status, time.monotonic() - t0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=float, default=2.0)
    ap.add_argument("--cap", type=float, default=60.0,
                    help="seconds a run without the limit may take (its time is then '>cap')")
    args = ap.parse_args()
    d = tempfile.mkdtemp()
    rows, ok = [], True
    print(f"--time-limit {args.limit:g}: stop within {args.limit + 2:g} s with status 3")
    print(f"{'command':32s} {'free (s)':>9s} {'status':>6s} {'limited (s)':>11s} "
          f"{'overshoot':>9s} {'ratio':>6s}")
    for name, cmd in files(d).items():
        free_status, free = run(cmd, cap=args.cap)
        status, took = run(cmd, args.limit)
        passed = status == 3 and took <= args.limit + 2
        if free_status == 0 and free < args.limit:
            passed, verdict = status == 0, "(finished before the limit)"
        else:
            verdict = "PASS" if passed else "FAIL"
        ok &= passed
        free_s = f">{args.cap:g}" if free_status is None else f"{free:.1f}"
        print(f"{name:32s} {free_s:>9s} {status!s:>6s} {took:11.2f} {took - args.limit:9.2f} "
              f"{free / took:6.1f}  {verdict}", flush=True)
        rows.append((name, free, status, took))
    print("all commands stop in time: " + ("PASS" if ok else "FAIL"))


if __name__ == "__main__":
    main()
