"""Slices on the command line: the bundled 64-pixel digits classifier and a random 64-input
net on the plane through three images, in one command each; slice domain files; the margin;
every command that takes a domain; bad slices are one line, exit 2, nothing written."""

import json
import random
import time
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from polytopo.cli.app import main
from polytopo.geometry.exact import format_number
from polytopo.network import io
from polytopo.network.model import Network

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
DIGITS_NET = str(EXAMPLES / "digits_mlp.json")


@pytest.fixture
def three(tmp_path):
    """Three digit images (a 0, a 1 and a 7) as a (3, 64) integer .npy file."""
    X = np.load(EXAMPLES / "digits.npy")
    y = np.load(EXAMPLES / "digits_labels.npy")
    idx = [int(np.flatnonzero(y == c)[0]) for c in (0, 1, 7)]
    p = tmp_path / "three.npy"
    np.save(p, X[idx])
    return p


@pytest.fixture
def random_net(tmp_path):
    """A 64-6-5-1 ReLU net with small random integer weights, as a network file."""
    rng = random.Random(7)
    layers, prev = [], 64
    for width in (6, 5, 1):
        layers.append(([[rng.randint(-2, 2) for _ in range(prev)] for _ in range(width)],
                       [rng.randint(-20, 20) for _ in range(width)]))
        prev = width
    net = Network.from_lists(layers)
    p = tmp_path / "net64.json"
    io.write_json(p, net.to_json())
    return p


def _json(path):
    return json.loads(Path(path).read_text())


def test_digits_classifier_on_the_plane_through_three_images(three, tmp_path, capsys):
    pytest.importorskip("matplotlib")
    out, pic = tmp_path / "rep.json", tmp_path / "pic.png"
    start = time.perf_counter()
    assert main(["analyze", DIGITS_NET, "--through", str(three),
                 "--json", str(out), "--plot", str(pic)]) == 0
    assert time.perf_counter() - start < 60   # a few seconds: the composed net has 2 inputs
    text = capsys.readouterr().out
    assert ("on a 2-dimensional slice through 3 points of the 64-dimensional input "
            "(coordinates t; x = p0 + U t)") in text
    rep = _json(out)
    assert rep["coordinates"] == "slice" and rep["input_dim"] == 2
    assert rep["architecture"][0] == 2
    assert len(rep["slice"]["origin"]) == 64 and len(rep["slice"]["directions"]) == 2
    X = np.load(three)
    assert rep["slice"]["through"] == [[int(v) for v in x] for x in X]
    assert rep["slice"]["origin"] == [int(v) for v in X[0]]
    assert rep["slice"]["directions"][0] == [int(a) - int(b) for a, b in zip(X[1], X[0])]
    assert rep["domain"] == {k: rep["slice"][k] for k in ("A", "b")}
    assert len(rep["classes"]) == 10
    assert sum(Fraction(c["volume_fraction"]) for c in rep["classes"]) >= 1
    net = io.load_network(DIGITS_NET)
    for x in X:   # the three images' own classes are among the decision regions
        y = net.forward([int(v) for v in x])
        assert not rep["classes"][y.index(max(y))]["empty"]
    assert pic.read_bytes().startswith(b"\x89PNG")


def test_a_random_64_input_net_regions_and_the_margin(random_net, three, tmp_path, capsys):
    vols = {}
    for margin in ("0", "1/2"):
        out = tmp_path / f"r{len(vols)}.jsonl"
        assert main(["regions", str(random_net), "--through", str(three), "--margin", margin,
                     "--jsonl", str(out)]) == 0
        lines = [json.loads(line) for line in out.read_text().splitlines()]
        head, regs = lines[0], lines[1:-1]
        assert head["coordinates"] == "slice" and head["input_dim"] == 2
        m = Fraction(margin)
        assert head["slice"]["b"] == [format_number(m)] * 2 + [format_number(1 + m)]
        assert head["domain"] == {k: head["slice"][k] for k in ("A", "b")}
        assert len(regs) > 1
        vols[m] = sum(Fraction(r["volume"]) for r in regs)
    # t >= -M, t1 + t2 <= 1 + M: a right triangle with legs 1 + 3M
    assert vols == {0: Fraction(1, 2), Fraction(1, 2): Fraction(5, 2) ** 2 / 2}
    assert "(on a 2-dimensional slice through 3 points" in capsys.readouterr().out


