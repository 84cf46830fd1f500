"""The `polytopo layers` report: data files, per-layer topology and curvature, table, plot."""

import argparse
import json
from pathlib import Path

import numpy as np
import pytest

from polytopo.network import io
from polytopo.analysis.layers import (layers_report, layers_summary, load_data, load_labels,
                                      sampled_embeddings)
from polytopo.cli.layers import add as add_layers_command
from polytopo.cli.layers import run as run_layers
from polytopo.figures.layers import plot_layers
from polytopo.analysis.curvature import ricci_flow_coefficient
from polytopo.analysis.embeddings import decay_score, layer_embeddings
from polytopo.exceptions import InputError
from polytopo.network.model import Network

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def two_circles(n=150, seed=0):
    rng = np.random.default_rng(seed)
    t = rng.uniform(0, 2 * np.pi, 2 * n)
    r = np.r_[np.ones(n), 2.5 * np.ones(n)] + 0.03 * rng.normal(size=2 * n)
    return np.c_[r * np.cos(t), r * np.sin(t)], np.r_[np.zeros(n, int), np.ones(n, int)]


def small_net(seed=0):
    rng = np.random.default_rng(seed)
    widths = [2, 8, 8, 8, 2]
    return Network.from_lists([(rng.integers(-4, 5, (b, a)).tolist(),
                                rng.integers(-2, 3, b).tolist())
                               for a, b in zip(widths, widths[1:])])


def parse(argv):
    p = argparse.ArgumentParser()
    add_layers_command(p.add_subparsers(dest="command"))
    return p.parse_args(["layers", *argv])


@pytest.fixture
def files(tmp_path):
    X, y = two_circles()
    io.write_json(tmp_path / "net.json", small_net().to_json())
    np.save(tmp_path / "x.npy", X)
    np.save(tmp_path / "y.npy", y)
    return tmp_path


# ---- the report ------------------------------------------------------------------------
def test_report_contents():
    X, y = two_circles()
    rep = layers_report(small_net(), X, labels=y, resolution=10, k=[6, 12])
    json.dumps(rep, allow_nan=False)  # plain JSON, no NaN
    assert rep["arithmetic"] == "float64 embedding, exact integer homology"
    assert rep["coefficient_ring"] == "Z" and rep["network"]["architecture"] == "2-8-8-8-2"
    assert [L["name"] for L in rep["layers"]] == ["input", "hidden 1", "hidden 2", "hidden 3",
                                                  "output"]
    first = rep["layers"][0]
    assert first["betti_numbers"] == [2, 2, 0]  # two circles
    assert [c["betti_numbers"] for c in first["per_class"]] == [[1, 1, 0], [1, 1, 0]]
    assert set(first["curvature"]) == {"6", "12"}
    for L in rep["layers"]:
        assert L["complexity"] == sum(L["betti_numbers"])
        assert L["class_complexity"] == sum(sum(c["betti_numbers"]) for c in L["per_class"])
        assert isinstance(L["curvature"]["6"]["forman_total"], int)
    tc = rep["topological_complexity"]
    assert tc["values"] == [L["complexity"] for L in rep["layers"]]
    # the authors' score runs over the network's layers, the input left out
    assert tc["decay_score"] == round(decay_score(tc["values"][1:]), 6)
    assert tc["per_class_decay_score"] == round(decay_score(tc["per_class_values"][1:]), 6)
    assert "decay score theta" in layers_summary(rep)
    assert [s["k"] for s in rep["ricci"]["scales"]] == [6, 12]
    for s in rep["ricci"]["scales"]:
        assert s["coefficient"] is None or -1 <= s["coefficient"] <= 1
    assert 0 <= rep["accuracy"] <= 1 and rep["data"]["n_classes"] == 2


def test_report_options_sample_and_no_output():
    X, y = two_circles()
    rep = layers_report(small_net(), X, labels=y, resolution=8, k=5, include_output=False,
                        max_points=120, seed=3)
    assert rep["data"]["sample"] == {"n_points": 120, "of": 300, "seed": 3}
    assert rep["layers"][-1]["name"] == "hidden 3" and "accuracy" not in rep
    assert rep["layers"][0]["n_points"] == 120
    with pytest.raises(InputError):
        layers_report(small_net(), X, k=[300])


def test_betti_numbers_only_without_scales(tmp_path):
    X, y = two_circles()
    rep = layers_report(small_net(), X, resolution=8, k=[])
    assert rep["ricci"]["scales"] == [] and rep["layers"][0]["curvature"] == {}
    table = layers_summary(rep)
    assert "Forman" not in table and "Ricci flow" not in table
    embs = [X] + [np.asarray(X)] * (len(rep["layers"]) - 1)
    plot_layers(rep, embs, tmp_path / "p.svg")
    assert (tmp_path / "p.svg").read_text().lstrip().startswith("<?xml")
    with pytest.raises(InputError, match="labels"):
        layers_report(small_net(), X, labels=y[:3], k=[])


