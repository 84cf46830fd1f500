"""Fuzzing the readers through the command line (docs/cli.md, "Bad input and failures"): every input ends in exit status 0
with a correct answer, 2 with one line on stderr, or 3 for a limit; never a traceback, a hang
or a partial file."""

import json
import random

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

from polytopo.cli.app import main

VALID = {"format": "polytopo.network/1", "input_dim": 2,
         "layers": [{"weights": [[1, 0], ["-1/2", 3]], "biases": [0, "1/3"]},
                    {"weights": [[1, -1]], "biases": ["0.25"]}]}

numbers = st.one_of(
    st.integers(-10**6, 10**6), st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["1/0", "nan", "inf", "-inf", "1e999999", "1/" + "9" * 300, "0x10", "", " ",
                     "1/2/3", "--1", "1e-400", "٣", "½", "1_000"]),
    st.text(max_size=8), st.booleans(), st.none())
json_values = st.recursive(numbers, lambda children: st.one_of(
    st.lists(children, max_size=4), st.dictionaries(st.text(max_size=6), children, max_size=4)),
    max_leaves=20)


def _layer(draw_vals):
    return st.fixed_dictionaries({"weights": st.lists(st.lists(draw_vals, min_size=0, max_size=3),
                                                      min_size=0, max_size=3),
                                  "biases": st.lists(draw_vals, max_size=3)})


networks_ish = st.fixed_dictionaries(
    {"layers": st.lists(_layer(numbers), max_size=3)},
    optional={"format": st.sampled_from(["polytopo.network/1", "other", 3]),
              "input_dim": numbers})


def _run(tmp_path, capsys, payload, *extra):
    net = tmp_path / "in.json"
    net.write_bytes(payload)
    out = tmp_path / "out.json"
    if out.exists():
        out.unlink()
    code = main(["regions", str(net), "--json", str(out), "--time-limit", "20",
                 "--max-regions", "5000", *extra])
    err = capsys.readouterr().err.strip().splitlines()
    assert code in (0, 2, 3)
    if code == 0:
        rep = json.loads(out.read_text())
        assert rep["n_regions"] == len(rep["regions"]) >= 1
    else:
        assert len(err) == 1 and err[0].startswith("polytopo: ")
        assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) in (["in.json"], ["in.json", "out.json"])
    return code


settings_fuzz = settings(max_examples=60, deadline=None,
                         suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                HealthCheck.too_slow])


@settings_fuzz
@given(json_values)
def test_random_json(tmp_path, capsys, value):
    _run(tmp_path, capsys, json.dumps(value).encode())


@settings_fuzz
@given(networks_ish)
def test_network_shaped_json(tmp_path, capsys, value):
    try:
        payload = json.dumps(value).encode()
    except ValueError:
        return
    _run(tmp_path, capsys, payload)


@settings_fuzz
@given(st.binary(max_size=200))
def test_random_bytes(tmp_path, capsys, data):
    assert _run(tmp_path, capsys, data) == 2 or data.strip().startswith((b"{", b"\xef"))


@settings_fuzz
@given(st.integers(0, 2**32 - 1), st.integers(1, 6))
def test_mutated_valid_file(tmp_path, capsys, seed, n_mutations):
    rng = random.Random(seed)
    data = bytearray(json.dumps(VALID).encode())
    for _ in range(n_mutations):
        op = rng.randrange(3)
        i = rng.randrange(len(data))
        if op == 0:
            data[i] = rng.randrange(256)
        elif op == 1:
            del data[i]
        else:
            data.insert(i, rng.choice(b'{}[],:"-/.0123456789eE \\'))
    _run(tmp_path, capsys, bytes(data))


@pytest.mark.parametrize("text", [
    '{"layers": [{"weights": [[' + "1" * 5000 + ']], "biases": [0]}]}',
    '{"layers": [{"weights": [["1/' + "7" * 3000 + '"]], "biases": [0]}, {"weights": [[1]], "biases": [0]}]}',
    '{"layers": [{"weights": [[1e308, -1e308]], "biases": [1e-320]}, {"weights": [[1]], "biases": [0]}]}',
    '[' * 100000 + ']' * 100000,
    '{"layers": [{"weights": [[1]], "biases": [0]}], "input_dim": true}',
    '{"layers": [{"weights": [[1, 2], [3]], "biases": [0, 0]}]}',
    '{"layers": [{"weights": [], "biases": []}]}',
    '{"layers": {"weights": [[1]], "biases": [0]}}',
])
def test_pathological_files(tmp_path, capsys, text):
    _run(tmp_path, capsys, text.encode())


