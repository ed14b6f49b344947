"""tf.strings against Python's str/bytes methods and `re`."""

import re
import string

import numpy as np
import pytest
import torch

import tork as tf

TEXTS = ["Hello<br />World!", "  Ça va? OK  ", ""]


def _values(t):
    return np.asarray(t.numpy(), dtype=object).tolist()


def test_case_strip_and_length():
    encoded = [s.encode() for s in TEXTS]
    assert _values(tf.strings.lower(TEXTS)) == [b.lower() for b in encoded]
    assert _values(tf.strings.upper(TEXTS)) == [b.upper() for b in encoded]
    assert _values(tf.strings.lower("ÇA", encoding="utf-8")) == "ça".encode()
    assert _values(tf.strings.strip(TEXTS)) == [b.strip() for b in encoded]
    assert tf.strings.length(TEXTS).tolist() == [len(b) for b in encoded]
    assert tf.strings.length(TEXTS, unit="UTF8_CHAR").tolist() == [len(s) for s in TEXTS]
    with pytest.raises(ValueError, match="unit must be one of"):
        tf.strings.length("a", unit="CHAR")
    with pytest.raises(TypeError, match="expects strings, got a tensor of dtype float32"):
        tf.strings.lower(torch.ones(2))


def test_regex_replace_matches_python_re():
    punctuation = f"[{re.escape(string.punctuation)}]"
    got = tf.strings.regex_replace(tf.strings.lower(TEXTS), "<br />", " ")
    got = tf.strings.regex_replace(got, punctuation, "")
    expected = [re.sub(punctuation, "", s.lower().replace("<br />", " ")).encode() for s in TEXTS]
    # TF's lower is ASCII-only: "Ç" stays as it is.
    expected[1] = re.sub(punctuation, "", "  Ça va? OK  ".replace("OK", "ok")).encode()
    assert _values(got) == expected
    assert _values(tf.strings.regex_replace("abc abd", r"a(b)(.)", r"\2\1\0")) == b"cbabc dbabd"
    once = tf.strings.regex_replace("aaa", "a", "b", replace_global=False)
    assert _values(once) == b"baa"
    with pytest.raises(ValueError, match="invalid regular expression"):
        tf.strings.regex_replace("a", "(", "")
    assert tf.strings.regex_full_match(["ab", "abc"], "a.").tolist() == [True, False]


def test_substr_join_reduce_join():
    assert _values(tf.strings.substr(["Hello", "World"], 1, 3)) == [b"ell", b"orl"]
    assert _values(tf.strings.substr("Hello", -3, 2)) == b"ll"
    assert _values(tf.strings.substr("Ça", 0, 1, unit="UTF8_CHAR")) == "Ç".encode()
    with pytest.raises(ValueError, match="pos 9 is out of range"):
        tf.strings.substr("Hello", 9, 1)
    assert _values(tf.strings.join(["a", ["b", "c"]], separator="-")) == [b"a-b", b"a-c"]
    with pytest.raises(TypeError, match="expects a list of string tensors"):
        tf.strings.join(tf.constant(["a", "b"]))
    grid = [["a", "b"], ["c", "d"]]
    assert _values(tf.strings.reduce_join(grid)) == b"abcd"
    assert _values(tf.strings.reduce_join(grid, axis=1, separator=",")) == [b"a,b", b"c,d"]
    assert _values(tf.strings.reduce_join(grid, axis=0)) == [b"ac", b"bd"]
    assert tf.strings.reduce_join(grid, axis=1, keepdims=True).shape == (2, 1)
    with pytest.raises(ValueError, match="axis 2 is out of range"):
        tf.strings.reduce_join(grid, axis=2)


