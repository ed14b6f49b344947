"""tf.feature_column against TensorFlow 2.21: the constants below were printed by TF
(`tf.feature_column` + tf_keras `DenseFeatures`) on the same inputs."""

import numpy as np
import pytest
import torch

import tork as tf
from tork import feature_column as fc
from tork import keras


def dense(columns, features):
    return np.asarray(keras.layers.DenseFeatures(columns)(features))


def hot(columns, features):
    """(positions, values) of the nonzero outputs: compact for wide hashed outputs."""
    out = dense(columns, features)
    return np.argwhere(out).tolist(), out[out != 0].tolist()


BASIC = {
    "Age": np.array([0.5, 1.5, 7.0, 3.0]),
    "Type": np.array(["Cat", "Dog", "x", ""]),
    "Breed": np.array(["a", "b", "c", "Labrador"]),
    "N": np.array([3, 17, -1, 123456789012]),
}
AGE = fc.numeric_column("Age")
AGE_B = fc.bucketized_column(AGE, [1, 2, 3, 4, 5])
TYPE = fc.categorical_column_with_vocabulary_list("Type", ["Cat", "Dog"])
TYPE_OOV = fc.categorical_column_with_vocabulary_list("Type", ["Cat", "Dog"], num_oov_buckets=3)


def test_names_reprs_and_properties_match_tensorflow():
    assert repr(AGE) == (
        "NumericColumn(key='Age', shape=(1,), default_value=None, dtype=tf.float32, "
        "normalizer_fn=None)"
    )
    assert repr(AGE_B) == (
        "BucketizedColumn(source_column=NumericColumn(key='Age', shape=(1,), "
        "default_value=None, dtype=tf.float32, normalizer_fn=None), boundaries=(1, 2, 3, 4, 5))"
    )
    assert repr(TYPE) == (
        "VocabularyListCategoricalColumn(key='Type', vocabulary_list=('Cat', 'Dog'), "
        "dtype=tf.string, default_value=-1, num_oov_buckets=0)"
    )
    weighted = fc.weighted_categorical_column(TYPE, "w")
    assert repr(fc.indicator_column(TYPE)) == (
        "IndicatorColumn(categorical_column=" + repr(TYPE) + ")"
    )
    assert repr(weighted) == (
        "WeightedCategoricalColumn(categorical_column=" + repr(TYPE) + ", "
        "weight_feature_key='w', dtype=tf.float32)"
    )
    hashed = fc.categorical_column_with_hash_bucket("Breed", 10)
    cross = fc.crossed_column([AGE_B, TYPE], 10)
    embedding = fc.embedding_column(TYPE, 3)
    names = [AGE.name, AGE_B.name, TYPE.name, embedding.name, cross.name, weighted.name]
    assert names == [
        "Age",
        "Age_bucketized",
        "Type",
        "Type_embedding",
        "Age_bucketized_X_Type",
        "Type_weighted_by_w",
    ]
    assert fc.crossed_column([AGE_B, "Breed"], 10).name == "Age_bucketized_X_Breed"
    assert fc.indicator_column(TYPE).name == "Type_indicator"
    assert (TYPE.key, AGE.key) == ("Type", "Age")
    assert [TYPE.num_buckets, AGE_B.num_buckets, cross.num_buckets, hashed.num_buckets] == [
        2,
        6,
        10,
        10,
    ]
    assert tuple(embedding.variable_shape) == (3,)
    assert tuple(fc.indicator_column(TYPE).variable_shape) == (1, 2)
    assert tuple(AGE.variable_shape) == (1,)
    assert tuple(AGE_B.variable_shape) == (1, 6)
    assert fc.numeric_column("a", default_value=1.5).default_value == (1.5,)
    assert fc.numeric_column("a", shape=(2, 2), default_value=1).default_value == (
        (1, 1),
        (1, 1),
    )
    # Columns are values: equal fields, equal columns.
    assert fc.numeric_column("Age") == AGE and hash(fc.numeric_column("Age")) == hash(AGE)


