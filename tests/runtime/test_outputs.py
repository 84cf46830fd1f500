"""Output files: never replacing what is not a regular file, whole or not at all, checked
before computing, modes kept, temporary files removed on signals, a closed stdout survived."""

import json
import math
import os
import signal
import socket
import stat
import subprocess
import sys
import time

import pytest

from polytopo.runtime import outputs
from polytopo.cli.app import main
from polytopo.exceptions import InputError

NET = {"format": "polytopo.network/1",
       "layers": [{"weights": [[1, 0], [0, 1]], "biases": [0, 0]},
                  {"weights": [[1, 1]], "biases": [-1]}]}


def _net(tmp_path, name="net.json", obj=NET):
    p = tmp_path / name
    p.write_text(json.dumps(obj))
    return str(p)


def _cli(args, capsys):
    try:
        status = main(args)
    except SystemExit as e:
        status = e.code
    err = capsys.readouterr().err.strip().splitlines()
    return status, err


def _special_files(tmp_path):
    """A FIFO, a socket, a folder and (as root) a character device, made in tmp_path."""
    made = {}
    os.mkfifo(tmp_path / "fifo")
    made["fifo"] = stat.S_ISFIFO
    s = socket.socket(socket.AF_UNIX)
    s.bind(str(tmp_path / "sock"))
    made["sock"] = stat.S_ISSOCK
    (tmp_path / "dir").mkdir()
    made["dir"] = stat.S_ISDIR
    if os.geteuid() == 0:
        os.mknod(tmp_path / "null", 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        made["null"] = stat.S_ISCHR
    return made, s


@pytest.mark.parametrize("option", ["--json", "--plot"])
def test_special_files_are_never_replaced(tmp_path, capsys, option):
    net = _net(tmp_path)
    made, sock = _special_files(tmp_path)
    try:
        for name, is_kind in made.items():
            target = tmp_path / name
            t0 = time.monotonic()
            status, err = _cli(["analyze", net, option, str(target)], capsys)
            assert status == 2 and len(err) == 1, (name, err)
            assert "refusing to replace it" in err[0] and option in err[0]
            assert is_kind(os.lstat(target).st_mode), f"{name} was replaced"
            assert time.monotonic() - t0 < 5  # refused at once (a FIFO is never opened)
    finally:
        sock.close()
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]


def test_an_existing_file_keeps_its_mode(tmp_path, capsys):
    net = _net(tmp_path)
    out = tmp_path / "report.json"
    out.write_text("old")
    os.chmod(out, 0o600)
    assert main(["analyze", net, "--json", str(out)]) == 0
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    assert json.loads(out.read_text())["n_regions"] == 4
    os.chmod(out, 0o640)
    outputs.write_text(out, "x")
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o640 and out.read_text() == "x"


def test_a_new_file_gets_the_umask_mode(tmp_path):
    old = os.umask(0o027)
    try:
        outputs.write_text(tmp_path / "a.txt", "a")
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(tmp_path / "a.txt").st_mode) == 0o640


def test_a_symlink_is_followed_not_replaced(tmp_path):
    real = tmp_path / "real.json"
    real.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    outputs.write_json(link, {"a": 1})
    assert link.is_symlink() and json.loads(real.read_text()) == {"a": 1}


def test_output_paths_are_checked_before_computing(tmp_path, capsys, monkeypatch):
    net = _net(tmp_path)
    import polytopo.analysis.summary

    def boom(*a, **k):  # the computation must not start
        raise AssertionError("computed before checking the outputs")

    monkeypatch.setattr(polytopo.analysis.summary, "analyze", boom)
    cases = [
        (["--json", str(tmp_path / "missing" / "r.json")], "does not exist"),
        (["--json", str(tmp_path / ("x" * 300 + ".json"))], "longer than"),
        (["--json", str(tmp_path)], "is a folder"),
        (["--plot", str(tmp_path / "p.png"), "--json", str(tmp_path / "p.png")], "same file"),
    ]
    for extra, message in cases:
        status, err = _cli(["analyze", net, *extra], capsys)
        assert status == 2 and len(err) == 1 and message in err[0], (extra, err)
    assert sorted(os.listdir(tmp_path)) == ["net.json"]


