"""keras.layers.DenseFeatures against tf_keras 2.21 (constants printed by tf_keras), and
TensorFlow's "Classify structured data with feature columns" tutorial on synthetic data."""

import numpy as np
import pandas as pd
import pytest

import tork as tf
from tork import feature_column as fc
from tork import keras

FEATURES = {
    "Age": np.array([0.5, 1.5, 7.0]),
    "Type": np.array(["Cat", "Dog", "x"]),
    "Breed": np.array(["a", "b", "c"]),
}
AGE = fc.numeric_column("Age")
TYPE = fc.categorical_column_with_vocabulary_list("Type", ["Cat", "Dog"])


def test_outputs_concatenate_in_sorted_column_name_order():
    columns = [
        fc.indicator_column(TYPE),  # Type_indicator
        fc.bucketized_column(AGE, [1, 2]),  # Age_bucketized
        AGE,  # Age
        fc.embedding_column(TYPE, 2, initializer=keras.initializers.Constant(0.5)),
    ]
    layer = keras.layers.DenseFeatures(columns, name="dense_features")
    out = np.asarray(layer(FEATURES))
    # Age | Age_bucketized | Type_embedding | Type_indicator, as tf_keras.
    assert out.tolist() == [
        [0.5, 1, 0, 0, 0.5, 0.5, 1, 0],
        [1.5, 0, 1, 0, 0.5, 0.5, 0, 1],
        [7.0, 0, 0, 1, 0.0, 0.0, 0, 0],
    ]
    assert [w.name for w in layer.weights] == ["dense_features/Type_embedding/embedding_weights:0"]
    assert tuple(layer.weights[0].shape) == (2, 2)
    assert layer.compute_output_shape({"Age": (None,), "Type": (None,)}) == (None, 8)
    outputs = {}
    layer(FEATURES, cols_to_output_tensors=outputs)
    assert sorted(c.name for c in outputs) == [
        "Age",
        "Age_bucketized",
        "Type_embedding",
        "Type_indicator",
    ]


def test_errors():
    with pytest.raises(
        ValueError,
        match="Items of feature_columns must be a DenseColumn. You can "
        "wrap a categorical column with an embedding_column or indicator_column",
    ):
        keras.layers.DenseFeatures([TYPE])
    with pytest.raises(
        ValueError,
        match="Duplicate feature column name found for columns: "
        r"\['Age'\]",
    ):
        keras.layers.DenseFeatures([AGE, fc.numeric_column("Age")])
    layer = keras.layers.DenseFeatures([AGE], name="feats")
    with pytest.raises(
        ValueError,
        match="DenseFeatures layer 'feats': We expected a dictionary here. Instead we got: Tensor. Call DenseFeatures on a dict",
    ):
        layer(np.zeros((2, 1)))


def test_functional_model_with_dict_of_inputs():
    columns = [
        AGE,
        fc.bucketized_column(AGE, [2, 4]),
        fc.indicator_column(TYPE),
        fc.embedding_column(TYPE, 2, initializer=keras.initializers.Constant(0.25)),
    ]
    inputs = {
        "Age": keras.Input(shape=(1,), name="Age"),
        "Type": keras.Input(shape=(1,), name="Type", dtype=tf.string),
    }
    x = keras.layers.DenseFeatures(columns)(inputs)
    assert tuple(x.shape) == (None, 8)
    model = keras.Model(inputs, keras.layers.Dense(1, kernel_initializer="ones")(x))
    out = model({"Age": np.array([[1.0], [5.0]]), "Type": np.array([["Dog"], ["Cat"]])})
    assert np.asarray(out).tolist() == [[3.5], [7.5]]  # tf_keras's values
    assert model.count_params() == 13


