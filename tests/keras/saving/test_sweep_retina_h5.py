"""keras-retinanet loads COCO weights into a model with another number of classes.

`model.load_weights(path, by_name=True, skip_mismatch=True)` on a Keras 2 `.h5`
file: the classification head is a nested Model, saved as ONE layer. tf_keras
skips only the weights whose shapes differ (the final conv), and loads the
rest of that layer; tork skipped the whole nested model, leaving its hidden
layers random.
"""

import warnings

import numpy as np
import pytest

import tork as tf

keras = tf.keras


def _detector(classes: int) -> keras.Model:
    head_in = keras.Input((3,))
    hidden = keras.layers.Dense(4, name="hidden")(head_in)
    logits = keras.layers.Dense(classes, name="logits")(hidden)
    head = keras.Model(head_in, logits, name="head")
    inputs = keras.Input((5,))
    stem = keras.layers.Dense(3, name="stem")(inputs)
    return keras.Model(inputs, head(stem), name="detector")


def _saved_source(tmp_path):
    source = _detector(2)
    source.set_weights(
        [np.arange(w.size, dtype="float32").reshape(w.shape) + 1 for w in source.get_weights()]
    )
    path = tmp_path / "coco.h5"
    source.save_weights(path)
    return source, path


def test_by_name_skip_mismatch_skips_only_mismatched_weights_of_nested_model(tmp_path):
    # Reference (tf_keras 2.21, same script): stem and head/hidden loaded, only
    # head/logits kernel and bias kept, with one warning per skipped weight.
    source, path = _saved_source(tmp_path)
    target = _detector(3)
    before = [w.copy() for w in target.get_weights()]
    with pytest.warns(UserWarning) as got:
        target.load_weights(path, by_name=True, skip_mismatch=True)
    skipped = [str(w.message) for w in got if "Skipping loading weights" in str(w.message)]
    assert len(skipped) == 2
    assert "weight 'logits/kernel' has shape (4, 3) in the model but (4, 2)" in skipped[0]
    assert "weight 'logits/bias' has shape (3,) in the model but (2,)" in skipped[1]
    after = target.get_weights()
    for i in range(4):  # stem kernel/bias, head/hidden kernel/bias
        np.testing.assert_array_equal(after[i], source.get_weights()[i])
    for i in (4, 5):  # head/logits: shapes differ, left as they were
        np.testing.assert_array_equal(after[i], before[i])


def test_by_name_mismatch_without_skip_still_raises(tmp_path):
    _, path = _saved_source(tmp_path)
    target = _detector(3)
    before = [w.copy() for w in target.get_weights()]
    with pytest.raises(ValueError, match=r"logits/kernel' has shape \(4, 3\) in the model"):
        target.load_weights(path, by_name=True)
    for a, b in zip(target.get_weights(), before):  # all or nothing
        np.testing.assert_array_equal(a, b)


def test_by_name_skip_mismatch_count_mismatch_skips_whole_layer(tmp_path):
    # A layer whose weight COUNT differs (Dense without bias) is skipped as a whole.
    inputs = keras.Input((5,))
    source = keras.Model(inputs, keras.layers.Dense(2, name="d")(inputs))
    source.save_weights(tmp_path / "w.h5")
    inputs = keras.Input((5,))
    target = keras.Model(inputs, keras.layers.Dense(2, use_bias=False, name="d")(inputs))
    before = target.get_weights()[0].copy()
    with pytest.warns(UserWarning, match="expects 1 weight"):
        target.load_weights(tmp_path / "w.h5", by_name=True, skip_mismatch=True)
    np.testing.assert_array_equal(target.get_weights()[0], before)


def _add_tf_keras_sgd_momenta(path, model) -> None:
    """Rewrites a tork .h5 the way tf_keras 2.21 saves SGD(momentum=0):

    its optimizer_weights are ['iteration:0', 'SGD/m/h/kernel:0', 'SGD/m/h/bias:0',
    'SGD/m/d/kernel:0', 'SGD/m/d/bias:0'] (zeros: the slots exist but are never used).
    """
    import h5py

    with h5py.File(path, "r+") as f:
        group = f["optimizer_weights"]
        names = [n.decode() if isinstance(n, bytes) else n for n in group.attrs["weight_names"]]
        assert names == ["iteration:0"]
        for layer in ("h", "d"):
            for weight in model.get_layer(layer).weights:
                short = weight.name.split("/")[-1]
                name = f"SGD/m/{layer}/{short}"
                group.create_dataset(name, data=np.zeros(weight.shape, "float32"))
                names.append(name)
        group.attrs["weight_names"] = [n.encode() for n in names]


def test_tf_keras_sgd_without_momentum_file_restores_iterations(tmp_path):
    # tf_keras saves momentum slots for SGD(momentum=0); tork's SGD has none, and used to
    # skip the whole optimizer state, restarting a step-based learning-rate schedule.
    inputs = keras.Input((3,))
    outputs = keras.layers.Dense(2, name="d")(keras.layers.Dense(4, name="h")(inputs))
    model = keras.Model(inputs, outputs)
    schedule = keras.optimizers.schedules.PiecewiseConstantDecay([3], [0.1, 0.01])
    model.compile(keras.optimizers.SGD(schedule), "mse")
    x = np.arange(12, dtype="float32").reshape(4, 3) / 10
    model.fit(x, np.ones((4, 2), "float32"), batch_size=2, epochs=1, verbose=0)
    path = tmp_path / "sgd.h5"
    model.save(path)
    _add_tf_keras_sgd_momenta(path, model)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # no "Skipping loading the optimizer"
        loaded = keras.models.load_model(path)
    assert int(np.asarray(loaded.optimizer.iterations)) == 2


def test_other_extra_optimizer_slots_still_skip_the_state(tmp_path):
    # Only tf_keras's unused `m/` momenta are dropped: a file with other extra slots is
    # from another optimizer, and its state is skipped with a warning as before.
    import h5py

    inputs = keras.Input((3,))
    model = keras.Model(inputs, keras.layers.Dense(2, name="d")(inputs))
    model.compile(keras.optimizers.SGD(0.1), "mse")
    model.fit(np.ones((2, 3), "float32"), np.ones((2, 2), "float32"), verbose=0)
    path = tmp_path / "sgd.h5"
    model.save(path)
    with h5py.File(path, "r+") as f:
        group = f["optimizer_weights"]
        group.create_dataset("SGD/v/d/kernel:0", data=np.zeros((3, 2), "float32"))
        group.attrs["weight_names"] = [b"iteration:0", b"SGD/v/d/kernel:0"]
    with pytest.warns(UserWarning, match="Skipping loading the optimizer state"):
        loaded = keras.models.load_model(path)
    assert int(np.asarray(loaded.optimizer.iterations)) == 0
