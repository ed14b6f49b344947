import json

import numpy as np
import pytest
import torch

import tork.keras.layers  # noqa: F401 - loads the layer package before keras.Input is used
from tork import keras
from tork.keras.models.functional.config import functional_config, functional_from_config
from tork.keras.saving import KerasFileError

L = keras.layers


def _rebuild(model):
    # Through JSON, as in a file.
    return functional_from_config(json.loads(json.dumps(functional_config(model))))


def test_keras3_layout():
    x = keras.Input((4,), name="x")
    y = L.Dense(2, name="d")(x)
    config = functional_config(keras.Model(x, y, name="m"))
    assert config["name"] == "m" and config["trainable"] is True
    assert config["input_layers"] == ["x", 0, 0]
    assert config["output_layers"] == ["d", 0, 0]
    first, second = config["layers"]
    assert first["class_name"] == "InputLayer" and first["inbound_nodes"] == []
    assert first["config"]["batch_shape"] == [None, 4]
    assert second["name"] == "d" and second["module"] == "keras.layers"
    assert second["inbound_nodes"] == [
        {
            "args": [
                {
                    "class_name": "__keras_tensor__",
                    "config": {
                        "shape": [None, 4],
                        "dtype": "float32",
                        "keras_history": ["x", 0, 0],
                    },
                }
            ],
            "kwargs": {},
        }
    ]


def test_layers_are_ordered_by_depth_then_first_visit():
    x = keras.Input((3,), name="x")
    shallow = L.Dense(3, name="shallow")(x)
    deep = L.Dense(3, name="c")(L.Dense(3, name="b")(L.Dense(3, name="a")(x)))
    model = keras.Model(x, L.Add(name="add")([shallow, deep]))
    names = [entry["name"] for entry in functional_config(model)["layers"]]
    # Depths from the output: add 0, shallow 1, c 1, b 2, a 3, x 4; ties by first visit
    # walking back from the output (shallow is met before c).
    assert names == ["x", "a", "b", "shallow", "c", "add"]


def test_shared_layer_nodes_and_round_trip():
    a = keras.Input((3,), name="a")
    b = keras.Input((3,), name="b")
    shared = L.Dense(2, name="shared")
    out = L.Concatenate(name="cat")([shared(a), shared(b)])
    model = keras.Model([a, b], out)
    config = functional_config(model)
    shared_entry = next(e for e in config["layers"] if e["name"] == "shared")
    assert len(shared_entry["inbound_nodes"]) == 2
    cat = next(e for e in config["layers"] if e["name"] == "cat")
    histories = [t["config"]["keras_history"] for t in cat["inbound_nodes"][0]["args"][0]]
    assert histories == [["shared", 0, 0], ["shared", 1, 0]]
    assert config["input_layers"] == [["a", 0, 0], ["b", 0, 0]]
    rebuilt = _rebuild(model)
    assert len(rebuilt.weights) == 2  # still one shared Dense
    rebuilt.set_weights(model.get_weights())
    xa, xb = np.ones((2, 3), "float32"), np.full((2, 3), 2.0, "float32")
    np.testing.assert_array_equal(
        rebuilt.predict([xa, xb], verbose=0), model.predict([xa, xb], verbose=0)
    )


def test_dict_inputs_kwargs_and_nested_model():
    inner_in = keras.Input((4,))
    inner = keras.Model(inner_in, L.Dense(3)(inner_in), name="inner")
    a = keras.Input((4,), name="a")
    b = keras.Input((4,), name="b")
    hidden = L.Dropout(0.5)(inner(a), training=False)
    model = keras.Model({"a": a, "b": b}, L.Add()([hidden, L.Dense(3)(b)]))
    config = functional_config(model)
    assert config["input_layers"] == {"a": ["a", 0, 0], "b": ["b", 0, 0]}
    dropout = next(e for e in config["layers"] if e["class_name"] == "Dropout")
    assert dropout["inbound_nodes"][0]["kwargs"] == {"training": False}
    rebuilt = _rebuild(model)
    rebuilt.set_weights(model.get_weights())
    data = {"a": np.ones((2, 4), "float32"), "b": np.ones((2, 4), "float32")}
    np.testing.assert_array_equal(rebuilt.predict(data, verbose=0), model.predict(data, verbose=0))


