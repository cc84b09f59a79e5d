"""Hybrid logical clock: fixed-width strings that sort as text, tick and receive."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldsync.hlc import (
    HLC,
    MAX_COUNTER,
    compare_events,
    format_hlc,
    is_hlc,
    order_key,
    parse_hlc,
    receive,
    tick,
)

ms_values = st.integers(0, 10**13 - 2)
counters = st.integers(0, MAX_COUNTER)
hlcs = st.builds(format_hlc, ms_values, counters)


def test_format_and_parse_example():
    assert format_hlc(1764230130123, 2) == "1764230130123-0002"
    assert parse_hlc("1764230130123-0002") == (1764230130123, 2)
    assert format_hlc(5) == "0000000000005-0000"


@pytest.mark.parametrize(
    "bad",
    [
        "1764230130123-2",
        "764230130123-0002",
        "1764230130123_0002",
        "1764230130123-0002\n",
        "١٧٦٤٢٣٠١٣٠١٢٣-0002",
        "",
        None,
        1764230130123,
    ],
)
def test_malformed_hlc_is_refused(bad):
    assert not is_hlc(bad)
    with pytest.raises(ValueError):
        parse_hlc(bad)


def test_out_of_range_cannot_be_formatted():
    with pytest.raises(ValueError):
        format_hlc(10**13, 0)
    with pytest.raises(ValueError):
        format_hlc(1, 10000)


@settings(deadline=None, max_examples=200)
@given(ms_values, counters, ms_values, counters)
def test_text_order_is_numeric_order(m1, c1, m2, c2):
    assert (format_hlc(m1, c1) < format_hlc(m2, c2)) == ((m1, c1) < (m2, c2))


@settings(deadline=None, max_examples=200)
@given(hlcs)
def test_round_trip(value):
    assert format_hlc(*parse_hlc(value)) == value


def test_tick_uses_wall_clock_when_it_moved_on():
    assert tick(None, 1000) == "0000000001000-0000"
    assert tick("0000000001000-0003", 2000) == "0000000002000-0000"


def test_tick_counts_when_wall_clock_stands_still_or_goes_back():
    assert tick("0000000001000-0003", 1000) == "0000000001000-0004"
    assert tick("0000000001000-0003", 500) == "0000000001000-0004"


def test_counter_overflow_borrows_the_next_millisecond():
    assert tick("0000000001000-9999", 1000) == "0000000001001-0000"


@settings(deadline=None, max_examples=200)
@given(hlcs, st.integers(0, 10**13 - 10))
def test_tick_is_strictly_increasing(last, now):
    assert tick(last, now) > last


@settings(deadline=None, max_examples=200)
@given(hlcs, hlcs, st.integers(0, 10**13 - 10))
def test_receive_passes_both_clocks(last, remote, now):
    out = receive(last, remote, now)
    assert out > last and out > remote
    assert parse_hlc(out)[0] >= now


def test_receive_examples():
    assert receive("0000000001000-0001", "0000000001000-0005", 900) == "0000000001000-0006"
    assert receive("0000000001000-0001", "0000000002000-0005", 900) == "0000000002000-0006"
    assert receive("0000000003000-0001", "0000000002000-0005", 900) == "0000000003000-0002"
    assert receive("0000000001000-0001", "0000000002000-0005", 5000) == "0000000005000-0000"
    assert receive(None, "0000000002000-0005", 0) == "0000000002000-0006"


def test_hlc_class_keeps_the_last_value():
    clock = HLC()
    a = clock.tick(1000)
    b = clock.tick(1000)
    c = clock.receive("0000000009000-0000", 1000)
    assert a < b < c == clock.last
    with pytest.raises(ValueError):
        HLC("nonsense")


def test_total_order_is_hlc_then_device_then_seq():
    e = lambda h, d, s: {"id": f"{d}:{s}", "hlc": h, "device_id": d, "seq": s}  # noqa: E731
    events = [
        e("0000000000002-0000", "hpA", 1),
        e("0000000000001-0000", "hpB", 10),
        e("0000000000001-0000", "hpB", 9),
        e("0000000000001-0000", "hpA", 12),
    ]
    ordered = sorted(events, key=order_key)
    assert [x["id"] for x in ordered] == ["hpA:12", "hpB:9", "hpB:10", "hpA:1"]
    assert compare_events(events[2], events[1]) == -1
    assert compare_events(events[0], events[0]) == 0
    # seq compares as a number, not as text
    nine, ten = e("0000000000001-0000", "hpA", 9), e("0000000000001-0000", "hpA", 10)
    assert compare_events(nine, ten) == -1
