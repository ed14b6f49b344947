"""Known value ranges of batches (`tork._backend.value_range`)."""

from __future__ import annotations

import torch

from tork._backend.value_range import known_range, tag, value_range


def test_a_tag_holds_until_the_tensor_changes_in_place():
    x = torch.tensor([3, 1, 2])
    assert known_range(x) is None
    tag(x, (1.0, 3.0))
    assert known_range(x) == (1.0, 3.0)
    view = x[1:]
    assert known_range(view) is None  # views are tagged one by one
    x.add_(10)  # changed after tagging: the range no longer holds
    assert known_range(x) is None


def test_ranges_are_read_only_off_the_cpu():
    # On the CPU torch checks indices itself, for free: nothing to read ahead.
    assert value_range(torch.tensor([0, 5])) is None
    assert value_range("not a tensor") is None