def test_disconnected_scale_is_reported_not_raised():
    X, y = two_circles()
    rep = layers_report(small_net(), X, labels=y, resolution=8, k=[2])
    scale = rep["ricci"]["scales"][0]
    if scale["coefficient"] is None:
        assert "increase k" in scale["reason"] or "constant" in scale["reason"]
    assert "Ricci flow coefficient" in layers_summary(rep)


def test_directed_ricci_convention_uses_input_and_hidden_layers():
    X = two_circles(100)[0][:100]  # one circle: connected k-NN graphs
    rng = np.random.default_rng(0)
    widths = [2, 6, 6, 6, 6, 2]
    net = Network.from_lists([(rng.integers(-3, 4, (b, a)).tolist(), rng.integers(0, 3, b).tolist())
                              for a, b in zip(widths, widths[1:])])
    rep = layers_report(net, X, resolution=8, k=[8], ricci_convention="directed")
    ric = rep["ricci"]
    assert ric["convention"] == "directed" and "reference_code" in ric
    assert ric["layers"] == ["input", "hidden 1", "hidden 2", "hidden 3", "hidden 4"]
    embs = [H for _, H in layer_embeddings(net, X, include_output=False)]
    scale = ric["scales"][0]
    direct = ricci_flow_coefficient(embs, 8, convention="directed").to_json()
    assert scale == direct and scale["ricci"][0] is None and -1 <= scale["coefficient"] <= 1
    # the per-layer statistics stay those of the symmetric graphs, output included
    assert len(rep["layers"]) == 6 and "directed" in layers_summary(rep)
    short = layers_report(small_net(), X, resolution=8, k=[8], ricci_convention="directed")
    assert short["ricci"]["scales"][0]["coefficient"] is None
    assert "hidden layers" in short["ricci"]["scales"][0]["reason"]
    with pytest.raises(InputError, match="convention"):
        layers_report(small_net(), X, resolution=8, k=[8], ricci_convention="mutual")
    assert parse(["n.json", "x.npy", "--ricci-convention", "directed"]).ricci_convention == \
        "directed"


def test_binary_accuracy():
    X, y = two_circles()
    net = Network.from_lists([([[1, 0], [-1, 0], [0, 1], [0, -1]], [0, 0, 0, 0]),
                              ([[1, 1, 1, 1]], [-2])])  # |x|_1 > 2: the outer circle, mostly
    rep = layers_report(net, X, labels=y, resolution=8, k=[8])
    assert rep["accuracy"] > 0.7


# ---- data files ------------------------------------------------------------------------
def test_load_data_and_labels(tmp_path):
    np.save(tmp_path / "ints.npy", np.arange(12, dtype=np.uint8).reshape(6, 2))
    assert load_data(tmp_path / "ints.npy", 2).dtype == np.float64
    np.save(tmp_path / "vec.npy", np.arange(5.0))
    assert load_data(tmp_path / "vec.npy", 1).shape == (5, 1)
    np.save(tmp_path / "str.npy", np.array(["a", "b", "a"]))
    assert load_labels(tmp_path / "str.npy", 3).tolist() == ["a", "b", "a"]
    np.save(tmp_path / "fl.npy", np.array([0.0, 1.0, 2.0]))
    assert load_labels(tmp_path / "fl.npy", 3).tolist() == [0, 1, 2]


@pytest.mark.parametrize("content, problem", [
    (np.array([[1.0, np.nan], [0, 0]]), "non-finite"),
    (np.zeros((4, 3)), "3 columns"),
    (np.zeros((1, 2)), "at least 2"),
    (np.array(["a", "b"]), "numeric"),
    (np.zeros((2, 2, 2)), "matrix"),
])
def test_bad_data(tmp_path, content, problem):
    np.save(tmp_path / "d.npy", content)
    with pytest.raises(InputError, match=problem) as e:
        load_data(tmp_path / "d.npy", 2)
    assert str(tmp_path / "d.npy") in str(e.value)


