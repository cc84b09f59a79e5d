// The officer's visit list order, the same as the server's (webapp/sync/roster.py officer_order):
// today's visit first, then open, planned (soonest first), closed and cancelled (latest first).

const RANK = { open: 0, planned: 1, closed: 2, cancelled: 3 };

/** Today as YYYY-MM-DD in the office's time zone. */
export function officeToday(now = new Date(), timeZone = "Asia/Jakarta") {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

/** A sorted copy of `visits` ({id, date, status}). */
export function officerOrder(visits, today) {
  const key = (v) => {
    const day = String(v.date).slice(0, 10);
    const later = v.status === "closed" || v.status === "cancelled";
    return [day === today ? 0 : 1, RANK[v.status] ?? 4, later ? -Date.parse(day) : Date.parse(day), Number(v.id)];
  };
  return [...visits].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
    return 0;
  });
}
