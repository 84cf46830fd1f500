"""The insertion plan of a network (private): which function is inserted at each step,
and the serial runner that inserts them into a builder."""

from .values import layer_values


def neuron_plan(network, output):
    """``(layer index, neuron index, descriptor)`` for every function to insert."""
    plan = []
    n_layers = len(network.weights)
    for li in range(n_layers):
        hidden = li < n_layers - 1
        if not hidden and not output:
            break
        for j in range(len(network.weights[li])):
            plan.append((li, j, ("neuron", li + 1, j) if hidden else ("output",)))
    return plan


def step_reporter(builder, total, progress, max_regions):
    """``on_step(done)`` for :func:`run_plan`: report progress and enforce the region limit."""
    from ..exceptions import LimitExceeded

    def step(done):
        n = builder.n_top
        if progress is not None:
            progress(done, total, n)
        if max_regions is not None and n > max_regions:
            raise LimitExceeded(f"more than {max_regions} regions after inserting "
                                f"{done} of {total} neurons")

    return step


def run_plan(builder, layers, plan, start, stop, on_step=None):
    """Insert the functions ``plan[start:stop]`` (the carry of ``plan[start]``'s layer
    is in the builder unless ``start`` opens a layer)."""
    d = builder.d
    for t in range(start, stop):
        li, j, _ = plan[t]
        if j == 0:
            W, b, _ = layers[li]
            M = builder.M[:builder.nv]
            Z = M[:, :d] if li == 0 else M[:, d + 1:]
            builder.set_carry(layer_values(W, b, Z, M[:, d], relu=li > 0))
        builder.insert(builder.values(d + 1 + j))
        if on_step is not None:
            on_step(t + 1)
