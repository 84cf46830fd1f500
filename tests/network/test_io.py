"""Reading input files: networks, domains, manifolds, strict JSON, safe byte reads.

Expected values come from the format's definition (docs/formats.md) and from exact
arithmetic done here (``float.as_integer_ratio``, hand-computed vertices and volumes),
never from polytopo's own output.
"""

import json
import os
import socket
import tempfile
import threading
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from polytopo.exceptions import InputError
from polytopo.geometry.polytope import Polytope
from polytopo.network.io import (load_manifold, load_network, load_polytope, read_input_bytes,
                                 read_json)
from polytopo.network.model import Network
from polytopo.testing import networks, rational_weights

F = Fraction


def write(path, text):
    path = Path(path)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def net_file(tmp_path, layers, name="net.json", **extra):
    return write(tmp_path / name, json.dumps({"layers": layers, **extra}))


# ---------------------------------------------------------------------------------------
# networks
# ---------------------------------------------------------------------------------------
def test_network_numbers_of_every_kind_are_read_exactly(tmp_path):
    layers = [{"weights": [[1, 0], ["-1/2", 3], ["0.25", "1e-3"], [0.1, -2.5]],
               "biases": [0, "1/3", "-7/21", 0.5]},
              {"weights": [[1, -1, 2, "3/4"]], "biases": ["0.25"]}]
    net = load_network(net_file(tmp_path, layers))
    p, q = (0.1).as_integer_ratio()  # the binary value of the literal 0.1
    assert (p, q) == (3602879701896397, 36028797018963968) and q == 2 ** 55
    assert net.weights[0] == ((1, 0), (F(-1, 2), 3), (F(1, 4), F(1, 1000)), (F(p, q), F(-5, 2)))
    assert net.biases[0] == (0, F(1, 3), F(-1, 3), F(1, 2))
    assert net.weights[1] == ((1, -1, 2, F(3, 4)),)
    assert net.biases[1] == (F(1, 4),)
    assert net.weights[0][3][0] != F(1, 10)  # a float is its binary value, not "0.1"
    assert all(isinstance(x, Fraction) for w in net.weights for row in w for x in row)
    assert net.architecture == (2, 4, 1)


def test_network_float_subnormal_is_its_exact_binary_value(tmp_path):
    net = load_network(write(tmp_path / "n.json",
                             '{"layers": [{"weights": [[5e-324]], "biases": [0]}]}'))
    assert net.weights[0][0][0] == F(1, 2 ** 1074)


def test_network_evaluates_as_the_formula(tmp_path):
    # docs/formats.md example: f(x) = relu(x1) - relu(-x1/2 + 3 x2 + 1/3) + 1/4
    layers = [{"weights": [[1, 0], ["-1/2", 3]], "biases": [0, "1/3"]},
              {"weights": [[1, -1]], "biases": ["0.25"]}]
    net = load_network(net_file(tmp_path, layers, format="polytopo.network/1", input_dim=2))
    for x1, x2 in [(F(1), F(0)), (F(-1, 3), F(1, 7)), (F(2), F(-5))]:
        expected = max(x1, 0) - max(-x1 / 2 + 3 * x2 + F(1, 3), 0) + F(1, 4)
        assert net.forward([x1, x2]) == (expected,)


def test_format_and_input_dim_are_optional_and_other_keys_ignored(tmp_path):
    layers = [{"weights": [[2]], "biases": [1]}, {"weights": [[1]], "biases": [0]}]
    a = load_network(net_file(tmp_path, layers, name="a.json"))
    b = load_network(net_file(tmp_path, layers, name="b.json", format="polytopo.network/1",
                              input_dim=1, description="relu(2x + 1)", extra={"x": [1]}))
    assert a == b == Network(((( F(2),),), ((F(1),),)), ((F(1),), (F(0),)))


@pytest.mark.parametrize("extra, field", [
    ({"format": "polytopo.network/3"}, "format"),
    ({"format": "onnx"}, "format"),
    ({"input_dim": 3}, "input_dim"),
    ({"input_dim": True}, "input_dim"),
    ({"input_dim": "2"}, "input_dim"),
])
def test_wrong_version_or_input_dim_is_refused_naming_the_field(tmp_path, extra, field):
    path = net_file(tmp_path, [{"weights": [[1, 2]], "biases": [0]}], **extra)
    with pytest.raises(InputError) as e:
        load_network(path)
    assert e.value.field == field
    assert e.value.source == str(path)
    assert str(path) in str(e.value)


