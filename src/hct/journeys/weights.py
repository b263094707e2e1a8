"""Signifier weights: what a person says their story means, as numbers (SenseMaker-style).

A triad is three weights that always sum to exactly 1; a dyad is one weight in [0, 1]. Both are
kept as whole thousandths, so the sum is exact (no float drift) and the database can check it.
People give a triad as three numbers from 0 to 10 ("how much"), any of which may be blank; the
numbers are scaled to thousandths by the largest-remainder method.
"""

import math
from collections.abc import Sequence

WHOLE = 1000  # weights are kept as thousandths
SCALE_MAX = 10

ERROR_NOT_A_NUMBER = "Enter a number from 0 to 10, like 3 or 7.5"
ERROR_OUT_OF_RANGE = "Enter a number from 0 to 10"
ERROR_ALL_ZERO = "Give at least one of the three a number above 0, or leave all three blank"
ERROR_DYAD = "Enter a number from 0 to 100, or leave it blank"


def _number(text: object, *, top: float, error: str) -> float | None:
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    try:
        value = float(str(text).strip())
    except ValueError:
        raise ValueError(error) from None
    if not math.isfinite(value):
        raise ValueError(error)
    if value < 0 or value > top:
        raise ValueError(ERROR_OUT_OF_RANGE if error == ERROR_NOT_A_NUMBER else error)
    return value


def triad_weights(raw: Sequence[object]) -> tuple[int, int, int] | None:
    """Three answers (numbers 0–10 or blank) as thousandths summing to exactly 1000, or None
    when all three are blank. Raises ValueError(message, index) naming the first bad answer."""
    if len(raw) != 3:
        raise ValueError(ERROR_NOT_A_NUMBER, 0)
    numbers: list[float | None] = []
    for index, text in enumerate(raw):
        try:
            numbers.append(_number(text, top=SCALE_MAX, error=ERROR_NOT_A_NUMBER))
        except ValueError as error:
            raise ValueError(str(error), index) from None
    if all(n is None for n in numbers):
        return None
    values = [n or 0.0 for n in numbers]
    total = sum(values)
    if total <= 0:
        raise ValueError(ERROR_ALL_ZERO, 0)
    shares = [v * WHOLE / total for v in values]
    floors = [math.floor(s) for s in shares]
    # Largest remainder: the thousandths lost to rounding down go to the biggest remainders.
    short = WHOLE - sum(floors)
    for index in sorted(range(3), key=lambda i: (floors[i] - shares[i], i))[:short]:
        floors[index] += 1
    a, b, c = floors
    return a, b, c


def dyad_weight(raw: object) -> int | None:
    """A slider's answer (0–100 or blank) as thousandths of the way to the second pole."""
    value = _number(raw, top=100, error=ERROR_DYAD)
    if value is None:
        return None
    return round(value * WHOLE / 100)
