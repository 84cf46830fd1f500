"""Networks researchers train, read from PyTorch modules and from ONNX files, against the
plain ReLU networks they are equal to, rewritten by hand from the modules' weights: the
same regions, f-vectors and homology of the complex and of the decision sets.

Weights are small dyadic rationals (``k/8``) so that float32 holds them exactly and the
ONNX exporter's own folding (BatchNorm into the convolution) is exact too."""

import io
import warnings
from fractions import Fraction

import pytest

torch = pytest.importorskip("torch")
nn = torch.nn

from polytopo.analysis.summary import analyze  # noqa: E402
from polytopo.geometry.polytope import Polytope  # noqa: E402
from polytopo.network.model import Network  # noqa: E402

F = Fraction


def _dyadic(module, seed):
    """Set every parameter of ``module`` to k/8, k in [-12, 12] (seeded), exactly."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(torch.randint(-12, 13, p.shape, generator=g).float() / 8)
    return module.eval()


def _w(t):
    return [[F(float(v)) for v in row] for row in t.detach().double().reshape(t.shape[0], -1)]


def _b(t):
    return [F(float(v)) for v in t.detach().double()]


def _onnx(model, example):
    pytest.importorskip("onnx")
    from polytopo.network.onnx_reader import graph_from_onnx
    from polytopo.network.graph import with_layer_notes

    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, (example,), buf, dynamo=False)
    return Network.from_json(with_layer_notes(graph_from_onnx(buf.getvalue()), "ONNX"))


def _summary(net, box):
    rep = analyze(net, box)
    hom = {k: [(h["rank"], tuple(h["torsion"])) for h in v] for k, v in rep["homology"].items()}
    return rep["n_regions"], rep["f_vector"], hom


def _same(model, example, by_hand, lo, hi):
    """The traced module and its ONNX export against the network written by hand, on the
    box ``[lo, hi]^d``."""
    d = by_hand.input_dim
    box = Polytope.cube(d, lo, hi)
    want = _summary(by_hand, box)
    traced = Network.from_torch(model, example)
    assert _summary(traced, box) == want
    assert _summary(_onnx(model, example), box) == want
    for i in range(8):
        p = [F(lo) + (F(hi) - F(lo)) * F((3 * i + 2 * j) % 8, 7) for j in range(d)]
        assert traced.forward(p) == by_hand.forward(p)
    return want


def test_leaky_relu_mlp_is_a_relu_network_with_mirrored_neurons():
    model = _dyadic(nn.Sequential(nn.Linear(2, 4), nn.LeakyReLU(0.125), nn.Linear(4, 1)), 0)
    W, b = _w(model[0].weight), _b(model[0].bias)
    v, c = _w(model[2].weight)[0], _b(model[2].bias)
    a = F(1, 8)
    # leaky(z) = relu(z) - a relu(-z): every neuron and its mirror (the same hyperplane)
    by_hand = Network.from_lists([(W + [[-x for x in r] for r in W], b + [-x for x in b]),
                                  ([v + [-a * x for x in v]], c)])
    n, _, _ = _same(model, torch.zeros(1, 2), by_hand, -2, 2)
    assert n > 1


def test_residual_block_on_a_box_where_the_skipped_input_is_positive():
    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.inner, self.out = nn.Linear(2, 2), nn.Linear(2, 1)

        def forward(self, x):
            return self.out(x + torch.relu(self.inner(x)))

    model = _dyadic(Block(), 1)
    W, b = _w(model.inner.weight), _b(model.inner.bias)
    v, c = _w(model.out.weight)[0], _b(model.out.bias)
    # x = relu(x) on the box: the skip is two more ReLU neurons that never switch there
    by_hand = Network.from_lists([([[1, 0], [0, 1]] + W, [0, 0] + b), ([v + v], c)])
    _same(model, torch.ones(1, 2), by_hand, F(1, 2), 3)


def test_relu_then_max_pool_is_a_two_layer_relu_network():
    model = _dyadic(nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Unflatten(1, (1, 4)),
                                  nn.MaxPool1d(2), nn.Flatten(), nn.Linear(2, 1)), 2)
    W, b = _w(model[0].weight), _b(model[0].bias)
    v, c = _w(model[5].weight)[0], _b(model[5].bias)
    # max(relu p, relu q) = relu(relu p - relu q) + relu q (relu q = relu(relu q))
    by_hand = Network.from_lists([(W, b),
                                  ([[1, -1, 0, 0], [0, 1, 0, 0], [0, 0, 1, -1], [0, 0, 0, 1]],
                                   [0, 0, 0, 0]),
                                  ([[v[0], v[0], v[1], v[1]]], c)])
    _same(model, torch.zeros(1, 2), by_hand, -2, 2)


def test_conv1d_batchnorm_avgpool_is_its_unrolled_matrix():
    model = nn.Sequential(nn.Unflatten(1, (1, 3)), nn.Conv1d(1, 2, 2), nn.BatchNorm1d(2, eps=0.0),
                          nn.ReLU(), nn.AvgPool1d(2), nn.Flatten(), nn.Linear(2, 1))
    _dyadic(model, 3)
    with torch.no_grad():   # 1/sqrt(var + eps) = 1/2 exactly
        model[2].running_var.fill_(4.0)
        model[2].running_mean.copy_(torch.tensor([0.25, -0.5]))
    model.eval()
    k, kb = model[1].weight.detach().double(), _b(model[1].bias)
    g, beta = _b(model[2].weight), _b(model[2].bias)
    mean = _b(model[2].running_mean)
    rows, bias = [], []
    for ch in range(2):       # conv output (channel, t): k[ch,0] x_t + k[ch,1] x_{t+1} + kb
        s = g[ch] / 2
        for t in range(2):
            r = [F(0)] * 3
            r[t], r[t + 1] = F(float(k[ch, 0, 0])) * s, F(float(k[ch, 0, 1])) * s
            rows.append(r)
            bias.append((kb[ch] - mean[ch]) * s + beta[ch])
    v, c = _w(model[6].weight)[0], _b(model[6].bias)
    # average pooling over the two positions of each channel, then the linear layer
    out = [v[0] / 2, v[0] / 2, v[1] / 2, v[1] / 2]
    by_hand = Network.from_lists([(rows, bias), ([out], c)])
    _same(model, torch.zeros(1, 3), by_hand, -2, 2)