def _petfinder(n=60):
    """Synthetic petfinder-style data (the tutorial downloads the real CSV)."""
    rng = np.random.RandomState(0)
    frame = pd.DataFrame(
        {
            "Type": rng.choice(["Cat", "Dog"], n),
            "Age": rng.randint(0, 8, n),
            "Breed1": rng.choice(["Tabby", "Mixed Breed", "Labrador", "Siamese", "Poodle"], n),
            "Color1": rng.choice(["Black", "Brown", "White"], n),
            "Fee": rng.choice([0, 50, 100, 150], n),
            "PhotoAmt": rng.randint(0, 10, n).astype(float),
            "AdoptionSpeed": rng.randint(0, 5, n),
        }
    )
    frame["target"] = np.where(frame["AdoptionSpeed"] == 4, 0, 1)
    return frame.drop(columns=["AdoptionSpeed"])


def df_to_dataset(dataframe, shuffle=True, batch_size=32):
    dataframe = dataframe.copy()
    labels = dataframe.pop("target")
    ds = tf.data.Dataset.from_tensor_slices((dict(dataframe), labels))
    if shuffle:
        ds = ds.shuffle(buffer_size=len(dataframe))
    return ds.batch(batch_size)


def _tutorial_columns(dataframe):
    feature_column = tf.feature_column
    feature_columns = []
    for header in ["PhotoAmt", "Fee", "Age"]:
        feature_columns.append(feature_column.numeric_column(header))
    age = feature_column.numeric_column("Age")
    age_buckets = feature_column.bucketized_column(age, boundaries=[1, 3, 5])
    feature_columns.append(age_buckets)
    for col_name in ["Type", "Color1"]:
        categorical_column = feature_column.categorical_column_with_vocabulary_list(
            col_name, dataframe[col_name].unique()
        )
        feature_columns.append(feature_column.indicator_column(categorical_column))
    breed1 = feature_column.categorical_column_with_vocabulary_list(
        "Breed1", dataframe.Breed1.unique()
    )
    feature_columns.append(feature_column.embedding_column(breed1, dimension=4))
    breed1_hashed = feature_column.categorical_column_with_hash_bucket(
        "Breed1", hash_bucket_size=10
    )
    feature_columns.append(feature_column.indicator_column(breed1_hashed))
    animal_type = feature_column.categorical_column_with_vocabulary_list("Type", ["Cat", "Dog"])
    crossed_feature = feature_column.crossed_column([age_buckets, animal_type], hash_bucket_size=10)
    feature_columns.append(feature_column.indicator_column(crossed_feature))
    return feature_columns


# tf_keras 2.21 on the same data and weights.
TF_FEATURES_ROW0 = [3.0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]  # Age .. Breed1_embedding
TF_PREDICT_BEFORE = [
    1.73798668384552,
    -0.0883200466632843,
    3.0428810119628906,
    3.234182596206665,
    -0.13935324549674988,
    1.941222071647644,
    1.6810635328292847,
    -0.04613301530480385,
    5.039495944976807,
    -0.09366267919540405,
    -0.08503320813179016,
    4.394637584686279,
]
TF_HISTORY = {
    "loss": [1.8850947618484497, 0.7033126354217529, 0.6526212096214294],
    "accuracy": [0.6041666865348816, 0.6041666865348816, 0.6041666865348816],
    "val_loss": [0.6203157901763916, 0.612907350063324, 0.6089451313018799],
    "val_accuracy": [0.4166666567325592, 0.4166666567325592, 0.4166666567325592],
}
TF_PREDICT_AFTER = [
    0.9123212099075317,
    -0.19499459862709045,
    1.5217318534851074,
    1.6437715291976929,
    -0.29557374119758606,
    0.9934505224227905,
    0.8637886047363281,
    -0.0827684998512268,
    2.590095281600952,
    -0.20088614523410797,
    -0.19603252410888672,
    2.21940016746521,
]