def test_make_parse_example_spec():
    weighted = fc.weighted_categorical_column(TYPE, "w")
    hashed = fc.categorical_column_with_hash_bucket("Breed", 10)
    spec = fc.make_parse_example_spec(
        [AGE, AGE_B, TYPE, fc.embedding_column(TYPE, 3), hashed, weighted]
    )
    assert sorted(spec) == ["Age", "Breed", "Type", "w"]
    assert spec["Age"] == tf.io.FixedLenFeature((1,), tf.float32)
    assert spec["Type"] == tf.io.VarLenFeature(tf.string)
    assert spec["Breed"] == tf.io.VarLenFeature(tf.string)
    assert spec["w"] == tf.io.VarLenFeature(tf.float32)
    assert AGE.parse_example_spec == {"Age": tf.io.FixedLenFeature((1,), tf.float32)}
    ids = fc.categorical_column_with_identity("Age", 3)
    with pytest.raises(ValueError, match="different parse_spec for key Age"):
        fc.make_parse_example_spec([AGE, ids])


def test_numeric_bucketized_vocabulary_and_indicator_values():
    assert dense([AGE], BASIC).tolist() == [[0.5], [1.5], [7.0], [3.0]]
    assert dense([AGE_B], BASIC).tolist() == [
        [1, 0, 0, 0, 0, 0],
        [0, 1, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 1],
        [0, 0, 0, 1, 0, 0],
    ]
    # Out of vocabulary ('x') and empty ('') give zeros.
    assert dense([fc.indicator_column(TYPE)], BASIC).tolist() == [[1, 0], [0, 1], [0, 0], [0, 0]]
    # With OOV buckets, 'x' hashes to bucket 2 + 2 (TensorFlow's value).
    assert dense([fc.indicator_column(TYPE_OOV)], BASIC).tolist() == [
        [1, 0, 0, 0, 0],
        [0, 1, 0, 0, 0],
        [0, 0, 0, 0, 1],
        [0, 0, 0, 0, 0],
    ]


def test_hash_bucket_ids_match_tensorflow():
    hashed = fc.categorical_column_with_hash_bucket("Breed", 10)
    assert dense([fc.indicator_column(hashed)], BASIC).argmax(1).tolist() == [9, 2, 2, 5]
    # Integers are hashed through their decimal string; -1 means "no value".
    ints = fc.categorical_column_with_hash_bucket("N", 7, dtype=tf.int64)
    out = dense([fc.indicator_column(ints)], BASIC)
    assert np.argwhere(out).tolist() == [[0, 2], [1, 2], [3, 4]]


def test_crossed_column_hashes_match_tensorflow():
    assert dense([fc.indicator_column(fc.crossed_column([AGE_B, TYPE], 10))], BASIC).tolist() == [
        [0, 0, 0, 0, 1, 0, 0, 0, 0, 0],
        [0, 1, 0, 0, 0, 0, 0, 0, 0, 0],
        [1, 0, 0, 0, 0, 0, 0, 0, 0, 0],  # the OOV id -1 is crossed too
        [0] * 10,  # '' is no value: no combination
    ]
    cross = fc.crossed_column([AGE_B, "Breed"], 100)
    assert hot([fc.indicator_column(cross)], BASIC)[0] == [[0, 95], [1, 57], [2, 51], [3, 6]]
    cross = fc.crossed_column(["N", "Breed", TYPE_OOV], 1000)
    assert hot([fc.indicator_column(cross)], BASIC)[0] == [[0, 321], [1, 496], [2, 12]]


@pytest.mark.parametrize(
    "keys, expected",
    [
        (["N", "Breed"], [[0, 152], [1, 588], [2, 647], [3, 454]]),
        (["Breed", "N"], [[0, 486], [1, 475], [2, 7], [3, 421]]),
        # Categorical columns are crossed before raw dense features, as TensorFlow's kernel
        # takes its sparse inputs first: both orders give the same ids.
        (["Breed", TYPE_OOV], [[0, 95], [1, 257], [2, 599], [3, 130]]),
        ([TYPE_OOV, "Breed"], [[0, 95], [1, 257], [2, 599], [3, 130]]),
        (["Breed", TYPE], [[0, 95], [1, 257], [2, 647], [3, 130]]),
        (["N", TYPE_OOV], [[0, 732], [1, 954], [2, 876], [3, 878]]),
    ],
)
def test_crossed_column_key_order(keys, expected):
    features = dict(BASIC, Type=np.array(["Cat", "Dog", "x", "Dog"]))
    column = fc.indicator_column(fc.crossed_column(keys, 1000))
    assert hot([column], features)[0] == expected


