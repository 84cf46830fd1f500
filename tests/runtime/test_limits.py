"""One clock and one budget for the whole run: --time-limit from process start in every phase,
--max-regions and --max-memory validated, a MemoryError is a limit, the watchdog ends a run
held in C past its limit. Each run is capped (RLIMIT_AS) so a regression cannot exhaust the
machine; the times are asserted loosely (the benchmark bench/bench_limits.py measures them)."""

import json
import os
import random
import resource
import subprocess
import sys
import time

import pytest

from polytopo.runtime import budget
from polytopo.cli.app import main

#: every subprocess run here gets at most this much address space
CAP = 6 * 2**30


def _cap():
    resource.setrlimit(resource.RLIMIT_AS, (CAP, CAP))


def _net(tmp_path, widths, seed=1, name="net.json"):
    rng = random.Random(seed)
    layers = [{"weights": [[rng.randint(-9, 9) for _ in range(a)] for _ in range(b)],
               "biases": [rng.randint(-9, 9) for _ in range(b)]} for a, b in zip(widths, widths[1:])]
    p = tmp_path / name
    p.write_text(json.dumps({"format": "polytopo.network/1", "layers": layers}))
    return str(p)


def _timed(args, timeout=120):
    t0 = time.monotonic()
    p = subprocess.run([sys.executable, "-m", "polytopo.cli", *args], capture_output=True,
                       timeout=timeout, preexec_fn=_cap)
    return p.returncode, p.stderr.decode(), time.monotonic() - t0


def _cli(args, capsys):
    try:
        status = main(args)
    except SystemExit as e:
        status = e.code
    return status, capsys.readouterr().err.strip().splitlines()


@pytest.mark.parametrize("option,value", [
    ("--time-limit", "nan"), ("--time-limit", "inf"), ("--time-limit", "0"),
    ("--time-limit", "-1"), ("--time-limit", "x"), ("--time-limit", "１"),
    ("--max-regions", "0"), ("--max-regions", "-1"), ("--max-regions", "2.5"),
    ("--jobs", "0"), ("--max-memory", "0"), ("--max-memory", "-1G"), ("--max-memory", "12Q"),
    ("--max-memory", "100"),
])
def test_limit_values_are_validated(tmp_path, capsys, option, value):
    net = _net(tmp_path, [2, 2, 1])
    status, err = _cli(["regions", net, option, value, "--json", str(tmp_path / "o.json")], capsys)
    assert status == 2 and len(err) == 1 and option in err[0], err
    assert not (tmp_path / "o.json").exists()


@pytest.mark.parametrize("command", ["analyze", "regions", "plot", "convert", "reference",
                                     "compare", "experiment", "layers", "dual-graph", "track",
                                     "bounds"])
def test_every_command_has_the_run_limits(command, capsys):
    with pytest.raises(SystemExit):
        main([command, "--help"])
    text = capsys.readouterr().out
    assert "--time-limit" in text and "--max-memory" in text


def test_the_clock_starts_at_process_start():
    code = ("import time; time.sleep(1.2); from polytopo.runtime import budget; "
            "print(budget.elapsed_since_process_start())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60).stdout
    assert 1.1 <= float(out) < 30


def test_the_alarm_stops_python_code_in_any_phase():
    run = budget.RunBudget(0.3, from_process_start=False)
    budget.phase("a phase with no checks of its own")
    t0 = time.monotonic()
    with pytest.raises(budget.LimitExceeded, match="a phase with no checks"):
        with run:
            while True:
                sum(range(1000))
    assert run.expired and time.monotonic() - t0 < 3


def test_the_watchdog_ends_a_run_held_in_c(tmp_path):
    # one call into C that never lets the alarm's handler run: only the watchdog can stop it
    code = ("import os, sys\nfrom polytopo.runtime import budget\n"
            "def work():\n"
            f"    open(os.path.join({str(tmp_path)!r}, budget.temp_prefix() + 'x.tmp'), 'w').close()\n"
            "    budget.phase('a long C call')\n"
            "    with budget.RunBudget(1):\n        sum(range(10**11))\n"
            "    return 0\n"
            f"sys.exit(budget.supervise(work, 1, [{str(tmp_path)!r}]))\n")
    t0 = time.monotonic()
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                       preexec_fn=_cap)
    took = time.monotonic() - t0
    assert p.returncode == 3 and "time limit of 1 s exceeded (a long C call)" in p.stderr
    assert took < 1 + budget.GRACE_SECONDS + 3 and os.listdir(tmp_path) == []


@pytest.mark.parametrize("widths,args,limit", [
    ([2, 400, 1], ["regions", "--json", "OUT"], 1),            # the region read-out (11 s)
    ([2, 400, 1], ["regions", "--engine", "lp", "--json", "OUT"], 1),
    ([9, 5, 1], ["analyze", "--json", "OUT"], 2),             # volumes and homology in 9-D
    ([11, 40, 1], ["analyze", "--json", "OUT"], 2),
    ([14, 1, 1], ["analyze", "--json", "OUT"], 2),
])
def test_time_limit_holds_in_every_phase(tmp_path, widths, args, limit):
    net = _net(tmp_path, widths)
    out = tmp_path / "out.json"
    cmd = [args[0], net, "--box", "-10", "10",
           *[str(out) if a == "OUT" else a for a in args[1:]], "--time-limit", str(limit)]
    status, err, took = _timed(cmd)
    assert status == 3 and "time limit" in err and "Traceback" not in err, err
    assert len(err.strip().splitlines()) == 1
    assert took < limit + 5, took  # the benchmark measures the real margin (about 1 s)
    assert sorted(os.listdir(tmp_path)) == ["net.json"]