@pytest.mark.parametrize("obj, field", [
    ([1, 2], None),
    ({"layers": []}, "layers"),
    ({"layers": {"weights": [[1]]}}, "layers"),
    ({"layers": [{"weights": [[1]]}]}, "layers[0]"),
    ({"layers": [{"weights": [[1, 2], [3]], "biases": [0, 0]}]}, "layers[0].weights"),
    ({"layers": [{"weights": [[1]], "biases": [0, 0]}]}, "layers[0].biases"),
    ({"layers": [{"weights": [[1]], "biases": [0]}, {"weights": [[1, 1]], "biases": [0]}]},
     "layers[1].weights"),
    ({"layers": [{"weights": [[1, "x"]], "biases": [0]}]}, "layers[0].weights"),
    ({"layers": [{"weights": [[1, True]], "biases": [0]}]}, "layers[0].weights"),
    ({"layers": [{"weights": [[1, "1/0"]], "biases": [0]}]}, "layers[0].weights"),
])
def test_malformed_networks_are_refused_naming_the_field(tmp_path, obj, field):
    path = write(tmp_path / "n.json", json.dumps(obj))
    with pytest.raises(InputError) as e:
        load_network(path)
    assert str(path) in str(e.value)
    if field is not None:
        assert e.value.field is not None and e.value.field.startswith(field)


@pytest.mark.parametrize("text", ["\u0661", "\uff11/\uff12", "1\u0660", "\u0967.5"])
def test_non_ascii_digits_in_strings_are_refused(tmp_path, text):
    # Python's int() and Fraction() would read these; the format says digits are ASCII
    path = net_file(tmp_path, [{"weights": [[text]], "biases": [0]}])
    with pytest.raises(InputError) as e:
        load_network(path)
    assert e.value.field is not None and e.value.field.startswith("layers[0].weights")


def test_huge_integers_and_rationals_are_read_exactly(tmp_path):
    big = 10 ** 3998 + 12345  # 3999 digits: below the 4000-digit bound
    num, den = 3 ** 2000 + 1, 2 ** 3000 - 1
    text = ('{"layers": [{"weights": [[%d, "%d/%d"]], "biases": ["-%d"]}]}'
            % (big, num, den, big))
    net = load_network(write(tmp_path / "big.json", text))
    assert net.weights[0][0] == (F(big), F(num, den))
    assert net.biases[0] == (F(-big),)


def test_state_dict_is_read_only_when_the_user_says_what_it_is(tmp_path):
    torch = pytest.importorskip("torch")
    import numpy as np

    sd = {"0.weight": torch.tensor([[0.5, -0.25]]), "0.bias": torch.tensor([0.125]),
          "2.weight": torch.tensor([[3.0]]), "2.bias": torch.tensor([0.1])}
    path = tmp_path / "m.pt"
    torch.save(sd, path)
    with pytest.raises(InputError, match="linear-relu-chain"):
        load_network(path)
    with pytest.raises(InputError, match="assume"):
        load_network(path, assume="anything")
    net = load_network(path, assume="linear-relu-chain")
    p, q = float(np.float32(0.1)).as_integer_ratio()  # float32 0.1, exactly
    assert net.weights == (((F(1, 2), F(-1, 4)),), ((F(3),),))
    assert net.biases == ((F(1, 8),), (F(p, q),))


# ---------------------------------------------------------------------------------------
# round trip
# ---------------------------------------------------------------------------------------
def _round_trip(net):
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "net.json"
        path.write_text(json.dumps(net.to_json()), encoding="utf-8")
        return load_network(path)


@given(networks())
def test_to_json_round_trip_integer_weights(net):
    assert _round_trip(net) == net


@given(st.integers(1, 4).flatmap(lambda d: networks(
    input_dim=d, max_layers=3, max_width=3,
    weights=rational_weights(bound=5, max_denominator=97))))
def test_to_json_round_trip_rational_weights(net):
    back = _round_trip(net)
    assert back == net
    assert back.architecture == net.architecture


@settings(max_examples=20)
@given(st.lists(st.integers(-10 ** 200, 10 ** 200), min_size=2, max_size=2),
       st.integers(1, 10 ** 100))