MULTI = {
    "pets": np.array([["Cat", "Dog"], ["Bird", ""], ["Fish", "Cat"], ["", ""]]),
    "n2": np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]]),
    "ids": np.array([[0, 3], [2, -1], [5, 1], [4, 4]]),
    "codes": np.array([10, 20, 40, 30]),
    "wt": np.array([[0.5, 2.0], [1.0, 1.0], [3.0, -1.0], [1.0, 1.0]]),
    "city": np.array(["SF", "NY", "LA", "SF"]),
    "pets2": np.array([["Cat", "Dog"], ["Bird", "Bird"], ["Fish", "Cat"], ["Dog", "Cat"]]),
}


@pytest.fixture
def vocab_files(tmp_path):
    words = tmp_path / "vocab.txt"
    words.write_text("Cat\nDog\nBird\n")
    numbers = tmp_path / "ivocab.txt"
    numbers.write_text("10\n20\n30\n")
    return str(words), str(numbers)


def test_multivalent_columns_match_tensorflow(vocab_files):
    words, numbers = vocab_files
    pets = fc.categorical_column_with_vocabulary_file("pets", words)
    assert pets.vocabulary_size == 3
    pets_oov = fc.categorical_column_with_vocabulary_file(
        "pets", words, vocabulary_size=2, num_oov_buckets=2
    )
    ids = fc.categorical_column_with_identity("ids", 5, default_value=0)
    codes = fc.categorical_column_with_vocabulary_file(
        "codes", numbers, dtype=tf.int64, num_oov_buckets=1
    )
    codes_list = fc.categorical_column_with_vocabulary_list("codes", [10, 20, 30], default_value=1)
    n2 = fc.numeric_column("n2", shape=(2,), normalizer_fn=lambda x: (x - 3.0) / 2.0)
    b2 = fc.bucketized_column(fc.numeric_column("n2", shape=(2,)), [2.5, 5.5])
    weighted = fc.weighted_categorical_column(
        fc.categorical_column_with_vocabulary_list("pets2", ["Cat", "Dog", "Bird"]), "wt"
    )
    assert dense([n2], MULTI).tolist() == [[-1.0, -0.5], [0.0, 0.5], [1.0, 1.5], [2.0, 2.5]]
    assert dense([b2], MULTI).tolist() == [
        [1, 0, 0, 1, 0, 0],
        [0, 1, 0, 0, 1, 0],
        [0, 1, 0, 0, 0, 1],
        [0, 0, 1, 0, 0, 1],
    ]
    assert dense([fc.indicator_column(b2)], MULTI).tolist() == dense([b2], MULTI).tolist()
    assert dense([fc.indicator_column(pets)], MULTI).tolist() == [
        [1, 1, 0],
        [0, 0, 1],
        [1, 0, 0],
        [0, 0, 0],
    ]
    assert dense([fc.indicator_column(pets_oov)], MULTI).tolist() == [
        [1, 1, 0, 0],
        [0, 0, 1, 0],
        [1, 0, 1, 0],  # 'Bird' and 'Fish' both hash to OOV bucket 0
        [0, 0, 0, 0],
    ]
    assert dense([fc.indicator_column(ids)], MULTI).tolist() == [
        [1, 0, 0, 1, 0],
        [0, 0, 1, 0, 0],
        [1, 1, 0, 0, 0],
        [0, 0, 0, 0, 2],
    ]
    assert dense([fc.indicator_column(codes)], MULTI).tolist() == [
        [1, 0, 0, 0],
        [0, 1, 0, 0],
        [0, 0, 0, 1],
        [0, 0, 1, 0],
    ]
    assert dense([fc.indicator_column(codes_list)], MULTI).tolist() == [
        [1, 0, 0],
        [0, 1, 0],
        [0, 1, 0],
        [0, 0, 1],
    ]
    assert dense([fc.indicator_column(weighted)], MULTI).tolist() == [
        [0.5, 2.0, 0.0],
        [0.0, 0.0, 2.0],
        [-1.0, 0.0, 0.0],
        [1.0, 1.0, 0.0],
    ]
    nested = fc.crossed_column([fc.crossed_column([b2, "city"], 50), pets], 77)
    assert nested.name == "city_X_n2_bucketized_X_pets"
    positions, values = hot([fc.indicator_column(nested)], MULTI)
    assert positions == [
        [0, 16],
        [0, 20],
        [0, 22],
        [0, 64],
        [1, 33],
        [1, 38],
        [2, 31],
        [2, 44],
        [2, 55],
        [2, 62],
    ]
    cross3 = fc.crossed_column([b2, "pets", "city"], 1000)
    positions, values = hot([fc.indicator_column(cross3)], MULTI)
    assert positions == [
        [0, 263],
        [0, 640],
        [0, 875],
        [0, 923],
        [1, 78],
        [1, 819],
        [1, 856],
        [1, 859],
        [2, 172],
        [2, 242],
        [2, 853],
        [2, 948],
        [3, 285],
        [3, 806],
    ]
    assert values == [1.0] * 12 + [2.0, 2.0]


