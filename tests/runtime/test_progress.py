"""The progress bar (stderr only, only on a terminal or when forced, throttled) and the
wall-clock Deadline, with a fake clock where the timing matters."""

import io
import time
import types

import pytest
from hypothesis import given
from hypothesis import strategies as st

from polytopo.exceptions import LimitExceeded, PolytopoError
from polytopo.runtime import progress as progress_module
from polytopo.runtime.progress import Deadline, Progress


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self, t=1000.0):
        self.t = t

    def __call__(self):
        return self.t

    def advance(self, dt):
        self.t += dt


@pytest.fixture
def clock(monkeypatch):
    c = Clock()
    monkeypatch.setattr(progress_module, "time", types.SimpleNamespace(monotonic=c))
    return c


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self):
        return True


class NoIsatty:
    """A stream without ``isatty`` at all (only write/flush)."""

    def __init__(self):
        self.parts = []

    def write(self, s):
        self.parts.append(s)

    def flush(self):
        pass


# ---------------------------------------------------------------------------------------
# Progress: when it writes
# ---------------------------------------------------------------------------------------
def test_silent_on_a_non_terminal_stream(clock):
    out = io.StringIO()
    bar = Progress("work", total=3, stream=out)
    assert not bar.enabled
    for i in range(4):
        clock.advance(1)
        bar.update(i, "info", always=True)
    bar.close()
    assert out.getvalue() == ""


def test_silent_on_a_stream_without_isatty(clock):
    s = NoIsatty()
    bar = Progress("work", total=2, stream=s)
    clock.advance(1)
    bar.update(2, always=True)
    bar.close()
    assert s.parts == []


def test_draws_on_a_terminal(clock):
    out = Terminal()
    bar = Progress("cells", total=4, stream=out)
    assert bar.enabled
    clock.advance(0.5)
    bar.update(2, "7 regions")
    text = out.getvalue()
    assert text.startswith("\rcells ")
    assert "2/4" in text and "7 regions" in text
    assert "[" + "#" * 15 + "." * 15 + "]" in text  # half of a 30-wide bar
    assert "0.5s" in text


def test_force_draws_on_any_stream(clock):
    out = io.StringIO()
    bar = Progress("x", total=10, stream=out, force=True)
    clock.advance(1)
    bar.update(10)
    assert "[" + "#" * 30 + "]" in out.getvalue() and "10/10" in out.getvalue()


def test_default_stream_is_stderr_never_stdout(clock, capsys):
    bar = Progress("stage", total=2, force=True)
    clock.advance(1)
    bar.update(1, "first", always=True)
    bar.update(2, "second", always=True)
    bar.close()
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "first" in captured.err and "second" in captured.err
    assert captured.err.endswith("\n")


def test_not_forced_and_captured_stderr_is_silent(clock, capsys):
    bar = Progress("stage", total=2)  # pytest's captured stderr is not a terminal
    clock.advance(1)
    bar.update(2, always=True)
    bar.close()
    assert capsys.readouterr() == ("", "")


def test_unknown_total_shows_the_count(clock):
    out = Terminal()
    bar = Progress("regions", stream=out)
    clock.advance(0.2)
    bar.update(17, "layer 2")
    text = out.getvalue()
    assert "regions 17 layer 2" in text and "#" not in text and "/" not in text


def test_done_past_total_is_a_full_bar(clock):
    out = Terminal()
    bar = Progress("x", total=3, stream=out)
    clock.advance(1)
    bar.update(5)
    assert "[" + "#" * 30 + "]" in out.getvalue() and "5/3" in out.getvalue()


@given(st.integers(1, 200), st.integers(0, 300))
def test_bar_fill_is_proportional(total, done):
    out = io.StringIO()
    bar = Progress("p", total=total, stream=out, force=True)
    bar.update(done, always=True)
    text = out.getvalue()
    inside = text[text.index("[") + 1:text.index("]")]
    assert len(inside) == 30
    fill = min(done, total) * 30 // total
    assert inside == "#" * fill + "." * (30 - fill)


