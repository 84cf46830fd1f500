"""Reading PyTorch modules and ``torch.export`` programs exactly."""

import io
import json
import random
import warnings
from fractions import Fraction

import pytest

torch = pytest.importorskip("torch")
nn = torch.nn

from hypothesis import given, settings, strategies as st  # noqa: E402

from polytopo.cli.app import main  # noqa: E402
from polytopo.exceptions import InputError  # noqa: E402
from polytopo.network.io import load_network  # noqa: E402
from polytopo.network.model import Network  # noqa: E402
from polytopo.network.torch_import import (graph_from_exported, graph_from_pt2_bytes,  # noqa: E402
                                           graph_from_torch)


def _points(shape, n=6, seed=0):
    g = torch.Generator().manual_seed(seed)
    return [torch.randn(shape, generator=g, dtype=torch.float64) * 2 for _ in range(n)]


def _agrees(model, example, n=6, tol=1e-9):
    """The network read from ``model`` computes what ``model`` computes in float64."""
    net = Network.from_torch(model, example)
    ref = model.double().eval()
    for x in _points(example.shape, n):
        got = net.forward([Fraction(float(v)) for v in x.flatten()])
        with torch.no_grad():
            want = ref(x).flatten().tolist()
        assert len(got) == len(want)
        assert max(abs(float(a) - b) for a, b in zip(got, want)) < tol
    return net


def test_leaky_relu_mlp():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.LeakyReLU(0.125), nn.Linear(4, 2))
    net = _agrees(model, torch.zeros(1, 3))
    assert "LeakyReLU '1'" in net.notes[0] and net.notes[0].startswith("PyTorch layers read")


def test_linear_relu_weights_are_exact_and_match_the_sequential_path():
    torch.manual_seed(1)
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    net = Network.from_torch(model, torch.zeros(1, 2))
    w = model[0].weight.detach()
    assert net.weights[0] == tuple(tuple(Fraction(float(v)) for v in row) for row in w)
    assert net.biases[0] == tuple(Fraction(float(v)) for v in model[0].bias.detach())
    old = Network.from_torch(model)
    assert net.weights == old.weights and net.biases == old.biases
    assert net.units == old.units
    g = graph_from_torch(model, torch.zeros(2))  # no batch dimension
    assert g["input"] == {"name": "x", "dim": 2, "shape": [2]}
    assert g["format"] == "polytopo.network/2"
    assert all(isinstance(v, Fraction) for nd in g["nodes"] if nd["op"] == "affine"
               for row in nd["weights"] for v in row)


def test_conv1d_batchnorm_avgpool():
    torch.manual_seed(2)
    model = nn.Sequential(nn.Conv1d(1, 2, 3, padding=1), nn.BatchNorm1d(2), nn.AvgPool1d(2),
                          nn.Flatten(), nn.Linear(6, 2))
    bn = model[1]
    bn.running_mean.copy_(torch.tensor([0.5, -0.25]))
    bn.running_var.copy_(torch.tensor([2.0, 0.75]))
    with torch.no_grad():
        bn.weight.copy_(torch.tensor([1.5, -0.5]))
    model.train()
    model[4].eval()
    Network.from_torch(model, torch.zeros(1, 1, 6))
    assert model.training and model[1].training and not model[4].training  # restored
    net = _agrees(model, torch.zeros(1, 1, 6))
    assert any("BatchNorm" in n and "folded" in n for n in net.notes)
    assert "BatchNorm1d '1'" in net.notes[0] and "Conv1d '0'" in net.notes[0]


class _Residual(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(3, 3)
        self.out = nn.Linear(3, 1)

    def forward(self, x):
        return self.out(x + torch.relu(self.lin(x)))


def test_residual_block():
    torch.manual_seed(3)
    net = _agrees(_Residual(), torch.zeros(1, 3))
    assert "add" in net.notes[0]


def test_conv2d_relu_maxpool():
    torch.manual_seed(4)
    model = nn.Sequential(nn.Conv2d(1, 2, 2), nn.ReLU(), nn.MaxPool2d(2, ceil_mode=True),
                          nn.Flatten(), nn.Linear(8, 2))
    net = _agrees(model, torch.zeros(1, 1, 4, 4))
    assert "MaxPool2d '2'" in net.notes[0]


def test_relu6_hardtanh_prelu():
    torch.manual_seed(5)
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU6(), nn.Linear(3, 3), nn.Hardtanh(-0.5, 2),
                          nn.Linear(3, 3), nn.PReLU(3), nn.Linear(3, 1))
    with torch.no_grad():
        model[5].weight.copy_(torch.tensor([0.25, -0.5, 2.0]))
    _agrees(model, torch.zeros(1, 2))


