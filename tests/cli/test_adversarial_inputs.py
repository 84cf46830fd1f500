"""Adversarial input files and numbers (docs/cli.md, "Bad input and failures"): devices, FIFOs, directories and oversized
files are refused at once; numbers are read exactly or refused naming their field; numbers
of any size come out exact. Every refusal is exit status 2 and one line on stderr."""

import json
import os
import signal
import socket
import sys
import tempfile
import zipfile
from fractions import Fraction

import pytest

from polytopo.network import io
from polytopo.cli.app import main
from polytopo.geometry.exact import (format_number, format_number_short, int_to_str, sqrt_float,
                                     to_float, to_fraction)
from polytopo.exceptions import InputError
from polytopo.network.model import Network

NET = {"layers": [{"weights": [[1, 0], [0, 1]], "biases": [0, 0]},
                  {"weights": [[1, -1]], "biases": [0]}]}


@pytest.fixture(autouse=True)
def _deadline():
    """A hang (a FIFO read blocking, /dev/zero read to the end) fails the test instead."""
    def expired(signum, frame):
        raise TimeoutError("the command did not return promptly")

    old = signal.signal(signal.SIGALRM, expired)
    signal.alarm(30)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


@pytest.fixture
def big_ints():
    """Let the test's own json.loads read integers of more than 4300 digits."""
    old = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    yield
    sys.set_int_max_str_digits(old)


def _write(path, content):
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return str(path)


def _refused(capsys, argv, *needles):
    """Run the command line: exit 2, exactly one stderr line containing ``needles``."""
    code = main(argv)
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2, err
    assert len(err) == 1 and err[0].startswith("polytopo: "), err
    for needle in needles:
        assert needle in err[0], err[0]
    return err[0]


def _ok(capsys, argv):
    code = main(argv)
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "Traceback" not in captured.err
    return captured


# ---------------------------------------------------------------------------------------
# files that are not regular files, and files that are too large
# ---------------------------------------------------------------------------------------
def _special(tmp_path, kind, name):
    path = tmp_path / name
    if kind == "device":
        os.symlink("/dev/zero", path)
    elif kind == "fifo":
        os.mkfifo(path)
    else:
        path.mkdir()
    return str(path)


KINDS = {"device": "a character device", "fifo": "a FIFO", "directory": "a directory"}


def _argv(role, tmp_path, special):
    net = _write(tmp_path / "net.json", NET)
    return {"network": ["analyze", special],
            "domain": ["regions", net, "--domain", special, "--json",
                       str(tmp_path / "out.json")],
            "loss table": ["track", net, "--loss", special],
            "npy points": ["layers", net, special]}[role]


@pytest.mark.skipif(not os.path.exists("/dev/zero") or not hasattr(os, "mkfifo"),
                    reason="needs /dev/zero and FIFOs")
@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("role,name", [("network", "in.json"), ("domain", "dom.json"),
                                       ("loss table", "losses.csv"),
                                       ("npy points", "points.npy")])
def test_non_regular_files_are_refused_at_once(tmp_path, capsys, kind, role, name):
    special = _special(tmp_path, kind, name)
    _refused(capsys, _argv(role, tmp_path, special),
             f"not a regular file ({KINDS[kind]})", name)
    assert not (tmp_path / "out.json").exists()


def test_a_socket_is_refused(capsys):
    with tempfile.TemporaryDirectory(dir="/tmp") as d:  # AF_UNIX paths are short
        path = os.path.join(d, "s.json")
        s = socket.socket(socket.AF_UNIX)
        try:
            s.bind(path)
        except OSError:
            pytest.skip("cannot bind a unix socket here")
        try:
            _refused(capsys, ["analyze", path], "not a regular file (a socket)")
        finally:
            s.close()


def test_missing_file_and_reader_api(tmp_path):
    with pytest.raises(InputError, match=r"nope.json: cannot read file \(No such file"):
        io.read_input_bytes(tmp_path / "nope.json")
    p = tmp_path / "x.json"
    p.write_bytes(b"12345")
    assert io.read_input_bytes(p) == b"12345"
    with pytest.raises(InputError, match=r"x.json: file is too large \(5 bytes, at most 4\)"):
        io.read_input_bytes(p, limit=4)


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="needs Linux /proc")
def test_size_cap_holds_for_files_whose_size_lies():
    # /proc files say size 0: the cap is enforced on what reading gives, too
    assert os.stat("/proc/self/status").st_size == 0
    with pytest.raises(InputError, match="more than 10 bytes"):
        io.read_input_bytes("/proc/self/status", limit=10)