def test_to_json_round_trip_huge_numbers(row, den):
    net = Network(((tuple(F(x, den) for x in row),),), ((F(row[0], den + 1),),))
    assert _round_trip(net) == net


# ---------------------------------------------------------------------------------------
# read_json
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_constants_are_refused_naming_the_field(tmp_path, literal):
    text = '{"layers": [{"weights": [[1, 2], [%s, 3]], "biases": [0, 0]}]}' % literal
    path = write(tmp_path / "n.json", text)
    with pytest.raises(InputError) as e:
        read_json(path)
    assert e.value.field == "layers[0].weights[1][0]"
    assert literal in e.value.problem
    assert str(e.value).startswith(f"{path}: layers[0].weights[1][0]: ")
    with pytest.raises(InputError) as e2:  # and so does the network reader
        load_network(path)
    assert e2.value.field == "layers[0].weights[1][0]"


def test_field_path_of_odd_keys_and_the_first_bad_number(tmp_path):
    path = write(tmp_path / "a.json", '{"a": [1, {"b c": NaN}], "z": Infinity}')
    with pytest.raises(InputError) as e:
        read_json(path)
    assert e.value.field == 'a[1]["b c"]'
    path = write(tmp_path / "b.json", "[0, [1, NaN]]")
    with pytest.raises(InputError) as e:
        read_json(path)
    assert e.value.field == "[1][1]"


@pytest.mark.parametrize("literal", ["1e-400", "2e-324", "-3.5e-330"])
def test_float_underflow_is_refused(tmp_path, literal):
    assert float(literal) == 0.0  # the premise: the binary value would be 0
    path = write(tmp_path / "n.json", '{"b": [0, %s]}' % literal)
    with pytest.raises(InputError) as e:
        read_json(path)
    assert e.value.field == "b[1]"
    assert "underflow" in e.value.problem


def test_float_overflow_is_refused(tmp_path):
    path = write(tmp_path / "n.json", '{"b": [1e400]}')
    with pytest.raises(InputError) as e:
        read_json(path)
    assert e.value.field == "b[0]"


@pytest.mark.parametrize("literal", ["0.0", "0e-400", "-0.0e999", "0.000"])
def test_written_zeros_are_not_underflow(tmp_path, literal):
    assert read_json(write(tmp_path / "z.json", f"[{literal}]")) == [0.0]


def test_tiny_and_huge_numbers_as_strings_are_exact(tmp_path):
    layers = [{"weights": [["1e-400", "1e400"]], "biases": ["-2.5e-330"]}]
    net = load_network(net_file(tmp_path, layers))
    assert net.weights[0][0] == (F(1, 10 ** 400), F(10 ** 400))
    assert net.biases[0] == (F(-25, 10 ** 331),)


def test_huge_json_integer_is_exact_and_too_many_digits_refused(tmp_path):
    big = int("7" * 3999)
    assert read_json(write(tmp_path / "a.json", f"[{big}]")) == [big]
    path = write(tmp_path / "b.json", '{"x": [%s]}' % ("9" * 4001))
    with pytest.raises(InputError) as e:
        read_json(path)
    assert e.value.field == "x[0]"


@pytest.mark.parametrize("text", ["[\u0661]", "[\uff11]", "{\"a\": \u0662}"])
def test_non_ascii_digits_as_json_numbers_are_refused(tmp_path, text):
    with pytest.raises(InputError):
        read_json(write(tmp_path / "n.json", text))


@pytest.mark.parametrize("raw, problem", [
    (b"[1, 2", "malformed JSON"),
    (b"", "malformed JSON"),
    (b"{'a': 1}", "malformed JSON"),
    (b"[\xff\xfe]", "UTF-8"),
])
def test_malformed_or_non_utf8_json_is_refused(tmp_path, raw, problem):
    path = write(tmp_path / "n.json", raw)
    with pytest.raises(InputError, match=problem) as e:
        read_json(path)
    assert e.value.source == str(path)


def test_utf8_bom_is_accepted(tmp_path):
    assert read_json(write(tmp_path / "n.json", "\ufeff{\"a\": [1, \"1/2\"]}".encode())) == \
        {"a": [1, "1/2"]}


def test_deeply_nested_json_is_an_input_error(tmp_path):
    path = write(tmp_path / "deep.json", "[" * 200000 + "]" * 200000)
    with pytest.raises(InputError, match="nested"):
        read_json(path)


