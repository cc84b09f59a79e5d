"""Hybrid logical clock strings ("1764230130123-0002") and the events' total order."""

import re

# [0-9] and \Z, not \d and $: no Unicode digits, no trailing newline.
HLC_PATTERN = r"^[0-9]{13}-[0-9]{4}\Z"
_HLC_RE = re.compile(HLC_PATTERN)
MAX_MS = 10**13 - 1
MAX_COUNTER = 9999


def format_hlc(ms, counter=0):
    """Format milliseconds and a counter as a fixed-width string that sorts as text."""
    if not (0 <= ms <= MAX_MS and 0 <= counter <= MAX_COUNTER):
        raise ValueError(f"hlc out of range: {ms}, {counter}")
    return f"{ms:013d}-{counter:04d}"


def parse_hlc(value):
    """Parse an hlc string into (ms, counter); raise ValueError if malformed."""
    if not isinstance(value, str) or not _HLC_RE.match(value):
        raise ValueError(f"not an hlc: {value!r}")
    ms, counter = value.split("-")
    return int(ms), int(counter)


def is_hlc(value):
    """Return True if value is a well-formed hlc string."""
    return isinstance(value, str) and bool(_HLC_RE.match(value))


def _make(ms, counter):
    # The counter has 4 digits; on overflow borrow the next millisecond, which keeps
    # the clock strictly increasing and at most 1 ms ahead of the real causal order.
    if counter > MAX_COUNTER:
        ms, counter = ms + 1, 0
    return format_hlc(ms, counter)


def tick(last, now_ms):
    """Return the hlc of a new local event, after `last` (None on a fresh device)."""
    if last is None:
        return format_hlc(int(now_ms), 0)
    l_ms, l_c = parse_hlc(last)
    if now_ms > l_ms:
        return format_hlc(int(now_ms), 0)
    return _make(l_ms, l_c + 1)


def receive(last, remote, now_ms):
    """Return the local clock after seeing `remote`: greater than both `last` and `remote`."""
    if last is None:
        last = format_hlc(0, 0)
    l_ms, l_c = parse_hlc(last)
    r_ms, r_c = parse_hlc(remote)
    ms = max(l_ms, r_ms, int(now_ms))
    if ms == l_ms and ms == r_ms:
        return _make(ms, max(l_c, r_c) + 1)
    if ms == l_ms:
        return _make(ms, l_c + 1)
    if ms == r_ms:
        return _make(ms, r_c + 1)
    return format_hlc(ms, 0)


class HLC:
    """Stateful wrapper around tick/receive for one device; `now_ms` is always passed in."""

    def __init__(self, last=None):
        if last is not None:
            parse_hlc(last)
        self.last = last

    def tick(self, now_ms):
        self.last = tick(self.last, now_ms)
        return self.last

    def receive(self, remote, now_ms):
        self.last = receive(self.last, remote, now_ms)
        return self.last


def order_key(event):
    """The total order of events: (hlc, device_id, seq), then id so equal keys stay stable."""
    return (event["hlc"], event["device_id"], event["seq"], event["id"])


def compare_events(a, b):
    """Three-way comparison of two events in the total order (-1, 0, 1)."""
    ka, kb = order_key(a), order_key(b)
    return (ka > kb) - (ka < kb)