def test_points_files_and_slice_domain_files_agree(random_net, three, tmp_path, capsys):
    X = np.load(three)
    variants = {"json": tmp_path / "p.json", "float": tmp_path / "pf.npy",
                "images": tmp_path / "pi.npy"}
    variants["json"].write_text(json.dumps(X.tolist()))
    np.save(variants["float"], X.astype(np.float64))
    np.save(variants["images"], X.reshape(3, 8, 8))      # images: flattened in C order
    first = tmp_path / "r.json"
    assert main(["regions", str(random_net), "--through", str(three), "--json",
                 str(first)]) == 0
    rep = _json(first)
    for name, path in variants.items():
        out = tmp_path / f"r-{name}.json"
        assert main(["regions", str(random_net), "--through", str(path), "--json",
                     str(out)]) == 0, name
        assert _json(out) == rep, name
    # the slice object of a report is a domain file: the same regions
    dom = tmp_path / "slice.json"
    dom.write_text(json.dumps(rep["slice"]))
    out = tmp_path / "r-domain.json"
    assert main(["regions", str(random_net), "--domain", str(dom), "--json", str(out)]) == 0
    assert _json(out) == rep
    # a float that is not a dyadic rational stays exact: 0.1 is 3602879701896397/2^55
    Y = X.astype(np.float64)
    Y[0, 0] = 0.1
    np.save(variants["float"], Y)
    out = tmp_path / "r-tenth.json"
    assert main(["regions", str(random_net), "--through", str(variants["float"]),
                 "--no-volumes", "--json", str(out)]) == 0
    assert _json(out)["slice"]["origin"][0] == "3602879701896397/36028797018963968"
    capsys.readouterr()


def test_every_command_takes_a_slice(three, tmp_path, capsys):
    for cmd, out in ((["reference", DIGITS_NET], "ref.json"),
                     (["dual-graph", DIGITS_NET], "dg.json"),
                     (["track", DIGITS_NET, DIGITS_NET], "track.json")):
        path = tmp_path / out
        assert main([*cmd, "--through", str(three), "--json", str(path)]) == 0, cmd
        rep = _json(path)
        assert rep["coordinates"] == "slice" and len(rep["slice"]["origin"]) == 64, cmd
        assert "2-dimensional slice through 3 points" in capsys.readouterr().out, cmd
    if __import__("importlib").util.find_spec("matplotlib"):
        for cmd in (["plot", DIGITS_NET, "--out", str(tmp_path / "p.png")],
                    ["dual-graph", DIGITS_NET, "--plot", str(tmp_path / "dg.png")]):
            assert main([*cmd, "--through", str(three)]) == 0, cmd
            assert "slice" in capsys.readouterr().out, cmd


ZEROS = [0] * 64
E = [[int(i == j) for i in range(64)] for j in range(3)]
TRIANGLE = {"A": [[-1, 0], [0, -1], [1, 1]], "b": [0, 0, 1]}


def _npy(tmp_path, name, arr):
    p = tmp_path / name
    np.save(p, arr)
    return str(p)


def _file(tmp_path, name, obj):
    p = tmp_path / name
    p.write_text(obj if isinstance(obj, str) else json.dumps(obj))
    return str(p)


