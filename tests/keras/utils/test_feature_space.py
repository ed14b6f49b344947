"""keras.utils.FeatureSpace against values printed by tf_keras 2.21 for the same programs."""

import numpy as np
import pytest

import tork as tf
from tork import keras

FS = keras.utils.FeatureSpace

RAW = {
    "float_values": [0.0, 0.1, 0.2, 0.3, 0.25],
    "string_values": ["zero", "one", "two", "three", "one"],
    "int_values": [0, 1, 2, 3, 1],
}


def _basic():
    fs = FS(
        features={
            "string_values": "string_categorical",
            "int_values": "integer_categorical",
            "float_values": "float_normalized",
        },
        crosses=[("string_values", "int_values")],
        output_mode="concat",
    )
    fs.adapt(tf.data.Dataset.from_tensor_slices(RAW))
    return fs


def test_concat_layout_and_values_match_tf_keras():
    fs = _basic()
    out = fs(RAW).numpy()
    assert out.shape == (5, 43)  # 1 normalized + 5 int one-hot + 5 string one-hot + 32 cross
    np.testing.assert_allclose(out[:, 0], [-1.578, -0.65, 0.279, 1.207, 0.743], atol=1e-3)
    # Columns of the ones tf_keras printed: int index, string index, cross bin.
    hot = [sorted(np.flatnonzero(row[1:]) + 1) for row in out]
    assert hot == [[5, 8, 22], [2, 7, 20], [4, 9, 12], [3, 10, 33], [2, 7, 20]]
    # Vocabularies by frequency, ties in descending order (Keras's rule).
    assert fs.preprocessors["string_values"].get_vocabulary() == [
        "[UNK]",
        "one",
        "zero",
        "two",
        "three",
    ]
    assert fs.preprocessors["int_values"].get_vocabulary() == [-1, 1, 3, 2, 0]
    assert sorted(fs.crossers) == ["string_values_X_int_values"]


def test_unbatched_call_gives_a_vector():
    fs = _basic()
    single = fs({k: v[1] for k, v in RAW.items()})
    assert single.shape == (43,)
    np.testing.assert_allclose(single.numpy(), fs(RAW).numpy()[1], atol=1e-6)


def test_dict_mode_every_feature_type():
    fs = FS(
        features={
            "a": FS.float_discretized(num_bins=4),
            "b": FS.string_hashed(num_bins=5),
            "c": FS.integer_hashed(num_bins=3, output_mode="int"),
            "d": FS.float_rescaled(scale=2.0, offset=1.0),
            "e": FS.float(),
            "f": FS.integer_categorical(max_tokens=3, num_oov_indices=0, output_mode="int"),
        },
        output_mode="dict",
        crosses=[FS.cross(("b", "f"), crossing_dim=7, output_mode="int")],
    )
    raw = {
        "a": [0.0, 1, 2, 3, 4, 5, 6, 7],
        "b": ["x", "y", "z", "x", "w", "v", "u", "t"],
        "c": [1, 2, 3, 4, 5, 6, 7, 8],
        "d": [1.0, 2, 3, 4, 5, 6, 7, 8],
        "e": [0.5] * 8,
        "f": [1, 1, 1, 2, 2, 1, 2, 2],
    }
    fs.adapt(tf.data.Dataset.from_tensor_slices(raw).batch(3))
    out = {k: v.numpy() for k, v in fs(raw).items()}
    assert sorted(out) == ["a", "b", "b_X_f", "c", "d", "e", "f"]
    assert out["a"].argmax(-1).tolist() == [0, 1, 1, 2, 2, 3, 3, 3]
    assert out["b"].argmax(-1).tolist() == [0, 0, 2, 0, 4, 1, 4, 1]
    assert out["b_X_f"][:, 0].tolist() == [5, 5, 5, 1, 4, 0, 4, 6]
    assert out["c"][:, 0].tolist() == [0, 1, 0, 2, 1, 2, 1, 1]
    np.testing.assert_allclose(out["d"][:, 0], np.arange(1, 9) * 2.0 + 1.0)
    assert out["f"][:, 0].tolist() == [1, 1, 1, 0, 0, 1, 0, 0]
    assert out["c"].dtype == np.int64 and out["a"].dtype == np.float32
    assert fs.preprocessors["f"].get_vocabulary() == [2, 1]


def test_features_without_state_need_no_adapt():
    fs = FS(features={"x": "float"}, output_mode="concat")
    np.testing.assert_allclose(fs({"x": [1.0, 2.0]}).numpy(), [[1.0], [2.0]])


def test_functional_model_from_inputs_and_encoded_features():
    fs = _basic()
    inputs = fs.get_inputs()
    assert {k: (tuple(v.shape), str(v.dtype)) for k, v in inputs.items()} == {
        "string_values": ((None, 1), "string"),
        "int_values": ((None, 1), "torch.int64"),
        "float_values": ((None, 1), "torch.float32"),
    }
    encoded = fs.get_encoded_features()
    assert tuple(encoded.shape) == (None, 43)
    model = keras.Model(inputs, keras.layers.Dense(1)(encoded))
    assert [type(layer).__name__ for layer in model.layers].count("CategoryEncoding") == 3
    batch = {
        "string_values": np.array(RAW["string_values"])[:, None],
        "int_values": np.array(RAW["int_values"])[:, None],
        "float_values": np.array(RAW["float_values"], "float32")[:, None],
    }
    assert model(batch).shape == (5, 1)
    # The model's encoding is the FeatureSpace's.
    encoder = keras.Model(inputs, encoded)
    np.testing.assert_allclose(encoder(batch).numpy(), fs(RAW).numpy(), atol=1e-6)


