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
    assert _values(tf.strings.split(["a b", "c"])) == [[b"a", b"b"], [b"c", b""]]
    assert tf.strings.split("").shape == (0,)
    with pytest.raises(ValueError, match="`sep` must not be empty"):
        tf.strings.split("ab", sep="")
    with pytest.raises(ValueError, match="scalars and 1-D batches only"):
        tf.strings.split([["a"]])


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
    assert _values(tf.strings.format("x={} s={}", [1, tf.constant("a")])) == b"x=1 s=a"
    with pytest.raises(ValueError, match="1 placeholder"):
        tf.strings.format("x={}", [1, 2])