@settings_fuzz
@given(st.lists(st.lists(numbers, max_size=3), max_size=4), st.lists(numbers, max_size=4))
def test_random_domains(tmp_path, capsys, A, b):
    (tmp_path / "net.json").write_text(json.dumps(VALID))
    dom = tmp_path / "dom.json"
    try:
        dom.write_text(json.dumps({"A": A, "b": b}))
    except ValueError:
        return
    out = tmp_path / "out.json"
    if out.exists():
        out.unlink()
    code = main(["regions", str(tmp_path / "net.json"), "--domain", str(dom), "--json", str(out)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code in (0, 2)
    assert (code == 0) == out.exists()
    if code == 2:
        assert len(err) == 1


@settings_fuzz
@given(st.text(max_size=12), st.text(max_size=12))
def test_random_box_arguments(tmp_path, capsys, lo, hi):
    (tmp_path / "net.json").write_text(json.dumps(VALID))
    out = tmp_path / "o.json"
    try:
        code = main(["regions", str(tmp_path / "net.json"), "--box", lo, hi, "--json", str(out)])
    except SystemExit as e:  # argparse usage error: one line, status 2
        code = e.code
    assert code in (0, 2)
    assert (code == 0) == out.exists()


@settings_fuzz
@given(st.one_of(json_values, st.lists(st.fixed_dictionaries(
    {"A": st.lists(st.lists(numbers, max_size=3), max_size=5),
     "b": st.lists(numbers, max_size=5)}), max_size=3)))
def test_random_manifolds(tmp_path, capsys, value):
    (tmp_path / "net.json").write_text(json.dumps(VALID))
    man = tmp_path / "m.json"
    try:
        man.write_text(json.dumps(value))
    except ValueError:
        return
    out = tmp_path / "r.json"
    if out.exists():
        out.unlink()
    code = main(["analyze", str(tmp_path / "net.json"), "--manifold", str(man), "--json", str(out)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code in (0, 2)
    assert (code == 0) == out.exists()
    if code == 2:
        assert len(err) == 1 and "m.json" in err[0]


def _run_file(tmp_path, capsys, name, write, *extra):
    path = tmp_path / name
    write(path)
    out = tmp_path / "out.json"
    code = main(["regions", str(path), "--json", str(out), "--time-limit", "20",
                 "--max-regions", "5000", *extra])
    err = capsys.readouterr().err.strip().splitlines()
    assert code in (0, 2, 3)
    if code == 0:
        rep = json.loads(out.read_text())
        assert rep["n_regions"] == len(rep["regions"]) >= 1
        out.unlink()
    else:
        assert len(err) == 1 and err[0].startswith("polytopo: "), err
        assert not out.exists()
    path.unlink()
    return code


@settings_fuzz
@given(st.binary(max_size=300), st.sampled_from(["net.pt", "net.pth"]))
def test_random_bytes_as_a_pytorch_file(tmp_path, capsys, data, name):
    # with or without the torch extra: one line and exit status 2
    assert _run_file(tmp_path, capsys, name, lambda p: p.write_bytes(data)) == 2


def _tensors():
    import torch

    shapes = st.lists(st.integers(0, 3), min_size=0, max_size=3)
    dtypes = st.sampled_from([torch.float64, torch.float32, torch.float16, torch.int64,
                              torch.bool, torch.complex64])
    values = st.sampled_from([0.0, 1.0, -2.5, 1e300, 1e-310, float("nan"), float("inf"), 3.0])

    @st.composite
    def tensor(draw):
        shape = draw(shapes)
        n = 1
        for s in shape:
            n *= s
        data = draw(st.lists(values, min_size=n, max_size=n))
        t = torch.tensor(data, dtype=torch.float64).reshape(shape)
        return t.to(draw(dtypes)) if draw(st.booleans()) else t

    leaf = st.one_of(tensor(), st.integers(-3, 3), st.text(max_size=3), st.none(),
                     st.lists(st.integers(0, 2), max_size=2))
    keys = st.sampled_from(["0.weight", "0.bias", "2.weight", "2.bias", "weight", "bias",
                            "1.weight", "x", "4.weight", "4.bias"])
    return st.dictionaries(keys, leaf, max_size=6)


def _valid_state_dict(draw_shape):
    import torch

    d, w = draw_shape
    g = torch.Generator().manual_seed(d * 10 + w)
    return {"0.weight": torch.randn(w, d, generator=g, dtype=torch.float64),
            "0.bias": torch.randn(w, generator=g, dtype=torch.float64),
            "2.weight": torch.randn(1, w, generator=g, dtype=torch.float64),
            "2.bias": torch.randn(1, generator=g, dtype=torch.float64)}


@settings_fuzz
@given(st.data())
def test_fuzzed_pytorch_state_dicts(tmp_path, capsys, data):
    torch = pytest.importorskip("torch", reason="the 'torch' extra is not installed")
    if data.draw(st.booleans()):
        state = data.draw(_tensors())
    else:  # a valid state dict with one entry broken
        state = _valid_state_dict(data.draw(st.tuples(st.integers(1, 2), st.integers(1, 3))))
        key = data.draw(st.sampled_from(sorted(state)))
        state[key] = data.draw(st.one_of(_tensors().map(lambda d: next(iter(d.values()), 0)),
                                         st.just(state[key].reshape(-1)), st.just(state[key].unsqueeze(0)),
                                         st.just(state[key][:0])))
    _run_file(tmp_path, capsys, "net.pt", lambda p: torch.save(state, p),
              "--assume", "linear-relu-chain")


def _one_line_or_success(argv, capsys):
    try:
        code = main(argv)
    except SystemExit as e:  # an argparse usage error
        code = e.code
    err = capsys.readouterr().err.strip().splitlines()
    assert code in (0, 1, 2, 3) and "Traceback" not in "\n".join(err)
    assert "internal error" not in "\n".join(err), err  # a bug, not bad input
    if code in (2, 3):  # (compare exits 1 for a disagreement, said on stdout)
        assert len(err) == 1, err
    return code in (2, 3)


_NPY_HEAD = b"\x93NUMPY\x01\x00"


@settings_fuzz
@given(st.one_of(st.binary(max_size=300), st.binary(max_size=200).map(lambda b: _NPY_HEAD + b)),
       st.sampled_from(["data", "labels"]))
def test_random_bytes_as_layers_data(tmp_path, capsys, data, role):
    net = tmp_path / "net.json"
    net.write_text(json.dumps({"layers": [{"weights": [[1, 0], [0, 1]], "biases": [0, 0]},
                                          {"weights": [[1, 1]], "biases": [0]}]}))
    good = tmp_path / "good.npy"
    import numpy as np

    np.save(good, np.arange(40, dtype=float).reshape(20, 2))
    bad = tmp_path / "bad.npy"
    bad.write_bytes(data)
    argv = ["layers", str(net), str(bad if role == "data" else good), "--k", "3",
            "--max-points", "50", "--json", str(tmp_path / "o.json")]
    if role == "labels":
        argv += ["--labels", str(bad)]
    if _one_line_or_success(argv, capsys):
        assert not (tmp_path / "o.json").exists()


@settings_fuzz
@given(st.one_of(st.binary(max_size=200), st.text(max_size=200).map(str.encode)))
@example(data=b"0\x1e0\n0")    # a column name with a record separator: still one line
def test_random_loss_tables(tmp_path, capsys, data):
    net = tmp_path / "c0.json"
    net.write_text(json.dumps({"layers": [{"weights": [[1, 0], [0, 1]], "biases": [0, 0]},
                                          {"weights": [[1, 1]], "biases": [0]}]}))
    table = tmp_path / "l.csv"
    table.write_bytes(data)
    if _one_line_or_success(["track", "--loss", str(table), "--json", str(tmp_path / "t.json")],
                            capsys):
        assert not (tmp_path / "t.json").exists()


@settings_fuzz
@given(json_values, st.booleans())
def test_random_files_to_compare(tmp_path, capsys, value, as_reference):
    net = tmp_path / "net.json"
    net.write_text(json.dumps({"layers": [{"weights": [[1, 0], [0, 1]], "biases": [0, 0]},
                                          {"weights": [[1, 1]], "biases": [0]}]}))
    ref = tmp_path / "ref.json"
    if not ref.exists():
        assert main(["reference", str(net), "--json", str(ref)]) == 0
        capsys.readouterr()
    other = tmp_path / "x.json"
    try:
        other.write_text(json.dumps(value))
    except ValueError:
        return
    argv = ["compare", str(other), str(ref)] if as_reference else ["compare", str(ref), str(other)]
    _one_line_or_success(argv + ["--json", str(tmp_path / "c.json")], capsys)
