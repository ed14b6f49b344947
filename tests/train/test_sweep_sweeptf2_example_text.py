"""print() of tf.train messages shows protobuf's text format (sweeptf2).

The TFRecord and tf.data guides print parsed features (`print(example.features.feature[k])`);
TensorFlow shows the text format. Expected strings were printed by TF 2.21.
"""

import tork as tf


def test_float_list_text_uses_shortest_float32_digits():
    values = [1.0, 2.5, 1e20, 2.718, float("nan"), -0.0, 1e-7, 123456789.0]
    expected = (
        "value: 1\nvalue: 2.5\nvalue: 1e+20\nvalue: 2.718\nvalue: nan\nvalue: -0\n"
        "value: 1e-07\nvalue: 123456792\n"
    )
    assert str(tf.train.FloatList(value=values)) == expected


def test_bytes_list_text_escapes_like_protobuf():
    text = str(tf.train.BytesList(value=[b'a"b', b"\xff\x00\n", "\u00e9".encode()]))
    assert text == 'value: "a\\"b"\nvalue: "\\377\\000\\n"\nvalue: "\\303\\251"\n'


def test_example_and_feature_text():
    feature = tf.train.Feature(int64_list=tf.train.Int64List(value=[1, -2]))
    assert str(feature) == "int64_list {\n  value: 1\n  value: -2\n}\n"
    example = tf.train.Example(
        features=tf.train.Features(
            feature={"b": feature, "a": tf.train.Feature(float_list=tf.train.FloatList())}
        )
    )
    expected = (
        'features {\n  feature {\n    key: "b"\n    value {\n      int64_list {\n'
        "        value: 1\n        value: -2\n      }\n    }\n  }\n  feature {\n"
        '    key: "a"\n    value {\n      float_list {\n      }\n    }\n  }\n}\n'
    )
    assert str(example) == expected
    assert str(tf.train.Feature()) == ""
    assert str(tf.train.Example()) == ""
    # repr stays the constructor-like form.
    assert repr(feature) == "Feature(int64_list=Int64List(value=[1, -2]))"


def test_sequence_example_text():
    seq = tf.train.SequenceExample(
        feature_lists=tf.train.FeatureLists(
            feature_list={
                "x": tf.train.FeatureList(
                    feature=[tf.train.Feature(int64_list=tf.train.Int64List(value=[3]))]
                )
            }
        )
    )
    expected = (
        'feature_lists {\n  feature_list {\n    key: "x"\n    value {\n      feature {\n'
        "        int64_list {\n          value: 3\n        }\n      }\n    }\n  }\n}\n"
    )
    assert str(seq) == expected
