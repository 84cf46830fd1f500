"""Slices on the command line: the bundled 64-pixel digits classifier on the plane through
three images, in one command; slice domain files; bad slices are one line, exit 2."""

import json
from pathlib import Path

import numpy as np
import pytest

from polytopo.cli.app import main
from polytopo.network import io

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture
def three(tmp_path):
    X = np.load(EXAMPLES / "digits.npy")
    y = np.load(EXAMPLES / "digits_labels.npy")
    idx = [int(np.flatnonzero(y == c)[0]) for c in (0, 1, 7)]
    p = tmp_path / "three.npy"
    np.save(p, X[idx])
    return p


def test_digits_classifier_on_the_plane_through_three_images(three, tmp_path, capsys):
    pytest.importorskip("matplotlib")
    out, pic = tmp_path / "rep.json", tmp_path / "pic.png"
    assert main(["analyze", str(EXAMPLES / "digits_mlp.json"), "--through", str(three),
                 "--json", str(out), "--plot", str(pic)]) == 0
    text = capsys.readouterr().out
    assert "2-dimensional slice through 3 points of the 64-dimensional input" in text
    rep = json.loads(out.read_text())
    assert rep["coordinates"] == "slice" and rep["input_dim"] == 2
    assert len(rep["slice"]["origin"]) == 64 and len(rep["slice"]["directions"]) == 2
    assert rep["slice"]["through"][0] == [int(v) for v in np.load(three)[0]]
    assert len(rep["classes"]) == 10
    # the class regions cover the triangle; the three images' own classes are among them
    assert sum(float(__import__("fractions").Fraction(c["volume_fraction"]))
               for c in rep["classes"]) >= 1
    net = io.load_network(EXAMPLES / "digits_mlp.json")
    for x in np.load(three):
        y = net.forward([int(v) for v in x])
        assert not rep["classes"][y.index(max(y))]["empty"]
    assert pic.read_bytes().startswith(b"\x89PNG")


def test_regions_file_and_slice_domain_file(three, tmp_path, capsys):
    out = tmp_path / "r.json"
    assert main(["regions", str(EXAMPLES / "digits_mlp.json"), "--through", str(three),
                 "--margin", "1/4", "--json", str(out)]) == 0
    rep = json.loads(out.read_text())
    assert rep["coordinates"] == "slice" and rep["slice"]["b"] == ["1/4", "1/4", "5/4"]
    dom = tmp_path / "slice.json"
    dom.write_text(json.dumps({k: rep["slice"][k] for k in ("origin", "directions", "A", "b")}))
    out2 = tmp_path / "r2.json"
    assert main(["regions", str(EXAMPLES / "digits_mlp.json"), "--domain", str(dom),
                 "--json", str(out2)]) == 0
    rep2 = json.loads(out2.read_text())
    assert rep2["regions"] == rep["regions"]
    capsys.readouterr()


@pytest.mark.parametrize("points,extra,needle", [
    ([[0] * 64, [1] * 64, [2] * 64], [], "affinely dependent"),
    ([[0] * 63, [1] * 63, [0] * 62 + [1]], [], "64 inputs"),
    ([[0] * 64, [1] + [0] * 63], ["--margin", "-1"], "margin"),
    ([[0] * 64, [1] + [0] * 63], ["--margin", "x"], "margin"),
    ("not a list", [], "list of points"),
])
def test_bad_slices_are_one_line_and_write_nothing(tmp_path, capsys, points, extra, needle):
    p = tmp_path / "pts.json"
    p.write_text(json.dumps(points))
    out = tmp_path / "rep.json"
    code = main(["analyze", str(EXAMPLES / "digits_mlp.json"), "--through", str(p), *extra,
                 "--json", str(out)])
    err = capsys.readouterr().err.strip()
    assert code == 2 and "\n" not in err and needle in err and not out.exists()


def test_nan_points_missing_file_and_margin_without_through(tmp_path, capsys):
    p = tmp_path / "nan.npy"
    np.save(p, np.array([[0.0] * 64, [np.nan] * 64]))
    for args in (["--through", str(p)], ["--through", str(tmp_path / "none.npy")],
                 ["--margin", "1"]):
        out = tmp_path / "rep.json"
        code = main(["analyze", str(EXAMPLES / "digits_mlp.json"), *args, "--json", str(out)])
        err = capsys.readouterr().err.strip()
        assert code == 2 and "\n" not in err and not out.exists(), (args, err)


def test_every_command_takes_a_slice(three, tmp_path, capsys):
    net = str(EXAMPLES / "digits_mlp.json")
    for cmd, out in ((["reference", net], "ref.json"), (["dual-graph", net], "dg.json"),
                     (["track", net, net], "track.json")):
        path = tmp_path / out
        assert main([*cmd, "--through", str(three), "--json", str(path)]) == 0, cmd
        rep = json.loads(path.read_text())
        assert rep["coordinates"] == "slice" and len(rep["slice"]["origin"]) == 64, cmd
    if __import__("importlib").util.find_spec("matplotlib"):
        assert main(["plot", net, "--through", str(three), "--out",
                     str(tmp_path / "p.png")]) == 0
    capsys.readouterr()
