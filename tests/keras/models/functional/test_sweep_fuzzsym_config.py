"""Op layers of functional models in configs and .h5 files: varargs ops, SlicingOpLambda.

Found by differential fuzzing against tf_keras (helper fuzzsym).
"""

import numpy as np

import tork as tf

keras = tf.keras


def test_einsum_model_round_trips_through_h5(tmp_path):
    # tf.einsum(equation, *inputs): its operands past the equation were written as
    # `arg_1`, `arg_2`, which loading refused ("einsum got unexpected arguments").
    x = keras.Input((2, 3), name="x")
    transposed = tf.einsum("bij->bji", x)
    product = tf.einsum("bij,bjk->bik", x, transposed)
    model = keras.Model(x, [transposed, product])
    path = str(tmp_path / "einsum.h5")
    model.save(path)
    loaded = keras.models.load_model(path)
    data = np.random.default_rng(0).standard_normal((2, 2, 3)).astype("float32")
    got = loaded.predict(data, verbose=0)
    np.testing.assert_allclose(got[0], np.transpose(data, (0, 2, 1)), rtol=1e-6)
    np.testing.assert_allclose(got[1], data @ np.transpose(data, (0, 2, 1)), rtol=1e-5)


def test_boolean_mask_is_a_slicing_op_layer_as_in_tf_keras():
    # tf_keras's summary: `tf.compat.v1.boolean_mask (SlicingOpLambda)`.
    x = keras.Input((3,))
    model = keras.Model(x, [tf.boolean_mask(x, x > 0), tf.compat.v1.boolean_mask(x, x > 0)])
    kinds = {
        type(layer).__name__
        for layer in model.layers
        if layer.name.startswith("tf.compat.v1.boolean_mask")
    }
    assert kinds == {"SlicingOpLambda"}
    assert model.output_shape == [(None,), (None,)]
    out = model.predict(np.array([[1.0, -2.0, 3.0]], "float32"), verbose=0)
    np.testing.assert_allclose(out[0], [1.0, 3.0])
