"""tf.keras.preprocessing.text (Keras 2 legacy) against hand-computed vocabularies and numpy formulas."""

import hashlib
import json
from collections import OrderedDict

import numpy as np
import pytest

import tork as tf

text = tf.keras.preprocessing.text

# Tokens: doc1 the cat sat on the mat / doc2 the dog ate my homework / doc3 cat dog cat.
# Counts: the 3, cat 3, sat 1, on 1, mat 1, dog 2, ate 1, my 1, homework 1 (first-seen order).
# Ranked (stable, count desc): the, cat, dog, sat, on, mat, ate, my, homework.
CORPUS = ["The cat sat on the mat.", "The dog ate my homework!", "Cat, dog; cat?"]
WORD_INDEX = {
    "the": 1,
    "cat": 2,
    "dog": 3,
    "sat": 4,
    "on": 5,
    "mat": 6,
    "ate": 7,
    "my": 8,
    "homework": 9,
}
SEQUENCES = [[1, 2, 4, 5, 1, 6], [1, 3, 7, 8, 9], [2, 3, 2]]
DOCS_PER_INDEX = {1: 2, 2: 2, 3: 2, 4: 1, 5: 1, 6: 1, 7: 1, 8: 1, 9: 1}


def _fitted(**kwargs):
    tokenizer = text.Tokenizer(**kwargs)
    tokenizer.fit_on_texts(CORPUS)
    return tokenizer


def _md5_index(word, n):
    return int(hashlib.md5(word.encode()).hexdigest(), 16) % (n - 1) + 1


def _counts_matrix(sequences, width):
    out = np.zeros((len(sequences), width))
    for i, seq in enumerate(sequences):
        for j in seq:
            if j < width:
                out[i, j] += 1
    return out


def _tfidf_reference(sequences, width, document_count, docs_per_index):
    counts = _counts_matrix(sequences, width)
    docs = np.array([docs_per_index.get(j, 0) for j in range(width)], dtype=np.float64)
    idf = np.log(1 + document_count / (1 + docs))
    with np.errstate(divide="ignore"):
        tf_part = 1 + np.log(counts)
    return np.where(counts > 0, tf_part * idf, 0.0)


# --- text_to_word_sequence / hashing -------------------------------------------------


def test_text_to_word_sequence_defaults():
    assert text.text_to_word_sequence("Hello, World!\tFoo--bar  it's") == [
        "hello",
        "world",
        "foo",
        "bar",
        "it's",
    ]


def test_text_to_word_sequence_options():
    assert text.text_to_word_sequence("Hello World", lower=False) == ["Hello", "World"]
    assert text.text_to_word_sequence("a;b;;c d", filters="", split=";") == ["a", "b", "c d"]
    # Filtered characters become the split string.
    assert text.text_to_word_sequence("a-b_c", filters="-", split="_") == ["a", "b", "c"]
    assert text.text_to_word_sequence("x!y?z", filters=["!", "?"]) == ["x", "y", "z"]


def test_hashing_trick_md5_matches_formula():
    n = 7
    words = ["the", "quick", "brown", "fox", "the"]
    out = text.hashing_trick("The quick, brown fox the", n, hash_function="md5")
    assert out == [_md5_index(w, n) for w in words]
    assert all(1 <= i < n for i in out)
    assert out[0] == out[-1]


def test_hashing_trick_default_is_python_hash_and_callable():
    n = 50
    words = ["alpha", "beta", "gamma"]
    assert text.hashing_trick("Alpha beta gamma", n) == [hash(w) % (n - 1) + 1 for w in words]
    assert text.hashing_trick("aa b", 10, hash_function=len) == [3, 2]


def test_hashing_trick_analyzer_overrides_splitting():
    out = text.hashing_trick("A-B c", 10, hash_function=len, analyzer=lambda s: s.split("-"))
    assert out == [len("A") % 9 + 1, len("B c") % 9 + 1]


