"""tf.train.Example messages: wire format against hand-computed bytes and protobuf."""

import numpy as np
import pytest

import tork as tf


def test_int64_list_packed_hand_bytes():
    # field 1, wire type 2 -> tag 0x0A; payload: varint 1 = 01, varint 150 = 96 01.
    data = tf.train.Int64List(value=[1, 150]).SerializeToString()
    assert data == b"\x0a\x03\x01\x96\x01"
    assert tf.train.Int64List.FromString(data).value == [1, 150]


def test_int64_negative_is_ten_byte_varint():
    data = tf.train.Int64List(value=[-1]).SerializeToString()
    assert data == b"\x0a\x0a" + b"\xff" * 9 + b"\x01"
    assert tf.train.Int64List.FromString(data).value == [-1]
    big = [2**63 - 1, -(2**63), 0, 127, 128, 300]
    assert (
        tf.train.Int64List.FromString(tf.train.Int64List(value=big).SerializeToString()).value
        == big
    )


def test_float_list_packed_little_endian():
    data = tf.train.FloatList(value=[1.0, -2.0]).SerializeToString()
    assert data == b"\x0a\x08" + b"\x00\x00\x80\x3f" + b"\x00\x00\x00\xc0"
    # Values are float32, as in TensorFlow.
    value = tf.train.FloatList(value=[0.1]).value[0]
    assert value == float(np.float32(0.1))


def test_bytes_list_and_feature_oneof():
    assert tf.train.BytesList(value=[b"ab", "c"]).SerializeToString() == b"\x0a\x02ab\x0a\x01c"
    feature = tf.train.Feature(int64_list=tf.train.Int64List(value=[5]))
    # Feature.int64_list is field 3 -> tag 0x1A.
    assert feature.SerializeToString() == b"\x1a\x03\x0a\x01\x05"
    assert feature.WhichOneof("kind") == "int64_list"
    assert feature.HasField("int64_list") and not feature.HasField("float_list")


def test_example_hand_bytes_and_attribute_access():
    example = tf.train.Example(
        features=tf.train.Features(
            feature={"x": tf.train.Feature(float_list=tf.train.FloatList(value=[1.0]))}
        )
    )
    float_list = b"\x0a\x04\x00\x00\x80\x3f"
    feature = b"\x12" + bytes([len(float_list)]) + float_list
    entry = b"\x0a\x01x" + b"\x12" + bytes([len(feature)]) + feature
    features = b"\x0a" + bytes([len(entry)]) + entry
    expected = b"\x0a" + bytes([len(features)]) + features
    assert example.SerializeToString() == expected
    parsed = tf.train.Example.FromString(expected)
    assert parsed.features.feature["x"].float_list.value == [1.0]
    assert parsed == example
    other = tf.train.Example()
    assert other.ParseFromString(expected) == len(expected)
    assert other == example


def test_unpacked_repeated_fields_are_read():
    # Unpacked encodings (one tag per value) are valid protobuf and must parse.
    assert tf.train.Int64List.FromString(b"\x08\x01\x08\x96\x01").value == [1, 150]
    assert tf.train.FloatList.FromString(b"\x0d\x00\x00\x80\x3f").value == [1.0]


def test_map_access_creates_and_in_place_edits_serialize():
    example = tf.train.Example()
    example.features.feature["y"].int64_list.value.append(7)
    again = tf.train.Example.FromString(example.SerializeToString())
    assert again.features.feature["y"].int64_list.value == [7]


def test_sequence_example_round_trip():
    seq = tf.train.SequenceExample(
        context=tf.train.Features(
            feature={"id": tf.train.Feature(bytes_list=tf.train.BytesList(value=[b"a"]))}
        ),
        feature_lists=tf.train.FeatureLists(
            feature_list={
                "t": tf.train.FeatureList(
                    feature=[
                        tf.train.Feature(int64_list=tf.train.Int64List(value=[i])) for i in range(3)
                    ]
                )
            }
        ),
    )
    back = tf.train.SequenceExample.FromString(seq.SerializeToString())
    assert [f.int64_list.value for f in back.feature_lists.feature_list["t"].feature] == [
        [0],
        [1],
        [2],
    ]
    assert back.context.feature["id"].bytes_list.value == [b"a"]


