"""The ONNX reader (:mod:`polytopo.network.onnx_reader`): every supported op against a NumPy
reference or onnx's reference evaluator, models exported by ``torch.onnx``, refusals with
one-line messages naming the op and the node, and fuzzing with malformed models."""

import io
from fractions import Fraction

import numpy as np
import pytest

onnx = pytest.importorskip("onnx")

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402
from onnx import TensorProto, helper, numpy_helper  # noqa: E402

from polytopo.exceptions import InputError  # noqa: E402
from polytopo.network import onnx_reader  # noqa: E402
from polytopo.network.model import Network  # noqa: E402
from polytopo.network.onnx_reader import graph_from_onnx  # noqa: E402

D, F = TensorProto.DOUBLE, TensorProto.FLOAT


# ---- building and reading models ---------------------------------------------------------
def vinfo(name, shape, elem=D):
    return helper.make_tensor_value_info(name, elem, shape)


def const(name, a, dtype=np.float64):
    return numpy_helper.from_array(np.asarray(a, dtype=dtype), name)


def ints(name, a):
    return const(name, a, np.int64)


def node(op, inputs, outputs=("y",), **attrs):
    return helper.make_node(op, list(inputs), list(outputs), name=f"{op.lower()}_node", **attrs)


def make(nodes, in_shape, inits=(), *, opset=17, elem=D, out="y", inputs=None, outputs=None):
    """A model with input ``x`` of ``in_shape`` and output ``out``."""
    g = helper.make_graph(list(nodes), "g",
                          inputs if inputs is not None else [vinfo("x", in_shape, elem)],
                          outputs if outputs is not None else [vinfo(out, None, elem)],
                          initializer=list(inits))
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)])


def read(m, **kw):
    data = m if isinstance(m, bytes) else m.SerializeToString()
    return Network.from_json(graph_from_onnx(data, **kw))


def exact(x):
    return [Fraction(float(v)) for v in np.asarray(x).ravel()]


def points(shape, n, seed, dtype=np.float64):
    rng = np.random.default_rng(seed)
    return [(rng.normal(size=shape) * 2).astype(dtype) for _ in range(n)]


def assert_close(got, ref, rel=1e-9):
    ref = np.asarray(ref, dtype=np.float64).ravel()
    got = np.array([float(v) for v in got])
    assert got.shape == ref.shape, (got.shape, ref.shape)
    assert np.all(np.abs(got - ref) <= rel * (1 + np.abs(ref))), (got, ref)


def check_ref(m, in_shape, n=4, seed=0, rel=None, net=None):
    """The exact network of ``m`` agrees with onnx's reference evaluator at ``n`` random
    points (float64 models to 1e-9, float32 ones to 1e-5 relative)."""
    from onnx.reference import ReferenceEvaluator

    elem = m.graph.input[0].type.tensor_type.elem_type
    dtype = np.float64 if elem == D else np.float32
    rel = rel if rel is not None else (1e-9 if elem == D else 1e-5)
    net = net if net is not None else read(m)
    sess = ReferenceEvaluator(m)
    for x in points(in_shape, n, seed, dtype):
        ref = sess.run(None, {m.graph.input[0].name: x})[0]
        assert_close(net.forward(exact(x)), ref, rel)
    return net


def check_fn(m, in_shape, fn, n=4, seed=0):
    """The exact network of ``m`` agrees with the NumPy function ``fn`` (float64)."""
    net = read(m)
    for x in points(in_shape, n, seed):
        assert_close(net.forward(exact(x)), fn(x))
    return net


def refusal(m, *words, **kw):
    """The InputError reading ``m`` (one line, containing each of ``words``)."""
    with pytest.raises(InputError) as e:
        read(m, **kw)
    msg = str(e.value)
    assert "\n" not in msg
    for w in words:
        assert w in msg, msg
    return msg


RNG = np.random.default_rng(12345)


def rand(*shape):
    return RNG.normal(size=shape)