def test_one_hot_is_stable_md5():
    n = 11
    expected = [_md5_index(w, n) for w in ["hello", "world", "hello"]]
    assert text.one_hot("Hello world, hello!", n) == expected
    assert text.one_hot("Hello World", n, lower=False) == [
        _md5_index("Hello", n),
        _md5_index("World", n),
    ]
    assert text.one_hot("x y", n, analyzer=lambda s: [s]) == [_md5_index("x y", n)]


@pytest.mark.parametrize("n", [1, 0, 2.5, True])
def test_hashing_trick_bad_n(n):
    with pytest.raises(
        ValueError, match=r"`n` \(the size of the hashing space\) must be an integer >= 2"
    ):
        text.hashing_trick("a b", n)


def test_hashing_trick_bad_hash_function():
    with pytest.raises(ValueError, match=r"`hash_function` must be None .*'md5'.*got 'sha1'"):
        text.hashing_trick("a b", 10, hash_function="sha1")


# --- Tokenizer: vocabulary ------------------------------------------------------------


def test_fit_on_texts_vocabulary():
    tokenizer = _fitted()
    assert tokenizer.word_index == WORD_INDEX
    assert tokenizer.index_word == {i: w for w, i in WORD_INDEX.items()}
    assert isinstance(tokenizer.word_counts, OrderedDict)
    assert list(tokenizer.word_counts.items()) == [
        ("the", 3),
        ("cat", 3),
        ("sat", 1),
        ("on", 1),
        ("mat", 1),
        ("dog", 2),
        ("ate", 1),
        ("my", 1),
        ("homework", 1),
    ]
    assert dict(tokenizer.word_docs) == {
        "the": 2,
        "cat": 2,
        "sat": 1,
        "on": 1,
        "mat": 1,
        "dog": 2,
        "ate": 1,
        "my": 1,
        "homework": 1,
    }
    assert dict(tokenizer.index_docs) == DOCS_PER_INDEX
    assert tokenizer.document_count == 3


def test_fit_on_texts_is_incremental():
    tokenizer = text.Tokenizer()
    tokenizer.fit_on_texts(["b a"])
    assert tokenizer.word_index == {"b": 1, "a": 2}
    tokenizer.fit_on_texts(iter(["a c"]))  # generators are accepted
    assert tokenizer.word_index == {"a": 1, "b": 2, "c": 3}
    assert tokenizer.document_count == 2
    assert dict(tokenizer.index_docs) == {1: 2, 2: 1, 3: 1}


def test_oov_token_gets_index_one():
    tokenizer = _fitted(oov_token="<unk>")
    assert tokenizer.word_index == {"<unk>": 1, **{w: i + 1 for w, i in WORD_INDEX.items()}}
    assert tokenizer.index_word[1] == "<unk>"


def test_char_level_and_token_lists():
    chars = text.Tokenizer(char_level=True)
    chars.fit_on_texts(["abca", "Bb"])  # a 2, b 3, c 1; filters do not apply at char level
    assert chars.word_index == {"b": 1, "a": 2, "c": 3}
    assert chars.texts_to_sequences(["cab!"]) == [[3, 2, 1]]

    tokens = text.Tokenizer()
    tokens.fit_on_texts([["Hello", "World!"], ["hello"]])
    assert tokens.word_index == {"hello": 1, "world!": 2}
    assert tokens.texts_to_sequences([["HELLO", "world!", "x"]]) == [[1, 2]]


def test_analyzer_and_custom_split():
    tokenizer = text.Tokenizer(analyzer=lambda s: s.split("|"))
    tokenizer.fit_on_texts(["x y|z", "z"])
    assert tokenizer.word_index == {"z": 1, "x y": 2}
    split = text.Tokenizer(split=",", filters="")
    split.fit_on_texts(["A,b,,a"])
    assert split.word_index == {"a": 1, "b": 2}


# --- Tokenizer: sequences -------------------------------------------------------------


def test_texts_to_sequences():
    tokenizer = _fitted()
    assert tokenizer.texts_to_sequences(CORPUS) == SEQUENCES
    assert tokenizer.texts_to_sequences(["A cat and a DOG"]) == [[2, 3]]
    assert list(tokenizer.texts_to_sequences_generator(CORPUS)) == SEQUENCES


