"""values_readable: host-side value checks run on real tensors only."""

import torch
from torch._subclasses.fake_tensor import FakeTensorMode

from tork._backend.tracing import graph_capture, values_readable


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
