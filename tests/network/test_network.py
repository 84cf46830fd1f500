import json
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, strategies as st

from polytopo.geometry.exact import rank
from polytopo.exceptions import InputError
from polytopo.network.model import Network
from polytopo.testing import networks

NET = {"format": "polytopo.network/1", "input_dim": 2,
       "layers": [{"weights": [[1, 0], ["-1/2", 3]], "biases": [0, "1/3"]},
                  {"weights": [[1, -1]], "biases": ["0.25"]}]}


def test_spec_example_is_read_exactly():
    net = Network.from_json(NET)
    assert net.architecture == (2, 2, 1)
    assert net.weights[0][1] == (Fraction(-1, 2), Fraction(3))
    # f(1, 1) = relu(1) - relu(-1/2 + 3 + 1/3) + 1/4 = 1 - 17/6 + 1/4
    assert net.forward([1, 1]) == (Fraction(1) - Fraction(17, 6) + Fraction(1, 4),)
    assert net.pattern([1, 1]) == "++"
    assert net.pattern([0, Fraction(-1, 9)]) == "00"


def test_json_roundtrip_is_exact():
    net = Network.from_json(NET)
    again = Network.from_json(json.loads(json.dumps(net.to_json())))
    assert again == net


@pytest.mark.parametrize("obj,match", [
    ({"layers": []}, "non-empty"),
    ({"layers": [{"weights": [[1, 2]], "biases": [0, 0]}]}, "2 biases for 1 neurons"),
    ({"layers": [{"weights": [[1, 2]], "biases": [0]}, {"weights": [[1, 2]], "biases": [0]}]},
     "takes 2 inputs but the previous layer has 1"),
    ({"layers": [{"weights": [[1], [1, 2]], "biases": [0, 0]}]}, "different lengths"),
    ({"input_dim": 3, "layers": [{"weights": [[1, 2]], "biases": [0]}]}, "input_dim"),
    ({"format": "other/1", "layers": [{"weights": [[1]], "biases": [0]}]}, "unknown format"),
    ({"layers": [{"weights": [[]], "biases": [0]}]}, "non-empty"),
    ([1, 2], "JSON object"),
])
def test_bad_networks_are_refused(obj, match):
    with pytest.raises(InputError, match=match):
        Network.from_json(obj, source="n.json")


def test_numpy_floats_exact_or_rounded():
    w = [np.array([[0.1, 0.5]]), np.array([[2.0]])]
    b = [np.array([0.0]), np.array([0.0])]
    assert Network.from_numpy(w, b).weights[0][0][0] == Fraction(0.1)
    assert Network.from_numpy(w, b, max_denominator=100).weights[0][0][0] == Fraction(1, 10)


@given(networks(), st.data())
def test_affine_maps_agree_with_evaluation(net, data):
    x = data.draw(st.lists(st.fractions(-3, 3, max_denominator=7), min_size=net.input_dim,
                           max_size=net.input_dim))
    pattern = net.pattern(x)
    maps = net.affine_maps(pattern)
    # output map reproduces f(x) exactly
    m, c = maps[-1]
    out = tuple(sum((a * xi for a, xi in zip(row, x)), ci) for row, ci in zip(m, c))
    assert out == net.forward(x)
    # hidden maps reproduce the post-ReLU layers
    pre = net.preactivations(x)
    for (m, c), z in zip(maps, pre):
        h = tuple(sum((a * xi for a, xi in zip(row, x)), ci) for row, ci in zip(m, c))
        assert h == tuple(max(v, 0) for v in z)
    assert net.rank_on(pattern) == rank(maps[-2][0])


@given(networks(max_layers=2), st.data())
def test_permuting_neurons_keeps_the_function(net, data):
    perm = data.draw(st.permutations(range(net.widths[0])))
    other = net.permuted(1, perm)
    x = data.draw(st.lists(st.fractions(-3, 3, max_denominator=5), min_size=net.input_dim,
                           max_size=net.input_dim))
    assert other.forward(x) == net.forward(x)
    assert sorted(other.pattern(x)[: net.widths[0]]) == sorted(net.pattern(x)[: net.widths[0]])


def test_torch_sequential_and_state_dict():
    torch = pytest.importorskip("torch", reason="the optional 'torch' extra is not installed")
    model = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Linear(3, 1))
    net = Network.from_torch(model)
    x = [Fraction(1, 4), Fraction(-1, 2)]
    expected = model(torch.tensor([[0.25, -0.5]], dtype=torch.float64).float()).item()
    assert abs(float(net.forward(x)[0]) - expected) < 1e-5
    assert Network.from_torch(model.state_dict()) == net


@given(networks(max_layers=3, weights=__import__("polytopo.testing").testing.rational_weights()),
       st.data())
def test_integer_evaluation_equals_fraction_arithmetic(net, data):
    x = data.draw(st.lists(st.fractions(-3, 3, max_denominator=9), min_size=net.input_dim,
                           max_size=net.input_dim))
    assert net.forward(x) == net._reference_forward(x)
    pre = net.preactivations(x)
    h = tuple(x)
    for (w, b), z in zip(zip(net.weights, net.biases), pre):
        assert z == tuple(sum((a * v for a, v in zip(row, h)), c) for row, c in zip(w, b))
        h = tuple(max(v, 0) for v in z)


def test_check_layer_is_one_method_for_every_caller():
    from polytopo.exceptions import PointlessQuestion

    net = Network.from_lists([([[1, 0]], [0]), ([[1]], [1]), ([[1]], [0])])
    assert net.check_layer(None) == 2 and net.check_layer(1) == 1
    with pytest.raises(InputError, match=r"^layer must be a hidden layer between 1 and 2, got 3$"):
        net.check_layer(3)
    with pytest.raises(InputError, match=r"^--layer must be a hidden layer between 1 and 2, got 0$"):
        net.check_layer(0, name="--layer")
    with pytest.raises(TypeError, match="got bool True"):
        net.check_layer(True)
    shallow = Network.from_lists([([[1, 0]], [0])])
    with pytest.raises(PointlessQuestion, match=r"^--layer: the network has no hidden layer$"):
        shallow.check_layer(1, name="--layer")
    assert net.rank_on("++", layer=1) == 1
    with pytest.raises(InputError, match="between 1 and 2"):
        net.rank_on("++", layer=5)


def test_check_network_and_whole_layer_patterns():
    from polytopo.network.model import check_network

    net = Network.from_lists([([[1], [2]], [0, 0]), ([[1, 1]], [0])])
    assert check_network(net) is net
    with pytest.raises(TypeError, match="network must be a Network, got dict"):
        check_network({"layers": []})
    with pytest.raises(InputError, match="whole hidden layers"):
        net.preactivation_maps("+")
