"""Data in pictures: points drawn over the regions, on a slice projected onto its plane."""

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from polytopo.cli.app import main
from polytopo.geometry.slice import Slice

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@settings(max_examples=40, deadline=None)
@given(st.lists(st.fractions(-3, 3, max_denominator=5), min_size=2, max_size=2),
       st.integers(0, 10))
def test_coordinates_invert_embed_on_the_slice(t, seed):
    rng = np.random.default_rng(seed)
    pts = rng.integers(-4, 5, (3, 5)).tolist()
    try:
        s = Slice.through(pts)
    except Exception:
        return
    assert s.coordinates(s.embed(t)) == tuple(Fraction(v) for v in t)


def test_digits_on_their_slice_with_labels(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    X = np.load(EXAMPLES / "digits.npy")
    y = np.load(EXAMPLES / "digits_labels.npy")
    idx = [int(np.flatnonzero(y == c)[0]) for c in (0, 1, 7)]
    np.save(tmp_path / "three.npy", X[idx])
    sel = np.flatnonzero(np.isin(y, [0, 1, 7]))[:60]
    np.save(tmp_path / "x.npy", X[sel])
    np.save(tmp_path / "y.npy", y[sel])
    out = tmp_path / "p.png"
    assert main(["plot", str(EXAMPLES / "digits_mlp.json"), "--through",
                 str(tmp_path / "three.npy"), "--points", str(tmp_path / "x.npy"),
                 "--labels", str(tmp_path / "y.npy"), "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"\x89PNG")
    bad = tmp_path / "bad.png"
    np.save(tmp_path / "short.npy", y[:5])
    assert main(["plot", str(EXAMPLES / "digits_mlp.json"), "--through",
                 str(tmp_path / "three.npy"), "--points", str(tmp_path / "x.npy"),
                 "--labels", str(tmp_path / "short.npy"), "--out", str(bad)]) == 2
    assert not bad.exists()
    capsys.readouterr()
