// The officer's list: today's open visit first, as the server orders it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { officeToday, officerOrder } from "../../webapp/static/pwa/visitorder.js";

test("today's visit comes first, then upcoming soonest first, then the past latest first", () => {
  const visits = [
    { id: 1, date: "2026-12-13", status: "planned" },
    { id: 2, date: "2026-11-20", status: "closed" },
    { id: 3, date: "2026-12-06", status: "open" },
    { id: 4, date: "2026-12-08", status: "planned" },
    { id: 5, date: "2026-11-29", status: "closed" },
    { id: 6, date: "2026-12-01", status: "cancelled" },
  ];
  assert.deepEqual(officerOrder(visits, "2026-12-06").map((v) => v.id), [3, 4, 1, 5, 2, 6]);
});

test("the office's today is the Asia/Jakarta date", () => {
  assert.equal(officeToday(new Date("2026-12-06T18:00:00Z")), "2026-12-07"); // 01:00 WIB
  assert.equal(officeToday(new Date("2026-12-06T16:59:00Z")), "2026-12-06");
});