def test_split():
    assert _values(tf.strings.split("a b  c")) == [b"a", b"b", b"c"]
    assert _values(tf.strings.split("a,b,,c", sep=",")) == [b"a", b"b", b"", b"c"]
    # TF 2.21: a batch gives a RaggedTensor; to_tensor() pads with b"".
    words = tf.strings.split(["a b", "c"])
    assert isinstance(words, tf.RaggedTensor)
    assert words.to_list() == [[b"a", b"b"], [b"c"]]
    assert _values(words.to_tensor()) == [[b"a", b"b"], [b"c", b""]]
    assert tf.strings.split("").shape == (0,)
    # TF 2.21: an empty sep splits on whitespace; maxsplit=0 keeps the string whole.
    assert tf.strings.split(["a b", "xy"], sep="").to_list() == [[b"a", b"b"], [b"xy"]]
    assert tf.strings.split(["  a b "], maxsplit=0).to_list() == [[b"  a b "]]
    assert tf.strings.split(["  a b  c "], maxsplit=1).to_list() == [[b"a", b"b  c "]]
    assert tf.strings.split(["a,b,,c", ""], sep=",").to_list() == [[b"a", b"b", b"", b"c"], [b""]]
    assert tf.strings.split(["", " "]).to_list() == [[], []]
    # TF 2.21: a 2-D batch gives one more ragged dimension, a RaggedTensor input too.
    assert tf.strings.split([["a b"], ["c d e"]]).to_list() == [
        [[b"a", b"b"]],
        [[b"c", b"d", b"e"]],
    ]
    nested = tf.strings.split(tf.ragged.constant([["a b", "c"], ["d"]]))
    assert nested.to_list() == [[[b"a", b"b"], [b"c"]], [[b"d"]]]
    assert nested.ragged_rank == 2


def test_numbers_and_format():
    assert tf.strings.to_number(["1.5", "-2"]).tolist() == [1.5, -2.0]
    assert tf.strings.to_number(["1.5"]).dtype == torch.float32
    assert tf.strings.to_number("7", out_type=tf.int64).item() == 7
    with pytest.raises(ValueError, match="b'x' is not a floating point number"):
        tf.strings.to_number("x")
    assert _values(tf.strings.as_string([1.5, 2.0])) == [b"1.500000", b"2.000000"]
    assert _values(tf.strings.as_string([1.25], precision=1)) == [b"1.2"]
    assert _values(tf.strings.as_string([3], width=3, fill="0")) == [b"003"]
    assert _values(tf.strings.as_string([True])) == [b"true"]
    # TF prints string tensors quoted, like every tensor in tf.strings.format.
    assert _values(tf.strings.format("x={} s={}", [1, tf.constant("a")])) == b'x=1 s="a"'
    with pytest.raises(ValueError, match="1 placeholder"):
        tf.strings.format("x={}", [1, 2])


def test_to_number_accepts_what_tf_accepts():
    # Accept/reject decisions and values from TF 2.21 (strtod / strto64 rules).
    floats = {"0x10": 16.0, "0X1P3": 8.0, " 4": 4.0, "7 ": 7.0, "1.": 1.0, ".5": 0.5, "+5": 5.0}
    for text, want in floats.items():
        assert tf.strings.to_number(text).item() == want
    assert tf.strings.to_number("infinity").item() == float("inf")
    assert tf.strings.to_number("1e40").item() == float("inf")  # float32 overflow
    assert tf.strings.to_number("00012", out_type=tf.int32).item() == 12
    assert tf.strings.to_number("3000000000", out_type=tf.int64).item() == 3000000000
    for text in ["1_0", "1,5", "\u0661", "1e", "e5", "--1", "0b1", "  "]:
        with pytest.raises(ValueError, match="is not a floating point number"):
            tf.strings.to_number(text)
    for text in ["2.5", "1e3", "0x10", "3000000000", "1_0"]:
        with pytest.raises(ValueError, match="is not an integer"):
            tf.strings.to_number(text, out_type=tf.int32)


