"""An RFC 8785 (JSON Canonicalization Scheme) serializer for the Python checks.

Written on its own, from the RFC, so that it can judge the hashes PromptTrail writes: it shares no
code with scripts/ or Sources/. Input is a JSON value as `json.loads` returns it.

Numbers follow ECMAScript's Number.prototype.toString, as RFC 8785 section 3.2.2.3 requires: each
number is first taken as the nearest IEEE 754 double, so integers beyond 2^53 lose digits
(9007199254740993 → 9007199254740992).
"""

from __future__ import annotations

import math
from typing import Any

__all__ = ["canonicalize", "canonical_bytes", "es_number"]


def _shortest_digits(x: float) -> tuple[str, int]:
    """(digits, n) with x = 0.digits × 10^n, digits as short as round-tripping allows.

    Tries 1, 2, ... 17 significant digits; the first precision whose correctly rounded decimal
    reads back as x is the shortest, and correct rounding makes it the closest such decimal.
    """
    for precision in range(1, 18):
        text = f"{x:.{precision - 1}e}"
        if float(text) == x:
            break
    mantissa, exponent = text.split("e")
    digits = mantissa.replace(".", "").rstrip("0") or "0"
    return digits, int(exponent) + 1


def es_number(value: int | float) -> str:
    """ECMAScript Number::toString for the double nearest to `value`."""
    x = float(value)  # OverflowError for integers beyond the double range
    if math.isnan(x) or math.isinf(x):
        raise ValueError("NaN and infinities cannot be canonicalized")
    if x == 0:
        return "0"
    sign = "-" if x < 0 else ""
    digits, n = _shortest_digits(abs(x))
    k = len(digits)
    if k <= n <= 21:
        body = digits + "0" * (n - k)
    elif 0 < n <= 21:
        body = f"{digits[:n]}.{digits[n:]}"
    elif -6 < n <= 0:
        body = "0." + "0" * -n + digits
    else:
        e = n - 1
        body = (digits[0] + ("." + digits[1:] if k > 1 else "")) + "e" + ("+" if e > 0 else "-") + str(abs(e))
    return sign + body


def _utf16_units(text: str) -> list[int]:
    units: list[int] = []
    for char in text:
        code = ord(char)
        if code >= 0x10000:
            code -= 0x10000
            units += [0xD800 | (code >> 10), 0xDC00 | (code & 0x3FF)]
        else:
            units.append(code)
    return units


_ESCAPES = {0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r", 0x22: '\\"', 0x5C: "\\\\"}


def _string(text: str) -> str:
    parts = []
    for char in text:
        code = ord(char)
        if 0xD800 <= code < 0xE000:
            raise ValueError("lone surrogate: not I-JSON")
        if code in _ESCAPES:
            parts.append(_ESCAPES[code])
        elif code < 0x20:
            parts.append("\\u%04x" % code)
        else:
            parts.append(char)
    return '"' + "".join(parts) + '"'


def canonicalize(value: Any) -> str:
    """The canonical JSON text of `value`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return es_number(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, list):
        return "[%s]" % ",".join(canonicalize(item) for item in value)
    if isinstance(value, dict):
        names = sorted(value, key=_utf16_units)
        return "{%s}" % ",".join(_string(name) + ":" + canonicalize(value[name]) for name in names)
    raise TypeError(f"{type(value).__name__} is not a JSON value")


def canonical_bytes(value: Any) -> bytes:
    return canonicalize(value).encode("utf-8")
