"""tf.function returns Python strings as tf.string tensors, as TensorFlow's graph does.

From the DeepLearning.AI "graphs for complex code" lab (https-deeplearning-ai/
tensorflow-3-public, Course 2 Week 3 Lab 2): `sign` returns 'Positive' or
'Negative or zero' and the lab prints `"Sign = {}".format(sign(tf.constant(2)))`.
Reference values from TensorFlow 2.21 (reference env): `Sign = b'Positive'`,
`.numpy()` is `b'Positive'`, shape (), dtype tf.string, `== 'Positive'` is True;
strings nested in lists, dicts and tuples are converted too, numbers beside them still
become tensors.
"""

import tork as tf


@tf.function
def _sign(x):
    if x > 0:
        return "Positive"
    else:
        return "Negative or zero"


def test_returned_string_is_a_string_tensor():
    r = _sign(tf.constant(2))
    assert f"Sign = {r}" == "Sign = b'Positive'"
    assert r.numpy() == b"Positive"
    assert tuple(r.shape) == ()
    assert r.dtype == tf.string
    assert bool(r == "Positive")
    assert f"Sign = {_sign(tf.constant(-2))}" == "Sign = b'Negative or zero'"


def test_strings_nested_in_the_result_are_converted():
    @tf.function
    def g():
        return ["a", b"b"], {"k": "v"}, ("t", 1)

    items, mapping, pair = g()
    assert [v.numpy() for v in items] == [b"a", b"b"]
    assert mapping["k"].numpy() == b"v"
    assert pair[0].numpy() == b"t"
    assert int(pair[1]) == 1 and isinstance(pair[1], tf.Tensor)
