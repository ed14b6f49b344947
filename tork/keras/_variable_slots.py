"""Where modules hold their variables, and swapping them out for a while.

Used to run a model on stand-ins for its variables: placeholders while a training step is
traced (`trainers/compiled_step.py`), plain-tensor views during symbolic calls on torch
versions whose FakeTensorMode refuses `Variable` (`models/functional/node.py`).
"""

from __future__ import annotations

import torch


class Swap:
    """Replaces entries of dicts and lists until `restore()` puts the originals back."""

    def __init__(self):
        self._entries: list = []

    def set(self, container, key, value, raw: bool = False) -> None:
        """Sets `container[key] = value`; `raw` skips a subclass's `__setitem__` hooks."""
        self._entries.append((container, key, container[key], raw))
        self._write(container, key, value, raw)

    @staticmethod
    def _write(container, key, value, raw: bool) -> None:
        if not raw:
            container[key] = value
        elif isinstance(container, dict):
            dict.__setitem__(container, key, value)
        else:
            list.__setitem__(container, key, value)

    def restore(self) -> None:
        while self._entries:
            container, key, original, raw = self._entries.pop()
            self._write(container, key, original, raw)


def model_slots(model) -> list:
    """`(container, key, tensor, raw)` for every place a module holds a variable.

    First the parameter and buffer registries (set with their own `__setitem__`, so that
    tork's attribute aliases follow), then variables held in a module's `__dict__` under
    another name (`self.w = self.add_weight(...)`), directly or in a list or dict.
    """
    found = []
    for module in model.modules():
        for registry in (module._parameters, module._buffers):
            for key, tensor in registry.items():
                if tensor is not None:
                    found.append((registry, key, tensor, False))
    for module in model.modules():
        registered = module._parameters
        for key, value in module.__dict__.items():
            if isinstance(value, torch.nn.Parameter):
                if registered.get(key) is not value:
                    found.append((module.__dict__, key, value, True))
            elif isinstance(value, list):
                for index, item in enumerate(value):
                    if isinstance(item, torch.nn.Parameter):
                        found.append((value, index, item, True))
            elif isinstance(value, dict) and key not in ("_parameters", "_buffers", "_modules"):
                for item_key, item in value.items():
                    if isinstance(item, torch.nn.Parameter):
                        found.append((value, item_key, item, True))
    return found