def test_structured_data_tutorial_trains():
    # keras.io's "Structured data classification with FeatureSpace", on synthetic data.
    rng = np.random.RandomState(0)
    n = 64
    frame = {
        "sex": rng.randint(0, 2, n),
        "thal": rng.choice(["normal", "fixed", "reversible"], n),
        "age": rng.uniform(30, 70, n).astype("float32"),
        "chol": rng.uniform(150, 300, n).astype("float32"),
    }
    labels = (frame["age"] > 50).astype("int64")
    train_ds = tf.data.Dataset.from_tensor_slices((frame, labels)).batch(16)
    feature_space = FS(
        features={
            "sex": FS.integer_categorical(num_oov_indices=0),
            "thal": FS.string_categorical(num_oov_indices=0),
            "age": FS.float_discretized(num_bins=5),
            "chol": FS.float_normalized(),
        },
        crosses=[FS.cross(feature_names=("sex", "age"), crossing_dim=8)],
        output_mode="concat",
    )
    feature_space.adapt(train_ds.map(lambda x, _: x))
    preprocessed_train_ds = train_ds.map(lambda x, y: (feature_space(x), y))
    x0, _ = next(iter(preprocessed_train_ds))
    assert x0.shape == (16, 5 + 2 + 1 + 3 + 8)  # age, sex, chol, thal, then the cross

    dict_inputs = feature_space.get_inputs()
    encoded_features = feature_space.get_encoded_features()
    x = keras.layers.Dense(8, activation="relu")(encoded_features)
    predictions = keras.layers.Dense(1, activation="sigmoid")(x)
    training_model = keras.Model(inputs=encoded_features, outputs=predictions)
    training_model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    inference_model = keras.Model(inputs=dict_inputs, outputs=predictions)
    history = training_model.fit(preprocessed_train_ds, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2

    sample = {"sex": 1, "thal": "fixed", "age": 60.0, "chol": 200.0}
    input_dict = {name: tf.convert_to_tensor([value]) for name, value in sample.items()}
    predicted = inference_model.predict(input_dict, verbose=0)
    expected = training_model.predict(feature_space(sample)[None], verbose=0)
    np.testing.assert_allclose(predicted, expected, rtol=1e-5)


def test_save_and_load(tmp_path):
    fs = FS(
        features={"s": "string_categorical", "i": "integer_categorical"},
        crosses=[FS.cross(("s", "i"), crossing_dim=16, output_mode="int")],
        output_mode="dict",
    )
    raw = {"s": ["a", "b", "c", "a"], "i": [5, 6, 7, 8]}
    fs.adapt(tf.data.Dataset.from_tensor_slices(raw))
    assert fs(raw)["s_X_i"].numpy()[:, 0].tolist() == [5, 1, 11, 9]  # tf_keras's values
    config = fs.get_config()
    assert config["features"]["s"]["class_name"] == "Feature"
    assert config["crosses"][0]["config"] == {
        "feature_names": ("s", "i"),
        "crossing_dim": 16,
        "output_mode": "int",
    }
    path = tmp_path / "fs.keras"
    fs.save(path)
    restored = keras.models.load_model(path)
    assert type(restored).__name__ == "FeatureSpace"
    assert restored(raw)["s_X_i"].numpy()[:, 0].tolist() == [5, 1, 11, 9]
    np.testing.assert_array_equal(restored(raw)["s"].numpy(), fs(raw)["s"].numpy())


def test_errors():
    with pytest.raises(ValueError, match=r"call `.adapt\(dataset\)` on the FeatureSpace"):
        FS(features={"x": "float_normalized"})({"x": [1.0]})
    with pytest.raises(ValueError, match="Invalid feature type: floaty"):
        FS(features={"x": "floaty"})
    with pytest.raises(
        ValueError, match="Expected one of {'dict', 'concat'}. Received: output_mode=stack"
    ):
        FS(features={"x": "float"}, output_mode="stack")
    with pytest.raises(ValueError, match=r"Received unknown features: \('x', 'y'\)"):
        FS(features={"x": "float"}, crosses=[("x", "y")])
    with pytest.raises(
        ValueError, match="Expected one of {'int', 'one_hot'}. Received: output_mode=x"
    ):
        FS.cross(("a",), crossing_dim=3, output_mode="x")
    with pytest.raises(ValueError, match="Expected one of {'int', 'one_hot', 'float'}"):
        FS.feature(dtype="string", preprocessor=keras.layers.Identity(), output_mode="bogus")
    fs = _basic()
    with pytest.raises(KeyError, match=r"lacks the features \['int_values', 'string_values'\]"):
        fs({"float_values": [0.1]})
    with pytest.raises(ValueError, match="expects a tf.data.Dataset of feature dicts"):
        FS(features={"x": "float_normalized"}).adapt({"x": [1.0]})
