"""`self.training` on a Keras layer: the user's own attribute, apart from torch's flag.

tf.keras layers have no `training` attribute, so user code may own one
(`self.training = False` in `__init__`, `self.training = training` in `call`) and
read it back. tork layers are `torch.nn.Module`s, whose `train()`/`eval()` write
the same attribute on every submodule, so `fit`/`evaluate`/`predict` (and
PyTorch code calling `model.eval()`) would overwrite the user's value.

Here the two live apart: `train(mode)` keeps torch's flag under `_TORCH`, a value
the user assigns is kept under `_USER`, and reading `layer.training` gives the
user's value when there is one, else torch's flag (so PyTorch code that never
assigns it sees `model.train()`/`model.eval()` as usual). tork's own Keras
`training` argument does not come from either: it flows through the call context.
"""

from __future__ import annotations

import torch

_TORCH = "_tork_torch_training"
_USER = "_tork_user_training"


def _get(self):
    state = self.__dict__
    if _USER in state:
        return state[_USER]
    return state.get(_TORCH, True)


def _set(self, value) -> None:
    state = self.__dict__
    if "_parameters" not in state:
        # torch.nn.Module.__init__ sets its flag before anything else: torch's, not the user's.
        state[_TORCH] = value
    else:
        state[_USER] = value


def _delete(self) -> None:
    # `del self.training`: back to torch's train/eval flag.
    self.__dict__.pop(_USER, None)


training = property(
    _get,
    _set,
    _delete,
    doc=(
        "The value user code assigned to `self.training`, else torch's train/eval flag "
        "(`model.train()`/`model.eval()`); Keras's `training` call argument is separate."
    ),
)


def train(self, mode: bool = True):
    """Sets torch's train/eval mode here and in every submodule (as `torch.nn.Module.train`).

    A value user code assigned to `self.training` is left as it is.

    Args:
        mode: True for training mode, False for evaluation mode.

    Returns:
        The layer itself.
    """
    if not isinstance(mode, bool):
        raise ValueError("training mode is expected to be boolean")
    self.__dict__[_TORCH] = mode
    for module in self.children():
        module.train(mode)
    return self


def torch_mode(module: torch.nn.Module) -> bool:
    """torch's train/eval flag of `module`, whatever its user assigned to `training`."""
    return module.__dict__.get(_TORCH, module.training)