# ---------------------------------------------------------------------------------------
# read_input_bytes
# ---------------------------------------------------------------------------------------
def test_regular_file_bytes_and_size_cap(tmp_path):
    path = write(tmp_path / "f.bin", bytes(range(256)) * 4)
    assert read_input_bytes(path) == bytes(range(256)) * 4
    assert read_input_bytes(path, limit=1024) == bytes(range(256)) * 4
    with pytest.raises(InputError, match="too large") as e:
        read_input_bytes(path, limit=1023)
    assert e.value.source == str(path)
    assert read_input_bytes(write(tmp_path / "empty", b""), limit=0) == b""


def test_source_names_the_file_in_the_message(tmp_path):
    with pytest.raises(InputError) as e:
        read_input_bytes(tmp_path / "missing.json", source="the network")
    assert str(e.value).startswith("the network: ")
    assert "cannot read" in e.value.problem


def _refused_at_once(path):
    """read_input_bytes(path) in a thread: it must raise InputError without blocking."""
    out = {}

    def run():
        try:
            out["value"] = read_input_bytes(path)
        except BaseException as e:  # noqa: BLE001 - reported below
            out["error"] = e

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(5)
    assert not t.is_alive(), f"reading {path} blocked"
    assert isinstance(out.get("error"), InputError), out
    return out["error"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_is_refused_at_once(tmp_path):
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    e = _refused_at_once(fifo)
    assert "FIFO" in e.problem
    with pytest.raises(InputError, match="FIFO"):
        read_json(fifo)
    with pytest.raises(InputError, match="FIFO"):
        load_network(fifo)


def test_directory_is_refused(tmp_path):
    folder = tmp_path / "net.json"
    folder.mkdir()
    e = _refused_at_once(folder)
    assert "directory" in e.problem
    for reader in (read_json, load_network, lambda p: load_polytope(p)):
        with pytest.raises(InputError, match="directory"):
            reader(folder)


def test_character_device_is_refused():
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero")
    e = _refused_at_once("/dev/zero")
    assert "character device" in e.problem


def test_socket_is_refused():
    if not hasattr(socket, "AF_UNIX"):
        pytest.skip("no unix sockets")
    with tempfile.TemporaryDirectory(dir="/tmp") as d:
        path = os.path.join(d, "s")
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.bind(path)
            e = _refused_at_once(path)
        finally:
            s.close()
    assert "socket" in e.problem


# ---------------------------------------------------------------------------------------
# domains
# ---------------------------------------------------------------------------------------
def test_domain_box_with_exact_bounds(tmp_path):
    obj = {"A": [[1, 0], [-1, 0], [0, 1], [0, -1]], "b": [1, "1/3", "0.5", 0.25]}
    P = load_polytope(write(tmp_path / "d.json", json.dumps(obj)))
    assert P.dim == 2
    # the box [-1/3, 1] x [-1/4, 1/2]
    assert sorted(P.vertices()) == sorted((x, y) for x in (F(-1, 3), F(1))
                                          for y in (F(-1, 4), F(1, 2)))
    assert P.volume() == F(4, 3) * F(3, 4)
    assert P.contains((F(-1, 3), F(1, 2))) and not P.contains((F(-1, 3) - F(1, 10 ** 9), 0))


def test_domain_triangle(tmp_path):
    obj = {"A": [[-1, 0], [0, -1], [1, 1]], "b": [0, 0, "3/2"]}
    P = load_polytope(write(tmp_path / "t.json", json.dumps(obj)), dim=2)
    assert sorted(P.vertices()) == [(0, 0), (0, F(3, 2)), (F(3, 2), 0)]
    assert P.volume() == F(9, 8)


@pytest.mark.parametrize("obj, dim, problem", [
    ({"A": [[1, 0], [0, 1]], "b": [1, 1]}, None, "unbounded"),
    ({"A": [[1], [-1]], "b": [0, -1]}, None, "empty or not full-dimensional"),
    ({"A": [[1], [-1]], "b": [0, 0]}, None, "empty or not full-dimensional"),
    ({"A": [[1], [-1]], "b": [1, 1]}, 2, "dimension"),
    ({"A": [[1], [-1]]}, None, "polytope must be an object"),
    ([[1], [1]], None, "polytope must be an object"),
    ({"A": [[1], [-1]], "b": [1]}, None, "rows"),
    ({"A": [[1, 0], [-1]], "b": [1, 1]}, None, None),
    ({"A": [[1], [-1]], "b": [1, "NaN"]}, None, "not a number"),
])
def test_bad_domains_are_refused(tmp_path, obj, dim, problem):
    path = write(tmp_path / "d.json", json.dumps(obj))
    with pytest.raises(InputError, match=problem) as e:
        load_polytope(path, dim=dim)
    assert e.value.source == str(path)


def test_domain_nan_names_the_field(tmp_path):
    path = write(tmp_path / "d.json", '{"A": [[1], [-1]], "b": [1, NaN]}')
    with pytest.raises(InputError) as e:
        load_polytope(path)
    assert e.value.field == "b[1]"


# ---------------------------------------------------------------------------------------
# manifolds
# ---------------------------------------------------------------------------------------
def box_json(lo, hi):
    A, b = [], []
    for i, (l, h) in enumerate(zip(lo, hi)):
        e = [int(i == j) for j in range(len(lo))]
        A += [[-x for x in e], e]
        b += [str(-F(l)), str(F(h))]
    return {"A": A, "b": b}


def test_manifold_pieces_inside_the_domain(tmp_path):
    D = Polytope.cube(2)
    pieces = [box_json(["-1", "-1"], ["-1/2", 1]), box_json(["1/2", "-1"], [1, 1]),
              box_json([-1, -1], [1, 1])]  # the whole domain is inside the domain
    got = load_manifold(write(tmp_path / "m.json", json.dumps(pieces)), D)
    assert len(got) == 3
    assert [P.volume() for P in got] == [1, 1, 4]
    assert sorted(got[0].vertices()) == [(-1, -1), (-1, 1), (F(-1, 2), -1), (F(-1, 2), 1)]


def test_manifold_single_object_is_one_piece(tmp_path):
    got = load_manifold(write(tmp_path / "m.json", json.dumps(box_json([0], ["1/3"]))),
                        Polytope.cube(1))
    assert len(got) == 1 and got[0].volume() == F(1, 3)


def test_manifold_piece_outside_the_domain_is_named(tmp_path):
    pieces = [box_json([0, 0], [1, 1]), box_json([0, 0], [1, 1]),
              box_json([0, 0], ["1/2", "1001/1000"])]  # sticks out by 1/1000
    path = write(tmp_path / "m.json", json.dumps(pieces))
    with pytest.raises(InputError) as e:
        load_manifold(path, Polytope.cube(2))
    assert e.value.field == "[2]"
    assert "not inside the domain" in e.value.problem
    assert str(e.value) == f"{path}: [2]: piece is not inside the domain"


def test_manifold_piece_overlapping_a_non_box_domain_is_refused(tmp_path):
    triangle = Polytope.from_lists([[-1, 0], [0, -1], [1, 1]], [0, 0, 1])
    inside = box_json([0, 0], ["1/2", "1/2"])  # vertex (1/2, 1/2) is on x + y = 1
    outside = box_json([0, 0], ["1/2", "3/5"])  # (1/2, 3/5) is not
    assert len(load_manifold(write(tmp_path / "a.json", json.dumps([inside])), triangle)) == 1
    with pytest.raises(InputError) as e:
        load_manifold(write(tmp_path / "b.json", json.dumps([inside, outside])), triangle)
    assert e.value.field == "[1]"


@pytest.mark.parametrize("obj, field", [
    ([], None),
    ("x", None),
    ([box_json([0], [1])], "[0]"),  # a 1-D piece in a 2-D domain
    ([box_json([0, 0], [1, 1]), {"A": [[1, 0]], "b": [0]}], "[1]"),  # unbounded
    ([{"A": [[1, 0], [-1, 0], [0, 1], [0, -1]], "b": [0, 0, 1, 1]}], "[0]"),  # flat
    ([{"b": [1]}], "[0]"),
])
def test_bad_manifolds_are_refused(tmp_path, obj, field):
    path = write(tmp_path / "m.json", json.dumps(obj))
    with pytest.raises(InputError) as e:
        load_manifold(path, Polytope.cube(2))
    assert e.value.source == str(path)
    if field is not None:
        assert e.value.field is not None and e.value.field.startswith(field)