def test_torch_ops_round_trip():
    x = keras.Input((4,), name="x")
    y = (L.Dense(4)(x) * 2.0 + x)[:, 1:3].reshape(-1, 2)
    model = keras.Model(x, torch.tanh(y))
    config = functional_config(model)
    ops = [e["config"]["function"] for e in config["layers"] if e["class_name"] == "__torch_op__"]
    assert ops == ["torch.mul", "torch.add", "getitem", "torch.Tensor.reshape", "torch.tanh"]
    rebuilt = _rebuild(model)
    rebuilt.set_weights(model.get_weights())
    data = np.random.default_rng(0).normal(size=(3, 4)).astype("float32")
    np.testing.assert_allclose(rebuilt.predict(data, verbose=0), model.predict(data, verbose=0))


def test_unsafe_torch_op_is_refused():
    x = keras.Input((4,), name="x")
    config = functional_config(keras.Model(x, x * 2.0))
    op = next(e for e in config["layers"] if e["class_name"] == "__torch_op__")
    op["config"]["function"] = "torch.load"
    with pytest.raises(KerasFileError, match=r"'torch.load'.*do not touch files"):
        functional_from_config(config)


def test_disconnected_config():
    x = keras.Input((4,), name="x")
    config = functional_config(keras.Model(x, L.Dense(2, name="d")(x)))
    config["layers"][1]["inbound_nodes"][0]["args"][0]["config"]["keras_history"] = ["nope", 0, 0]
    with pytest.raises(KerasFileError, match=r"inputs of layer\(s\) \['d'\] are never produced"):
        functional_from_config(config)
    with pytest.raises(KerasFileError, match="needs a 'layers' list"):
        functional_from_config({"name": "m"})


def test_custom_layer_whose_config_has_no_name_rebuilds():
    # The Functional API guide's CustomDense returns {"units": ...} only: the layer entry's
    # name still links the graph, though the new layer gets an automatic name.
    class CustomDense(keras.layers.Layer):
        def __init__(self, units=32):
            super().__init__()
            self.units = units

        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer="ones")

        def call(self, inputs):
            return inputs @ self.w

        def get_config(self):
            return {"units": self.units}

    inputs = keras.Input((4,))
    model = keras.Model(inputs, CustomDense(10)(inputs))
    rebuilt = keras.Model.from_config(
        model.get_config(), custom_objects={"CustomDense": CustomDense}
    )
    assert rebuilt.output_shape == (None, 10)
    out = rebuilt(np.ones((2, 4), "float32"))
    np.testing.assert_allclose(out.detach().numpy(), np.full((2, 10), 4.0))


