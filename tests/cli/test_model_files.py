"""The command line on ONNX files: every command that reads a network reads them; bad
ones are exit status 2, one line on stderr, nothing written; a final Softmax needs
--strip-output-activation, which the report then mentions."""

import json

import pytest

onnx = pytest.importorskip("onnx")
from onnx import TensorProto, helper, numpy_helper  # noqa: E402
import numpy as np  # noqa: E402

from polytopo.cli.app import main  # noqa: E402
from polytopo.network import io  # noqa: E402


def _model(final=None):
    W1 = np.array([[1.0, -0.5], [0.25, 1.0], [-1.0, 0.75]])
    W2 = np.array([[1.0], [-2.0], [0.5]])
    nodes = [helper.make_node("MatMul", ["x", "W1"], ["h"], name="fc1"),
             helper.make_node("LeakyRelu", ["h"], ["r"], name="act", alpha=0.125),
             helper.make_node("MatMul", ["r", "W2"], ["z"] if final else ["y"], name="fc2")]
    if final:
        nodes.append(helper.make_node(final, ["z"], ["y"], name="out"))
    g = helper.make_graph(
        nodes, "g", [helper.make_tensor_value_info("x", TensorProto.DOUBLE, [1, 2])],
        [helper.make_tensor_value_info("y", TensorProto.DOUBLE, [1, 1])],
        [numpy_helper.from_array(W1.T, "W1"), numpy_helper.from_array(W2, "W2")])
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)])


@pytest.fixture
def model_file(tmp_path):
    p = tmp_path / "net.onnx"
    p.write_bytes(_model().SerializeToString())
    return p


def test_every_command_reads_an_onnx_file(model_file, tmp_path, capsys):
    out = tmp_path / "rep.json"
    assert main(["analyze", str(model_file), "--json", str(out)]) == 0
    text = capsys.readouterr().out
    assert "units: leaky_relu(1/8) x3" in text and "ONNX layers read: MatMul 'fc1'" in text
    rep = json.loads(out.read_text())
    assert rep["units"] == [["leaky_relu(1/8)"] * 3]
    assert rep["network_notes"][0].startswith("ONNX layers read")
    regions = tmp_path / "r.json"
    assert main(["regions", str(model_file), "--json", str(regions)]) == 0
    assert json.loads(regions.read_text())["n_regions"] == rep["n_regions"]
    conv = tmp_path / "net.json"
    assert main(["convert", str(model_file), "--out", str(conv)]) == 0
    a, b = io.load_network(model_file), io.load_network(conv)
    assert a == b and a.notes == b.notes
    for cmd in (["reference", str(model_file), "--json", str(tmp_path / "ref.json")],
                ["dual-graph", str(model_file), "--json", str(tmp_path / "dg.json")],
                ["plot", str(model_file), "--out", str(tmp_path / "p.png")]):
        assert main(cmd) == 0, cmd
    capsys.readouterr()


@pytest.mark.parametrize("data", [b"", b"\x00\x01garbage", None])
def test_bad_onnx_files_are_one_line_and_write_nothing(tmp_path, capsys, data):
    p = tmp_path / "bad.onnx"
    p.write_bytes(data if data is not None else _model().SerializeToString()[:57])
    out = tmp_path / "rep.json"
    assert main(["analyze", str(p), "--json", str(out)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "bad.onnx" in err
    assert not out.exists()


def test_unsupported_op_names_op_and_node(tmp_path, capsys):
    m = _model()
    m.graph.node[1].op_type = "Tanh"
    del m.graph.node[1].attribute[:]
    p = tmp_path / "tanh.onnx"
    p.write_bytes(m.SerializeToString())
    out = tmp_path / "r.json"
    assert main(["regions", str(p), "--json", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "Tanh" in err and "'act'" in err and not out.exists()


def test_final_softmax_needs_the_strip_flag(tmp_path, capsys):
    p = tmp_path / "soft.onnx"
    p.write_bytes(_model("Sigmoid").SerializeToString())
    out = tmp_path / "rep.json"
    assert main(["analyze", str(p), "--json", str(out)]) == 2
    assert "--strip-output-activation" in capsys.readouterr().err and not out.exists()
    assert main(["analyze", str(p), "--json", str(out), "--strip-output-activation"]) == 0
    assert "dropped" in capsys.readouterr().out
    plain = tmp_path / "plain.onnx"
    plain.write_bytes(_model().SerializeToString())
    assert io.load_network(p, strip_output_activation=True) == io.load_network(plain)


def test_convert_rounds_float32_attributes_with_max_denominator(tmp_path, capsys):
    m = _model()
    m.graph.node[1].attribute[0].f = 0.1     # stored as float32: 13421773/134217728
    p = tmp_path / "leaky.onnx"
    p.write_bytes(m.SerializeToString())
    exact = io.load_network(p)
    assert exact.units[0][0].kind == "leaky_relu(13421773/134217728)"
    out = tmp_path / "net.json"
    assert main(["convert", str(p), "--out", str(out), "--max-denominator", "1000"]) == 0
    capsys.readouterr()
    net = io.load_network(out)
    assert net.units[0][0].kind == "leaky_relu(1/10)"
    assert any("rounded" in n and "1000" in n for n in net.notes)
