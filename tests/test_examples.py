"""The shipped CNN example: its files read, and they are the same network."""

from fractions import Fraction
from pathlib import Path

import pytest

from polytopo.analysis.summary import analyze
from polytopo.geometry.polytope import Polytope
from polytopo.network import io

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_cnn_example_json_is_a_leaky_relu_maxpool_network():
    net = io.load_network(EXAMPLES / "digits_cnn.json")
    assert [sorted({u.kind for u in layer}) for layer in net.units] == \
        [["leaky_relu(1/8)"], ["max(2)"]]
    assert any("BatchNorm" in n for n in net.notes)
    rep = analyze(net, Polytope.cube(3, 0, 1))
    assert sum((-1) ** k * n for k, n in enumerate(rep["f_vector"])) == 1
    assert rep["n_regions"] == rep["f_vector"][-1]


def test_cnn_example_onnx_file_computes_nearly_the_same_function():
    pytest.importorskip("onnx")
    a = io.load_network(EXAMPLES / "digits_cnn.json")
    b = io.load_network(EXAMPLES / "digits_cnn.onnx")
    pts = [[Fraction(i, 3), Fraction(j, 3), Fraction(k, 3)]
           for i in range(4) for j in range(4) for k in range(4)]
    # the ONNX exporter folded BatchNorm in float32: the functions differ by rounding only
    assert max(abs(a.forward(p)[0] - b.forward(p)[0]) for p in pts) < Fraction(1, 10 ** 4)
    assert any(a.forward(p) != b.forward(p) for p in pts)