def test_errors():
    with pytest.raises(ValueError, match="one kind of list"):
        tf.train.Feature(
            int64_list=tf.train.Int64List(value=[1]), float_list=tf.train.FloatList(value=[1.0])
        )
    with pytest.raises(TypeError, match="must be an integer"):
        tf.train.Int64List(value=[1.5])
    with pytest.raises(TypeError, match="must be bytes"):
        tf.train.BytesList(value=[1])
    with pytest.raises(TypeError, match="Wrap it in a list"):
        tf.train.BytesList(value=b"abc")
    with pytest.raises(TypeError, match="must be a tf.train.FloatList"):
        tf.train.Feature(float_list=[1.0])
    with pytest.raises(ValueError, match="Truncated"):
        tf.train.Example.FromString(b"\x0a\x05\x0a")


def _protobuf_example_class():
    """example.proto's Example built from a descriptor defined here (independent reference)."""
    pytest.importorskip("google.protobuf")
    from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

    fdp = descriptor_pb2.FileDescriptorProto(name="tork_test_example.proto", package="tt")
    fdp.syntax = "proto3"
    label_rep = descriptor_pb2.FieldDescriptorProto.LABEL_REPEATED
    label_opt = descriptor_pb2.FieldDescriptorProto.LABEL_OPTIONAL
    t = descriptor_pb2.FieldDescriptorProto

    def add(name, fields, options=None):
        msg = fdp.message_type.add(name=name)
        for fname, number, ftype, label, type_name in fields:
            f = msg.field.add(name=fname, number=number, type=ftype, label=label)
            if type_name:
                f.type_name = type_name
        return msg

    add("BytesList", [("value", 1, t.TYPE_BYTES, label_rep, None)])
    add("FloatList", [("value", 1, t.TYPE_FLOAT, label_rep, None)])
    add("Int64List", [("value", 1, t.TYPE_INT64, label_rep, None)])
    feature = add(
        "Feature",
        [
            ("bytes_list", 1, t.TYPE_MESSAGE, label_opt, ".tt.BytesList"),
            ("float_list", 2, t.TYPE_MESSAGE, label_opt, ".tt.FloatList"),
            ("int64_list", 3, t.TYPE_MESSAGE, label_opt, ".tt.Int64List"),
        ],
    )
    feature.oneof_decl.add(name="kind")
    for f in feature.field:
        f.oneof_index = 0
    features = add(
        "Features", [("feature", 1, t.TYPE_MESSAGE, label_rep, ".tt.Features.FeatureEntry")]
    )
    entry = features.nested_type.add(name="FeatureEntry")
    entry.options.map_entry = True
    entry.field.add(name="key", number=1, type=t.TYPE_STRING, label=label_opt)
    entry.field.add(
        name="value", number=2, type=t.TYPE_MESSAGE, label=label_opt, type_name=".tt.Feature"
    )
    add("Example", [("features", 1, t.TYPE_MESSAGE, label_opt, ".tt.Features")])
    pool = descriptor_pool.DescriptorPool()
    pool.Add(fdp)
    return message_factory.GetMessageClass(pool.FindMessageTypeByName("tt.Example"))


def test_against_protobuf_reference():
    ref_cls = _protobuf_example_class()
    ours = tf.train.Example(
        features=tf.train.Features(
            feature={
                "f": tf.train.Feature(float_list=tf.train.FloatList(value=[0.5, -3.25, 1e10])),
                "i": tf.train.Feature(int64_list=tf.train.Int64List(value=[-5, 0, 2**40])),
                "b": tf.train.Feature(bytes_list=tf.train.BytesList(value=[b"\x00\xff", b""])),
            }
        )
    )
    ref = ref_cls.FromString(ours.SerializeToString())
    assert list(ref.features.feature["f"].float_list.value) == [0.5, -3.25, float(np.float32(1e10))]
    assert list(ref.features.feature["i"].int64_list.value) == [-5, 0, 2**40]
    assert list(ref.features.feature["b"].bytes_list.value) == [b"\x00\xff", b""]
    # And the other way: protobuf's bytes parsed by tork.
    theirs = ref_cls()
    theirs.features.feature["k"].int64_list.value.extend([1, 150, -2])
    theirs.features.feature["s"].bytes_list.value.append(b"hi")
    back = tf.train.Example.FromString(theirs.SerializeToString())
    assert back.features.feature["k"].int64_list.value == [1, 150, -2]
    assert back.features.feature["s"].bytes_list.value == [b"hi"]
    # One-key messages have a single encoding: the bytes agree exactly.
    single = ref_cls()
    single.features.feature["k"].int64_list.value.extend([1, 150, -2])
    mine = tf.train.Example(
        features=tf.train.Features(
            feature={"k": tf.train.Feature(int64_list=tf.train.Int64List(value=[1, 150, -2]))}
        )
    )
    assert mine.SerializeToString() == single.SerializeToString()
