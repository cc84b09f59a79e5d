"""Server side of field sync: devices, the event store, derived state and the sync API."""