# ---------------------------------------------------------------------------------------
# Progress: throttling
# ---------------------------------------------------------------------------------------
def test_redraws_at_most_every_tenth_of_a_second(clock):
    out = Terminal()
    bar = Progress("x", total=100, stream=out)
    clock.advance(0.05)
    bar.update(1)
    assert out.getvalue() == ""  # too soon after the start
    clock.advance(0.06)
    bar.update(2)
    assert out.getvalue().count("\r") == 1
    clock.advance(0.05)
    bar.update(3)
    assert out.getvalue().count("\r") == 1  # too soon after the last draw
    clock.advance(0.1)
    bar.update(4)
    assert out.getvalue().count("\r") == 2
    assert "4/100" in out.getvalue() and "3/100" not in out.getvalue()


def test_always_and_the_last_step_draw_at_once(clock):
    out = Terminal()
    bar = Progress("x", total=5, stream=out)
    bar.update(1, "stage one", always=True)  # a new stage must show
    bar.update(2, "stage two", always=True)
    assert out.getvalue().count("\r") == 2
    bar.update(3)  # throttled
    assert out.getvalue().count("\r") == 2
    bar.update(5)  # the final step is never throttled
    assert out.getvalue().count("\r") == 3 and "5/5" in out.getvalue()


# ---------------------------------------------------------------------------------------
# Progress: close
# ---------------------------------------------------------------------------------------
def test_close_ends_the_line_once(clock):
    out = Terminal()
    bar = Progress("x", total=1, stream=out)
    bar.update(1)
    before = out.getvalue()
    bar.close()
    assert out.getvalue() == before + "\n"
    bar.close()
    bar.close()
    assert out.getvalue() == before + "\n"


def test_close_without_drawing_writes_nothing(clock):
    out = Terminal()
    bar = Progress("x", total=10, stream=out)
    bar.update(1)  # throttled: nothing drawn
    bar.close()
    bar.close()
    assert out.getvalue() == ""


def test_draw_after_close_then_close_again(clock):
    out = Terminal()
    bar = Progress("x", stream=out)
    bar.update(1, always=True)
    bar.close()
    bar.update(2, always=True)
    bar.close()
    assert out.getvalue().count("\n") == 2 and out.getvalue().endswith("\n")


# ---------------------------------------------------------------------------------------
# Deadline
# ---------------------------------------------------------------------------------------
def test_no_limit_never_raises(clock):
    d = Deadline(None)
    clock.advance(10 ** 9)
    d.check()
    d.check("anything")


def test_deadline_raises_once_passed(clock):
    d = Deadline(2)
    d.check("start")
    clock.advance(1.999)
    d.check("almost")
    clock.advance(0.001)
    with pytest.raises(LimitExceeded) as e:
        d.check("homology of the positive set")
    assert str(e.value) == "time limit of 2 s exceeded (homology of the positive set)"
    assert isinstance(e.value, PolytopoError) and isinstance(e.value, RuntimeError)
    clock.advance(5)
    with pytest.raises(LimitExceeded, match=r"^time limit of 2 s exceeded$"):
        d.check()  # still passed; no phase: no parentheses


def test_deadline_counts_from_its_creation(clock):
    clock.advance(100)
    d = Deadline(0.5)
    clock.advance(0.4)
    d.check()
    clock.advance(0.1)
    with pytest.raises(LimitExceeded, match=r"time limit of 0\.5 s exceeded \(x\)"):
        d.check("x")


def test_zero_limit_is_already_passed(clock):
    with pytest.raises(LimitExceeded, match="time limit of 0 s"):
        Deadline(0).check()


def test_deadline_with_the_real_clock():
    d = Deadline(0.02)
    start = time.monotonic()
    while time.monotonic() - start < 0.02:
        time.sleep(0.005)
    with pytest.raises(LimitExceeded):
        d.check("real time")
    Deadline(60).check()  # a long limit has not passed
