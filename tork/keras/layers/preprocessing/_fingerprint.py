"""The string hashes behind TensorFlow's hashing ops, bit for bit.

- `fingerprint64`: FarmHash Fingerprint64 (farmhash's `farmhashna::Hash64`),
  used by `tf.strings.to_hash_bucket_fast` and so by `Hashing` without a salt.
- `siphash64`: SipHash-2-4 keyed by two uint64 words, used by
  `tf.strings.to_hash_bucket_strong` and so by `Hashing(salt=...)`.
- `fingerprint_cat64`: TensorFlow's combination of two fingerprints, used by
  `tf.sparse.cross_hashed` and so by `HashedCrossing`.

All values are unsigned 64-bit integers held in Python ints.
"""

from __future__ import annotations

from functools import lru_cache

_M = (1 << 64) - 1
_K0 = 0xC3A5C85C97CB3127
_K1 = 0xB492B66FBE98F273
_K2 = 0x9AE16A3B2F90404F
_CAT_MUL = 0xC6A4A7935BD1E995
CROSS_HASH_KEY = 0xDECAFCAFFE


def _load64(s: bytes, i: int) -> int:
    return int.from_bytes(s[i : i + 8], "little")


def _load32(s: bytes, i: int) -> int:
    return int.from_bytes(s[i : i + 4], "little")


def _rotate(v: int, n: int) -> int:
    return v if n == 0 else ((v >> n) | (v << (64 - n))) & _M


def _shift_mix(v: int) -> int:
    return v ^ (v >> 47)


def _hash16(u: int, v: int, mul: int) -> int:
    a = ((u ^ v) * mul) & _M
    a ^= a >> 47
    b = ((v ^ a) * mul) & _M
    b ^= b >> 47
    return (b * mul) & _M


def _hash0to16(s: bytes, n: int) -> int:
    if n >= 8:
        mul = _K2 + n * 2
        a = (_load64(s, 0) + _K2) & _M
        b = _load64(s, n - 8)
        c = (_rotate(b, 37) * mul + a) & _M
        d = ((_rotate(a, 25) + b) * mul) & _M
        return _hash16(c, d, mul)
    if n >= 4:
        return _hash16(n + (_load32(s, 0) << 3), _load32(s, n - 4), _K2 + n * 2)
    if n > 0:
        y = s[0] + (s[n >> 1] << 8)
        z = n + (s[n - 1] << 2)
        return (_shift_mix(((y * _K2) ^ (z * _K0)) & _M) * _K2) & _M
    return _K2


def _hash17to32(s: bytes, n: int) -> int:
    mul = _K2 + n * 2
    a = (_load64(s, 0) * _K1) & _M
    b = _load64(s, 8)
    c = (_load64(s, n - 8) * mul) & _M
    d = (_load64(s, n - 16) * _K2) & _M
    return _hash16(
        (_rotate((a + b) & _M, 43) + _rotate(c, 30) + d) & _M,
        (a + _rotate((b + _K2) & _M, 18) + c) & _M,
        mul,
    )


def _hash33to64(s: bytes, n: int) -> int:
    mul = _K2 + n * 2
    a = (_load64(s, 0) * _K2) & _M
    b = _load64(s, 8)
    c = (_load64(s, n - 8) * mul) & _M
    d = (_load64(s, n - 16) * _K2) & _M
    y = (_rotate((a + b) & _M, 43) + _rotate(c, 30) + d) & _M
    z = _hash16(y, (a + _rotate((b + _K2) & _M, 18) + c) & _M, mul)
    e = (_load64(s, 16) * mul) & _M
    f = _load64(s, 24)
    g = ((y + _load64(s, n - 32)) * mul) & _M
    h = ((z + _load64(s, n - 24)) * mul) & _M
    return _hash16(
        (_rotate((e + f) & _M, 43) + _rotate(g, 30) + h) & _M,
        (e + _rotate((f + a) & _M, 18) + g) & _M,
        mul,
    )


def _weak32(s: bytes, i: int, a: int, b: int) -> tuple:
    w, x, y, z = _load64(s, i), _load64(s, i + 8), _load64(s, i + 16), _load64(s, i + 24)
    a = (a + w) & _M
    b = _rotate((b + a + z) & _M, 21)
    c = a
    a = (a + x + y) & _M
    b = (b + _rotate(a, 44)) & _M
    return (a + z) & _M, (b + c) & _M