# The config TF 2.21 (Keras 3.15) writes for Embedding(mask_zero=True) -> masked average and
# keras.ops.sum(embeddings, axis=1): the mask and the sum are Operation entries.
_KERAS3_OPS_CONFIG = json.loads(
    """
{
 "name": "functional",
 "trainable": true,
 "layers": [
  {
   "module": "keras.layers",
   "class_name": "InputLayer",
   "config": {
    "batch_shape": [
     null,
     5
    ],
    "dtype": "int32",
    "sparse": false,
    "ragged": false,
    "name": "tokens",
    "optional": false
   },
   "registered_name": null,
   "name": "tokens",
   "inbound_nodes": []
  },
  {
   "module": "keras.layers",
   "class_name": "Embedding",
   "config": {
    "name": "emb",
    "trainable": true,
    "dtype": {
     "module": "keras",
     "class_name": "DTypePolicy",
     "config": {
      "name": "float32"
     },
     "registered_name": null
    },
    "input_dim": 20,
    "output_dim": 4,
    "embeddings_initializer": {
     "module": "keras.initializers",
     "class_name": "RandomUniform",
     "config": {
      "seed": null,
      "minval": -0.05,
      "maxval": 0.05
     },
     "registered_name": null
    },
    "embeddings_regularizer": null,
    "activity_regularizer": null,
    "embeddings_constraint": null,
    "mask_zero": true,
    "quantization_config": null
   },
   "registered_name": null,
   "name": "emb",
   "inbound_nodes": [
    {
     "args": [
      {
       "class_name": "__keras_tensor__",
       "config": {
        "shape": [
         null,
         5
        ],
        "dtype": "int32",
        "keras_history": [
         "tokens",
         0,
         0
        ]
       }
      }
     ],
     "kwargs": {}
    }
   ]
  },
  {
   "module": "keras.src.ops.numpy",
   "class_name": "NotEqual",
   "config": {
    "name": "not_equal"
   },
   "registered_name": "NotEqual",
   "name": "not_equal",
   "inbound_nodes": [
    {
     "args": [
      {
       "class_name": "__keras_tensor__",
       "config": {
        "shape": [
         null,
         5
        ],
        "dtype": "int32",
        "keras_history": [
         "tokens",
         0,
         0
        ]
       }
      },
      0
     ],
     "kwargs": {}
    }
   ]
  },
  {
   "module": "keras.layers",
   "class_name": "GlobalAveragePooling1D",
   "config": {
    "name": "pool",
    "trainable": true,
    "dtype": {
     "module": "keras",
     "class_name": "DTypePolicy",
     "config": {
      "name": "float32"
     },
     "registered_name": null
    },
    "data_format": "channels_last",
    "keepdims": false
   },
   "registered_name": null,
   "name": "pool",
   "inbound_nodes": [
    {
     "args": [
      {
       "class_name": "__keras_tensor__",
       "config": {
        "shape": [
         null,
         5,
         4
        ],
        "dtype": "float32",
        "keras_history": [
         "emb",
         0,
         0
        ]
       }
      }
     ],
     "kwargs": {
      "mask": {
       "class_name": "__keras_tensor__",
       "config": {
        "shape": [
         null,
         5
        ],
        "dtype": "bool",
        "keras_history": [
         "not_equal",
         0,
         0
        ]
       }
      }
     }
    }
   ]
  },
  {
   "module": "keras.src.ops.numpy",
   "class_name": "Sum",
   "config": {
    "name": "sum",
    "axis": 1,
    "keepdims": false
   },
   "registered_name": "Sum",
   "name": "sum",
   "inbound_nodes": [
    {
     "args": [
      {
       "class_name": "__keras_tensor__",
       "config": {
        "shape": [
         null,
         5,
         4
        ],
        "dtype": "float32",
        "keras_history": [
         "emb",
         0,
         0
        ]
       }
      }
     ],
     "kwargs": {}
    }
   ]
  },
  {
   "module": "keras.layers",
   "class_name": "Concatenate",
   "config": {
    "name": "cat",
    "trainable": true,
    "dtype": {
     "module": "keras",
     "class_name": "DTypePolicy",
     "config": {
      "name": "float32"
     },
     "registered_name": null
    },
    "axis": -1
   },
   "registered_name": null,
   "name": "cat",
   "inbound_nodes": [
    {
     "args": [
      [
       {
        "class_name": "__keras_tensor__",
        "config": {
         "shape": [
          null,
          4
         ],
         "dtype": "float32",
         "keras_history": [
          "pool",
          0,
          0
         ]
        }
       },
       {
        "class_name": "__keras_tensor__",
        "config": {
         "shape": [
          null,
          4
         ],
         "dtype": "float32",
         "keras_history": [
          "sum",
          0,
          0
         ]
        }
       }
      ]
     ],
     "kwargs": {}
    }
   ]
  }
 ],
 "input_layers": [
  "tokens",
  0,
  0
 ],
 "output_layers": [
  "cat",
  0,
  0
 ]
}
"""
)