TABLE = np.arange(15, dtype="float32").reshape(5, 3) / 10 - 0.7

# TensorFlow's DenseFeatures outputs with the weights set to TABLE.
EMBEDDINGS = {
    ("ids", "mean", None): [
        [-0.25, -0.15, -0.05],
        [-0.1, 0.0, 0.1],
        [-0.55, -0.45, -0.35],
        [0.5, 0.6, 0.7],
    ],
    ("ids", "sum", None): [
        [-0.5, -0.3, -0.1],
        [-0.1, 0.0, 0.1],
        [-1.1, -0.9, -0.7],
        [1.0, 1.2, 1.4],
    ],
    ("ids", "sqrtn", None): [
        [-0.35355, -0.21213, -0.07071],
        [-0.1, 0.0, 0.1],
        [-0.77782, -0.6364, -0.49497],
        [0.70711, 0.84853, 0.98995],
    ],
    ("ids", "mean", 0.5): [
        [-0.07401, -0.00375, 0.06651],
        [-0.1, 0.0, 0.1],
        [-0.35255, -0.28229, -0.21203],
        [0.23837, 0.28604, 0.33371],
    ],
    ("weighted", "sqrtn", None): [
        [-0.55783, -0.43656, -0.3153],
        [-0.14142, 0.0, 0.14142],
        [0.0, 0.0, 0.0],
        [-0.77782, -0.6364, -0.49497],
    ],
    ("weighted", "mean", None): [
        [-0.46, -0.36, -0.26],
        [-0.1, 0.0, 0.1],
        [0.0, 0.0, 0.0],
        [-0.55, -0.45, -0.35],
    ],
    # With "sum", TensorFlow keeps the negative weight (-1 * Cat's row).
    ("weighted", "sum", None): [
        [-1.15, -0.9, -0.65],
        [-0.2, 0.0, 0.2],
        [0.7, 0.6, 0.5],
        [-1.1, -0.9, -0.7],
    ],
}


@pytest.mark.parametrize("key", sorted(EMBEDDINGS, key=str))
def test_embedding_column_combiners_match_tensorflow(key):
    which, combiner, max_norm = key
    if which == "ids":
        categorical = fc.categorical_column_with_identity("ids", 5, default_value=0)
    else:
        categorical = fc.weighted_categorical_column(
            fc.categorical_column_with_vocabulary_list("pets2", ["Cat", "Dog", "Bird"]), "wt"
        )
    column = fc.embedding_column(categorical, 3, combiner=combiner, max_norm=max_norm)
    layer = keras.layers.DenseFeatures([column])
    layer(MULTI)
    layer.set_weights([TABLE[: categorical.num_buckets]])
    np.testing.assert_allclose(np.asarray(layer(MULTI)), EMBEDDINGS[key], atol=1e-5)