def test_oversized_files_are_refused(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(io, "MAX_FILE_BYTES", 64)
    net = _write(tmp_path / "net.json", NET)           # about 90 bytes
    _refused(capsys, ["analyze", net], "net.json", "file is too large")
    monkeypatch.setattr(io, "MAX_FILE_BYTES", 10**6)
    small = _write(tmp_path / "small.json", NET)
    loss = tmp_path / "l.csv"
    loss.write_text("checkpoint,loss\n" + "small.json,1\n" * 20)
    monkeypatch.setattr(io, "MAX_FILE_BYTES", 100)
    _refused(capsys, ["track", "--loss", str(loss)], "l.csv", "file is too large")
    np = pytest.importorskip("numpy")
    np.save(tmp_path / "x.npy", np.zeros((20, 2)))
    _refused(capsys, ["layers", small, str(tmp_path / "x.npy")], "x.npy", "file is too large")


def test_npy_header_promising_more_than_the_file_holds(tmp_path, capsys):
    np = pytest.importorskip("numpy")
    path = tmp_path / "big.npy"
    with open(path, "wb") as fh:   # a valid header for 10**12 floats, 16 bytes of data
        np.lib.format.write_array_header_1_0(
            fh, {"descr": "<f8", "fortran_order": False, "shape": (10**12, 2)})
        fh.write(b"\0" * 16)
    net = _write(tmp_path / "net.json", NET)
    _refused(capsys, ["layers", net, str(path)], "big.npy", "header promises")


# ---------------------------------------------------------------------------------------
# numbers
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["１/２", "١", "٣/٤", "1/２", "１e3", "\u00a01"])
def test_non_ascii_digits_are_refused(text):
    with pytest.raises(InputError, match="ASCII"):
        to_fraction(text, field="w")


def test_non_ascii_digits_in_files_and_arguments(tmp_path, capsys):
    net = {"layers": [{"weights": [["１/２", 0], [0, 1]], "biases": [0, 0]},
                      {"weights": [[1, 1]], "biases": ["٣"]}]}
    path = _write(tmp_path / "net.json", net)
    _refused(capsys, ["analyze", path], "net.json", "layers[0].weights[0][0]", "ASCII")
    ok = _write(tmp_path / "ok.json", NET)
    _refused(capsys, ["analyze", ok, "--box", "-1", "１"], "--box HI", "ASCII")
    loss = tmp_path / "l.csv"
    loss.write_text("checkpoint,loss\nok.json,１\n")
    _refused(capsys, ["track", "--loss", str(loss)], "l.csv", "line 2", "not a number")


def test_float_literal_underflowing_to_zero_is_refused_naming_the_field(tmp_path, capsys):
    # docs/formats.md: a JSON float means its binary value, and 1e-400 has none but 0
    net = {"layers": [{"weights": [[1, 0], [0, 1]], "biases": [0, 0]},
                      {"weights": [[1, 1]], "biases": [0]}]}
    text = json.dumps(net).replace('"biases": [0, 0]', '"biases": [0, 1e-400]')
    path = tmp_path / "net.json"
    path.write_text(text)
    _refused(capsys, ["analyze", str(path)], "layers[0].biases[1]", "1e-400",
             "underflows to 0")
    path.write_text(text.replace("1e-400", '"1e-400"'))         # as a string: exact
    assert io.load_network(path).biases[0][1] == Fraction(1, 10**400)
    path.write_text(text.replace("1e-400", "-1e999"))
    _refused(capsys, ["analyze", str(path)], "layers[0].biases[1]", "beyond the float range")
    # ordinary floats keep their binary value, subnormals included
    path.write_text(text.replace("1e-400", "5e-324"))
    assert io.load_network(path).biases[0][1] == Fraction(5e-324)
    path.write_text(text.replace("1e-400", "0.1"))
    assert io.load_network(path).biases[0][1] == Fraction(0.1)
    path.write_text(text.replace("1e-400", "0.0e-999"))          # zero is zero
    assert io.load_network(path).biases[0][1] == 0


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_constants_name_their_field(tmp_path, capsys, constant):
    path = tmp_path / "net.json"
    path.write_text('{"layers": [{"weights": [[1, 0], [0, %s]], "biases": [0, 0]}, '
                    '{"weights": [[1, 1]], "biases": [0]}]}' % constant)
    _refused(capsys, ["analyze", str(path)], "net.json", "layers[0].weights[1][1]",
             f"non-finite number {constant}")
    dom = tmp_path / "dom.json"
    dom.write_text('{"A": [[1, 0], [-1, 0], [0, 1], [0, -1]], "b": [1, 1, %s, 1]}' % constant)
    _refused(capsys, ["regions", _write(tmp_path / "ok.json", NET), "--domain", str(dom),
                      "--json", str(tmp_path / "o.json")], "dom.json", "b[2]", "non-finite")


