"""Symbolic tensor names as tf.keras 2 gives them (`'dense/BiasAdd:0'`, `'input_1'`).

Expected names printed by tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) for the same graph; tork
gave Keras 3's `keras_tensor_<n>`. The layer-name component (what code takes back with
`x.name.split('/')[0]`) and the index always match; the op part matches for these layers.
"""

import tork as tf

keras = tf.keras
L = keras.layers


def test_layer_output_names():
    i1 = keras.Input((8, 8, 3), name="eng_img")
    i2 = keras.Input((4,), name="eng_feat")
    assert (i1.name, i2.name) == ("eng_img", "eng_feat")
    cases = [
        (L.Conv2D(2, 3, name="eng_conv")(i1), "eng_conv/BiasAdd:0"),
        (L.Conv2D(2, 3, activation="relu", name="eng_convr")(i1), "eng_convr/Relu:0"),
        (L.Flatten(name="eng_flat")(i1), "eng_flat/Reshape:0"),
        (L.Dense(4, activation="relu", name="eng_hid")(i2), "eng_hid/Relu:0"),
        (L.Dense(4, activation="softmax", name="eng_sm")(i2), "eng_sm/Softmax:0"),
        (L.Dense(4, use_bias=False, name="eng_nb")(i2), "eng_nb/MatMul:0"),
        (L.Dense(4, name="eng_lin")(i2), "eng_lin/BiasAdd:0"),
        (L.Activation("relu", name="eng_act")(i2), "eng_act/Relu:0"),
        (L.BatchNormalization(name="eng_bn")(i2), "eng_bn/batchnorm/add_1:0"),
        (L.Dropout(0.5, name="eng_drop")(i2), "eng_drop/Identity:0"),
        (L.Reshape((2, 2), name="eng_rs")(i2), "eng_rs/Reshape:0"),
        (L.Concatenate(name="eng_cat")([i2, i2]), "eng_cat/concat:0"),
        (L.Add(name="eng_add")([i2, i2]), "eng_add/add:0"),
        (L.LSTM(3, name="eng_lstm")(keras.Input((5, 2))), "eng_lstm/PartitionedCall:0"),
    ]
    for tensor, expected in cases:
        assert tensor.name == expected


def test_first_component_is_the_layer_name():
    x = keras.Input((4,))
    lam = L.Lambda(lambda t: t * 2, name="eng_lam")(x)
    assert lam.name.split("/")[0] == "eng_lam" and lam.name.endswith(":0")  # TF: mul:0
    first, second = tf.split(x, 2, axis=1)
    # TF: 'tf.split/split:0' and 'tf.split/split:1'.
    assert first.name.split("/")[0] == second.name.split("/")[0]
    assert first.name.startswith("tf.split") and first.name.endswith(":0")
    assert second.name.endswith(":1")


def test_model_outputs_and_nested_models():
    inp = keras.Input((4,), name="eng_in")
    hid = L.Dense(4, activation="relu", name="eng_h2")(inp)
    out = L.Dense(2, name="eng_out")(hid)
    model = keras.Model(inp, [out, hid], name="eng_inner")
    assert [o.name for o in model.outputs] == ["eng_out/BiasAdd:0", "eng_h2/Relu:0"]
    assert model.outputs[0].name.split("/")[0] == model.output_names[0]
    outer_in = keras.Input((4,), name="eng_outer_in")
    nested = model(outer_in)
    # TF: 'eng_inner/eng_out/BiasAdd:0' (the model's name, then its own output's name)
    assert [t.name for t in nested] == ["eng_inner/eng_out/BiasAdd:0", "eng_inner/eng_h2/Relu:0"]