def test_embedding_column_defaults_and_options():
    column = fc.embedding_column(TYPE, 4)
    assert (column.combiner, column.max_norm, column.trainable) == ("mean", None, True)
    torch.manual_seed(0)
    layer = keras.layers.DenseFeatures([column])
    layer(BASIC)
    table = np.asarray(layer.weights[0].numpy())
    # TensorFlow's default: truncated normal, stddev 1/sqrt(dimension), cut at 2 stddev.
    assert np.abs(table).max() <= 2 / np.sqrt(4) + 1e-6
    frozen = keras.layers.DenseFeatures([fc.embedding_column(TYPE, 2, trainable=False)])
    frozen(BASIC)
    assert len(frozen.trainable_weights) == 0 and len(frozen.non_trainable_weights) == 1
    # A layer made with trainable=False freezes its embeddings until it is made trainable.
    layer = keras.layers.DenseFeatures([fc.embedding_column(TYPE, 2)], trainable=False)
    layer(BASIC)
    assert (len(layer.trainable_weights), len(layer.non_trainable_weights)) == (0, 1)
    layer.trainable = True
    assert (len(layer.trainable_weights), len(layer.non_trainable_weights)) == (1, 0)
    with pytest.raises(ValueError, match="combiner must be one of 'mean', 'sqrtn' or 'sum'"):
        fc.embedding_column(TYPE, 2, combiner="max")
    with pytest.raises(ValueError, match="Invalid dimension 0"):
        fc.embedding_column(TYPE, 0)
    with pytest.raises(NotImplementedError, match="ckpt_to_load_from"):
        fc.embedding_column(TYPE, 2, ckpt_to_load_from="x", tensor_name_in_ckpt="y")


def test_shared_embeddings_share_one_table():
    a = fc.categorical_column_with_identity("a", 3)
    b = fc.categorical_column_with_identity("b", 3)
    shared = fc.shared_embeddings([b, a], 2, initializer=keras.initializers.Constant(0.0))
    assert [c.name for c in shared] == ["b_shared_embedding", "a_shared_embedding"]
    layer = keras.layers.DenseFeatures(shared, name="features")
    features = {"a": np.array([0, 2]), "b": np.array([1, 1])}
    layer(features)
    assert [w.name for w in layer.weights] == ["features/a_b_shared_embedding:0"]
    layer.set_weights([np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], "float32")])
    # Sorted by column name: a's embedding, then b's.
    assert np.asarray(layer(features)).tolist() == [[1, 2, 3, 4], [5, 6, 3, 4]]
    # Another layer using one of the columns uses the same table.
    other = keras.layers.DenseFeatures([shared[0]])
    assert np.asarray(other(features)).tolist() == [[3, 4], [3, 4]]
    assert other.weights[0] is layer.weights[0]
    with pytest.raises(ValueError, match="must have the same number of buckets"):
        fc.shared_embeddings([a, fc.categorical_column_with_identity("c", 4)], 2)


def test_sparse_tensor_features():
    ids = fc.categorical_column_with_identity("ids", 4)
    sparse = tf.SparseTensor(indices=[[0, 0], [0, 1], [2, 0]], values=[1, 3, 2], dense_shape=[3, 2])
    assert dense([fc.indicator_column(ids)], {"ids": sparse}).tolist() == [
        [0, 1, 0, 1],
        [0, 0, 0, 0],
        [0, 0, 1, 0],
    ]
    words = fc.categorical_column_with_vocabulary_list("w", ["a", "b"])
    sparse = tf.SparseTensor(
        indices=[[0, 0], [1, 0], [1, 1]], values=["b", "a", "b"], dense_shape=[2, 2]
    )
    assert dense([fc.indicator_column(words)], {"w": sparse}).tolist() == [[0, 1], [1, 1]]