def test_num_words_keeps_indices_below_it():
    tokenizer = _fitted(num_words=4)
    assert tokenizer.word_index == WORD_INDEX  # the vocabulary itself is not cut
    assert tokenizer.texts_to_sequences(CORPUS) == [[1, 2, 1], [1, 3], [2, 3, 2]]
    assert tokenizer.sequences_to_texts([[1, 4, 3, 2]]) == ["the dog cat"]


def test_num_words_with_oov():
    # <unk> 1, the 2, cat 3, dog 4, sat 5, ...: with num_words=4, dog/sat/... become <unk>.
    tokenizer = _fitted(num_words=4, oov_token="<unk>")
    assert tokenizer.texts_to_sequences(["the cat sat on a dog"]) == [[2, 3, 1, 1, 1, 1]]
    assert tokenizer.sequences_to_texts([[2, 3, 5, 99]]) == ["the cat <unk> <unk>"]


def test_sequences_to_texts():
    tokenizer = _fitted()
    assert tokenizer.sequences_to_texts([[1, 2, 99, 3], []]) == ["the cat dog", ""]
    assert list(tokenizer.sequences_to_texts_generator(SEQUENCES)) == [
        "the cat sat on the mat",
        "the dog ate my homework",
        "cat dog cat",
    ]


def test_fit_on_sequences():
    tokenizer = text.Tokenizer(num_words=5)
    tokenizer.fit_on_sequences([[1, 2, 2], [2, 3]])
    assert tokenizer.document_count == 2
    assert dict(tokenizer.index_docs) == {1: 1, 2: 2, 3: 1}


# --- Tokenizer: matrices --------------------------------------------------------------


def test_matrix_modes_without_num_words():
    tokenizer = _fitted()
    width = len(WORD_INDEX) + 1
    counts = _counts_matrix(SEQUENCES, width)
    lengths = np.array([len(s) for s in SEQUENCES], dtype=np.float64)[:, None]

    for mode, expected in [
        ("count", counts),
        ("binary", (counts > 0).astype(np.float64)),
        ("freq", counts / lengths),
        ("tfidf", _tfidf_reference(SEQUENCES, width, 3, DOCS_PER_INDEX)),
    ]:
        out = tokenizer.texts_to_matrix(CORPUS, mode=mode)
        assert isinstance(out, np.ndarray)
        assert out.dtype == np.float64
        assert out.shape == (3, width)
        np.testing.assert_allclose(out, expected, rtol=1e-12, err_msg=mode)
        np.testing.assert_allclose(
            tokenizer.sequences_to_matrix(SEQUENCES, mode=mode), expected, rtol=1e-12
        )


def test_default_mode_is_binary_and_hand_values():
    tokenizer = _fitted()
    row = tokenizer.texts_to_matrix(["cat cat dog"])[0]
    np.testing.assert_array_equal(row, [0, 0, 1, 1, 0, 0, 0, 0, 0, 0])
    tfidf = tokenizer.texts_to_matrix(["cat cat dog"], mode="tfidf")[0]
    # cat: c=2, in 2 of 3 docs; dog: c=1, in 2 of 3 docs.
    assert tfidf[2] == pytest.approx((1 + np.log(2)) * np.log(1 + 3 / 3))
    assert tfidf[3] == pytest.approx(np.log(2))
    assert np.count_nonzero(tfidf) == 2


def test_freq_uses_full_sequence_length():
    tokenizer = _fitted(num_words=3)
    # texts_to_sequences drops words first: doc1 -> [1, 2, 1].
    np.testing.assert_allclose(
        tokenizer.texts_to_matrix(CORPUS[:1], mode="freq"), [[0, 2 / 3, 1 / 3]]
    )
    # sequences_to_matrix ignores indices >= 3 but still divides by the full length 6.
    np.testing.assert_allclose(
        tokenizer.sequences_to_matrix(SEQUENCES[:1], mode="freq"), [[0, 2 / 6, 1 / 6]]
    )


