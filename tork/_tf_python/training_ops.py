"""`tensorflow.python.training.training_ops` (and `gen_training_ops`,
`gen_resource_variable_ops`): the snake_case wrappers of `tf.raw_ops`' training kernels.

Keras 2's optimizers called them positionally, in the raw op's argument order:
`training_ops.resource_apply_adam(var.handle, m.handle, v.handle, beta1_power, ...)`.
"""

from __future__ import annotations

import inspect
import re

from tork.ops import raw_ops as _raw_ops


def _snake(name: str) -> str:
    # TensorFlow's op-name convention: `ResourceApplyCenteredRMSProp` ->
    # `resource_apply_centered_rms_prop`, `ResourceApplyFtrlV2` -> `resource_apply_ftrl_v2`.
    name = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()


def _positional(op: str):
    raw = getattr(_raw_ops, op)
    names = list(inspect.signature(raw).parameters)

    def wrapper(*args, **kwargs):
        if len(args) > len(names):
            raise TypeError(f"{_snake(op)} takes at most {len(names)} arguments ({names}).")
        for argument, value in zip(names, args):
            if argument in kwargs:
                raise TypeError(f"{_snake(op)} got multiple values for argument {argument!r}.")
            kwargs[argument] = value
        return raw(**kwargs)

    wrapper.__name__ = wrapper.__qualname__ = _snake(op)
    wrapper.__doc__ = f"`tf.raw_ops.{op}`, taking its arguments positionally too."
    wrapper.__signature__ = inspect.Signature(
        [
            p.replace(kind=inspect.Parameter.POSITIONAL_OR_KEYWORD)
            for p in inspect.signature(raw).parameters.values()
        ]
    )
    return wrapper


for _op in _raw_ops.__all__:
    globals()[_snake(_op)] = _positional(_op)
del _op


def __getattr__(name: str):
    if name.startswith("__"):
        raise AttributeError(name)
    from tork._backend.errors import TorkNotImplementedError

    raise TorkNotImplementedError(
        f"tork does not implement `tensorflow.python.training.training_ops.{name}`: it has "
        "the snake_case wrappers of the ops in `tf.raw_ops` (resource_apply_*, "
        "resource_sparse_apply_*, resource_scatter_*, assign_variable_op, read_variable_op)."
    )
