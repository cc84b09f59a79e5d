"""Desk rules the fold applies: call arbitration and the second recording (docs/phone-link.md)."""


def recorded_twice(current, result):
    """A second recorded outcome (not annulled) is a duplicate record in the national system."""
    return current == "recorded" and result == "recorded"


def call_takes_over(standing, call):
    """A call stands if none stands yet, it comes from the same desk, or it `replaces` the standing one."""
    return (
        standing is None
        or call.get("station") == standing.get("station")
        or call.get("replaces") == standing["id"]
    )


def apply_call(st, ev):
    """Of two calls made without seeing each other the earlier in the total order stands."""
    if call_takes_over(st._call, ev):
        st._call, st._recorders = ev, set()
        st.station, st.called_at, st.call_id = ev.get("station"), ev.get("at"), ev["id"]
    elif st._call["device_id"] != ev["device_id"]:
        # The losing desk learns it from the fold; a conflict only if both desks record
        # (the standing desk may have recorded before the losing call was made).
        standing = st._call["device_id"]
        st._contests.append((st._call, ev, {standing} & st._recorders))


def note_outcome(st, ev):
    """Return the contests whose two desks have now both recorded an outcome."""
    st._recorders.add(ev["device_id"])
    done = []
    for standing, losing, recorded_by in st._contests:
        if ev["device_id"] in (standing["device_id"], losing["device_id"]):
            recorded_by.add(ev["device_id"])
        if len(recorded_by) == 2:
            done.append((standing["id"], losing["id"]))
    return done