# ---- NumPy references ----------------------------------------------------------------------
def np_conv(x, w, b=None, strides=None, pads=None, dil=None, group=1):
    """ONNX Conv in float64 (batch 1, any number of spatial dimensions)."""
    x = x[0]
    nd = x.ndim - 1
    strides = strides or [1] * nd
    dil = dil or [1] * nd
    pads = pads or [0] * (2 * nd)
    x = np.pad(x, [(0, 0)] + [(pads[d], pads[d + nd]) for d in range(nd)])
    M, Cg = w.shape[:2]
    k = w.shape[2:]
    eff = [dil[d] * (k[d] - 1) + 1 for d in range(nd)]
    out = [(x.shape[1 + d] - eff[d]) // strides[d] + 1 for d in range(nd)]
    y = np.zeros((M, *out))
    for m in range(M):
        g = m // (M // group)
        xs = x[g * Cg:(g + 1) * Cg]
        for o in np.ndindex(*out):
            sl = tuple(slice(o[d] * strides[d], o[d] * strides[d] + eff[d], dil[d])
                       for d in range(nd))
            y[(m, *o)] = np.sum(xs[(slice(None), *sl)] * w[m])
        if b is not None:
            y[m] += b[m]
    return y[None]


def np_pool(x, k, strides, pads, kind, include_pad=False, dil=None, ceil=False):
    """ONNX MaxPool / AveragePool in float64 (batch 1)."""
    x = x[0]
    nd = x.ndim - 1
    dil = dil or [1] * nd
    sp = x.shape[1:]
    eff = [dil[d] * (k[d] - 1) + 1 for d in range(nd)]
    out = []
    for d in range(nd):
        num = sp[d] + pads[d] + pads[d + nd] - eff[d]
        o = (-(-num // strides[d]) if ceil else num // strides[d]) + 1
        if ceil and (o - 1) * strides[d] >= sp[d] + pads[d]:
            o -= 1
        out.append(o)
    y = np.zeros((x.shape[0], *out))
    for c in range(x.shape[0]):
        for o in np.ndindex(*out):
            vals, count = [], 1
            for d in range(nd):
                start = o[d] * strides[d] - pads[d]
                pos = [start + j * dil[d] for j in range(k[d])]
                count *= sum(1 for p in pos if p < sp[d] + pads[d + nd])
            for idx in np.ndindex(*k):
                p = [o[d] * strides[d] - pads[d] + idx[d] * dil[d] for d in range(nd)]
                if all(0 <= p[d] < sp[d] for d in range(nd)):
                    vals.append(x[(c, *p)])
            if kind == "max":
                y[(c, *o)] = max(vals)
            else:
                y[(c, *o)] = sum(vals) / (count if include_pad else len(vals))
    return y[None]


def relu(v):
    return np.maximum(v, 0)


# ---- linear maps --------------------------------------------------------------------------
def test_gemm_alpha_beta_and_trans_b():
    W, b = rand(4, 3), rand(4)
    m = make([node("Gemm", ["x", "W", "b"], transB=1, alpha=0.5, beta=2.0)], [1, 3],
             [const("W", W), const("b", b)])
    net = check_fn(m, [1, 3], lambda x: 0.5 * x @ W.T + 2 * b)
    assert net.architecture == (3, 4) and net.widths == ()


def test_gemm_trans_a_of_computed_and_constant_a():
    W, c = rand(3, 4), rand(1, 4)
    # the computed operand transposed: Transpose gives [3, 1], transA reads it back as [1, 3]
    m = make([node("Transpose", ["x"], ["t"]),
              node("Gemm", ["t", "W", "c"], ["h"], transA=1),
              node("Relu", ["h"])], [1, 3], [const("W", W), const("c", c)])
    check_fn(m, [1, 3], lambda x: relu(x @ W + c))
    # a constant A (transposed) times the computed B (transposed): W.T-free form A @ x.T
    A = rand(3, 5)
    m = make([node("Gemm", ["A", "x"], transA=1, transB=1, alpha=-1.5)], [1, 3],
             [const("A", A)])
    check_fn(m, [1, 3], lambda x: -1.5 * A.T @ x.T)


def test_gemm_without_c_and_float32():
    W = rand(3, 2).astype(np.float32)
    m = make([node("Gemm", ["x", "W"])], [1, 3], [const("W", W, np.float32)], elem=F)
    check_ref(m, [1, 3])


def test_matmul_constant_right_left_and_batched():
    W = rand(3, 2)
    check_fn(make([node("MatMul", ["x", "W"])], [1, 3], [const("W", W)]), [1, 3],
             lambda x: x @ W)
    L = rand(4, 2)
    check_fn(make([node("MatMul", ["L", "x"])], [1, 2, 3], [const("L", L)]), [1, 2, 3],
             lambda x: L @ x)
    B = rand(3, 5)
    check_fn(make([node("MatMul", ["x", "B"])], [1, 2, 3], [const("B", B)]), [1, 2, 3],
             lambda x: x @ B)
    v = rand(3)
    check_fn(make([node("MatMul", ["x", "v"])], [1, 2, 3], [const("v", v)]), [1, 2, 3],
             lambda x: x @ v)
    # a rank-1 input has no batch dimension
    check_fn(make([node("MatMul", ["x", "W"])], [3], [const("W", W)]), [3], lambda x: x @ W)
    v3 = rand(2, 3, 1)
    check_fn(make([node("Unsqueeze", ["x", "ax"], ["u"]), node("MatMul", ["v", "u"])], [3],
                  [const("v", v3), ints("ax", [0])], opset=13), [3],
             lambda x: v3 @ x[None])


@pytest.mark.parametrize("op,fn", [("Add", np.add), ("Sub", np.subtract),
                                   ("Mul", np.multiply), ("Div", np.divide)])
def test_arithmetic_with_constants(op, fn):
    c = rand(3) + 3.0
    col = rand(2, 1) + 3.0
    # a constant on either side (not as divisor of a computed tensor), broadcast both ways
    second = ["a", "col"] if op == "Div" else ["col", "a"]
    m = make([node(op, ["x", "c"], ["a"]), node(op, second, ["y"])], [1, 2, 3],
             [const("c", c), const("col", col)])
    if op == "Div":
        check_fn(m, [1, 2, 3], lambda x: fn(fn(x, c), col))
    else:
        check_fn(m, [1, 2, 3], lambda x: fn(col, fn(x, c)))


def test_add_sub_sum_of_computed():
    m = make([node("Relu", ["x"], ["r"]), node("Neg", ["x"], ["n"]),
              node("Add", ["r", "x"], ["a"]), node("Sub", ["a", "n"], ["s"]),
              node("Sub", ["x", "x"], ["z"]),
              node("Sum", ["s", "r", "c", "z", "x"])], [1, 4], [const("c", rand(4))])
    c = m.graph.initializer[0]
    cv = numpy_helper.to_array(c)
    check_fn(m, [1, 4], lambda x: (relu(x) + x + x) + relu(x) + cv + x)
    # Add of a value with itself, and a Sum of one computed tensor
    m = make([node("Add", ["x", "x"], ["a"]), node("Sum", ["a"])], [1, 3])
    check_fn(m, [1, 3], lambda x: 2 * x)


def test_neg_relu_abs_leaky_relu():
    m = make([node("Neg", ["x"], ["n"]), node("LeakyRelu", ["n"], ["l"], alpha=0.125),
              node("Abs", ["l"], ["a"]), node("Relu", ["a"], ["r"]),
              node("Sub", ["r", "x"])], [1, 5])
    check_ref(m, [1, 5])
    # the default alpha is the float attribute 0.01, a float32
    net = read(make([node("LeakyRelu", ["x"])], [1, 2]))
    assert net.forward([Fraction(-1), Fraction(2)]) == (-Fraction(float(np.float32(0.01))), 2)


def test_prelu_per_channel_slope():
    s = np.array([0.25, -0.5, 2.0]).reshape(3, 1, 1)
    m = make([node("PRelu", ["x", "s"])], [1, 3, 2, 2], [const("s", s)])
    check_fn(m, [1, 3, 2, 2], lambda x: np.where(x >= 0, x, x * s))
    m = make([node("PRelu", ["x", "s"])], [1, 3], [const("s", [0.5])])
    check_ref(m, [1, 3])


@pytest.mark.parametrize("lo,hi", [(-0.5, 1.0), (None, 1.0), (-0.5, None), (None, None)])
def test_clip_inputs_opset_13(lo, hi):
    inits = [const(n, v) for n, v in (("lo", lo), ("hi", hi)) if v is not None]
    ins = ["x", "lo" if lo is not None else "", "hi" if hi is not None else ""]
    while ins[-1] == "":
        ins.pop()
    m = make([node("Clip", ins, ["c"]), node("Add", ["c", "x"])], [1, 6], inits, opset=13)
    check_fn(m, [1, 6], lambda x: np.clip(x, lo, hi) + x if (lo, hi) != (None, None) else 2 * x)


@pytest.mark.parametrize("attrs", [{"min": -0.5, "max": 0.75}, {"max": 0.75}, {"min": -0.5},
                                   {}])
def test_clip_attributes_opset_6(attrs):
    m = make([node("Clip", ["x"], **attrs)], [1, 6], opset=6)
    lo, hi = attrs.get("min"), attrs.get("max")
    check_fn(m, [1, 6], lambda x: np.clip(x, lo, hi) if attrs else x)


def test_clip_equal_bounds_and_float_max():
    m = make([node("Clip", ["x", "lo", "hi"])], [1, 3],
             [const("lo", 0.5), const("hi", 0.5)], opset=13)
    check_fn(m, [1, 3], lambda x: np.full(x.shape, 0.5))
    m = make([node("Clip", ["x"], min=-3.4028234663852886e38, max=0.0)], [1, 3], opset=6)
    check_fn(m, [1, 3], lambda x: np.minimum(x, 0))


def test_hard_sigmoid():
    m = make([node("HardSigmoid", ["x"], alpha=0.25, beta=0.375)], [1, 8])
    check_fn(m, [1, 8], lambda x: np.clip(0.25 * x + 0.375, 0, 1))
    check_ref(make([node("HardSigmoid", ["x"])], [1, 8]), [1, 8])


def test_max_min_of_computed():
    m = make([node("Neg", ["x"], ["n"]), node("Max", ["x", "n"], ["a"]),
              node("Relu", ["x"], ["r"]), node("Min", ["x", "r", "c"], ["b"]),
              node("Add", ["a", "b"])], [1, 4], [const("c", [0.5, -0.5, 1.0, 0.0])])
    c = np.array([0.5, -0.5, 1.0, 0.0])
    check_fn(m, [1, 4], lambda x: np.abs(x) + np.minimum(np.minimum(x, relu(x)), c))
    m = make([node("Max", ["x", "c"], ["a"]), node("Min", ["a", "d"], ["b"]),
              node("Max", ["b", "b", "x"])], [1, 4], [const("c", [0.5, -0.5, 1.0, 0.0]),
                                                       const("d", 1.5)])
    check_fn(m, [1, 4], lambda x: np.maximum(np.minimum(np.maximum(x, c), 1.5), x))
    m = make([node("Max", ["x"], ["a"]), node("Min", ["a", "a"])], [1, 3])
    check_fn(m, [1, 3], lambda x: x)


# ---- pooling --------------------------------------------------------------------------------
@pytest.mark.parametrize("attrs", [
    {"kernel_shape": [2, 2]},
    {"kernel_shape": [3, 2], "strides": [2, 1], "pads": [1, 0, 1, 1]},
    {"kernel_shape": [2, 2], "strides": [2, 2], "dilations": [2, 1]},
    {"kernel_shape": [3, 3], "strides": [2, 2], "pads": [1, 1, 1, 1], "ceil_mode": 1},
    {"kernel_shape": [2, 3], "auto_pad": "SAME_UPPER", "strides": [2, 2]},
])
def test_max_pool(attrs):
    m = make([node("MaxPool", ["x"], **attrs)], [1, 2, 5, 6])
    check_ref(m, [1, 2, 5, 6], n=3)
    if "auto_pad" not in attrs:
        k, nd = attrs["kernel_shape"], 2
        check_fn(m, [1, 2, 5, 6], lambda x: np_pool(
            x, k, attrs.get("strides", [1] * nd), attrs.get("pads", [0] * 2 * nd), "max",
            dil=attrs.get("dilations"), ceil=attrs.get("ceil_mode", 0)), n=2)


def test_max_pool_1d_and_global_max_pool():
    m = make([node("MaxPool", ["x"], kernel_shape=[3], strides=[2], pads=[1, 1])], [1, 2, 7])
    check_fn(m, [1, 2, 7], lambda x: np_pool(x, [3], [2], [1, 1], "max"))
    m = make([node("GlobalMaxPool", ["x"])], [1, 3, 2, 3])
    check_fn(m, [1, 3, 2, 3], lambda x: x.max(axis=(2, 3), keepdims=True))


@pytest.mark.parametrize("include", [0, 1])
@pytest.mark.parametrize("attrs", [
    {"kernel_shape": [3, 3], "pads": [1, 1, 1, 1]},
    {"kernel_shape": [2, 3], "strides": [2, 2], "pads": [0, 1, 1, 1]},
    {"kernel_shape": [3, 2], "strides": [2, 2], "pads": [1, 0, 1, 0], "ceil_mode": 1},
])
def test_average_pool(attrs, include):
    m = make([node("AveragePool", ["x"], count_include_pad=include, **attrs)], [1, 2, 5, 6])
    check_fn(m, [1, 2, 5, 6], lambda x: np_pool(
        x, attrs["kernel_shape"], attrs.get("strides", [1, 1]), attrs["pads"], "avg",
        include_pad=include, ceil=attrs.get("ceil_mode", 0)), n=2)
    if not attrs.get("ceil_mode"):
        check_ref(m, [1, 2, 5, 6], n=2)


def test_global_average_pool():
    m = make([node("GlobalAveragePool", ["x"])], [1, 3, 2, 3])
    check_fn(m, [1, 3, 2, 3], lambda x: x.mean(axis=(2, 3), keepdims=True))
    check_ref(make([node("GlobalAveragePool", ["x"])], [1, 2, 5]), [1, 2, 5])


# ---- reductions -------------------------------------------------------------------------
@pytest.mark.parametrize("op,fn", [("ReduceMax", np.max), ("ReduceMin", np.min),
                                   ("ReduceSum", np.sum), ("ReduceMean", np.mean)])
@pytest.mark.parametrize("axes,keep", [([1], 1), ([-1, 1], 0), (None, 1), ([2], 0)])
def test_reductions(op, fn, axes, keep):
    # the axes as an attribute (opset 11) and as an input (opset 18)
    m = make([node(op, ["x"], keepdims=keep, **({} if axes is None else {"axes": axes}))],
             [1, 3, 4], opset=11)
    ax = None if axes is None else tuple(axes)
    check_fn(m, [1, 3, 4], lambda x: fn(x, axis=ax, keepdims=bool(keep)))
    m = make([node(op, ["x"] + ([] if axes is None else ["axes"]), keepdims=keep)],
             [1, 3, 4], [] if axes is None else [ints("axes", axes)], opset=18)
    check_ref(m, [1, 3, 4], n=2)


def test_reduce_noop_with_empty_axes():
    m = make([node("ReduceSum", ["x"], ["s"], noop_with_empty_axes=1), node("Relu", ["s"])],
             [1, 3], opset=13)
    check_fn(m, [1, 3], relu)


# ---- convolution and batch norm ------------------------------------------------------
@pytest.mark.parametrize("attrs", [
    {},
    {"strides": [2], "pads": [1, 2]},
    {"dilations": [2], "pads": [2, 0]},
    {"group": 2, "strides": [1], "pads": [1, 1]},
])
def test_conv_1d(attrs):
    g = attrs.get("group", 1)
    w, b = rand(4, 4 // g, 3), rand(4)
    m = make([node("Conv", ["x", "w", "b"], **attrs)], [1, 4, 9], [const("w", w), const("b", b)])
    check_fn(m, [1, 4, 9], lambda x: np_conv(x, w, b, attrs.get("strides"), attrs.get("pads"),
                                             attrs.get("dilations"), g), n=2)


@pytest.mark.parametrize("attrs", [
    {},
    {"strides": [2, 1], "pads": [1, 0, 0, 1]},
    {"dilations": [1, 2], "pads": [1, 1, 1, 1], "group": 2},
    {"group": 4},
])
def test_conv_2d(attrs):
    g = attrs.get("group", 1)
    w = rand(4, 4 // g, 2, 3)
    m = make([node("Conv", ["x", "w"], **attrs)], [1, 4, 5, 6], [const("w", w)])
    check_fn(m, [1, 4, 5, 6], lambda x: np_conv(x, w, None, attrs.get("strides"),
                                                attrs.get("pads"), attrs.get("dilations"), g),
             n=2)
    check_ref(m, [1, 4, 5, 6], n=1)


@pytest.mark.parametrize("auto", ["SAME_UPPER", "SAME_LOWER", "VALID"])
def test_conv_auto_pad(auto):
    w = rand(2, 3, 2, 3)
    m = make([node("Conv", ["x", "w"], auto_pad=auto, strides=[2, 1])], [1, 3, 5, 6],
             [const("w", w)])
    check_ref(m, [1, 3, 5, 6], n=2)


def test_conv_kernel_shape_attribute_and_bias():
    w, b = rand(3, 2, 2), rand(3)
    m = make([node("Conv", ["x", "w", "b"], ["c"], kernel_shape=[2]), node("Relu", ["c"])],
             [1, 2, 4], [const("w", w), const("b", b)])
    check_fn(m, [1, 2, 4], lambda x: relu(np_conv(x, w, b)))


def test_batch_normalization():
    C = 3
    scale, bias, mean, var = rand(C), rand(C), rand(C), np.abs(rand(C)) + 0.1
    m = make([node("BatchNormalization", ["x", "s", "b", "m", "v"], epsilon=1e-3)],
             [1, C, 2, 2], [const("s", scale), const("b", bias), const("m", mean),
                            const("v", var)])
    r = (1, C, 1, 1)

    def ref(x):
        return (x - mean.reshape(r)) / np.sqrt(var.reshape(r) + 1e-3) * scale.reshape(r) + \
            bias.reshape(r)

    net = check_fn(m, [1, C, 2, 2], ref)
    assert any("BatchNormalization" in n for n in net.notes)
    m = make([node("BatchNormalization", ["x", "s", "b", "m", "v"])], [1, C],
             [const("s", scale), const("b", bias), const("m", mean), const("v", var)])
    check_ref(m, [1, C])


# ---- shape-only ops and rearrangements ------------------------------------------------
def test_flatten_reshape_identity_dropout_cast():
    m = make([node("Flatten", ["x"], ["f"], axis=2),
              node("Reshape", ["f", "shape"], ["r"]),
              node("Identity", ["r"], ["i"]),
              node("Dropout", ["i"], ["d"]),
              helper.make_node("Cast", ["d"], ["c"], to=TensorProto.FLOAT),
              helper.make_node("Cast", ["c"], ["c2"], to=TensorProto.DOUBLE),
              node("Flatten", ["c2"], ["g"], axis=-1),
              node("Relu", ["g"])], [1, 2, 3, 2], [ints("shape", [0, -1, 2])])
    # a cast of a computed tensor to a float type leaves its (exact) values as they are
    check_fn(m, [1, 2, 3, 2], lambda x: relu(x).reshape(1, 12))


def test_reshape_zero_and_minus_one():
    m = make([node("Reshape", ["x", "s"], ["r"]), node("Transpose", ["r"], perm=[0, 2, 1])],
             [1, 2, 6], [ints("s", [0, -1, 3])])
    check_fn(m, [1, 2, 6], lambda x: x.reshape(1, 4, 3).transpose(0, 2, 1))


@pytest.mark.parametrize("opset", [11, 13])
def test_squeeze_unsqueeze(opset):
    if opset < 13:
        nodes = [node("Unsqueeze", ["x"], ["u"], axes=[0, 3]),
                 node("Transpose", ["u"], ["t"], perm=[1, 2, 3, 0, 4]),
                 node("Squeeze", ["t"], ["s"], axes=[-2]),
                 node("Squeeze", ["s"], ["y"])]
        inits = []
    else:
        nodes = [node("Unsqueeze", ["x", "ua"], ["u"]),
                 node("Transpose", ["u"], ["t"], perm=[1, 2, 3, 0, 4]),
                 node("Squeeze", ["t", "sa"], ["s"]),
                 node("Squeeze", ["s"], ["y"])]
        inits = [ints("ua", [0, 3]), ints("sa", [-2])]
    m = make(nodes, [1, 2, 3], inits, opset=opset)
    check_ref(m, [1, 2, 3])
    check_fn(m, [1, 2, 3], lambda x: x.reshape(2, 3))


def test_transpose_default_and_perm():
    m = make([node("Transpose", ["x"], ["t"]),
              node("Transpose", ["t"], ["u"], perm=[1, 0, 2]),
              node("Relu", ["u"])], [1, 2, 3])
    check_fn(m, [1, 2, 3], lambda x: relu(x.transpose(2, 1, 0).transpose(1, 0, 2)))


def test_slice_inputs_and_attributes():
    m = make([node("Slice", ["x", "st", "en", "ax", "sp"])], [1, 4, 6],
             [ints("st", [1, -1]), ints("en", [3, -100]), ints("ax", [1, 2]),
              ints("sp", [1, -2])], opset=13)
    check_fn(m, [1, 4, 6], lambda x: x[:, 1:3, -1:-100:-2])
    check_ref(m, [1, 4, 6], n=2)
    m = make([node("Slice", ["x"], starts=[0, 2], ends=[1, 2 ** 62], axes=[0, 2])], [1, 3, 5],
             opset=9)
    check_fn(m, [1, 3, 5], lambda x: x[:, :, 2:])
    m = make([node("Slice", ["x", "st", "en"])], [1, 5], [ints("st", [0, 1]),
                                                         ints("en", [1, 4])], opset=13)
    check_fn(m, [1, 5], lambda x: x[:, 1:4])


def test_gather():
    m = make([node("Gather", ["x", "i"], axis=2)], [1, 2, 5], [ints("i", [[4, 0], [-1, 2]])])
    check_fn(m, [1, 2, 5], lambda x: np.take(x, [[4, 0], [4, 2]], axis=2))
    m = make([node("Gather", ["x", "i"], axis=1)], [1, 3, 2], [ints("i", 1)])
    check_fn(m, [1, 3, 2], lambda x: x[:, 1])
    check_ref(m, [1, 3, 2], n=2)


def test_concat_computed_and_constant():
    c = rand(1, 2, 3)
    m = make([node("Relu", ["x"], ["r"]),
              node("Concat", ["x", "c", "r", "x"], axis=1)], [1, 2, 3], [const("c", c)])
    check_fn(m, [1, 2, 3], lambda x: np.concatenate([x, c, relu(x), x], axis=1))
    m = make([node("Concat", ["x", "c"], axis=-1)], [1, 2, 3], [const("c", c)])
    check_fn(m, [1, 2, 3], lambda x: np.concatenate([x, c], axis=-1))


@pytest.mark.parametrize("opset", [11, 13, 18])
def test_split(opset):
    outs = ["a", "b", "c"]
    if opset == 11:
        nodes, inits = [node("Split", ["x"], outs, axis=2, split=[1, 2, 3])], []
    elif opset == 13:
        nodes, inits = [node("Split", ["x", "s"], outs, axis=-1)], [ints("s", [1, 2, 3])]
    else:
        nodes, inits = [node("Split", ["x"], outs, axis=2, num_outputs=3)], []
    nodes += [node("Neg", ["a"], ["na"]), node("Concat", ["c", "na", "b"], axis=2)]
    m = make(nodes, [1, 2, 6], inits, opset=opset)
    check_ref(m, [1, 2, 6], n=2)


def test_split_unused_output_and_equal_parts():
    m = make([node("Split", ["x"], ["a", "b"], axis=1), node("Relu", ["b"])], [1, 4],
             opset=13)
    net = check_fn(m, [1, 4], lambda x: relu(x[:, 2:]))
    assert net.output_dim == 2


def np_pad(x, pads, mode, value=0.0):
    """ONNX Pad in NumPy: negative pads crop."""
    r = x.ndim
    crop = tuple(slice(-pads[i] if pads[i] < 0 else None, pads[i + r] if pads[i + r] < 0
                       else None) for i in range(r))
    width = [(max(pads[i], 0), max(pads[i + r], 0)) for i in range(r)]
    x = x[crop]
    if mode == "constant":
        return np.pad(x, width, mode="constant", constant_values=value)
    return np.pad(x, width, mode=mode)


@pytest.mark.parametrize("mode", ["constant", "reflect", "edge", "wrap"])
def test_pad_inputs(mode):
    pads = [0, 1, 2, 0, 2, -1]
    inits = [ints("p", pads)] + ([const("v", 1.5)] if mode == "constant" else [])
    m = make([node("Pad", ["x", "p"] + (["v"] if mode == "constant" else []), mode=mode)],
             [1, 3, 4], inits, opset=19)
    check_fn(m, [1, 3, 4], lambda x: np_pad(x, pads, mode, 1.5))
    pads = [0, 1, 2, 0, 2, 1]
    m = make([node("Pad", ["x", "p"], mode=mode)], [1, 3, 4], [ints("p", pads)], opset=19)
    check_ref(m, [1, 3, 4], n=2)


def test_pad_axes_and_attribute_form():
    m = make([node("Pad", ["x", "p", "", "a"])], [1, 3, 4], [ints("p", [1, 2]), ints("a", [-1])],
             opset=18)
    check_fn(m, [1, 3, 4], lambda x: np.pad(x, [(0, 0), (0, 0), (1, 2)]))
    m = make([node("Pad", ["x"], pads=[0, 0, 1, 0, 0, 1], value=-2.0)], [1, 2, 2], opset=2)
    check_fn(m, [1, 2, 2], lambda x: np.pad(x, [(0, 0), (0, 0), (1, 1)], constant_values=-2))


def test_expand_and_tile():
    m = make([node("Expand", ["x", "s"])], [1, 3, 1], [ints("s", [2, 1, 1, 4])])
    check_fn(m, [1, 3, 1], lambda x: np.broadcast_to(x, (2, 1, 3, 4)))
    m = make([node("Tile", ["x", "r"])], [1, 2, 3], [ints("r", [1, 2, 3])])
    check_fn(m, [1, 2, 3], lambda x: np.tile(x, (1, 2, 3)))
    check_ref(m, [1, 2, 3], n=1)


def test_constants_shape_and_constant_of_shape():
    nodes = [
        helper.make_node("Constant", [], ["c"], value=numpy_helper.from_array(rand(3))),
        helper.make_node("Constant", [], ["f32"], value_float=0.5),
        helper.make_node("Cast", ["f32"], ["f"], to=TensorProto.DOUBLE),
        helper.make_node("Constant", [], ["fs32"], value_floats=[1.0, 2.0, 3.0]),
        helper.make_node("Cast", ["fs32"], ["fs"], to=TensorProto.DOUBLE),
        helper.make_node("Constant", [], ["one"], value_int=1),
        helper.make_node("Constant", [], ["twos"], value_ints=[2]),
        node("Shape", ["x"], ["sh"]),                       # [1, 2, 3]
        helper.make_node("Shape", ["x"], ["last"], start=-1),   # [3]
        helper.make_node("ConstantOfShape", ["last"], ["zeros"],
                         value=numpy_helper.from_array(np.array([0.25]))),
        node("Gather", ["sh", "one"], ["two"]),           # 2 (a scalar)
        node("Add", ["x", "c"], ["a"]),
        node("Mul", ["a", "f"], ["b"]),
        node("Sub", ["b", "fs"], ["s"]),
        helper.make_node("Cast", ["two"], ["twof"], to=TensorProto.DOUBLE),
        node("Mul", ["s", "twof"], ["t"]),
        node("Add", ["t", "zeros"], ["u"]),
        node("Reshape", ["u", "sh"], ["v"]),
        node("Relu", ["v"]),
    ]
    m = make(nodes, [1, 2, 3])
    check_ref(m, [1, 2, 3])
    # constants only, and an unread node
    ce = helper.make_node("ConstantOfShape", ["sh"], ["k"])
    m = make([node("Shape", ["x"], ["sh"]), ce, node("Size", ["x"], ["n"]),
              helper.make_node("Cast", ["n"], ["nf"], to=TensorProto.DOUBLE),
              node("Add", ["k", "nf"], ["kk"]), node("Add", ["x", "kk"], ["y"]),
              node("Relu", ["x"], ["unused"])], [1, 2])
    net = check_fn(m, [1, 2], lambda x: x + 2)
    assert any("not read" in n for n in graph_from_onnx(m.SerializeToString())["notes"])
    assert net.widths == ()


def test_constant_arithmetic_folded():
    nodes = [node("Relu", ["c"], ["r"]), node("Neg", ["r"], ["n"]), node("Abs", ["n"], ["a"]),
             node("Max", ["a", "c"], ["mx"]), node("Min", ["mx", "c"], ["mn"]),
             node("Clip", ["mn", "lo"], ["cl"]), node("LeakyRelu", ["cl"], ["lr"]),
             node("Transpose", ["lr"], ["t"]), node("Slice", ["t", "st", "en"], ["s"]),
             node("Concat", ["s", "s"], ["cc"], axis=0), node("Sum", ["cc", "cc"], ["sm"]),
             node("Div", ["sm", "two"], ["dv"]), node("ReduceSum", ["dv", "ax"], ["rs"]),
             node("MatMul", ["rs", "w"], ["mm"]), node("Gemm", ["x", "mm"], ["g"], transB=1),
             node("Relu", ["g"], ["h"]), node("Add", ["h", "two"])]
    inits = [const("c", rand(2, 3)), const("lo", -0.1), ints("st", [0]), ints("en", [2]),
             const("two", 2.0), const("w", rand(2, 4)), ints("ax", [0])]
    net = check_ref(make(nodes, [1, 4], inits, opset=13), [1, 4])
    assert net.architecture == (4, 1, 1)


# ---- models exported by torch ---------------------------------------------------------
def export(model, shape):
    torch = pytest.importorskip("torch")
    import warnings

    model = model.double().eval()
    x = torch.zeros(shape, dtype=torch.float64)
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, (x,), buf, dynamo=False)
    return buf.getvalue()


def check_torch(model, shape, n=3, seed=0):
    torch = pytest.importorskip("torch")
    data = export(model, shape)
    net = read(data)
    with torch.no_grad():
        for x in points(shape, n, seed):
            ref = model(torch.from_numpy(x)).numpy()
            assert_close(net.forward(exact(x)), ref)
    return net


def test_torch_leaky_relu_mlp():
    torch = pytest.importorskip("torch")
    nn = torch.nn
    torch.manual_seed(0)
    m = nn.Sequential(nn.Linear(3, 5), nn.LeakyReLU(0.2), nn.Linear(5, 4), nn.LeakyReLU(),
                      nn.Linear(4, 2))
    net = check_torch(m, (1, 3))
    assert net.widths == (5, 4)


def test_torch_conv1d_batchnorm_avgpool_linear():
    torch = pytest.importorskip("torch")
    nn = torch.nn
    torch.manual_seed(1)
    bn = nn.BatchNorm1d(4)
    with torch.no_grad():
        bn.running_mean.copy_(torch.randn(4))
        bn.running_var.copy_(torch.rand(4) + 0.5)
        bn.weight.copy_(torch.randn(4))
        bn.bias.copy_(torch.randn(4))
    m = nn.Sequential(nn.Conv1d(2, 4, 3, padding=1), bn, nn.ReLU(), nn.AvgPool1d(2),
                      nn.Flatten(), nn.Linear(4 * 4, 3))
    check_torch(m, (1, 2, 8))


def test_torch_residual_block():
    torch = pytest.importorskip("torch")
    nn = torch.nn

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.a, self.b, self.out = nn.Linear(4, 4), nn.Linear(4, 4), nn.Linear(4, 2)

        def forward(self, x):
            h = torch.relu(self.a(x))
            return self.out(torch.relu(x + self.b(h)))

    torch.manual_seed(2)
    check_torch(Block(), (1, 4))


def test_torch_conv2d_relu_maxpool_flatten_linear():
    torch = pytest.importorskip("torch")
    nn = torch.nn
    torch.manual_seed(3)
    m = nn.Sequential(nn.Conv2d(1, 3, 3, stride=1, padding=1), nn.ReLU(),
                      nn.MaxPool2d(2, ceil_mode=True), nn.Flatten(), nn.Linear(3 * 3 * 3, 2))
    check_torch(m, (1, 1, 5, 5), n=2)


def test_torch_relu6_hardtanh():
    torch = pytest.importorskip("torch")
    nn = torch.nn
    torch.manual_seed(4)
    m = nn.Sequential(nn.Linear(2, 6), nn.ReLU6(), nn.Linear(6, 6), nn.Hardtanh(-0.5, 0.25),
                      nn.Linear(6, 1))
    net = check_torch(m, (1, 2), n=6)
    kinds = {u.kind for layer in net.layer_units for u in layer}
    assert kinds == {"clamp(0, 6)", "clamp(-1/2, 1/4)"}


def test_torch_linear_relu_weights_exact():
    torch = pytest.importorskip("torch")
    nn = torch.nn
    torch.manual_seed(5)
    m = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    net = read(export(m, (1, 3)))
    assert net.is_relu and net.architecture == (3, 4, 2)
    for w, b, lin in zip(net.weights, net.biases, (m[0], m[2])):
        assert w == tuple(tuple(Fraction(float(v)) for v in row) for row in lin.weight.detach())
        assert b == tuple(Fraction(float(v)) for v in lin.bias.detach())


# ---- refusals ---------------------------------------------------------------------------
def test_refuses_tanh_sigmoid_in_the_middle():
    for op in ("Tanh", "Sigmoid", "Exp"):
        m = make([node(op, ["x"], ["h"]), node("Relu", ["h"])], [1, 3])
        refusal(m, op, f"{op.lower()}_node", "unsupported")


def test_final_softmax_needs_strip():
    W = rand(3, 2)
    m = make([node("MatMul", ["x", "W"], ["h"]), node("Softmax", ["h"], ["s"]),
              node("Identity", ["s"])], [1, 3], [const("W", W)])
    refusal(m, "Softmax", "softmax_node", "--strip-output-activation")
    g = graph_from_onnx(m.SerializeToString(), strip_output_activation=True)
    assert any("Softmax" in n and "dropped" in n for n in g["notes"])
    net = Network.from_json(g)
    x = rand(1, 3)
    assert_close(net.forward(exact(x)), x @ W)


def test_final_sigmoid_stripped():
    m = make([node("Relu", ["x"], ["h"]), node("Sigmoid", ["h"])], [1, 3])
    refusal(m, "Sigmoid", "--strip-output-activation")
    net = read(m, strip_output_activation=True)
    assert net.forward([Fraction(-1), Fraction(2), Fraction(0)]) == (0, 2, 0)


def test_refuses_products_of_computed_tensors():
    m = make([node("Relu", ["x"], ["r"]), node("Mul", ["x", "r"])], [1, 3])
    refusal(m, "Mul", "mul_node", "product")
    m = make([node("Relu", ["x"], ["r"]), node("Div", ["x", "r"])], [1, 3])
    refusal(m, "Div", "div_node")
    m = make([node("Relu", ["x"], ["r"]), node("MatMul", ["x", "r"])], [1, 3])
    refusal(m, "MatMul", "matmul_node")


def test_refuses_broadcasting_of_computed_tensors():
    m = make([node("Transpose", ["x"], ["t"]), node("Add", ["x", "t"])], [1, 3])
    refusal(m, "Add", "add_node", "broadcasting")
    m = make([node("Add", ["x", "c"])], [1, 3], [const("c", rand(2, 3))])
    refusal(m, "Add", "add_node", "broadcasting")


def test_refuses_graph_structure():
    two_in = make([node("Add", ["x", "z"])], None,
                  inputs=[vinfo("x", [1, 2]), vinfo("z", [1, 2])])
    refusal(two_in, "2 inputs", "'x'", "'z'")
    two_out = make([node("Relu", ["x"], ["a"]), node("Neg", ["x"], ["b"])], None,
                   inputs=[vinfo("x", [1, 2])], outputs=[vinfo("a", None), vinfo("b", None)])
    refusal(two_out, "2 outputs")
    cycle = make([node("Add", ["x", "b"], ["a"]), helper.make_node("Relu", ["a"], ["b"],
                                                                   name="loop")],
                 [1, 2], out="b")
    refusal(cycle, "cycle")
    undefined = make([node("Add", ["x", "nowhere"])], [1, 2])
    refusal(undefined, "Add", "add_node", "'nowhere'")
    no_out = make([node("Relu", ["x"], ["a"])], [1, 2], out="missing")
    refusal(no_out, "'missing'")
    const_out = make([node("Relu", ["c"])], [1, 2], [const("c", [1.0, 2.0])])
    refusal(const_out, "does not depend on the input")


def test_refuses_bad_inputs():
    refusal(make([node("Relu", ["x"])], [1, 3], elem=TensorProto.INT64), "element type")
    refusal(make([node("Relu", ["x"])], [1, "H", 3]), "dimension 1", "symbolic")
    refusal(make([node("Relu", ["x"])], [2, 3]), "batch", "2")
    refusal(make([node("Relu", ["x"])], []), "no shape")
    refusal(make([node("Relu", ["x"])], ["N"]), "symbolic")
    # a symbolic batch is read as 1
    net = read(make([node("Relu", ["x"])], ["N", 3]))
    assert net.input_dim == 3


def test_refuses_large_conv(monkeypatch):
    w = rand(4, 2, 3, 3)
    m = make([node("Conv", ["x", "w"], pads=[1, 1, 1, 1])], [1, 2, 6, 6], [const("w", w)])
    assert read(m).architecture == (72, 144)
    monkeypatch.setattr(onnx_reader, "MAX_ENTRIES", 1000)
    refusal(m, "Conv", "conv_node", "1000")


def test_refuses_unknown_domain_and_op():
    n = helper.make_node("FancyRelu", ["x"], ["y"], name="fancy", domain="com.example")
    m = helper.make_model(helper.make_graph([n], "g", [vinfo("x", [1, 2])], [vinfo("y", None)]),
                          opset_imports=[helper.make_opsetid("", 17),
                                         helper.make_opsetid("com.example", 1)])
    refusal(m, "com.example.FancyRelu", "fancy")
    refusal(make([node("Erf", ["x"])], [1, 2]), "Erf", "erf_node")


def test_refuses_not_a_model():
    for data in (b"", b"\x00\x01garbage", b"not a model at all"):
        with pytest.raises(InputError) as e:
            graph_from_onnx(data, source="m.onnx")
        assert "\n" not in str(e.value) and str(e.value).startswith("m.onnx: ")
    with pytest.raises(InputError):
        graph_from_onnx("a string")


def test_messages_are_one_line_for_strange_names():
    bad = "line\nbreak\u2028"
    n = helper.make_node("Tanh", ["x"], ["h"], name=bad)
    m = make([n, node("Relu", ["h"])], [1, 2])
    msg = refusal(m, "Tanh")
    assert "line?break?" in msg
    n = helper.make_node("Add", ["x", bad], ["y"], name=bad)
    refusal(make([n], [1, 2]), "Add")
    n = helper.make_node("Odd\nOp", ["x", "y"], ["y"], name=bad)
    refusal(make([n], [1, 2]), "cycle")


# ---- fuzzing ------------------------------------------------------------------------------
def _valid_model():
    w, b = rand(3, 2, 2, 2), rand(3)
    nodes = [node("Conv", ["x", "w", "b"], ["c"], pads=[1, 0, 0, 1], strides=[1, 1]),
             node("Relu", ["c"], ["r"]),
             node("MaxPool", ["r"], ["p"], kernel_shape=[2, 2], strides=[1, 1]),
             node("Flatten", ["p"], ["f"]),
             node("Gemm", ["f", "W", "B"], ["g"], transB=1, alpha=0.5),
             node("LeakyRelu", ["g"], ["l"], alpha=0.1),
             node("Add", ["l", "g"], ["y"])]
    inits = [const("w", w), const("b", b), const("W", rand(2, 18)), const("B", rand(2))]
    return make(nodes, [1, 2, 3, 4], inits, opset=13)


VALID = _valid_model()
VALID_BYTES = VALID.SerializeToString()
fuzz = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _property(data, **kw):
    """Reading either gives a graph Network.from_json accepts (or refuses with an
    InputError) or raises an InputError of one line; nothing else."""
    try:
        g = graph_from_onnx(data, **kw)
    except InputError as e:
        assert "\n" not in str(e) and str(e)
        return None
    try:
        return Network.from_json(g)
    except InputError as e:
        assert "\n" not in str(e)
        return None


def test_valid_model_reads():
    net = _property(VALID_BYTES)
    assert net is not None and net.input_dim == 24


@fuzz
@given(st.binary(max_size=300))
def test_fuzz_random_bytes(data):
    _property(data)


@fuzz
@given(st.integers(0, len(VALID_BYTES)), st.integers(0, len(VALID_BYTES) - 1),
       st.integers(0, 255), st.booleans())
def test_fuzz_truncated_and_corrupted(cut, pos, byte, truncate):
    data = VALID_BYTES[:cut] if truncate else \
        VALID_BYTES[:pos] + bytes([byte]) + VALID_BYTES[pos + 1:]
    _property(data)


small_ints = st.integers(-3, 6)
int_lists = st.lists(small_ints, max_size=5)


@st.composite
def mutated(draw):
    m = onnx.ModelProto()
    m.CopyFrom(VALID)
    g = m.graph
    kind = draw(st.sampled_from(["attr", "init_shape", "input_dim", "drop_attr", "input",
                                 "op", "opset"]))
    if kind == "attr":
        nd = draw(st.sampled_from(list(g.node)))
        name = draw(st.sampled_from(["pads", "strides", "kernel_shape", "dilations", "axis",
                                     "transB", "transA", "alpha", "group", "auto_pad",
                                     "perm", "ceil_mode"]))
        A = onnx.AttributeProto
        if name in ("axis", "transB", "transA", "group", "ceil_mode"):
            a = helper.make_attribute(name, draw(small_ints), attr_type=A.INT)
        elif name == "alpha":
            a = helper.make_attribute(name, draw(st.floats(allow_nan=True, allow_infinity=True,
                                                           width=32)), attr_type=A.FLOAT)
        elif name == "auto_pad":
            a = helper.make_attribute(name, draw(st.sampled_from(
                ["SAME_UPPER", "SAME_LOWER", "VALID", "NOTSET", "BAD"])), attr_type=A.STRING)
        else:
            a = helper.make_attribute(name, draw(int_lists), attr_type=A.INTS)
        keep = [x for x in nd.attribute if x.name != name]
        del nd.attribute[:]
        nd.attribute.extend(keep + [a])
    elif kind == "init_shape":
        i = draw(st.integers(0, len(g.initializer) - 1))
        shape = draw(st.lists(st.integers(0, 5), min_size=0, max_size=4))
        arr = RNG.normal(size=shape)
        name = g.initializer[i].name
        g.initializer[i].CopyFrom(numpy_helper.from_array(arr, name))
    elif kind == "input_dim":
        dims = g.input[0].type.tensor_type.shape.dim
        j = draw(st.integers(0, len(dims) - 1))
        v = draw(st.integers(-2, 7))
        if v < 0:
            dims[j].dim_param = "n"
        else:
            dims[j].dim_value = v
    elif kind == "drop_attr":
        nd = draw(st.sampled_from(list(g.node)))
        if nd.attribute:
            del nd.attribute[draw(st.integers(0, len(nd.attribute) - 1))]
    elif kind == "input":
        nd = draw(st.sampled_from(list(g.node)))
        j = draw(st.integers(0, len(nd.input)))
        names = ["x", "w", "b", "W", "B", "c", "r", "p", "f", "g", "l", "", "zz"]
        if j < len(nd.input):
            nd.input[j] = draw(st.sampled_from(names))
        else:
            nd.input.append(draw(st.sampled_from(names)))
    elif kind == "op":
        nd = draw(st.sampled_from(list(g.node)))
        nd.op_type = draw(st.sampled_from(
            ["Relu", "Conv", "MaxPool", "AveragePool", "Gemm", "MatMul", "Flatten", "Add",
             "Mul", "Sub", "Max", "Min", "Concat", "Transpose", "Squeeze", "Unsqueeze",
             "Reshape", "Slice", "Gather", "Pad", "Split", "ReduceMax", "ReduceMean",
             "GlobalMaxPool", "BatchNormalization", "Clip", "PRelu", "Tile", "Expand",
             "Softmax"]))
    else:
        m.opset_import[0].version = draw(st.integers(1, 25))
    return m.SerializeToString()


@fuzz
@given(mutated())
def test_fuzz_mutated_models(data):
    _property(data)
    _property(data, strip_output_activation=True)


def test_shape_arithmetic_on_constants_and_refused_on_computed_tensors():
    # exporters compute shapes with Mod, Equal, Where, Range on constants
    cs = [const("a", np.array([7.0, 8.0])), const("b", np.array([3.0, 3.0]))]
    m = make([node("Mod", ["a", "b"], ["r"], fmod=1), node("Equal", ["r", "b"], ["e"]),
              node("Where", ["e", "a", "r"], ["w"]), node("Add", ["x", "w"], ["s"]),
              node("Relu", ["s"])], [1, 2], cs)
    net = read(m)
    assert net.forward([0, 0]) == (1, 2)          # fmod(7, 3) = 1, fmod(8, 3) = 2
    m = make([node("Floor", ["x"], ["h"]), node("Relu", ["h"])], [1, 2])
    refusal(m, "Floor", "constants only")
