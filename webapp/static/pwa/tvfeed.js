// A TV's feed of one visit's queue, without an officer account: a typed code becomes a read-only
// token (kept in localStorage: a TV reload keeps showing), then GET /api/v1/displays/feed each
// second. The feed carries tickets and desks only; the TV folds it with the phones' own fold, so
// it shows what the desks show (docs/phone-link.md, "The TV display").

import { request } from "./api.js";
import { displayData } from "./displayfeed.js";

const KEY = "jemput-display";

export class TvFeed {
  constructor({ token, visitId }) {
    this.token = token;
    this.visitId = visitId;
    this.visit = null;
    this.students = {};
    this.events = new Map();
    this.cursor = null;
  }

  /** The feed this browser was paired with, or null. */
  static load() {
    try {
      const saved = JSON.parse(localStorage.getItem(KEY) || "null");
      return saved && saved.token ? new TvFeed(saved) : null;
    } catch {
      return null;
    }
  }

  /** Exchange a typed code for a token: {feed} or {error: message}. */
  static async claim(code) {
    const res = await request("POST", "/api/v1/displays", { body: { code } });
    if (res.status !== 201) {
      const b = res.body || {};
      return { error: res.status === 0 ? null : (b.message || (b.errors && Object.values(b.errors).flat()[0]) || String(res.status)) };
    }
    const saved = { token: res.body.token, visitId: res.body.visit_id };
    localStorage.setItem(KEY, JSON.stringify(saved));
    return { feed: new TvFeed(saved) };
  }

  /** One poll: {ok, changed} or {expired} (the visit closed or the token lapsed). */
  async poll() {
    const q = this.cursor ? `?cursor=${encodeURIComponent(this.cursor)}` : "";
    const res = await request("GET", `/api/v1/displays/feed${q}`, { token: this.token, timeout: 5000 });
    if (res.status === 401) {
      localStorage.removeItem(KEY);
      return { expired: true };
    }
    if (res.status !== 200 || !res.body) return { ok: false };
    const body = res.body;
    let changed = !this.visit;
    this.visit = body.visit;
    for (const [sid, key] of body.students || []) this.students[sid] = key;
    for (const ev of body.events || []) {
      if (!this.events.has(ev.id)) {
        this.events.set(ev.id, ev);
        changed = true;
      }
    }
    this.cursor = body.cursor;
    if (body.more) return { ok: true, changed: (await this.poll()).changed || changed };
    return { ok: true, changed };
  }

  /** {visit, events, folded} for the screen, or null before the first answer. */
  data() {
    if (!this.visit) return null;
    // Walk-ins compare by the server's opaque key, as on the phones (db.js foldableWalkins).
    return displayData(this.visit, [...this.events.values()], this.students);
  }
}
