"""Desk rules of the coordinator's desk: already recorded, printing, corrections (docs/desk.md)."""

# Outcomes that are not a recording: the last one stands until a `recorded`.
NOT_RECORDED = frozenset({"failed", "already_recorded"})


def apply_print(st, ev):
    """A printed card stays printed; a `not_printed` (with its reason) holds until one is printed."""
    if st.print != "printed":
        st.print, st.print_reason = ev.get("result"), ev.get("reason")


def apply_correction(st, ev):
    """A coordinator's correction sets its field outright over every event before it in the order."""
    name, value, at = ev.get("field"), ev.get("value"), ev.get("at")
    if name == "outcome":
        st.outcome, st.outcome_at = value, (at if value is not None else None)
        st.reason = ev.get("failure_reason") if value == "failed" else None
        # A corrected "recorded" is the standing record a later recording would duplicate.
        st._recorded_event = ev["id"] if value == "recorded" else None
        if value is not None:
            st._present = True  # an outcome means the student came
    elif name == "ikd":
        st.ikd, st.ikd_reason = value, None
    st.corrections.append({"id": ev["id"], "field": name, "value": value,
                           "reason": ev.get("reason"), "at": at})