def test_a_name_of_255_bytes_is_written(tmp_path, capsys):
    net = _net(tmp_path)
    out = tmp_path / ("r" * 250 + ".json")
    assert main(["analyze", net, "--json", str(out)]) == 0
    assert json.loads(out.read_text())["n_regions"] == 4


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder(tmp_path, capsys):
    net = _net(tmp_path)
    ro = tmp_path / "ro"
    ro.mkdir()
    os.chmod(ro, 0o500)
    status, err = _cli(["analyze", net, "--json", str(ro / "r.json")], capsys)
    assert status == 2 and "not writable" in err[0]


def test_outputs_of_a_command_appear_together_or_not_at_all(tmp_path, capsys, monkeypatch):
    pytest.importorskip("matplotlib")
    net = _net(tmp_path)
    import polytopo.network.io

    def full_disk(path, obj):
        raise InputError(f"cannot write {path}: No space left on device")

    monkeypatch.setattr(polytopo.network.io, "write_json", full_disk)
    status, err = _cli(["analyze", net, "--plot", str(tmp_path / "p.png"),
                        "--json", str(tmp_path / "r.json")], capsys)
    assert status == 2 and "No space left" in err[0]
    assert sorted(os.listdir(tmp_path)) == ["net.json"]  # the picture was held back and removed


def test_transaction_publishes_nothing_on_error(tmp_path):
    with pytest.raises(RuntimeError):
        with outputs.transaction():
            outputs.write_text(tmp_path / "a.txt", "a")
            outputs.write_text(tmp_path / "b.txt", "b")
            raise RuntimeError("stop")
    assert os.listdir(tmp_path) == []
    with outputs.transaction():
        outputs.write_text(tmp_path / "a.txt", "a")
        assert os.listdir(tmp_path) != ["a.txt"]
    assert os.listdir(tmp_path) == ["a.txt"]


def test_write_json_refuses_nan_and_writes_huge_integers(tmp_path):
    with pytest.raises(ValueError, match="non-finite"):
        outputs.write_json(tmp_path / "a.json", {"x": float("nan")})
    assert not (tmp_path / "a.json").exists()
    big = 7 ** 20000  # 16,901 digits: past Python's int-to-str guard
    outputs.write_json(tmp_path / "b.json", {"x": big})
    digits = (tmp_path / "b.json").read_text().split(":")[1].strip().rstrip("}").strip()
    n = math.floor(20000 * math.log10(7)) + 1
    assert len(digits) == n and int(digits[-12:]) == big % 10**12
    assert int(digits[:12]) == big // 10 ** (n - 12)


def _run(args, **kw):
    return subprocess.Popen([sys.executable, "-m", "polytopo.cli", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, **kw)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_signal_leaves_no_temporary_file(tmp_path, sig):
    rng = __import__("random").Random(3)
    widths = [2, 300, 1]
    layers = [{"weights": [[rng.randint(-9, 9) for _ in range(a)] for _ in range(b)],
               "biases": [rng.randint(-9, 9) for _ in range(b)]} for a, b in zip(widths, widths[1:])]
    net = _net(tmp_path, obj={"format": "polytopo.network/1", "layers": layers})
    out = tmp_path / "r.jsonl"
    p = _run(["regions", net, "--engine", "lp", "--box", "-10", "10", "--jsonl", str(out)])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not [f for f in os.listdir(tmp_path) if f.endswith(".tmp")]:
        time.sleep(0.05)
    assert p.poll() is None, p.communicate()
    p.send_signal(sig)
    _, err = p.communicate(timeout=30)
    assert p.returncode == (130 if sig == signal.SIGINT else 128 + sig), err
    assert b"Traceback" not in err and len(err.decode().strip().splitlines()) == 1
    assert sorted(os.listdir(tmp_path)) == ["net.json"]


def test_a_closed_stdout_is_no_traceback(tmp_path):
    net = _net(tmp_path)
    out = tmp_path / "r.json"
    r, w = os.pipe()
    os.close(r)  # the reader is gone before polytopo writes a line (as with '| head')
    p = subprocess.run([sys.executable, "-m", "polytopo.cli", "analyze", net, "--json", str(out)],
                       stdout=w, stderr=subprocess.PIPE, timeout=120)
    os.close(w)
    assert p.returncode == 0 and p.stderr == b"", p.stderr
    assert json.loads(out.read_text())["n_regions"] == 4