def test_regex_works_on_utf8_characters():
    # TF 2.21 (RE2, UTF-8 mode): `.` is one character; \w is ASCII-only.
    assert _values(tf.strings.regex_replace(["日本", "ab"], ".", "x")) == [b"xx", b"xx"]
    assert _values(tf.strings.regex_replace(["日本é"], r"\w", "x")) == ["日本é".encode()]
    assert _values(tf.strings.regex_replace(["äb"], "", "-")) == ["-ä-b-".encode()]
    assert tf.strings.regex_full_match(["日本", "abc"], "..").tolist() == [True, False]
    assert _values(tf.strings.regex_replace([b"a\xffb"], "b", "c")) == [b"a\xffc"]
    assert _values(tf.strings.regex_replace(["a.b"], r"(\w)\.(\w)", r"\2\\\1")) == [b"b\\a"]


def test_format_prints_tensors_like_tf():
    # Expected strings from TF 2.21.
    def fmt(value, **kw):
        return _values(tf.strings.format("{}", [value], **kw))

    assert fmt(tf.constant(["a", 'b\n"q'])) == b'["a" "b\\n\\"q"]'
    assert fmt(tf.constant([1.5, 2.0, 1e-7, 1e10, 123456789.0, 0.1])) == (
        b"[1.5 2 1e-07 1e+10 123456792 0.1]"
    )
    assert fmt(tf.constant([True, False])) == b"[1 0]"
    assert fmt(tf.constant(np.float16(1.1))) == b"1.09960938"
    assert fmt(tf.constant([1.123456789], dtype=tf.float64)) == b"[1.123456789]"
    assert fmt(tf.constant(-0.0)) == b"-0"
    assert fmt(tf.constant(np.arange(20))) == b"[0 1 2 ... 17 18 19]"
    assert fmt(tf.constant(np.arange(20)), summarize=-1) == (
        b"[0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19]"
    )
    assert fmt(tf.constant(np.arange(20)), summarize=0) == b"[ ...]"
    assert fmt(tf.constant(np.arange(60).reshape(3, 4, 5)), summarize=1) == (
        b"[[[0 ... 4]\n  ...\n  [15 ... 19]]\n\n ...\n\n [[40 ... 44]\n  ...\n  [55 ... 59]]]"
    )
    assert fmt(tf.constant(np.zeros((0, 3)))) == b"[]"


def test_as_string_complex():
    values = tf.constant([1 + 2j, -1.5 - 0.25j], dtype=tf.complex64)
    assert _values(tf.strings.as_string(values)) == [
        b"(1.000000,2.000000)",
        b"(-1.500000,-0.250000)",
    ]
    assert _values(tf.strings.as_string(values[:1], precision=2)) == [b"(1.00,2.00)"]


def test_hash_buckets_match_tf():
    # Bucket numbers from TF 2.21.
    words = ["Hello", "TensorFlow", "2.x"]
    fast = tf.strings.to_hash_bucket_fast(words, 3)
    assert fast.dtype == torch.int64 and fast.tolist() == [0, 2, 2]
    assert tf.strings.to_hash_bucket_strong(words, 3, [1, 2]).tolist() == [2, 2, 1]
    with pytest.raises(ValueError, match="num_buckets must be >= 1, got 0"):
        tf.strings.to_hash_bucket_fast(words, 0)
    with pytest.raises(ValueError, match="`key` must hold 2 integers"):
        tf.strings.to_hash_bucket_strong(words, 3, [1])