class _Maxout(nn.Module):
    def __init__(self):
        super().__init__()
        self.a, self.b, self.c = nn.Linear(2, 3), nn.Linear(2, 3), nn.Linear(6, 2)

    def forward(self, x):
        m = torch.maximum(self.a(x), self.b(x))
        return self.c(torch.cat([m, 0.5 * x - 1, torch.abs(x[:, :1])], dim=1))


def test_maxout_and_cat():
    torch.manual_seed(6)
    _agrees(_Maxout(), torch.zeros(1, 2))


class _Shapes(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(4, 4)
        self.pool = nn.AdaptiveAvgPool1d(2)

    def forward(self, x):
        y = self.lin(x).view(1, 2, 2).transpose(1, 2).reshape(1, 1, 4)
        y = self.pool(torch.clamp(y, min=-1.0)) / 4 - y.mean(dim=2, keepdim=True)
        return torch.amax(torch.stack([y, -y], dim=0), dim=0).flatten(1)


def test_rearrangements_and_reductions():
    torch.manual_seed(7)
    _agrees(_Shapes(), torch.zeros(1, 4))


class _Padded(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(2, 4, 3, padding="same", groups=2)
        self.pool = nn.AvgPool2d(2, stride=1, padding=1, count_include_pad=False)
        self.lin = nn.Linear(4 * 5 * 6, 2)

    def forward(self, x):
        y = torch.nn.functional.pad(x, (1, 0, 0, 1), value=0.5)
        y = self.pool(torch.nn.functional.hardsigmoid(self.conv(y)))
        return self.lin(y.flatten(1))


def test_padding_groups_and_hardsigmoid():
    torch.manual_seed(11)
    _agrees(_Padded(), torch.zeros(1, 2, 3, 4))


def test_onnx_export_agrees_exactly():
    pytest.importorskip("onnx")
    from polytopo.network.graph import with_layer_notes
    from polytopo.network.onnx_reader import graph_from_onnx

    torch.manual_seed(8)
    model = nn.Sequential(nn.Conv1d(1, 2, 2), nn.LeakyReLU(0.25), nn.MaxPool1d(2),
                          nn.Flatten(), nn.Linear(4, 3), nn.ReLU6(), nn.Linear(3, 2)).eval()
    buf = io.BytesIO()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(model, (torch.zeros(1, 1, 5),), buf, dynamo=False)
    except Exception as e:  # noqa: BLE001 - the exporter depends on the installation
        pytest.skip(f"torch.onnx.export(dynamo=False) does not work here: {e}")
    via_onnx = Network.from_json(with_layer_notes(graph_from_onnx(buf.getvalue()), "ONNX"))
    direct = Network.from_torch(model, torch.zeros(1, 1, 5))
    rng = random.Random(0)
    for _ in range(8):
        x = [Fraction(rng.randint(-20, 20), rng.randint(1, 7)) for _ in range(5)]
        assert via_onnx.forward(x) == direct.forward(x)


def test_pt2_round_trip(tmp_path):
    torch.manual_seed(9)
    model = nn.Sequential(nn.Linear(2, 4), nn.LeakyReLU(0.5), nn.Linear(4, 1)).eval()
    ep = torch.export.export(model, (torch.zeros(1, 2),))
    path = tmp_path / "m.pt2"
    torch.export.save(ep, str(path))
    net = load_network(path)
    direct = Network.from_json(graph_from_exported(ep))
    for x in ([Fraction(1, 3), Fraction(-2)], [Fraction(0), Fraction(5, 7)]):
        assert net.forward(x) == direct.forward(x)
    assert net.notes[0].startswith("torch.export layers read")
    assert graph_from_pt2_bytes(path.read_bytes())["input"]["dim"] == 2


def test_symbolic_batch():
    torch.manual_seed(12)
    model = nn.Sequential(nn.Linear(3, 2), nn.ReLU(), nn.Flatten(), nn.Linear(2, 1))
    ep = torch.export.export(model, (torch.zeros(2, 3),),
                             dynamic_shapes=({0: torch.export.Dim("batch")},))
    g = graph_from_exported(ep)
    assert g["input"] == {"name": "x", "dim": 3, "shape": [3]}
    net = Network.from_json(g)
    assert net.weights[0] == tuple(tuple(Fraction(float(v)) for v in row)
                                   for row in model[0].weight.detach())


def _one_line(e):
    assert "\n" not in str(e.value)
    return str(e.value)


class _TanhMiddle(nn.Module):
    def __init__(self):
        super().__init__()
        self.a, self.act, self.b = nn.Linear(2, 2), nn.Tanh(), nn.Linear(2, 1)

    def forward(self, x):
        return self.b(self.act(self.a(x)))


def test_refusals_are_one_line():
    x = torch.zeros(1, 2)
    with pytest.raises(InputError) as e:
        Network.from_torch(_TanhMiddle(), x)
    msg = _one_line(e)
    assert "tanh" in msg and "module 'act' (Tanh)" in msg and "strip" not in msg
    with pytest.raises(InputError) as e:
        Network.from_torch(nn.Sequential(nn.Linear(2, 2), nn.GELU(), nn.Linear(2, 1)), x)
    assert "gelu" in _one_line(e)

    class Square(nn.Module):
        def forward(self, x):
            return x * x

    with pytest.raises(InputError) as e:
        Network.from_torch(Square(), x)
    assert "product of two computed tensors" in _one_line(e)

    class Branch(nn.Module):
        def forward(self, x):
            return x if x.sum() > 0 else -x

    with pytest.raises(InputError) as e:
        Network.from_torch(Branch(), x)
    assert "torch.export" in _one_line(e)
    with pytest.raises(InputError) as e:
        graph_from_pt2_bytes(bytes(random.Random(1).randrange(256) for _ in range(300)),
                             source="junk.pt2")
    assert "not a torch.export program" in _one_line(e)


def test_output_activation():
    torch.manual_seed(10)
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 3), nn.Softmax(dim=1))
    with pytest.raises(InputError) as e:
        Network.from_torch(model, torch.zeros(1, 2))
    assert _one_line(e).endswith("(pass --strip-output-activation to analyse the logits)")
    net = Network.from_torch(model, torch.zeros(1, 2), strip_output_activation=True)
    assert any("output activation Softmax" in n and "dropped" in n for n in net.notes)
    logits = Network.from_torch(model[:3], torch.zeros(1, 2))
    assert net.weights == logits.weights and net.biases == logits.biases


