"""`tensorflow.python.ops.init_ops`: TensorFlow 1's initializer classes.

Library code written for TF 1 and 2 alike imports initializers from here first
(DeepCTR's layers: `from tensorflow.python.ops.init_ops import Zeros, glorot_normal_initializer
as glorot_normal`) and passes instances to `add_weight`. TF 1's classes differ from
Keras's in what callers may pass: a `dtype=` argument at construction, a
`partition_info=` argument at call, and TF 1's defaults (`TruncatedNormal` and
`RandomNormal` have `stddev=1.0`, `RandomUniform` draws from [0, 1)). Here they are Keras's
classes with those differences; they serialize as the Keras class of the same name.
"""

from __future__ import annotations

from tork.keras import initializers as _keras


class _V1:
    # TF 1's `__init__(..., dtype=tf.float32)` and `__call__(shape, dtype=None,
    # partition_info=None)`: the construction dtype is the default of the call.
    def _keep_dtype(self, dtype) -> None:
        self._v1_dtype = dtype

    def __call__(self, shape, dtype=None, partition_info=None, **kwargs):
        return super().__call__(shape, dtype=dtype or self._v1_dtype, **kwargs)


def _v1_class(base, doc: str, **defaults):
    names = list(defaults)

    def __init__(self, *args, dtype="float32", **kwargs):
        given = dict(zip(names, args))
        given.update(kwargs)
        given.pop("verify_shape", None)  # TF 1's Constant option: shapes always match here.
        base.__init__(self, **{**defaults, **given})
        self._keep_dtype(dtype)

    return type(
        base.__name__,
        (_V1, base),
        {
            "__init__": __init__,
            "__doc__": doc,
            "__module__": __name__,
            "_tork_serialize_as": base,
        },
    )


Zeros = _v1_class(_keras.Zeros, "TF 1's `Zeros(dtype=tf.float32)`: all zeros.")
Ones = _v1_class(_keras.Ones, "TF 1's `Ones(dtype=tf.float32)`: all ones.")
Constant = _v1_class(
    _keras.Constant,
    "TF 1's `Constant(value=0, dtype=tf.float32, verify_shape=False)`: a fixed value.",
    value=0,
)
TruncatedNormal = _v1_class(
    _keras.TruncatedNormal,
    "TF 1's `TruncatedNormal(mean=0.0, stddev=1.0, seed=None, dtype=tf.float32)`.",
    mean=0.0,
    stddev=1.0,
    seed=None,
)
RandomNormal = _v1_class(
    _keras.RandomNormal,
    "TF 1's `RandomNormal(mean=0.0, stddev=1.0, seed=None, dtype=tf.float32)`.",
    mean=0.0,
    stddev=1.0,
    seed=None,
)
RandomUniform = _v1_class(
    _keras.RandomUniform,
    "TF 1's `RandomUniform(minval=0, maxval=1, seed=None, dtype=tf.float32)`.",
    minval=0.0,
    maxval=1.0,
    seed=None,
)
GlorotNormal = _v1_class(
    _keras.GlorotNormal,
    "TF 1's `glorot_normal_initializer(seed=None, dtype=tf.float32)`.",
    seed=None,
)
GlorotUniform = _v1_class(
    _keras.GlorotUniform,
    "TF 1's `glorot_uniform_initializer(seed=None, dtype=tf.float32)`.",
    seed=None,
)
VarianceScaling = _v1_class(
    _keras.VarianceScaling,
    "TF 1's `VarianceScaling(scale=1.0, mode='fan_in', distribution='truncated_normal', "
    "seed=None, dtype=tf.float32)`.",
    scale=1.0,
    mode="fan_in",
    distribution="truncated_normal",
    seed=None,
)

# TF 1's lower-case names.
zeros_initializer = Zeros
ones_initializer = Ones
constant_initializer = Constant
truncated_normal_initializer = TruncatedNormal
random_normal_initializer = RandomNormal
random_uniform_initializer = RandomUniform
glorot_normal_initializer = GlorotNormal
glorot_uniform_initializer = GlorotUniform
variance_scaling_initializer = VarianceScaling