def test_a_memory_error_is_a_limit_naming_the_phase(tmp_path, capsys, monkeypatch):
    net = _net(tmp_path, [2, 3, 1])
    import polytopo.analysis.summary

    def hungry(*a, **k):
        raise MemoryError

    monkeypatch.setattr(polytopo.analysis.summary, "analyze", hungry)
    status, err = _cli(["analyze", net, "--json", str(tmp_path / "r.json")], capsys)
    assert status == 3 and len(err) == 1 and "cell complex" in err[0] and "memory" in err[0]
    assert not (tmp_path / "r.json").exists()


def test_max_memory_stops_a_run_that_needs_more(tmp_path):
    # 12-12-1 on a box: 600 MB of address space are enough to start, not to finish
    net = _net(tmp_path, [12, 12, 1])
    status, err, took = _timed(["analyze", net, "--box", "-10", "10", "--max-memory", "600M",
                                "--json", str(tmp_path / "r.json")], timeout=300)
    assert status == 3 and "memory" in err and "Traceback" not in err, err
    assert not (tmp_path / "r.json").exists()


def test_max_memory_lets_a_small_run_through(tmp_path):
    net = _net(tmp_path, [2, 3, 1])
    status, err, _ = _timed(["analyze", net, "--max-memory", "4G", "--json",
                             str(tmp_path / "r.json")])
    assert status == 0, err
    assert json.loads((tmp_path / "r.json").read_text())["n_regions"] >= 1


def test_a_huge_tensor_in_a_small_file_stops_before_the_exact_conversion(tmp_path):
    torch = pytest.importorskip("torch")
    # zeros compress to almost nothing: 20M weights (80 MB) in a small compressed zip
    sd = {"0.weight": torch.zeros(5000, 4000), "0.bias": torch.zeros(5000),
          "2.weight": torch.zeros(1, 5000), "2.bias": torch.zeros(1)}
    raw = tmp_path / "raw.pt"
    torch.save(sd, raw)
    import zipfile

    small = tmp_path / "small.pt"
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(small, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
    assert small.stat().st_size < raw.stat().st_size // 50
    # torch itself needs a large address space: no test cap, the run's own --max-memory
    p = subprocess.run([sys.executable, "-m", "polytopo.cli", "analyze", str(small), "--assume",
                        "linear-relu-chain", "--box", "0", "1", "--max-memory", "3G", "--json",
                        str(tmp_path / "r.json")], capture_output=True, text=True, timeout=120)
    status, err = p.returncode, p.stderr
    assert status == 3, err
    assert "reading 20010001 weights exactly would need about" in err and "Traceback" not in err
    assert not (tmp_path / "r.json").exists()


def test_check_allocation_compares_with_the_limit_in_force(monkeypatch):
    from polytopo.exceptions import LimitExceeded
    from polytopo.runtime import budget

    monkeypatch.setattr(budget, "memory_cap", lambda: 1 << 20)
    budget.check_allocation(1 << 19, "half a MiB")
    with pytest.raises(LimitExceeded, match=r"two MiB would need about 2 MiB, more than the "
                                            r"memory limit of 1 MiB"):
        budget.check_allocation(2 << 20, "two MiB")
    monkeypatch.setattr(budget, "memory_cap", lambda: None)
    budget.check_allocation(1 << 60, "anything")


def test_the_lp_engine_stops_within_a_layer_at_max_regions(monkeypatch):
    from polytopo.exceptions import LimitExceeded
    from polytopo.geometry.polytope import Polytope
    from polytopo.network.model import Network
    from polytopo.regions import traversal

    # layer 1: x = 0, y = 0 (4 regions); layer 2 cuts each quadrant into several;
    # layer 3 (the last hidden layer) is split with the read-out
    net = Network.from_lists([([[1, 0], [0, 1]], [0, 0]),
                              ([[1, 1], [1, -1], [2, 1]], [-1, 0, -1]), ([[1, 1, 1]], [-1]),
                              ([[1]], [0])])
    box = Polytope.box([-4, -4], [4, 4])
    assert len(traversal.regions(net, box, volumes=False)) > 5
    calls = []
    real = traversal._split_cell
    monkeypatch.setattr(traversal, "_split_cell", lambda n, c, *a: calls.append(c) or real(n, c, *a))
    with pytest.raises(LimitExceeded, match="more than 4 regions"):
        traversal.regions(net, box, volumes=False, max_regions=4)
    # the domain, then the quadrants only until the count passes 4 (not all four)
    assert [len(c[0]) for c in calls][:2] == [0, 2] and len(calls) < 1 + 4


def test_an_alarm_swallowed_in_a_gc_callback_fires_again():
    """An alarm landing in a ``gc`` callback (hypothesis installs one, say) is swallowed
    there by Python; the budget raises it again in the code that runs next, at once, and
    reports nothing as unraisable."""
    import gc

    def slow(phase, info):   # the alarm fires while this sleeps
        if phase == "start":
            time.sleep(0.4)

    reported = []
    saved = sys.unraisablehook
    sys.unraisablehook = reported.append
    gc.callbacks.append(slow)
    run = budget.RunBudget(0.2, from_process_start=False)
    t0 = time.monotonic()
    try:
        with pytest.raises(budget.LimitExceeded):
            with run:
                gc.collect()
                gc.callbacks.remove(slow)
                while time.monotonic() - t0 < 5:
                    sum(range(1000))
    finally:
        if slow in gc.callbacks:
            gc.callbacks.remove(slow)
        sys.unraisablehook = saved
    assert run.expired and time.monotonic() - t0 < 2
    assert not reported and sys.unraisablehook is saved
