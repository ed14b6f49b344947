"""A Keras 3 GetItem op entry (`x[:, 1]` in a functional model) revives with a tuple key."""

import json
import warnings

import numpy as np

from tork import keras


def kt(shape, hist):
    return {
        "class_name": "__keras_tensor__",
        "config": {"shape": shape, "dtype": "float32", "keras_history": hist},
    }


cfg = {
    "module": "keras",
    "class_name": "Functional",
    "registered_name": "Functional",
    "config": {
        "name": "f",
        "trainable": True,
        "layers": [
            {
                "module": "keras.layers",
                "class_name": "InputLayer",
                "registered_name": None,
                "name": "inp",
                "config": {
                    "batch_shape": [None, 3, 4],
                    "dtype": "float32",
                    "sparse": False,
                    "name": "inp",
                },
                "inbound_nodes": [],
            },
            {
                "module": "keras.src.ops.numpy",
                "class_name": "GetItem",
                "registered_name": "GetItem",
                "name": "get_item",
                "config": {"name": "get_item"},
                "inbound_nodes": [
                    {
                        "args": [
                            kt([None, 3, 4], ["inp", 0, 0]),
                            [
                                {
                                    "class_name": "__slice__",
                                    "config": {"start": None, "stop": None, "step": None},
                                },
                                1,
                            ],
                        ],
                        "kwargs": {},
                    }
                ],
            },
        ],
        "input_layers": ["inp", 0, 0],
        "output_layers": ["get_item", 0, 0],
    },
}


def test_keras3_get_item_entry_indexes_with_a_tuple():
    # Keras 3.15 writes `x[:, 1]` as GetItem(x, [slice, 1]); a list key made torch warn and
    # (for int-only keys) fancy-index other elements.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.simplefilter("error")
        m = keras.models.model_from_json(json.dumps(cfg))
        x = np.arange(24, dtype="float32").reshape(2, 3, 4)
        np.testing.assert_array_equal(np.asarray(m(x)), x[:, 1])