BAD = {
    # --through POINTS
    "affinely dependent": lambda d: ["--through", _file(d, "p.json", [ZEROS, [1] * 64, [2] * 64])],
    "a repeated point": lambda d: ["--through", _file(d, "p.json", [ZEROS, E[0], E[0]])],
    "one point": lambda d: ["--through", _file(d, "p.json", [ZEROS])],
    "wrong dimension": lambda d: ["--through", _file(d, "p.json", [[0] * 63, [1] * 63])],
    "ragged points": lambda d: ["--through", _file(d, "p.json", [ZEROS, [1] * 63])],
    "not a list": lambda d: ["--through", _file(d, "p.json", "\"points\"")],
    "a string entry": lambda d: ["--through", _file(d, "p.json", [ZEROS, ["x"] + ZEROS[1:]])],
    "a NaN": lambda d: ["--through", _npy(d, "p.npy", np.array([[0.0] * 64, [np.nan] * 64]))],
    "an infinity": lambda d: ["--through", _npy(d, "p.npy", np.array([[0.0] * 64,
                                                                       [np.inf] + [0.0] * 63]))],
    "a vector": lambda d: ["--through", _npy(d, "p.npy", np.zeros(64))],
    "booleans": lambda d: ["--through", _npy(d, "p.npy", np.eye(3, 64, dtype=bool))],
    "strings": lambda d: ["--through", _npy(d, "p.npy", np.array([["a"] * 64] * 3))],
    "not a .npy": lambda d: ["--through", _file(d, "p.npy", "not numpy")],
    "a missing file": lambda d: ["--through", str(d / "none.npy")],
    "negative margin": lambda d: ["--through", _file(d, "p.json", [ZEROS, E[0]]),
                                  "--margin=-1/2"],
    "negative integer margin": lambda d: ["--through", _file(d, "p.json", [ZEROS, E[0]]),
                                          "--margin", "-1"],
    "margin not a number": lambda d: ["--through", _file(d, "p.json", [ZEROS, E[0]]),
                                      "--margin", "nan"],
    "margin without through": lambda d: ["--margin", "1"],
    "margin with box": lambda d: ["--box", "0", "1", "--margin", "1"],
    "through and box": lambda d: ["--box", "0", "1",
                                  "--through", _file(d, "p.json", [ZEROS, E[0]])],
    # slice domain files
    "no directions": lambda d: ["--domain", _file(d, "s.json", {"origin": ZEROS, **TRIANGLE})],
    "no polytope": lambda d: ["--domain", _file(d, "s.json", {"origin": ZEROS,
                                                              "directions": E[:2]})],
    "origin of the wrong dimension": lambda d: ["--domain", _file(d, "s.json", {
        "origin": [0] * 63, "directions": [e[:63] for e in E[:2]], **TRIANGLE})],
    "a short direction": lambda d: ["--domain", _file(d, "s.json", {
        "origin": ZEROS, "directions": [E[0], [1, 1]], **TRIANGLE})],
    "dependent directions": lambda d: ["--domain", _file(d, "s.json", {
        "origin": ZEROS, "directions": [E[0], [2 * v for v in E[0]]], **TRIANGLE})],
    "a box in x, not in t": lambda d: ["--domain", _file(d, "s.json", {
        "origin": ZEROS, "directions": E[:2],
        "A": [r for e in E[:1] for r in (e, [-v for v in e])], "b": [1, 1]})],
    "an unbounded polytope": lambda d: ["--domain", _file(d, "s.json", {
        "origin": ZEROS, "directions": E[:2], "A": [[-1, 0], [0, -1]], "b": [0, 0]})],
    "an empty polytope": lambda d: ["--domain", _file(d, "s.json", {
        "origin": ZEROS, "directions": E[:2], "A": [[1, 0], [-1, 0], [0, 1], [0, -1]],
        "b": [-1, 0, 1, 1]})],
    "a NaN in the origin": lambda d: ["--domain", _file(d, "s.json", json.dumps(
        {"origin": ZEROS, "directions": E[:2], **TRIANGLE}).replace("[0, 0", "[NaN, 0", 1))],
    "inconsistent points": lambda d: ["--domain", _file(d, "s.json", {
        "origin": ZEROS, "directions": E[:2], **TRIANGLE, "through": [ZEROS, E[1], E[0]]})],
}


@pytest.mark.parametrize("case", sorted(BAD))
@pytest.mark.parametrize("command", ["analyze", "regions"])
def test_bad_slices_are_one_line_and_write_nothing(random_net, tmp_path, capsys, case, command):
    out = tmp_path / "out.json"
    try:
        code = main([command, str(random_net), *BAD[case](tmp_path), "--json", str(out)])
    except SystemExit as e:   # a usage error, from the parser
        code = e.code
    captured = capsys.readouterr()
    err = captured.err.strip()
    assert code == 2, (case, err)
    assert err.startswith("polytopo: error:") and "\n" not in err, (case, err)
    assert "Traceback" not in captured.err and not out.exists(), case
