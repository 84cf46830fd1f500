"""The VNN-LIB reader (polytopo.network.vnnlib): the VNN-COMP subset read exactly, and
every bad file an InputError naming the line, never another exception."""

from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from polytopo.exceptions import InputError
from polytopo.network import vnnlib
from polytopo.network.model import Network
from polytopo.network.vnnlib import load_vnnlib, parse_vnnlib

HEAD = "(declare-const X_0 Real)\n(declare-const X_1 Real)\n(declare-const Y_0 Real)\n" \
       "(declare-const Y_1 Real)\n"
BOX = "(assert (>= X_0 -0.5))\n(assert (<= X_0 0.5))\n(assert (>= X_1 0))\n(assert (<= X_1 1))\n"
GOOD = HEAD + BOX + "; the unsafe outputs\n" \
    "(assert (or (and (>= Y_0 Y_1) (<= Y_0 1e-1)) (and (<= (+ (* 2 Y_0) (- Y_1)) -3.5E+0))))\n"


def test_a_vnncomp_file_is_read_exactly():
    p = parse_vnnlib(GOOD, source="p.vnnlib")
    assert (p.n_inputs, p.n_outputs) == (2, 2)
    assert p.lower == (Fraction(-1, 2), 0) and p.upper == (Fraction(1, 2), 1)
    assert p.input_constraints == ()
    assert len(p.disjuncts) == 2
    (a, b), (c,) = p.disjuncts
    assert (a.x, a.y, a.bound) == ((0, 0), (-1, 1), 0)          # Y_1 - Y_0 <= 0
    assert (b.y, b.bound, b.line) == ((1, 0), Fraction(1, 10), 10)  # 0.1 is exactly 1/10
    assert (c.y, c.bound) == ((2, -1), Fraction(-7, 2))
    assert c.describe() == "2 Y_0 - Y_1 <= -7/2"


@pytest.mark.parametrize("text,value", [("0.1", Fraction(1, 10)), ("1e-3", Fraction(1, 1000)),
                                        ("-2.5E+2", Fraction(-250)), (".5", Fraction(1, 2)),
                                        ("3", Fraction(3)), ("+7.", Fraction(7)),
                                        ("0.30000000000000004", Fraction(30000000000000004,
                                                                         10 ** 17))])
def test_literals_are_exact(text, value):
    p = parse_vnnlib("(declare-const X_0 Real)(declare-const Y_0 Real)"
                     f"(assert (>= X_0 -1000))(assert (<= X_0 1000))(assert (<= Y_0 {text}))")
    assert p.disjuncts[0][0].bound == value


def test_linear_input_constraints_and_chains():
    p = parse_vnnlib(HEAD + BOX + "(assert (<= (+ X_0 X_1) 1))\n(assert (<= X_0 Y_0 Y_1))\n"
                     "(assert (>= (- X_1) (* -1 1)))")
    assert [c.x for c in p.input_constraints] == [(1, 1)]
    assert p.upper[1] == 1                      # -X_1 >= -1 is X_1 <= 1 again
    (conj,) = p.disjuncts
    assert [(c.x, c.y) for c in conj] == [((1, 0), (-1, 0)), ((0, 0), (1, -1))]
    P = p.domain()
    assert len(P.A) == 5 and P.validated() is P
    assert p.in_inputs((0, 1)) and not p.in_inputs((Fraction(1, 2), 1))


def test_unsafe_at_and_network_check():
    p = parse_vnnlib(GOOD)
    assert p.unsafe_at((0, 0), (Fraction(1, 10), 0)) == 0
    assert p.unsafe_at((0, 0), (-2, 0)) == 1
    assert p.unsafe_at((0, 0), (1, 0)) is None
    assert p.unsafe_at((1, 0), (-2, 0)) is None     # outside the input box
    net = Network.from_lists([([[1, 0]], [0]), ([[1], [1]], [0, 0])])
    p.check_network(net)
    with pytest.raises(InputError, match="declares 2 outputs"):
        p.check_network(Network.from_lists([([[1, 0]], [0]), ([[1]], [0])]))
    with pytest.raises(InputError, match="declares 2 inputs"):
        p.check_network(Network.from_lists([([[1]], [0]), ([[1], [1]], [0, 0])]))


