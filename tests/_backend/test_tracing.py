"""values_readable and outside_compiled_graphs: tork's view of torch's tracers."""

import subprocess
import sys

import torch
from torch._subclasses.fake_tensor import FakeTensorMode

from tork._backend.tracing import graph_capture, outside_compiled_graphs, values_readable


def test_real_tensors_are_readable_fakes_and_graph_captures_are_not():
    real = torch.arange(3)
    assert values_readable(real)
    with FakeTensorMode() as mode:
        fake = mode.from_tensor(real)
    assert not values_readable(fake)
    with graph_capture():
        assert not values_readable(real)
        with graph_capture():
            assert not values_readable(real)
        assert not values_readable(real)
    assert values_readable(real)


def test_compiled_code_does_not_read_values():
    seen = []

    @torch.compile(backend="eager", fullgraph=False)
    def f(x):
        seen.append(values_readable(x))
        return x + 1

    f(torch.ones(2))
    assert seen == [False]


def test_importing_keras_layers_does_not_load_torch_compiler():
    # torch._dynamo costs about a second to import: programs that never compile (eager
    # subclassed models, tf.image, tf.data) must not pay it at `import tork`.
    code = (
        "import sys, tork as tf\n"
        "tf.keras.layers.LSTM(3); tf.keras.layers.Dense(2)\n"
        "tf.image.resize(tf.zeros([1, 4, 4, 3]), [8, 8])\n"
        "print('torch._dynamo' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_outside_compiled_graphs_runs_eagerly_inside_a_compiled_caller():
    seen = []

    @outside_compiled_graphs
    def inner(x):
        # A Python side effect: it happens on every call only if this runs eagerly.
        seen.append(1)
        return torch.sin(x) * 2

    def outer(x):
        return inner(x + 1) + 1

    x = torch.linspace(-1.0, 1.0, 5)
    compiled = torch.compile(outer, backend="eager")
    for _ in range(3):
        torch.testing.assert_close(compiled(x), torch.sin(x + 1) * 2 + 1)
    assert len(seen) == 3