def test_unicode_ops_return_ragged():
    # TF 2.21 results.
    chars = tf.strings.unicode_split(["abc", "xy"], input_encoding="UTF-8")
    assert isinstance(chars, tf.RaggedTensor)
    assert repr(chars) == "<tf.RaggedTensor [[b'a', b'b', b'c'], [b'x', b'y']]>"
    assert _values(tf.strings.reduce_join(chars, axis=-1)) == [b"abc", b"xy"]
    assert _values(tf.strings.reduce_join(chars, axis=1, separator="-")) == [b"a-b-c", b"x-y"]
    assert _values(tf.strings.reduce_join(chars, axis=0)) == [b"ax", b"by", b"c"]
    assert _values(tf.strings.reduce_join(chars)) == b"abcxy"
    assert _values(tf.strings.reduce_join(chars, axis=1, keepdims=True)) == [[b"abc"], [b"xy"]]
    assert _values(tf.strings.unicode_split("héllo", "UTF-8")) == [
        b"h",
        "é".encode(),
        b"l",
        b"l",
        b"o",
    ]
    assert tf.strings.unicode_split([["ab"], ["c"]], "UTF-8").to_list() == [
        [[b"a", b"b"]],
        [[b"c"]],
    ]
    nested = tf.strings.unicode_split(tf.ragged.constant([["ab"], ["c", "de"]]), "UTF-8")
    assert nested.to_list() == [[[b"a", b"b"]], [[b"c"], [b"d", b"e"]]]
    assert tf.strings.unicode_split([b"a\xffb"], "UTF-8").to_list() == [
        [b"a", b"\xef\xbf\xbd", b"b"]
    ]

    codes = tf.strings.unicode_decode(["héllo", "ab"], "UTF-8")
    assert codes.dtype == torch.int32
    assert codes.to_list() == [[104, 233, 108, 108, 111], [97, 98]]
    assert tf.strings.unicode_decode("hé", "UTF-8").tolist() == [104, 233]
    assert tf.strings.unicode_decode([b"a\xffb"], "UTF-8").to_list() == [[97, 65533, 98]]
    assert tf.strings.unicode_decode([b"a\xffb"], "UTF-8", errors="ignore").to_list() == [[97, 98]]
    assert tf.strings.unicode_decode([b"a\xffb"], "UTF-8", replacement_char=63).to_list() == [
        [97, 63, 98]
    ]
    assert tf.strings.unicode_decode([b"\x00a\x00b"], "UTF-16-BE").to_list() == [[97, 98]]
    with pytest.raises(tf.errors.InvalidArgumentError, match="Invalid formatting on input string"):
        tf.strings.unicode_decode([b"a\xffb"], "UTF-8", errors="strict")
    points, offsets = tf.strings.unicode_decode_with_offsets(["hé", "a"], "UTF-8")
    assert points.to_list() == [[104, 233], [97]] and offsets.to_list() == [[0, 1], [0]]
    pieces, offsets = tf.strings.unicode_split_with_offsets(["hé", "a"], "UTF-8")
    assert pieces.to_list() == [[b"h", "é".encode()], [b"a"]] and offsets.to_list() == [[0, 1], [0]]

    ragged_codes = tf.ragged.constant([[104, 233], [97]])
    assert _values(tf.strings.unicode_encode(ragged_codes, "UTF-8")) == ["hé".encode(), b"a"]
    assert _values(tf.strings.unicode_encode([[104, 233], [97, 98]], "UTF-8")) == [
        "hé".encode(),
        b"ab",
    ]
    assert _values(tf.strings.unicode_encode([104, 233], "UTF-8")) == "hé".encode()
    assert _values(tf.strings.unicode_encode([104, 0x110000], "UTF-8")) == b"h\xef\xbf\xbd"
    assert _values(tf.strings.unicode_transcode(["héllo"], "UTF-8", "UTF-16-BE")) == [
        b"\x00h\x00\xe9\x00l\x00l\x00o"
    ]
    assert _values(tf.strings.unicode_transcode([b"a\xffb"], "UTF-8", "UTF-8")) == [
        b"a\xef\xbf\xbdb"
    ]
    assert tf.strings.bytes_split(["hé", "ab"]).to_list() == [
        [b"h", b"\xc3", b"\xa9"],
        [b"a", b"b"],
    ]
    assert _values(tf.strings.bytes_split("ab")) == [b"a", b"b"]


