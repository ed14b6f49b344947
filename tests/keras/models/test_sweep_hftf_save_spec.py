"""Keras 2's `Model._set_save_spec` / `save_spec()` (HF transformers' TFPreTrainedModel
calls `self._set_save_spec(self.input_signature)` in `__init__`)."""

import numpy as np

import tork as tf
from tork import keras


class _M(keras.Model):
    def call(self, x):
        return x


def test_dict_of_tensor_specs():
    model = _M()
    assert model.save_spec() is None
    sig = {
        "input_ids": tf.TensorSpec([None, None], tf.int32, name="input_ids"),
        "attention_mask": tf.TensorSpec([None, None], tf.int32, name="attention_mask"),
    }
    model._set_save_spec(sig)
    args, kwargs = model.save_spec()
    # tf_keras 2.21: ([{'input_ids': TensorSpec(shape=(None, None), dtype=tf.int32,
    # name='input_ids'), 'attention_mask': ...}], {})
    assert kwargs == {} and len(args) == 1
    assert list(args[0]) == ["input_ids", "attention_mask"]
    spec = args[0]["input_ids"]
    assert spec.shape.as_list() == [None, None]
    assert spec.dtype == tf.int32 and spec.name == "input_ids"
    assert model._get_save_spec()["attention_mask"].name == "attention_mask"


def test_tensor_gets_pseudo_name_and_batch_is_relaxed():
    model = _M()
    model._set_save_spec(tf.ones((3, 2)))
    # tf_keras 2.21: ([TensorSpec(shape=(None, 2), dtype=tf.float32, name='input_1')], {})
    # and with dynamic_batch=False shape=(3, 2).
    (spec,), _ = model.save_spec()
    assert spec.shape.as_list() == [None, 2] and spec.name == "input_1"
    assert spec.dtype == tf.float32
    (fixed,), _ = model.save_spec(dynamic_batch=False)
    assert fixed.shape.as_list() == [3, 2]
    # Already set: a second call changes nothing (Keras 2).
    model._set_save_spec(np.zeros((5, 7), "float32"))
    assert model.save_spec()[0][0].shape.as_list() == [None, 2]
