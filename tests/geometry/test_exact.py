from fractions import Fraction

import math
import pytest
import sympy
from hypothesis import given, strategies as st

from polytopo.geometry.exact import (canonical_inequality, determinant, format_number, nullspace,
                                     rank, solve, to_fraction, to_matrix)
from polytopo.exceptions import InputError


@pytest.mark.parametrize("text,value", [
    ("3", Fraction(3)), ("-1/2", Fraction(-1, 2)), (" 4 / 6 ", Fraction(2, 3)),
    ("0.25", Fraction(1, 4)), ("-1e-3", Fraction(-1, 1000)), (".5", Fraction(1, 2)),
    ("1E2", Fraction(100)),
])
def test_strings_are_read_exactly(text, value):
    assert to_fraction(text) == value


def test_floats_are_converted_from_their_binary_value():
    assert to_fraction(0.1) == Fraction(3602879701896397, 36028797018963968)
    assert to_fraction(0.1, max_denominator=1000) == Fraction(1, 10)


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), "nan", "inf", "1/0", "abc", "",
                                 True, None, [1], {"a": 1}, "1e999999"])
def test_bad_numbers_are_input_errors(bad):
    with pytest.raises(InputError):
        to_fraction(bad, source="f.json", field="x")


def test_error_names_source_and_field():
    with pytest.raises(InputError, match=r"^f\.json: w\[0\]\[1\]: not a number"):
        to_matrix([[1, "q"]], source="f.json", field="w")


def test_ragged_matrix_is_refused():
    with pytest.raises(InputError, match="different lengths"):
        to_matrix([[1, 2], [3]])


fractions = st.fractions(max_denominator=10**6).filter(lambda q: abs(q) < 10**12)


@given(fractions)
def test_format_roundtrip(q):
    out = format_number(q)
    assert isinstance(out, int) == (q.denominator == 1)
    assert to_fraction(out) == q


small_matrices = st.integers(1, 4).flatmap(lambda n: st.integers(1, 4).flatmap(
    lambda m: st.lists(st.lists(st.integers(-3, 3), min_size=m, max_size=m), min_size=n, max_size=n)))


@given(small_matrices)
def test_rank_matches_sympy(m):
    assert rank(m) == sympy.Matrix(m).rank()


@given(small_matrices)
def test_nullspace_has_the_right_size_and_is_null(m):
    basis = nullspace(m)
    assert len(basis) == len(m[0]) - rank(m)
    for v in basis:
        assert all(sum(Fraction(a) * x for a, x in zip(row, v)) == 0 for row in m)


@given(st.integers(1, 4).flatmap(lambda n: st.lists(
    st.lists(st.integers(-5, 5), min_size=n, max_size=n), min_size=n, max_size=n)))
def test_determinant_matches_sympy_and_solve_inverts(m):
    det = determinant(m)
    assert det == sympy.Matrix(m).det()
    if det != 0:
        rhs = [1] * len(m)
        x = solve(m, rhs)
        assert [sum(Fraction(a) * xi for a, xi in zip(row, x)) for row in m] == rhs


def test_canonical_inequality_identifies_scaled_halfspaces():
    assert canonical_inequality([2, 4], 6) == canonical_inequality([Fraction(1, 3), Fraction(2, 3)], 1)
    assert canonical_inequality([-2, 0], 0) == ((-1, 0), 0)
    a, b = canonical_inequality([Fraction(3, 7), Fraction(5, 11)], Fraction(1, 13))
    assert math.gcd(math.gcd(*a), b) == 1


def test_bad_arguments_of_the_exact_helpers_are_input_errors():
    from polytopo.geometry.exact import solve, sqrt_float

    with pytest.raises(InputError, match="square root of a negative number"):
        sqrt_float(Fraction(-1, 4))
    with pytest.raises(InputError, match="singular system"):
        solve([[1, 2], [2, 4]], [1, 1])
    assert solve([[1, 2], [0, 4]], [1, 2]) == (Fraction(0), Fraction(1, 2))