def test_bad_number_path_in_deep_and_odd_places(tmp_path):
    path = tmp_path / "x.json"
    path.write_text('{"a b": [[{"c": [0, 1, NaN]}]], "d": NaN}')
    with pytest.raises(InputError, match=r'x.json: \["a b"\]\[0\]\[0\].c\[2\]: non-finite'):
        io.read_json(path)
    path.write_text("[" * 5000 + "NaN" + "]" * 5000)      # no recursion in the search
    with pytest.raises(InputError):
        io.read_json(path)


# ---------------------------------------------------------------------------------------
# big numbers: exact, no crash
# ---------------------------------------------------------------------------------------
def test_big_number_formatting():
    q = Fraction(10**5000 + 1, 3**4000)
    text = format_number(q)
    num, den = text.split("/")
    assert len(num) == 5001 and Fraction(int(num[:2]), 1) == 10
    assert format_number(-10**6000) == -10**6000          # still an int for JSON
    assert int_to_str(-10**6000) == "-1" + "0" * 6000
    assert format_number_short(q) == "≈ 3.2733e+3091"
    assert format_number_short(Fraction(1, 7 * 10**300)) == "≈ 1.4286e-301"
    assert format_number_short(Fraction(-1, 3)) == "-1/3"
    assert to_float(q) == float("inf") and to_float(-q) == float("-inf")
    assert to_float(Fraction(1, 4)) == 0.25
    assert sqrt_float(Fraction(4 * 10**600)) == 2e300 and sqrt_float(10**700) == float("inf")


def test_200_digit_rational_weights_through_analyze(tmp_path, capsys):
    n = 10**200
    w = f"{n + 1}/{n}"                                # 201/201-digit, about 1
    net = {"layers": [{"weights": [[w, 0], [0, w]],
                       "biases": [f"1/{n + 7}", f"-1/{3 * n + 1}"]},
                      {"weights": [[1, w]], "biases": [0]}]}
    path = _write(tmp_path / "net.json", net)
    out = tmp_path / "r.json"
    _ok(capsys, ["analyze", path, "--json", str(out)])
    rep = json.loads(out.read_text())
    assert rep["n_regions"] == 4 and rep["f_vector"] == [9, 12, 4]
    _ok(capsys, ["regions", path, "--json", str(out)])
    vols = [Fraction(r["volume"]) for r in json.loads(out.read_text())["regions"]]
    assert sum(vols) == 4 and all(v.denominator > 10**200 for v in vols)


def test_huge_box_and_2000_digit_weights_give_exact_json(tmp_path, capsys, big_ints):
    big = 10**2000 - 1                                  # 2000 nines
    net = {"layers": [{"weights": [[str(big), 0]], "biases": [1]},
                      {"weights": [[f"1/{big}"]], "biases": [0]}]}
    path = _write(tmp_path / "net.json", net)
    out = tmp_path / "r.json"
    _ok(capsys, ["regions", path, "--box", "-1e3000", "1e3000", "--json", str(out)])
    rep = json.loads(out.read_text())
    assert rep["n_regions"] == 2
    side = 2 * 10**3000
    cut = Fraction(-1, big)                             # the neuron's hyperplane x = -1/big
    vols = sorted(Fraction(r["volume"]) for r in rep["regions"])
    assert vols == sorted([(cut + 10**3000) * side, (10**3000 - cut) * side])
    assert sum(vols) == side * side                     # 6001 digits, exact
    _ok(capsys, ["analyze", path, "--box", "-1e3000", "1e3000", "--json", str(out)])
    rep = json.loads(out.read_text())
    assert rep["n_regions"] == 2 and rep["domain"]["b"][0] == 10**3000


def test_reference_and_dual_graph_on_a_1e300_box(tmp_path, capsys):
    path = _write(tmp_path / "net.json", NET)
    out = tmp_path / "ref.json"
    _ok(capsys, ["reference", path, "--box", "-1e300", "1e300", "--json", str(out)])
    ref = json.loads(out.read_text())
    assert ref["n_regions"] == 4
    assert sum(Fraction(r["volume"]) for r in ref["regions"]) == Fraction(4 * 10**600)
    for r in ref["float"]["regions"]:
        assert r["volume"] is None                      # 1e600: beyond binary64, null
        assert all(isinstance(x, float) and abs(x) <= 1e300 for x in r["interior_point"])
    for weight in ("none", "measure"):
        out = tmp_path / f"dg-{weight}.json"
        _ok(capsys, ["dual-graph", path, "--box", "-1e300", "1e300", "--weight", weight,
                     "--json", str(out)])
        rep = json.loads(out.read_text())
        assert rep["n_regions"] == 4 and len(rep["graph"]["edges"]) == 4
        assert all(e["measure"] == 1e300 and Fraction(e["measure_squared"]) == 10**600
                   for e in rep["graph"]["edges"])