def test_bad_files(tmp_path):
    np.save(tmp_path / "obj.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
    with pytest.raises(InputError, match="cannot read"):
        load_data(tmp_path / "obj.npy", 2)  # never unpickled
    (tmp_path / "junk.npy").write_bytes(b"not numpy")
    with pytest.raises(InputError):
        load_data(tmp_path / "junk.npy", 2)
    with pytest.raises(InputError, match="cannot read"):
        load_data(tmp_path / "missing.npy", 2)
    with pytest.raises(InputError, match=".npy"):
        load_data(tmp_path / "data.csv", 2)
    np.save(tmp_path / "lab.npy", np.array([0.5, 1.0]))
    with pytest.raises(InputError, match="integers"):
        load_labels(tmp_path / "lab.npy", 2)
    with pytest.raises(InputError, match="one entry per data point"):
        load_labels(tmp_path / "lab.npy", 3)


# ---- the command -----------------------------------------------------------------------
def test_run_layers_writes_report_and_plot(files, capsys):
    args = parse([str(files / "net.json"), str(files / "x.npy"), "--labels", str(files / "y.npy"),
                  "--k", "6", "--resolution", "10", "--json", str(files / "r.json"),
                  "--plot", str(files / "p.png")])
    assert run_layers(args) == 0
    out = capsys.readouterr().out
    assert "Network(2-8-8-8-2) on 300 points" in out and "hidden 3" in out
    rep = json.loads((files / "r.json").read_text())
    assert rep["analysis"] == "layers" and len(rep["layers"]) == 5
    assert (files / "p.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_picture_draws_the_points_of_the_report():
    # --max-points: the report analyses a seeded sample; the picture must show those points
    X, y = two_circles()
    net = small_net()
    rep = layers_report(net, X, labels=y, resolution=8, k=[], max_points=50, seed=3)
    embs, ys = sampled_embeddings(net, X, y, max_points=50, seed=3)
    assert [len(H) for H in embs] == [50] * len(rep["layers"]) and len(ys) == 50
    label_of = {tuple(p): c for p, c in zip(X.tolist(), y.tolist())}
    assert [label_of[tuple(p)] for p in embs[0].tolist()] == ys.tolist()
    again = layers_report(net, embs[0], labels=ys, resolution=8, k=[])
    assert again["layers"] == rep["layers"]
    everything, labels = sampled_embeddings(net, X, y)  # no max_points: every point, in order
    assert np.array_equal(everything[0], X) and np.array_equal(labels, y)


@pytest.mark.parametrize("extra, problem", [
    (["--k", "a"], "--k"),
    (["--k", "0"], "--k"),
    (["--k", "400"], "k must be"),
    (["--resolution", "0"], "--resolution"),
    (["--max-points", "0"], "--max-points"),
    (["--labels", "missing.npy"], "cannot read"),
])
def test_run_layers_bad_input_writes_nothing(files, extra, problem):
    extra = [str(files / e) if e.endswith(".npy") else e for e in extra]
    args = parse([str(files / "net.json"), str(files / "x.npy"), *extra,
                  "--json", str(files / "r.json"), "--plot", str(files / "p.png")])
    with pytest.raises(InputError, match=problem):
        run_layers(args)
    assert not (files / "r.json").exists() and not (files / "p.png").exists()


def test_run_layers_data_not_matching_network(files):
    np.save(files / "x3.npy", np.zeros((10, 3)))
    with pytest.raises(InputError, match="3 columns"):
        run_layers(parse([str(files / "net.json"), str(files / "x3.npy")]))


# ---- the shipped example: a trained network on scikit-learn's digits -------------------------
def test_digits_example_simplifies(tmp_path, capsys):
    if not (EXAMPLES / "digits_mlp.json").exists():
        pytest.skip("examples/digits_mlp.json not generated (python examples/train_digits.py)")
    args = parse([str(EXAMPLES / "digits_mlp.json"), str(EXAMPLES / "digits.npy"),
                  "--labels", str(EXAMPLES / "digits_labels.npy"), "--k", "10",
                  "--max-points", "900", "--json", str(tmp_path / "r.json")])
    run_layers(args)
    rep = json.loads((tmp_path / "r.json").read_text())
    assert rep["accuracy"] > 0.95
    tc = rep["topological_complexity"]
    assert tc["values"][-1] < tc["values"][0] and tc["decay_rate"] > 0
    assert tc["per_class_values"][-1] < tc["per_class_values"][0]
    assert rep["network"]["architecture"] == "64-32-32-32-10"


@pytest.mark.slow
def test_train_digits_and_analyse_end_to_end(tmp_path):
    pytest.importorskip("torch", reason="the example needs the 'torch' extra")
    pytest.importorskip("sklearn", reason="the example needs scikit-learn")
    import importlib.util

    spec = importlib.util.spec_from_file_location("train_digits", EXAMPLES / "train_digits.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert mod.main(["--out", str(tmp_path), "--epochs", "200"]) == 0
    args = parse([str(tmp_path / "digits_mlp.pt"), str(tmp_path / "digits.npy"),
                  "--labels", str(tmp_path / "digits_labels.npy"),
                  "--json", str(tmp_path / "r.json"), "--plot", str(tmp_path / "p.png")])
    args.assume = "linear-relu-chain"  # a state dict: say what it is (polytopo --assume)
    run_layers(args)
    rep = json.loads((tmp_path / "r.json").read_text())
    assert rep["accuracy"] > 0.9 and len(rep["ricci"]["scales"]) == 2
    assert rep["topological_complexity"]["values"][-1] < rep["topological_complexity"]["values"][0]
