"""`keras.ops`: Keras 3's backend-agnostic ops, running on torch.

Everything is importable from here (`keras.ops.matmul`, `keras.ops.softmax`,
`keras.ops.cond`, `keras.ops.norm`...), as in Keras; the submodules `numpy`,
`core`, `nn`, `math` and `linalg` hold the same functions by family; `image` holds the
image ops (`keras.ops.image.resize`), which are not exported at the top level. All ops
take tensors, NumPy arrays or Python values and return `torch.Tensor`s.
"""

from tork import _symbolic
from tork._backend.errors import module_getattr as _module_getattr
from tork.keras.ops import _nn_extra, core, image, linalg, math, nn, numpy
from tork.keras.ops._nn_extra import *  # noqa: F403
from tork.keras.ops.core import *  # noqa: F403
from tork.keras.ops.linalg import *  # noqa: F403
from tork.keras.ops.math import *  # noqa: F403
from tork.keras.ops.nn import *  # noqa: F403
from tork.keras.ops.numpy import *  # noqa: F403

# The convolution/pooling/attention ops live in `_nn_extra` and belong to `keras.ops.nn`;
# a name `nn` defines itself wins (its star import above came after `_nn_extra`'s).
for _name in _nn_extra.__all__:
    if _name not in nn.__dict__:
        setattr(nn, _name, getattr(_nn_extra, _name))
        nn.__all__.append(_name)

# keras.ops called on functional-API symbolic tensors become graph nodes.
for _module in (core, linalg, math, nn, numpy):
    _symbolic.install(_module.__dict__, "keras.ops")
_symbolic.install(globals(), "keras.ops", only_wrapped=True)
_symbolic.install(image.__dict__, "keras.ops.image")

__all__ = sorted(
    {*core.__all__, *linalg.__all__, *math.__all__, *nn.__all__, *numpy.__all__}
    | {"core", "image", "linalg", "math", "nn", "numpy"}
)

__getattr__ = _module_getattr("keras.ops")
