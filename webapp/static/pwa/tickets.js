// Queue tickets: a per-device prefix (from the device registration) plus a per-device counter,
// e.g. "A-014". Unique without coordination because the server hands each device its own
// prefix; short enough to call aloud. Pure functions, no dependencies (tested in node).

const TICKET_RE = /^([A-Z]{1,3})-([0-9]{3,})$/;

/** "A", 14 -> "A-014" (three digits at least; 1000 and up simply grow). */
export function formatTicket(prefix, number) {
  if (typeof prefix !== "string" || !/^[A-Z]{1,3}$/.test(prefix)) {
    throw new TypeError(`bad ticket prefix: ${prefix}`);
  }
  if (!Number.isInteger(number) || number < 1) throw new RangeError(`bad ticket number: ${number}`);
  return `${prefix}-${String(number).padStart(3, "0")}`;
}

/** "A-014" -> {prefix: "A", number: 14}; null for anything else. */
export function parseTicket(ticket) {
  const m = typeof ticket === "string" ? TICKET_RE.exec(ticket) : null;
  return m ? { prefix: m[1], number: Number(m[2]) } : null;
}

/**
 * The next number for `prefix`: one past both the stored counter and every ticket of this
 * prefix already known (so a lost counter, or an old backup, can never hand out a ticket twice).
 */
export function nextNumber(counter, prefix, knownTickets = []) {
  let high = Number.isInteger(counter) && counter > 0 ? counter : 0;
  for (const t of knownTickets) {
    const p = parseTicket(t);
    if (p && p.prefix === prefix && p.number > high) high = p.number;
  }
  return high + 1;
}

/** Allocate a ticket: returns {ticket, counter} where counter is the value to store. */
export function allocateTicket(prefix, counter, knownTickets = []) {
  const number = nextNumber(counter, prefix, knownTickets);
  return { ticket: formatTicket(prefix, number), counter: number };
}

/** Order tickets for display: by prefix (shorter first), then by number; junk last. */
export function compareTickets(a, b) {
  const pa = parseTicket(a);
  const pb = parseTicket(b);
  if (!pa || !pb) return pa ? -1 : pb ? 1 : String(a).localeCompare(String(b));
  if (pa.prefix !== pb.prefix) {
    return pa.prefix.length - pb.prefix.length || (pa.prefix < pb.prefix ? -1 : 1);
  }
  return pa.number - pb.number;
}

/** How a ticket is said aloud on the queue display: "A-014" -> "A 14". */
export function spokenTicket(ticket) {
  const p = parseTicket(ticket);
  return p ? `${p.prefix.split("").join(" ")} ${p.number}` : String(ticket);
}
