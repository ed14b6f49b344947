"""LinearModel on a SparseTensor and nested in a functional model; WideDeepModel config.

Swept from tf-keras's premade linear model tests. Expected numbers come from tf_keras 2.21 in
the reference env (TF_USE_LEGACY_KERAS=1) running the same code.
"""

import numpy as np

import tork as tf

keras = tf.keras


def _sparse():
    indices = tf.constant([[0, 0], [0, 2], [1, 0], [1, 1]], dtype=tf.int64)
    values = tf.constant([0.4, 0.6, 0.8, 0.5])
    return tf.SparseTensor(indices, values, tf.constant([2, 3], dtype=tf.int64))


def test_sparse_input_is_a_sparse_matmul():
    model = keras.experimental.LinearModel()
    inp = _sparse()
    model(inp)
    weights = model.get_weights()
    assert [w.shape for w in weights] == [(3, 1), (1,)]
    weights[0] = np.ones((3, 1))
    model.set_weights(weights)
    # tf_keras: [[1.0], [1.3]] (row sums of the sparse values)
    np.testing.assert_allclose(model(inp).numpy(), [[1.0], [1.3]], rtol=1e-6)


def test_sparse_input_trains_with_a_tape():
    inp = tf.SparseTensor(
        np.array([[0, 0], [1, 1], [2, 0], [2, 1]]),
        np.array([1.0, 2.0, 3.0, 4.0]),
        tf.constant([3, 2], dtype=tf.int64),
    )
    target = np.array([[0.3], [0.4], [1.7]])
    model = keras.experimental.LinearModel(use_bias=False, kernel_initializer="ones")
    opt = keras.optimizers.legacy.SGD(0.01)
    for _ in range(3):
        with tf.GradientTape() as tape:
            loss = keras.backend.mean(keras.losses.mean_squared_error(target, model(inp)))
        grads = tape.gradient(loss, model.trainable_variables)
        opt.apply_gradients(zip(grads, model.trainable_variables))
    # tf_keras: [[0.7254], [0.5979]]
    np.testing.assert_allclose(model.get_weights()[0], [[0.7254], [0.5979]], atol=1e-4)


def test_nested_in_functional_model_with_keras2_positional_metrics():
    rng = np.random.RandomState(0)
    a = rng.uniform(-5, 5, (8, 1)).astype("float32")
    b = rng.uniform(-5, 5, (8, 1)).astype("float32")
    y = 0.3 * a + 0.2 * b
    in_a, in_b = keras.Input(shape=(1,), name="a"), keras.Input(shape=(1,), name="b")
    out = keras.experimental.LinearModel(kernel_initializer="ones")(in_a) + keras.layers.Dense(
        1, kernel_initializer="ones"
    )(in_b)
    model = keras.Model([in_a, in_b], out)
    model.compile(keras.optimizers.SGD(0.01), "mse", [])
    history = model.fit([a, b], y, epochs=2, verbose=0, batch_size=8)
    # tf_keras: [7.6536, 5.1121]
    np.testing.assert_allclose(history.history["loss"], [7.6536, 5.1121], atol=1e-3)


def test_wide_deep_from_config_resolves_a_custom_activation():
    def my_activation(x):
        return x

    model = keras.experimental.WideDeepModel(
        keras.experimental.LinearModel(units=1),
        keras.Sequential([keras.layers.Dense(units=1, input_dim=3)]),
        activation=my_activation,
    )
    clone = keras.experimental.WideDeepModel.from_config(
        model.get_config(), custom_objects={"my_activation": my_activation}
    )
    # tf_keras: the clone's activation is the function itself; sub-model units survive
    assert clone.activation is my_activation
    assert clone.linear_model.units == 1
    assert clone.dnn_model.layers[0].units == 1