def test_keras3_operation_entries_revive_as_ops():
    model = functional_from_config(_KERAS3_OPS_CONFIG)
    table = np.arange(80, dtype="float32").reshape(20, 4) / 10.0
    model.get_layer("emb").set_weights([table])
    tokens = np.array([[1, 2, 0, 0, 0], [3, 4, 5, 0, 0]])
    out = model(tokens).detach().numpy()
    vectors = table[tokens]
    mask = (tokens != 0)[..., None]
    mean = (vectors * mask).sum(1) / mask.sum(1)
    np.testing.assert_allclose(out, np.concatenate([mean, vectors.sum(1)], -1), rtol=1e-6)
    # Saved again by tork, the ops keep their names and arguments.
    functions = [
        entry["config"]["function"]
        for entry in functional_config(model)["layers"]
        if entry["class_name"] == "__torch_op__"
    ]
    assert functions == ["keras.ops.not_equal", "keras.ops.sum"]
    again = functional_from_config(json.loads(json.dumps(functional_config(model))))
    again.get_layer("emb").set_weights([table])
    np.testing.assert_allclose(again(tokens).detach().numpy(), out, rtol=1e-6)


def test_unknown_keras3_operation_is_named():
    config = json.loads(json.dumps(_KERAS3_OPS_CONFIG))
    for entry in config["layers"]:
        if entry["class_name"] == "Sum":
            entry["class_name"] = "FancyReduce"
    with pytest.raises(KerasFileError, match="Keras op 'FancyReduce'.*no keras.ops function"):
        functional_from_config(config)


# The model config tf_keras 2.21 (Keras 2) writes for TensorFlow ops on symbolic tensors:
# x[..., 1:3], x[:, tf.newaxis, 0], tf.reshape(x, [tf.shape(x)[0], 20]), a + a, tf.add(a, a).
_KERAS2_TF_OPS_CONFIG = json.loads(
    """
{
 "name": "model",
 "trainable": true,
 "layers": [
  {
   "class_name": "InputLayer",
   "config": {
    "batch_input_shape": [
     null,
     4,
     5
    ],
    "dtype": "float32",
    "sparse": false,
    "ragged": false,
    "name": "input_1",
    "optional": false
   },
   "name": "input_1",
   "inbound_nodes": []
  },
  {
   "class_name": "TFOpLambda",
   "config": {
    "name": "tf.compat.v1.shape",
    "trainable": true,
    "dtype": "float32",
    "function": "compat.v1.shape"
   },
   "name": "tf.compat.v1.shape",
   "inbound_nodes": [
    [
     "input_1",
     0,
     0,
     {
      "name": null,
      "out_type": "int32"
     }
    ]
   ]
  },
  {
   "class_name": "SlicingOpLambda",
   "config": {
    "name": "tf.__operators__.getitem",
    "trainable": true,
    "dtype": "float32",
    "function": "__operators__.getitem"
   },
   "name": "tf.__operators__.getitem",
   "inbound_nodes": [
    [
     "input_1",
     0,
     0,
     {
      "slice_spec": [
       {
        "class_name": "__ellipsis__"
       },
       {
        "start": 1,
        "stop": 3,
        "step": null
       }
      ]
     }
    ]
   ]
  },
  {
   "class_name": "SlicingOpLambda",
   "config": {
    "name": "tf.__operators__.getitem_2",
    "trainable": true,
    "dtype": "float32",
    "function": "__operators__.getitem"
   },
   "name": "tf.__operators__.getitem_2",
   "inbound_nodes": [
    [
     "tf.compat.v1.shape",
     0,
     0,
     {
      "slice_spec": 0
     }
    ]
   ]
  },
  {
   "class_name": "SlicingOpLambda",
   "config": {
    "name": "tf.__operators__.getitem_1",
    "trainable": true,
    "dtype": "float32",
    "function": "__operators__.getitem"
   },
   "name": "tf.__operators__.getitem_1",
   "inbound_nodes": [
    [
     "input_1",
     0,
     0,
     {
      "slice_spec": [
       {
        "start": null,
        "stop": null,
        "step": null
       },
       null,
       0
      ]
     }
    ]
   ]
  },
  {
   "class_name": "TFOpLambda",
   "config": {
    "name": "tf.reshape",
    "trainable": true,
    "dtype": "float32",
    "function": "reshape"
   },
   "name": "tf.reshape",
   "inbound_nodes": [
    [
     "input_1",
     0,
     0,
     {
      "shape": [
       [
        "tf.__operators__.getitem_2",
        0,
        0
       ],
       20
      ]
     }
    ]
   ]
  },
  {
   "class_name": "TFOpLambda",
   "config": {
    "name": "tf.__operators__.add",
    "trainable": true,
    "dtype": "float32",
    "function": "__operators__.add"
   },
   "name": "tf.__operators__.add",
   "inbound_nodes": [
    [
     "tf.__operators__.getitem",
     0,
     0,
     {
      "y": [
       "tf.__operators__.getitem",
       0,
       0
      ],
      "name": null
     }
    ]
   ]
  },
  {
   "class_name": "TFOpLambda",
   "config": {
    "name": "tf.math.add",
    "trainable": true,
    "dtype": "float32",
    "function": "math.add"
   },
   "name": "tf.math.add",
   "inbound_nodes": [
    [
     "tf.__operators__.getitem",
     0,
     0,
     {
      "y": [
       "tf.__operators__.getitem",
       0,
       0
      ]
     }
    ]
   ]
  }
 ],
 "input_layers": [
  [
   "input_1",
   0,
   0
  ]
 ],
 "output_layers": [
  [
   "tf.__operators__.getitem",
   0,
   0
  ],
  [
   "tf.__operators__.getitem_1",
   0,
   0
  ],
  [
   "tf.reshape",
   0,
   0
  ],
  [
   "tf.__operators__.add",
   0,
   0
  ],
  [
   "tf.math.add",
   0,
   0
  ]
 ]
}
"""
)


