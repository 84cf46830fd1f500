"""``polytopo analyze --generators`` and ``polytopo plot --generators``."""

import json
from fractions import Fraction
from pathlib import Path

import pytest

from polytopo.cli.app import main
from polytopo.figures.network_plot import chain_polylines

EXAMPLE = str(Path(__file__).resolve().parents[2] / "polytopo" / "data" / "example.json")


def _winding(walk, q):
    w = 0
    for (x0, y0), (x1, y1) in zip(walk, walk[1:]):
        if (y0 <= q[1]) != (y1 <= q[1]):
            if x0 + (q[1] - y0) * (x1 - x0) / (y1 - y0) > q[0]:
                w += 1 if y1 > y0 else -1
    return w


def test_analyze_generators_of_the_bundled_annulus(tmp_path, capsys):
    out = tmp_path / "rep.json"
    assert main(["analyze", "--generators", "--json", str(out)]) == 0
    text = capsys.readouterr().out
    assert "homology generators (checked): domain 1, positive 2" in text
    rep = json.loads(out.read_text())
    assert rep["computed"][-1] == "generators"
    (loop,) = rep["generators"]["positive"][1]
    (walk,) = chain_polylines(loop["chain"])
    assert _winding(walk, (0, 0)) == 1 and _winding(walk, (Fraction(1, 2), 0)) == 0
    assert set(rep["generators_info"]) == {"method", "checked", "cells"}


def test_analyze_without_generators_has_none(tmp_path, capsys):
    out = tmp_path / "rep.json"
    assert main(["analyze", "--json", str(out)]) == 0
    rep = json.loads(out.read_text())
    assert "generators" not in rep and "generators_info" not in rep
    assert "homology generators" not in capsys.readouterr().out


def test_plot_draws_the_loops(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    for which in ([], ["--generators"], ["--generators=zero"]):
        pic = tmp_path / f"p{len(which)}{which[0][-4:] if which else ''}.png"
        assert main(["plot", EXAMPLE, *which, "--out", str(pic)]) == 0
        assert pic.stat().st_size > 1000
    assert main(["plot", EXAMPLE, "--generators=nothing",
                 "--out", str(tmp_path / "bad.png")]) == 2
    assert "no set 'nothing'" in capsys.readouterr().err
    assert not (tmp_path / "bad.png").exists()
