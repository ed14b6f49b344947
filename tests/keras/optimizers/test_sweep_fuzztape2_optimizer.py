"""apply_gradients with a variable listed twice updates it pair by pair, as TF (fuzztape2).

`a.trainable_variables + b.trainable_variables` of two models sharing a layer names the
shared weights twice. TF applies each (gradient, variable) pair in turn, through the same
slots and at one step count; tork's fused step read and wrote the aliased variable and
slots at once (SGD with momentum gave [0.157, 0.876] below). Expected numbers from
TensorFlow 2.21 / tf_keras (TF_USE_LEGACY_KERAS=1), two calls of
apply_gradients([(g1, v), (g_w, w), (g2, v)]).
"""

import numpy as np
import pytest

import tork as tf

OPT = tf.keras.optimizers

CASES = [
    ("sgd", lambda: OPT.SGD(0.1), [0.7, 1.6], [2.6]),
    ("sgd_momentum", lambda: OPT.SGD(0.1, momentum=0.9), [0.2806, 1.4208999], [2.42]),
    ("adam", lambda: OPT.Adam(0.1), [0.54319644, 1.9503297], [2.8000019]),
    ("rmsprop", lambda: OPT.RMSprop(0.1), [0.20506218, 1.891058], [2.4543567]),
    ("adagrad", lambda: OPT.Adagrad(0.1), [0.7653791, 1.9640487], [2.830954]),
    (
        "global_clipnorm",
        lambda: OPT.SGD(0.1, momentum=0.5, global_clipnorm=1.0),
        [0.878365, 1.875164],
        [2.8719633],
    ),
    ("legacy_adam", lambda: OPT.legacy.Adam(0.1), [0.5431934, 1.9503292], [2.8000004]),
    ("ema", lambda: OPT.SGD(0.1, use_ema=True, ema_momentum=0.5), [0.7, 1.6], [2.6]),
]


@pytest.mark.parametrize("name,make,want_v,want_w", CASES, ids=[c[0] for c in CASES])
def test_repeated_variable_is_updated_pair_by_pair(name, make, want_v, want_w):
    v = tf.Variable([1.0, 2.0])
    w = tf.Variable([3.0])
    opt = make()
    for _ in range(2):
        opt.apply_gradients(
            [(tf.constant([1.0, -1.0]), v), (tf.constant([2.0]), w), (tf.constant([0.5, 3.0]), v)]
        )
    np.testing.assert_allclose(v.numpy(), want_v, rtol=2e-5, atol=1e-6)
    np.testing.assert_allclose(w.numpy(), want_w, rtol=2e-5, atol=1e-6)
    assert int(opt.iterations.numpy()) == 2  # one step per call, as TF