def test_ngrams_and_segment_join():
    # TF 2.21 results.
    words = tf.strings.split(["a b c d", "e f"])
    assert tf.strings.ngrams(words, 2).to_list() == [[b"a b", b"b c", b"c d"], [b"e f"]]
    assert _values(tf.strings.ngrams(["a", "b", "c"], 2, separator="_")) == [b"a_b", b"b_c"]
    tokens = tf.ragged.constant([["a", "b", "c"], ["d"]])
    assert tf.strings.ngrams(tokens, [2, 3]).to_list() == [[b"a b", b"b c", b"a b c"], []]
    assert tf.strings.ngrams(tokens, 2, pad_values=("<s>", "</s>")).to_list() == [
        [b"<s> a", b"a b", b"b c", b"c </s>"],
        [b"<s> d", b"d </s>"],
    ]
    padded = tf.strings.ngrams(tokens, 3, pad_values=("<s>", "</s>"), padding_width=1)
    assert padded.to_list() == [[b"<s> a b", b"a b c", b"b c </s>"], [b"<s> d </s>"]]
    short = tf.ragged.constant([["a"], []])
    assert tf.strings.ngrams(short, 2, preserve_short_sequences=True).to_list() == [[b"a"], []]
    joined = tf.strings.unsorted_segment_join(["a", "b", "c"], [1, 0, 1], 3)
    assert _values(joined) == [b"b", b"ac", b""]
    joined = tf.strings.unsorted_segment_join(["a", "b", "c"], [1, 0, 1], 2, separator="-")
    assert _values(joined) == [b"b", b"a-c"]


def test_elementwise_ops_take_ragged():
    # TF 2.21: the ops keep the rows and apply to the values.
    rt = tf.ragged.constant([["Aa", "B"], ["C"]])
    assert tf.strings.lower(rt).to_list() == [[b"aa", b"b"], [b"c"]]
    assert tf.strings.length(rt).to_list() == [[2, 1], [1]]
    assert tf.strings.substr(rt, 0, 1).to_list() == [[b"A", b"B"], [b"C"]]
    assert tf.strings.regex_full_match(rt, "A.").to_list() == [[True, False], [False]]
    assert tf.strings.regex_replace(rt, "[AB]", "x").to_list() == [[b"xa", b"x"], [b"C"]]
    numbers = tf.strings.to_number(tf.ragged.constant([["1", "2"], ["3"]]))
    assert numbers.to_list() == [[1.0, 2.0], [3.0]]
    assert tf.strings.as_string(tf.ragged.constant([[1, 2], [3]])).to_list() == [
        [b"1", b"2"],
        [b"3"],
    ]
    joined = tf.strings.join([tf.ragged.constant([["a", "b"], ["c"]]), "x"])
    assert joined.to_list() == [[b"ax", b"bx"], [b"cx"]]
    hashed = tf.strings.to_hash_bucket_fast(tf.ragged.constant([["a"], ["b", "c"]]), 10)
    assert hashed.to_list() == [[9], [2, 2]]
    assert tf.strings.strip(tf.ragged.constant([[" a "], []])).to_list() == [[b"a"], []]


def test_to_hash_bucket_legacy():
    # TF 2.21: tf.strings.to_hash_bucket(words, 1000003) (TF's Hash64, not FarmHash).
    words = ["a", "hello", "", "TensorFlow", "abcdefgh", "abcdefghi"]
    words.append("héllo wörld, a longer string with 30+ bytes")
    expected = [789371, 546981, 598820, 33211, 41559, 679702, 925497]
    assert tf.strings.to_hash_bucket(words, 1000003).tolist() == expected
    assert tf.strings.to_hash_bucket(["a", "hello"], 10).tolist() == [8, 8]
    ragged = tf.strings.to_hash_bucket(
        string_tensor=tf.ragged.constant([["a"], []]), num_buckets=10
    )
    assert ragged.to_list() == [[8], []]
    with pytest.raises(ValueError, match="num_buckets must be >= 1"):
        tf.strings.to_hash_bucket("a", 0)
