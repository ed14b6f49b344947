"""torch's module hooks run on tork layers: forward, pre-forward, backward and global hooks.

The expected values are computed by hand (ones kernels) and the hook calls counted.
"""

from __future__ import annotations

import numpy as np
import torch

import tork as tf
from tork import keras


def test_forward_and_pre_hooks_fire_and_can_replace_the_output():
    seen = []
    dense = keras.layers.Dense(2, kernel_initializer="ones")
    handle = dense.register_forward_hook(lambda m, i, o: seen.append(("fwd", tuple(o.shape))))
    dense.register_forward_pre_hook(lambda m, i: seen.append(("pre", tuple(i[0].shape))))
    out = dense(torch.ones(1, 3))
    assert seen == [("pre", (1, 3)), ("fwd", (1, 2))]
    np.testing.assert_allclose(out.detach().numpy(), [[3.0, 3.0]])
    handle.remove()
    seen.clear()
    dense(torch.ones(1, 3))
    assert seen == [("pre", (1, 3))]
    scaled = keras.layers.Dense(2, kernel_initializer="ones")
    scaled.register_forward_hook(lambda m, i, o: o * 10)
    np.testing.assert_allclose(scaled(torch.ones(1, 3)).detach().numpy(), [[30.0, 30.0]])


def test_hooks_fire_in_predict_fit_and_backward_but_not_while_building():
    inputs = keras.Input((3,))
    middle = keras.layers.Dense(4, name="mid")
    features = []
    middle.register_forward_hook(lambda m, i, o: features.append(tuple(o.shape)))
    model = keras.Model(inputs, keras.layers.Dense(1)(middle(inputs)))
    assert features == []  # the symbolic call that builds the graph runs no hooks
    model.predict(np.ones((5, 3), "float32"), verbose=0)
    assert features == [(5, 4)]
    model.compile("sgd", "mse")
    model.fit(np.ones((8, 3), "float32"), np.ones((8, 1), "float32"), batch_size=4, verbose=0)
    assert features[1:] == [(4, 4), (4, 4)]
    grads = []
    middle.register_full_backward_hook(lambda m, gi, go: grads.append(tuple(go[0].shape)))
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(model(np.ones((2, 3), "float32")))
    tape.gradient(loss, model.trainable_variables)
    assert grads == [(2, 4)]


def test_global_module_hooks_see_each_layer_once():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2), keras.layers.Dense(1)])
    names = []
    handle = torch.nn.modules.module.register_module_forward_hook(
        lambda m, i, o: names.append(type(m).__name__)
    )
    try:
        model(np.ones((2, 3), "float32"))
    finally:
        handle.remove()
    assert names == ["Dense", "Dense", "Sequential"]
