"""`tf.RaggedTensor.from_tensor` on functional-API tensors.

tf_keras records `tf.RaggedTensor.from_tensor(keras.Input(...), lengths=...)` as a layer
of the model (named `tf.RaggedTensor.from_tensor`), whose output is a ragged symbolic
tensor. RaggedTensor's constructors are class methods, which `tork._symbolic.install`
(for module functions) does not reach: they are wrapped here, once, when the functional
API loads. The op runs on real twins (as ragged layers do, see composite.py), since its
output is a RaggedTensor.
"""

from __future__ import annotations

from tork import _symbolic
from tork._backend.ragged_tensor import RaggedTensor

# Constructors from dense tensors, whose twins can be any values (the row lengths of
# from_row_lengths & co. must add up to the values' rows, which stand-in twins do not).
_CONSTRUCTORS = ("from_tensor",)


def _install() -> None:
    for name in _CONSTRUCTORS:
        method = getattr(RaggedTensor, name)
        if getattr(method, "_tork_composite_output", False):
            continue  # installed already
        setattr(RaggedTensor, name, staticmethod(_recorded(method, f"tf.RaggedTensor.{name}")))


def _standard_twins(out):
    """`out` with the twins of a `keras.Input(ragged=True)` of its shape.

    The twin run gets zeros for the row lengths (`lengths=`), so both twins' rows are
    empty, and `to_tensor()` would give a padded length of 0 where Keras has None: the
    standard twins' rows differ in length.
    """
    from tork.keras.models.functional.keras_tensor import RaggedKerasTensor, make_ragged_twins

    if isinstance(out, RaggedKerasTensor):
        out._fakes = make_ragged_twins(out.shape, out.dtype, out.ragged_rank, out.row_splits_dtype)
    return out


def _recorded(method, api_name: str):
    """`method` recording a graph node (run on real twins) when given symbolic tensors,
    registered as an op named `api_name` (model configs name it so)."""
    import functools

    op = _symbolic._wrap(method, api_name)

    @functools.wraps(method)
    def call(*args, **kwargs):
        if _symbolic._has_symbolic(args, kwargs):
            return symbolic_call(args, kwargs)
        return op(*args, **kwargs)

    def symbolic_call(args, kwargs, layer=None):
        from tork.keras.models.functional import composite

        return _standard_twins(composite.call_op(call, args, kwargs, layer=layer))

    for attribute in ("_tork_api_name", "_tork_keras2_name", "_tork_reads_shape"):
        setattr(call, attribute, getattr(op, attribute))
    call._tork_composite_output = True
    # The op layer of a model read from a file records its call through this too.
    call._tork_symbolic_call = symbolic_call
    _symbolic._WRAPPERS[call] = call
    return call


_install()