def test_tfidf_after_fit_on_sequences():
    tokenizer = text.Tokenizer(num_words=5)
    tokenizer.fit_on_sequences([[1, 2, 2], [2, 3]])
    out = tokenizer.sequences_to_matrix([[2, 2, 4, 7], []], mode="tfidf")
    expected = np.zeros((2, 5))
    expected[0, 2] = (1 + np.log(2)) * np.log(1 + 2 / 3)
    expected[0, 4] = np.log(1 + 2 / 1)
    np.testing.assert_allclose(out, expected, rtol=1e-12)


def test_sequences_to_matrix_with_num_words_before_fit():
    tokenizer = text.Tokenizer(num_words=4)
    out = tokenizer.sequences_to_matrix([[1, 1, 3, 9], [0]], mode="count")
    np.testing.assert_array_equal(out, [[0, 2, 0, 1], [1, 0, 0, 0]])


# --- Serialization --------------------------------------------------------------------


def test_get_config_and_json_round_trip():
    tokenizer = _fitted(num_words=6, oov_token="<unk>")
    config = tokenizer.get_config()
    assert config["num_words"] == 6
    assert config["oov_token"] == "<unk>"
    assert config["document_count"] == 3
    assert json.loads(config["word_index"])["the"] == 2
    payload = json.loads(tokenizer.to_json())
    assert payload["class_name"] == "Tokenizer"

    restored = text.tokenizer_from_json(tokenizer.to_json(indent=2))
    assert restored.num_words == 6
    assert restored.oov_token == "<unk>"
    assert restored.document_count == 3
    assert restored.word_index == {"<unk>": 1, **{w: i + 1 for w, i in WORD_INDEX.items()}}
    assert restored.index_word[1] == "<unk>"
    assert restored.index_docs[2] == 2
    assert list(restored.word_counts)[:3] == ["the", "cat", "sat"]
    assert restored.texts_to_sequences(["the cat sat on a dog"]) == [[2, 3, 5, 1, 1, 4]]
    assert restored.sequences_to_texts([[2, 3, 4]]) == ["the cat dog"]
    # Fitting after loading still works.
    restored.fit_on_texts(["zebra"])
    assert restored.word_index["zebra"] == 11


# --- Errors ---------------------------------------------------------------------------


def test_matrix_before_fit_needs_num_words():
    with pytest.raises(ValueError, match=r"Specify a dimension \(`num_words` argument\), or fit"):
        text.Tokenizer().texts_to_matrix(["a b"])


def test_tfidf_before_fit():
    with pytest.raises(ValueError, match=r"Fit the Tokenizer on some data before using tfidf"):
        text.Tokenizer(num_words=3).sequences_to_matrix([[1]], mode="tfidf")


@pytest.mark.parametrize("method", ["texts_to_matrix", "sequences_to_matrix"])
def test_bad_mode_lists_valid_modes(method):
    tokenizer = _fitted()
    arg = CORPUS if method == "texts_to_matrix" else SEQUENCES
    with pytest.raises(
        ValueError,
        match=r"Unknown vectorization mode: 'onehot'\. Valid modes are 'binary', 'count', 'tfidf', 'freq'",
    ):
        getattr(tokenizer, method)(arg, mode="onehot")


def test_unknown_kwargs_and_nb_words():
    with pytest.raises(
        TypeError, match=r"Unrecognized keyword arguments to `Tokenizer`: \['foo'\]"
    ):
        text.Tokenizer(foo=1)
    with pytest.warns(UserWarning, match=r"`nb_words` .* renamed `num_words`"):
        tokenizer = text.Tokenizer(nb_words=7)
    assert tokenizer.num_words == 7
    assert text.Tokenizer(document_count=4).document_count == 4


def test_tokenizer_from_json_rejects_other_json():
    with pytest.raises(ValueError, match=r"not a Tokenizer configuration.*'config'"):
        text.tokenizer_from_json('{"class_name": "Tokenizer"}')


def test_missing_name_is_reported():
    with pytest.raises(NotImplementedError, match=r"tf\.keras\.preprocessing\.text\.nope"):
        text.nope  # noqa: B018