def _run_tutorial(model, train_ds, val_ds, example):
    model(example)
    rng = np.random.RandomState(1)
    model.set_weights(
        [rng.uniform(-0.3, 0.3, w.shape).astype("float32") for w in model.get_weights()]
    )
    np.testing.assert_allclose(
        model.predict(val_ds, verbose=0).ravel(), TF_PREDICT_BEFORE, rtol=1e-5, atol=1e-6
    )
    model.compile(
        optimizer=keras.optimizers.SGD(0.01),
        loss=keras.losses.BinaryCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    history = model.fit(train_ds, validation_data=val_ds, epochs=3, verbose=0)
    for key, values in TF_HISTORY.items():
        np.testing.assert_allclose(history.history[key], values, rtol=1e-5, err_msg=key)
    np.testing.assert_allclose(
        model.predict(val_ds, verbose=0).ravel(), TF_PREDICT_AFTER, rtol=1e-5, atol=1e-6
    )


def _tutorial_data():
    dataframe = _petfinder()
    train, val = dataframe[:48], dataframe[48:]
    train_ds = df_to_dataset(train, shuffle=False, batch_size=8)
    val_ds = df_to_dataset(val, shuffle=False, batch_size=8)
    return dataframe, train_ds, val_ds, next(iter(train_ds))[0]


def test_tutorial_features_functional_model_matches_tf_keras():
    dataframe, train_ds, val_ds, example = _tutorial_data()
    feature_columns = _tutorial_columns(dataframe)
    layer = keras.layers.DenseFeatures(feature_columns)
    features = np.asarray(layer(example))
    assert features.shape == (8, 36)
    np.testing.assert_allclose(features[0, :15], TF_FEATURES_ROW0)
    # Color1, crossed, Fee, hashed Breed1, PhotoAmt, Type (row 0), as tf_keras.
    np.testing.assert_allclose(
        features[0, 19:], [0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 50, 2, 1, 0]
    )
    string, numbers = tf.string, {"Age": "int64", "Fee": "int64", "PhotoAmt": "float32"}
    inputs = {
        key: keras.Input((1,), name=key, dtype=numbers.get(key, string))
        for key in ["Type", "Breed1", "Color1", "Age", "Fee", "PhotoAmt"]
    }
    x = keras.layers.DenseFeatures(feature_columns)(inputs)
    x = keras.layers.Dense(8, activation="relu")(x)
    model = keras.Model(inputs, keras.layers.Dense(1)(x))
    _run_tutorial(model, train_ds, val_ds, example)


def test_tutorial_sequential_model_matches_tf_keras():
    dataframe, train_ds, val_ds, example = _tutorial_data()
    model = keras.Sequential(
        [
            keras.layers.DenseFeatures(_tutorial_columns(dataframe)),
            keras.layers.Dense(8, activation="relu"),
            keras.layers.Dense(1),
        ]
    )
    _run_tutorial(model, train_ds, val_ds, example)
    names = [w.name for w in model.weights]
    assert names[0].endswith("/Breed1_embedding/embedding_weights:0")


def test_model_with_dense_features_saves_and_loads(tmp_path):
    columns = [
        AGE,
        fc.indicator_column(TYPE),
        fc.embedding_column(TYPE, 2),
        fc.indicator_column(fc.crossed_column([fc.bucketized_column(AGE, [1.0]), TYPE], 7)),
    ]
    inputs = {
        "Age": keras.Input(shape=(1,), name="Age"),
        "Type": keras.Input(shape=(1,), name="Type", dtype=tf.string),
    }
    x = keras.layers.DenseFeatures(columns)(inputs)
    model = keras.Model(inputs, keras.layers.Dense(1)(x))
    data = {"Age": np.array([[0.5], [3.0]]), "Type": np.array([["Dog"], ["Cat"]])}
    expected = np.asarray(model(data))
    path = str(tmp_path / "model.keras")
    model.save(path)
    loaded = keras.models.load_model(path)
    np.testing.assert_allclose(np.asarray(loaded(data)), expected, rtol=1e-6)
    layer = loaded.layers[2]
    assert [c.name for c in layer._feature_columns] == [
        "Age",
        "Age_bucketized_X_Type_indicator",
        "Type_embedding",
        "Type_indicator",
    ]