@pytest.mark.parametrize("text,line,match", [
    (HEAD + BOX + "(assert (<= Z 1))", 9, "unknown symbol 'Z'"),
    (HEAD + BOX + "(assert (<= Y_0 (* X_0 Y_1)))", 9, "constant factor"),
    (HEAD + BOX + "(assert (<= Y_0 1)", 9, "unbalanced '\\('"),
    (HEAD + BOX + "(assert (<= Y_0 1)))", 9, "unbalanced '\\)'"),
    (HEAD + "(assert (>= X_0 0))\n(assert (<= X_0 1))\n(assert (<= X_1 1))", 2, "X_1 has no lower"),
    (HEAD + BOX + "(assert (<= Y_2 1))", 9, "Y_2 is not declared"),
    (HEAD + "(declare-const X_0 Real)", 5, "declared twice"),
    ("(declare-const X_1 Real)", 1, "declared before X_0"),
    ("(declare-const X_0 Int)", 1, "must be declared Real"),
    (HEAD + BOX + "(assert (< Y_0 1))", 9, "strict <"),
    (HEAD + BOX + "(assert (=> Y_0 1))", 9, "unknown operator"),
    (HEAD + BOX + "(check-sat)", 9, "unknown command"),
    (HEAD + BOX + "(assert (<= Y_0 1e999999))", 9, "exponent too large"),
    (HEAD + BOX + "X_0", 9, "outside parentheses"),
    (HEAD + BOX + "(assert (or))", 9, "no alternative"),
    (HEAD + BOX + "(assert ((<= Y_0 1)))", 9, "operator after"),
    ("(declare-const X_0 Real)", 1, "no output declared"),
    ("; nothing\n", 1, "no input declared"),
])
def test_bad_files_name_the_line(text, line, match):
    with pytest.raises(InputError, match=match) as e:
        parse_vnnlib(text, source="p.vnnlib")
    assert str(e.value).startswith(f"p.vnnlib: line {line}: ")
    assert "\n" not in str(e.value)


def test_files_too_large_deep_or_wide_are_refused(tmp_path, monkeypatch):
    path = tmp_path / "p.vnnlib"
    path.write_text(GOOD)
    monkeypatch.setattr(vnnlib, "MAX_BYTES", 100)
    with pytest.raises(InputError, match="too large"):
        load_vnnlib(path)
    monkeypatch.undo()
    with pytest.raises(InputError, match="nested more than"):
        parse_vnnlib(HEAD + "(assert " + "(+ " * 300 + "1" + ")" * 301)
    wide = "(assert (or " + " ".join(f"(<= Y_0 {i})" for i in range(400)) + "))\n"
    with pytest.raises(InputError, match="conjunctions"):
        parse_vnnlib(HEAD + BOX + wide * 2)
    path.write_bytes(b"(declare-const X_0 Real)\n\xff\xfe")
    with pytest.raises(InputError, match="line 2: not UTF-8"):
        load_vnnlib(path)


def test_load_reads_a_file(tmp_path):
    path = tmp_path / "p.vnnlib"
    path.write_text(GOOD)
    assert load_vnnlib(path) == parse_vnnlib(GOOD, source=str(path))
    with pytest.raises(InputError, match="cannot read"):
        load_vnnlib(tmp_path / "missing.vnnlib")


def _read_or_refuse(text):
    try:
        return parse_vnnlib(text, source="f")
    except InputError as e:
        assert "\n" not in str(e)
        return None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300))
def test_random_bytes_give_input_error_only(data):
    _read_or_refuse(data.decode("utf-8", errors="replace"))


@settings(max_examples=200, deadline=None)
@given(st.integers(0, len(GOOD)), st.integers(0, len(GOOD)), st.sampled_from(
    ["", "(", ")", " ", ";", "X_9", "Y_0", "*", "1e5", "-", "or", "and", "<=", "\n", "@"]))
def test_truncations_and_mutations_give_input_error_only(cut, at, insert):
    _read_or_refuse(GOOD[:cut])
    p = _read_or_refuse(GOOD[:at] + insert + GOOD[at:])
    if p is not None:
        assert p.n_inputs >= 1 and all(lo is not None for lo in p.lower)