small = st.integers(-8, 8).map(lambda k: k / 4)


@settings(max_examples=15, deadline=None)
@given(st.data())
def test_random_mlps_agree_with_torch(data):
    sizes = data.draw(st.lists(st.integers(1, 3), min_size=2, max_size=4))
    leaky = data.draw(st.booleans())
    layers = []
    for i, (a, b) in enumerate(zip(sizes, sizes[1:])):
        lin = nn.Linear(a, b)
        with torch.no_grad():
            lin.weight.copy_(torch.tensor(data.draw(st.lists(st.lists(
                small, min_size=a, max_size=a), min_size=b, max_size=b))))
            lin.bias.copy_(torch.tensor(data.draw(st.lists(small, min_size=b, max_size=b))))
        layers.append(lin)
        if i < len(sizes) - 2:
            layers.append(nn.LeakyReLU(0.25) if leaky else nn.ReLU())
    _agrees(nn.Sequential(*layers), torch.zeros(1, sizes[0]), n=3)


def test_cli_analyze_pt2(tmp_path, capsys):
    W1, b1, W2, b2 = [[1, -1], [2, 1], [0, 1]], [0, 1, -1], [[1, -2, 1]], [0]
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)).eval()
    with torch.no_grad():
        model[0].weight.copy_(torch.tensor(W1, dtype=torch.float32))
        model[0].bias.copy_(torch.tensor(b1, dtype=torch.float32))
        model[2].weight.copy_(torch.tensor(W2, dtype=torch.float32))
        model[2].bias.copy_(torch.tensor(b2, dtype=torch.float32))
    pt2 = tmp_path / "m.pt2"
    torch.export.save(torch.export.export(model, (torch.zeros(1, 2),)), str(pt2))
    hand = tmp_path / "hand.json"
    hand.write_text(json.dumps({"layers": [{"weights": W1, "biases": b1},
                                           {"weights": W2, "biases": b2}]}))
    reports = []
    for path in (pt2, hand):
        out = tmp_path / f"{path.stem}.report.json"
        assert main(["analyze", str(path), "--box", "-1", "1", "--json", str(out)]) == 0
        reports.append(json.loads(out.read_text()))
    capsys.readouterr()
    assert reports[0]["n_regions"] == reports[1]["n_regions"] > 1


def test_programs_in_training_mode_and_bad_arguments():
    model = nn.Sequential(nn.Linear(2, 2), nn.Dropout(0.5), nn.Linear(2, 1)).train()
    ep = torch.export.export(model, (torch.zeros(1, 2),))
    with pytest.raises(InputError) as e:
        graph_from_exported(ep)
    assert "training mode" in _one_line(e) and "module '1' (Dropout)" in str(e.value)
    with pytest.raises(InputError) as e:
        graph_from_torch("not a module", torch.zeros(2))
    assert "torch.nn.Module" in _one_line(e)
    with pytest.raises(InputError) as e:
        graph_from_exported(model)
    assert "ExportedProgram" in _one_line(e)