def test_column_errors():
    with pytest.raises(ValueError, match="boundaries must be a sorted list"):
        fc.bucketized_column(AGE, [2, 1])
    with pytest.raises(ValueError, match="boundaries must not be empty"):
        fc.bucketized_column(AGE, [])
    with pytest.raises(ValueError, match="source_column must be one-dimensional column"):
        fc.bucketized_column(fc.numeric_column("a", shape=(2, 2)), [1])
    with pytest.raises(ValueError, match="source_column must be a column generated with"):
        fc.bucketized_column(TYPE, [1])
    with pytest.raises(ValueError, match="dtype must be convertible to float"):
        fc.numeric_column("a", dtype=tf.string)
    with pytest.raises(ValueError, match="categorical_column_with_hash_bucket is not supported"):
        fc.crossed_column([fc.categorical_column_with_hash_bucket("a", 3), "b"], 10)
    with pytest.raises(ValueError, match="keys must be a list with length > 1"):
        fc.crossed_column(["a"], 10)
    with pytest.raises(ValueError, match="Can't specify both num_oov_buckets and default_value"):
        fc.categorical_column_with_vocabulary_list("a", ["x"], default_value=0, num_oov_buckets=1)
    with pytest.raises(ValueError, match="Duplicate keys in vocabulary_list"):
        fc.categorical_column_with_vocabulary_list("a", ["x", "x"])
    with pytest.raises(ValueError, match="Input must be a CategoricalColumn"):
        fc.indicator_column(AGE)
    ids = fc.categorical_column_with_identity("ids", 3)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"ids must be in \[0, 3\), got 5"):
        dense([fc.indicator_column(ids)], {"ids": np.array([1, 5])})
    with pytest.raises(
        ValueError, match="needs the feature 'Age', which the features dict does not have"
    ):
        dense([AGE], {"Fee": np.array([1.0])})
    with pytest.raises(ValueError, match="has shape \\(1,\\) .* the feature has shape \\(2, 2\\)"):
        dense([AGE], {"Age": np.ones((2, 2))})
    with pytest.raises(
        ValueError, match="has a string vocabulary but feature 'Type' holds integers"
    ):
        dense([fc.indicator_column(TYPE)], {"Type": np.array([1, 2])})
    with pytest.raises(ValueError, match="Bucketize it first"):
        dense([fc.indicator_column(fc.crossed_column(["Age", TYPE], 5))], BASIC)


# tf_keras 2.21's DenseFeatures([...]).get_config()["feature_columns"] for the columns below.
TF_KERAS_COLUMN_CONFIGS = [
    {
        "class_name": "IndicatorColumn",
        "config": {
            "categorical_column": {
                "class_name": "CrossedColumn",
                "config": {
                    "keys": [
                        {
                            "class_name": "BucketizedColumn",
                            "config": {
                                "source_column": {
                                    "class_name": "NumericColumn",
                                    "config": {
                                        "key": "Age",
                                        "shape": [1],
                                        "default_value": None,
                                        "dtype": "float32",
                                        "normalizer_fn": None,
                                    },
                                },
                                "boundaries": [1, 2],
                            },
                        },
                        {
                            "class_name": "VocabularyListCategoricalColumn",
                            "config": {
                                "key": "Type",
                                "vocabulary_list": ["Cat", "Dog"],
                                "dtype": "string",
                                "default_value": -1,
                                "num_oov_buckets": 0,
                            },
                        },
                        "x",
                    ],
                    "hash_bucket_size": 5,
                    "hash_key": None,
                },
            }
        },
    },
    {
        "class_name": "IndicatorColumn",
        "config": {
            "categorical_column": {
                "class_name": "WeightedCategoricalColumn",
                "config": {
                    "categorical_column": {
                        "class_name": "IdentityCategoricalColumn",
                        "config": {"key": "i", "number_buckets": 3, "default_value": None},
                    },
                    "weight_feature_key": "w",
                    "dtype": "float32",
                },
            }
        },
    },
]


def test_column_configs_match_tf_keras_and_round_trip():
    from tork.feature_column.serialization import (
        deserialize_feature_column,
        serialize_feature_column,
    )

    age = fc.numeric_column("Age")
    cross = fc.crossed_column([fc.bucketized_column(age, [1, 2]), TYPE, "x"], 5)
    weighted = fc.weighted_categorical_column(fc.categorical_column_with_identity("i", 3), "w")
    columns = [fc.indicator_column(cross), fc.indicator_column(weighted)]
    assert [serialize_feature_column(c) for c in columns] == TF_KERAS_COLUMN_CONFIGS
    assert [deserialize_feature_column(c) for c in TF_KERAS_COLUMN_CONFIGS] == columns
    # An embedding column keeps its initializer.
    embedding = fc.embedding_column(TYPE, 2, combiner="sqrtn", max_norm=1.0)
    restored = deserialize_feature_column(serialize_feature_column(embedding))
    assert (restored.name, restored.combiner, restored.max_norm) == ("Type_embedding", "sqrtn", 1.0)
    assert type(restored.initializer).__name__ == "TruncatedNormal"
    assert restored.initializer.stddev == pytest.approx(1 / np.sqrt(2))
    shared = fc.shared_embeddings([TYPE], 2)
    with pytest.raises(NotImplementedError, match="Serializing shared_embeddings columns"):
        serialize_feature_column(shared[0])
