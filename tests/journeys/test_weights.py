"""Signifier weights from whatever people type: a triad's weights always sum to exactly 1 and
each lies in [0, 1]; anything else is refused with a message for the field."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hct.journeys import weights
from hct.journeys.weights import WHOLE, dyad_weight, triad_weights

MESSAGES = {
    weights.ERROR_NOT_A_NUMBER,
    weights.ERROR_OUT_OF_RANGE,
    weights.ERROR_ALL_ZERO,
}

answer = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.floats(min_value=0, max_value=10).map(str),
    st.integers(min_value=-5, max_value=15).map(str),
    st.sampled_from(["", " ", "0", "10", "1e1", "nan", "inf", "-0", "3.5", "½", "7,5"]),
)


@given(st.lists(answer, min_size=3, max_size=3))
def test_a_triad_sums_to_one_or_is_refused_with_a_field_message(raw):
    try:
        result = triad_weights(raw)
    except ValueError as error:
        message, index = error.args
        assert message in MESSAGES
        assert index in (0, 1, 2)
        return
    if result is None:
        assert all(r is None or not r.strip() for r in raw)
        return
    assert sum(result) == WHOLE
    assert all(0 <= w <= WHOLE for w in result)
    assert math.isclose(sum(w / WHOLE for w in result), 1.0)


@given(st.lists(st.floats(min_value=0, max_value=10), min_size=3, max_size=3))
def test_weights_keep_the_proportions_given(values):
    if sum(values) <= 0:
        with pytest.raises(ValueError, match="at least one"):
            triad_weights([str(v) for v in values])
        return
    result = triad_weights([str(v) for v in values])
    for given_value, weight in zip(values, result, strict=True):
        # Within one thousandth of the exact share.
        assert abs(weight - given_value * WHOLE / sum(values)) <= 1


@given(answer)
def test_a_dyad_is_one_weight_in_0_1_or_refused(raw):
    try:
        result = dyad_weight(raw)
    except ValueError as error:
        assert error.args[0] in (weights.ERROR_DYAD, weights.ERROR_OUT_OF_RANGE)
        return
    assert result is None or 0 <= result <= WHOLE


def test_examples():
    assert triad_weights(["10", "", ""]) == (1000, 0, 0)
    assert triad_weights(["1", "1", "1"]) == (334, 333, 333)
    assert triad_weights(["", "", ""]) is None
    assert dyad_weight("25") == 250
    with pytest.raises(ValueError) as refused:
        triad_weights(["3", "eleven", "1"])
    assert refused.value.args == (weights.ERROR_NOT_A_NUMBER, 1)
    with pytest.raises(ValueError):
        triad_weights(["0", "0", "0"])