def test_reference_float_section_unchanged_for_ordinary_values(tmp_path, capsys):
    path = _write(tmp_path / "net.json", NET)
    out = tmp_path / "ref.json"
    _ok(capsys, ["reference", path, "--box", "-1", "1/3", "--json", str(out)])
    ref = json.loads(out.read_text())
    for exact, approx in zip(ref["regions"], ref["float"]["regions"]):
        assert approx["volume"] == float(Fraction(exact["volume"]))
        assert approx["interior_point"] == [float(Fraction(x)) for x in exact["interior_point"]]


# ---------------------------------------------------------------------------------------
# PyTorch files
# ---------------------------------------------------------------------------------------
def _state_dict(torch):
    return {"0.weight": torch.tensor([[1.0, 0.0], [0.0, 1.0]], dtype=torch.float64),
            "0.bias": torch.zeros(2, dtype=torch.float64),
            "2.weight": torch.tensor([[1.0, -1.0]], dtype=torch.float64),
            "2.bias": torch.zeros(1, dtype=torch.float64)}


def test_state_dict_needs_an_assumption(tmp_path, capsys):
    torch = pytest.importorskip("torch")
    path = tmp_path / "m.pt"
    torch.save(_state_dict(torch), path)
    with pytest.raises(InputError, match="a state dict does not say its activations: export "
                                         "the model to ONNX .* or pass --assume "
                                         "linear-relu-chain"):
        io.load_network(path)
    # a training checkpoint holding the state dict is read the same way
    torch.save({"epoch": 3, "model_state_dict": _state_dict(torch)}, tmp_path / "c.pt")
    with pytest.raises(InputError, match="does not say its activations"):
        io.load_network(tmp_path / "c.pt")
    assert io.load_network(tmp_path / "c.pt", assume="linear-relu-chain") == Network.from_json(NET)
    net = io.load_network(path, assume="linear-relu-chain")
    assert net == Network.from_json(NET)
    with pytest.raises(InputError, match="unknown --assume"):
        io.load_network(path, assume="anything")
    _refused(capsys, ["analyze", str(path)], "m.pt", "--assume linear-relu-chain", "ONNX")
    _ok(capsys, ["analyze", str(path), "--assume", "linear-relu-chain"])
    # JSON networks ignore the assumption
    assert io.load_network(_write(tmp_path / "n.json", NET), assume="linear-relu-chain") == net


def test_pytorch_zip_bomb_is_refused(tmp_path, capsys, monkeypatch):
    pytest.importorskip("torch")
    path = tmp_path / "bomb.pt"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("archive/data.pkl", b"\0" * (4 * 2**20))
    assert path.stat().st_size < 2**16
    monkeypatch.setattr(io, "MAX_FILE_BYTES", 2**20)
    _refused(capsys, ["analyze", str(path), "--assume", "linear-relu-chain"], "bomb.pt",
             "unpacks to 4194304 bytes")


@pytest.mark.parametrize("entry,message", [
    ("meta", "0.weight: a meta tensor has no values"),
    ("sparse", "0.weight: sparse tensors are not supported"),
    ("string", "0.bias: expected a tensor, got str"),
    ("extra", "1.running_mean: not a Linear layer's weight or bias"),
])
def test_odd_state_dict_entries_are_refused_naming_the_key(tmp_path, entry, message):
    torch = pytest.importorskip("torch")
    state = _state_dict(torch)
    if entry == "meta":
        state["0.weight"] = torch.empty(2, 2, device="meta")
    elif entry == "sparse":
        state["0.weight"] = state["0.weight"].to_sparse()
    elif entry == "string":
        state["0.bias"] = "zeros"
    else:
        state["1.running_mean"] = torch.zeros(2)
    path = tmp_path / "m.pt"
    torch.save(state, path)
    with pytest.raises(InputError, match=message):
        io.load_network(path, assume="linear-relu-chain")


def test_a_pt_file_without_torch_names_the_extra(tmp_path, monkeypatch):
    import importlib.util

    from polytopo.network.io import load_network

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "torch" else real(name, *a))
    f = tmp_path / "m.pt"
    f.write_bytes(b"PK\x03\x04")
    with pytest.raises(InputError, match=r"m\.pt: reading PyTorch files needs the 'torch' extra"):
        load_network(f, assume="linear-relu-chain")
