"""Functional nodes: the call's input structure is the node's own (tf_keras merging_test's
test_concatenate_user_changes_to_input_structure), and tork's layers whose
compute_output_shape stands in for calls on unknown sizes."""

import numpy as np

from tork import keras

L = keras.layers


def test_list_appended_after_the_call_does_not_change_the_node():
    a = L.Input(shape=(4, 5))
    struct = [a, a]
    concat1 = L.Concatenate(1)
    b = concat1(struct)
    struct.append(b)
    concat2 = L.Concatenate(1)
    c = concat2(struct)
    # tf_keras: 2 and 3 input tensors; the model builds.
    assert len(concat1.inbound_nodes[0].input_tensors) == 2
    assert len(concat2.inbound_nodes[0].input_tensors) == 3
    model = keras.Model(a, c)
    assert tuple(model(np.ones((1, 4, 5), "float32")).shape) == (1, 16, 5)


def test_densenet_style_feature_list():
    # Each block concatenates the list of all earlier features, then appends its output.
    a = L.Input(shape=(2,))
    feats = [a]
    for _ in range(3):
        c = L.Concatenate()(feats) if len(feats) > 1 else feats[0]
        feats.append(L.Dense(2, kernel_initializer="ones", use_bias=False)(c))
    model = keras.Model(a, feats[-1])
    # By hand: [1, 1] -> [2, 2]; [1, 1, 2, 2] -> [6, 6]; [1, 1, 2, 2, 6, 6] -> [18, 18]
    # (tf_keras gives the same).
    np.testing.assert_allclose(model(np.ones((1, 2), "float32")).numpy(), [[18.0, 18.0]])
    assert [tuple(layer.output_shape) for layer in model.layers[1:]] == [
        (None, 2),
        (None, 4),
        (None, 2),
        (None, 6),
        (None, 2),
    ]
