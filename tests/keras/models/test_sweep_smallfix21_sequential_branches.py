"""summary() of a Sequential with `seq.add_loss(tensor)` branches (helper smallfix21).

tf_keras 2.21 (TF_USE_LEGACY_KERAS=1, reference env) lists the branch's TFOpLambda and
AddLoss/AddMetric layers after the Sequential's own layers; the expected text below is
its output for the same model.
"""

import numpy as np

import tork as tf

keras = tf.keras

# Trailing spaces of tf_keras's lines are stripped (compared stripped below).
TF_KERAS_SUMMARY = """Model: "seq"
_________________________________________________________________
 Layer (type)                Output Shape              Param #
=================================================================
 d1 (Dense)                  (None, 3)                 9

 d2 (Dense)                  (None, 1)                 4

 tf.math.reduce_mean (TFOpL  ()                        0
 ambda)

 add_loss (AddLoss)          ()                        0

 tf.math.square (TFOpLambda  (None, 3)                 0
 )

 tf.math.reduce_mean_1 (TFO  ()                        0
 pLambda)

 tf.math.multiply (TFOpLamb  ()                        0
 da)

 add_loss_1 (AddLoss)        ()                        0

 tf.math.reduce_max (TFOpLa  ()                        0
 mbda)

 add_metric (AddMetric)      ()                        0

=================================================================
Total params: 13 (52.00 Byte)
Trainable params: 13 (52.00 Byte)
Non-trainable params: 0 (0.00 Byte)
_________________________________________________________________"""


def test_summary_lists_the_branch_layers_as_tf_keras():
    keras.backend.clear_session()  # op layer names are numbered across the session
    seq = keras.Sequential(
        [keras.Input((2,)), keras.layers.Dense(3, name="d1"), keras.layers.Dense(1, name="d2")],
        name="seq",
    )
    seq.add_loss(tf.reduce_mean(seq.output))
    seq.add_loss(0.1 * tf.reduce_mean(tf.square(seq.layers[0].output)))
    seq.add_metric(tf.reduce_max(seq.output), name="max_out")
    lines = []
    seq.summary(print_fn=lines.append)
    assert "\n".join(line.rstrip() for line in lines) == TF_KERAS_SUMMARY
    assert {len(line) for line in lines[1:-4]} == {65}  # the table rows keep their padding
    # The model itself is unchanged: its layers, weights and predictions.
    assert [layer.name for layer in seq.layers] == ["d1", "d2"]
    assert len(seq.weights) == 4
    assert seq(np.ones((2, 2), "float32")).shape == (2, 1)


def test_a_model_with_branches_saves_as_a_functional_model_that_keeps_them(tmp_path):
    # tf_keras lists the branch layers in a Sequential config it cannot reload; tork
    # writes the graph as a functional model (see test_sweep_saveleft22_sequential_branches).
    import warnings

    keras = tf.keras
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="d_warn")])
    model.add_loss(tf.reduce_mean(model.output))
    model.compile("sgd", "mse")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # neither training nor saving warns
        model.fit(np.ones((4, 3), "float32"), np.ones((4, 2), "float32"), verbose=0)
        model.save(str(tmp_path / "m.keras"))
    loaded = keras.models.load_model(str(tmp_path / "m.keras"))
    assert type(loaded.layers[-1]).__name__ == "AddLoss"
