"""Review fixes of session 23 (helper review23); expected values from tf_keras 2.21."""

import warnings

import numpy as np
import pytest

import tork as tf


def test_variables_appended_to_a_list_come_after_own_weights():
    # tf_keras 2.21: ['l/b:0', 'l/ws0:0', 'l/ws1:0'] (appended after the list's assignment).
    class L(tf.keras.layers.Layer):
        def build(self, input_shape):
            self.ws = []
            for i in range(2):
                self.ws.append(tf.Variable(float(i), name=f"ws{i}"))
            self.b = self.add_weight(name="b", shape=())

        def call(self, x):
            return x * self.ws[0] + self.b

    layer = L(name="l")
    layer(tf.ones((1, 2)))
    assert [w.name for w in layer.weights] == ["l/b:0", "l/ws0:0", "l/ws1:0"]


def test_mixed_assignment_and_append_order_as_tf():
    # tf_keras 2.21 prints this order for the same layer.
    class L(tf.keras.layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight(name="w", shape=())
            self.vs = [tf.Variable(1.0, name="v0")]
            self.b = self.add_weight(name="b", shape=())
            self.d = {"k": tf.Variable(2.0, name="dk")}
            self.late = tf.Variable(3.0, name="late")
            self.alias = self.w
            self.vs.append(tf.Variable(4.0, name="v1"))
            self.x = self.add_weight(name="x", shape=())

        def call(self, x):
            return x

    layer = L(name="l")
    layer(tf.ones((1, 2)))
    expected = ["l/w:0", "l/v0:0", "l/b:0", "l/dk:0", "l/late:0", "l/x:0", "l/v1:0"]
    assert [w.name for w in layer.weights] == expected


def test_user_layer_error_is_not_replaced_for_a_none_input():
    # tf_keras 2.21: AttributeError from the user's call (its own bug), not an input error.
    class L(tf.keras.layers.Layer):
        def call(self, inputs=None):
            return self.table_lookup(3)

    with pytest.raises(AttributeError, match="table_lookup"):
        L()(None)
    with pytest.raises(TypeError, match="Inputs to a layer should be tensors"):
        tf.keras.layers.Dense(2)(None)


def test_training_string_message():
    with pytest.raises(TypeError, match=r"a string is not one \('False' is truthy\)"):
        tf.keras.layers.Dropout(0.5)(tf.ones((2, 2)), training="False")


def test_session_attributes_answer_hasattr():
    session = tf.compat.v1.Session()
    assert not hasattr(session, "graph")
    assert getattr(session, "make_callable", None) is None
    with pytest.raises(NotImplementedError, match="Session.graph"):
        session.graph  # noqa: B018


def test_failing_metric_result_warns_once_and_keeps_step_logs():
    class Broken(tf.keras.metrics.Metric):
        def __init__(self, name="broken", **kwargs):
            super().__init__(name=name, **kwargs)
            self.total = self.add_weight(name="total", initializer="zeros")

        def update_state(self, y_true, y_pred, sample_weight=None):
            self.total.assign_add(1.0)

        def result(self):
            raise RuntimeError("result bug")

    class M(tf.keras.Model):
        def __init__(self):
            super().__init__()
            self.d = tf.keras.layers.Dense(1)
            self.broken = Broken()

        def call(self, x):
            return self.d(x)

        @property
        def metrics(self):
            return [self.broken]

        def train_step(self, data):
            x, y = data
            self.broken.update_state(y, x)
            return {"broken": 1.0}

    model = M()
    model.compile("sgd", "mse")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = model.fit(np.ones((4, 2)), np.ones((4, 1)), epochs=2, verbose=0)
    messages = [str(w.message) for w in caught if "get_metrics_result" in str(w.message)]
    assert len(messages) == 1 and "result bug" in messages[0]
    assert history.history["broken"] == [1.0, 1.0]