@lru_cache(maxsize=1 << 16)
def fingerprint64(s: bytes) -> int:
    """FarmHash Fingerprint64 of a byte string (TensorFlow's `Fingerprint64`)."""
    n = len(s)
    if n <= 16:
        return _hash0to16(s, n)
    if n <= 32:
        return _hash17to32(s, n)
    if n <= 64:
        return _hash33to64(s, n)
    seed = 81
    y = (seed * _K1 + 113) & _M
    z = (_shift_mix((y * _K2 + 113) & _M) * _K2) & _M
    v0 = v1 = w0 = w1 = 0
    x = (seed * _K2 + _load64(s, 0)) & _M
    end = ((n - 1) // 64) * 64
    last = end + ((n - 1) & 63) - 63
    i = 0
    while True:
        x = (_rotate((x + y + v0 + _load64(s, i + 8)) & _M, 37) * _K1) & _M
        y = (_rotate((y + v1 + _load64(s, i + 48)) & _M, 42) * _K1) & _M
        x ^= w1
        y = (y + v0 + _load64(s, i + 40)) & _M
        z = (_rotate((z + w0) & _M, 33) * _K1) & _M
        v0, v1 = _weak32(s, i, (v1 * _K1) & _M, (x + w0) & _M)
        w0, w1 = _weak32(s, i + 32, (z + w1) & _M, (y + _load64(s, i + 16)) & _M)
        z, x = x, z
        i += 64
        if i == end:
            break
    mul = _K1 + ((z & 0xFF) << 1)
    i = last
    w0 = (w0 + ((n - 1) & 63)) & _M
    v0 = (v0 + w0) & _M
    w0 = (w0 + v0) & _M
    x = (_rotate((x + y + v0 + _load64(s, i + 8)) & _M, 37) * mul) & _M
    y = (_rotate((y + v1 + _load64(s, i + 48)) & _M, 42) * mul) & _M
    x ^= (w1 * 9) & _M
    y = (y + v0 * 9 + _load64(s, i + 40)) & _M
    z = (_rotate((z + w0) & _M, 33) * mul) & _M
    v0, v1 = _weak32(s, i, (v1 * mul) & _M, (x + w0) & _M)
    w0, w1 = _weak32(s, i + 32, (z + w1) & _M, (y + _load64(s, i + 16)) & _M)
    z, x = x, z
    return _hash16(
        (_hash16(v0, w0, mul) + _shift_mix(y) * _K0 + z) & _M,
        (_hash16(v1, w1, mul) + x) & _M,
        mul,
    )


def _rotl(x: int, b: int) -> int:
    return ((x << b) | (x >> (64 - b))) & _M


@lru_cache(maxsize=1 << 16)
def siphash64(k0: int, k1: int, s: bytes) -> int:
    """SipHash-2-4 of a byte string under the key words `(k0, k1)`."""
    k0 &= _M
    k1 &= _M
    v0 = k0 ^ 0x736F6D6570736575
    v1 = k1 ^ 0x646F72616E646F6D
    v2 = k0 ^ 0x6C7967656E657261
    v3 = k1 ^ 0x7465646279746573
    n = len(s)
    end = n - n % 8
    words = [int.from_bytes(s[i : i + 8], "little") for i in range(0, end, 8)]
    words.append(((n & 0xFF) << 56) | int.from_bytes(s[end:], "little"))
    for m in [*words, None]:
        if m is None:
            v2 ^= 0xFF
            rounds = 4
        else:
            v3 ^= m
            rounds = 2
        for _ in range(rounds):
            v0 = (v0 + v1) & _M
            v1 = _rotl(v1, 13) ^ v0
            v0 = _rotl(v0, 32)
            v2 = (v2 + v3) & _M
            v3 = _rotl(v3, 16) ^ v2
            v0 = (v0 + v3) & _M
            v3 = _rotl(v3, 21) ^ v0
            v2 = (v2 + v1) & _M
            v1 = _rotl(v1, 17) ^ v2
            v2 = _rotl(v2, 32)
        if m is not None:
            v0 ^= m
    return v0 ^ v1 ^ v2 ^ v3


def fingerprint_cat64(fp1: int, fp2: int) -> int:
    """TensorFlow's `FingerprintCat64`: an order-dependent combination of two fingerprints."""
    result = fp1 ^ _CAT_MUL
    result ^= (_shift_mix((fp2 * _CAT_MUL) & _M) * _CAT_MUL) & _M
    result = (result * _CAT_MUL) & _M
    result = (_shift_mix(result) * _CAT_MUL) & _M
    return _shift_mix(result)