def test_keras2_tfoplambda_layers_revive_as_tork_ops():
    model = functional_from_config(_KERAS2_TF_OPS_CONFIG)
    x = np.arange(40, dtype="float32").reshape(2, 4, 5)
    outs = [o.detach().numpy() for o in model(x)]
    a = x[..., 1:3]
    expected = [a, x[:, None, 0], x.reshape(2, 20), a + a, a + a]
    for out, want in zip(outs, expected):
        np.testing.assert_array_equal(out, want)
    # The ops are layers of the model, named and ordered as in tf_keras's config.
    expected_layers = [(e["name"], e["class_name"]) for e in _KERAS2_TF_OPS_CONFIG["layers"]]
    assert [(layer.name, type(layer).__name__) for layer in model.layers] == expected_layers
    # Saved again, the ops keep working and keep their names.
    again = functional_from_config(json.loads(json.dumps(functional_config(model))))
    np.testing.assert_array_equal(again(x)[2].detach().numpy(), x.reshape(2, 20))
    assert [layer.name for layer in again.layers] == [name for name, _ in expected_layers]


def test_keras2_tfoplambda_with_an_unknown_function_is_named():
    config = json.loads(json.dumps(_KERAS2_TF_OPS_CONFIG))
    for entry in config["layers"]:
        if entry["class_name"] == "TFOpLambda" and entry["config"]["function"] == "reshape":
            entry["config"]["function"] = "raw_ops.FancyReshape"
    with pytest.raises(KerasFileError, match=r"applies tf.raw_ops.FancyReshape.*TFOpLambda"):
        functional_from_config(config)


def test_keras2_config_of_nested_models_loads_and_predicts_as_tf_keras():
    # tf_keras 2.21 wrote this config: a nested Sequential and a nested functional model,
    # each made from its own Input, so their first call in the outer model is node 1 in
    # the file (tork writes 0). Weights, inputs and outputs are tf_keras's.
    import pathlib

    here = pathlib.Path(__file__).parent
    config = json.loads((here / "keras2_nested_model.json").read_text())
    data = np.load(here / "keras2_nested_model.npz")
    model = keras.models.model_from_json(json.dumps(config))
    model.set_weights([data[f"w{i}"] for i in range(14)])
    out0, out1 = model.predict([data["x0"], data["x1"]], verbose=0)
    np.testing.assert_allclose(out0, data["y0"], atol=1e-5)
    np.testing.assert_allclose(out1, data["y1"], atol=1e-5)
    # tork's own files (node 0) still load.
    again = keras.models.model_from_json(model.to_json())
    again.set_weights(model.get_weights())
    np.testing.assert_allclose(again.predict([data["x0"], data["x1"]], verbose=0)[1], out1)
