// Event ids (page.js): time first, so the server's unique index on (site, event id) grows at
// its end; random after, so no two browsers make the same id.
import { test, mock } from "node:test";
import assert from "node:assert/strict";
import { eventId } from "../src/page.js";
import { EVENT_ID } from "./fake-browser.js";

/** Makes an event id with Date.now() returning `ms`. */
function idAt(ms) {
  const now = mock.method(Date, "now", () => ms);
  try {
    return eventId();
  } finally {
    now.mock.restore();
  }
}

test("eventId_madeLater_sortsAfterAndStartsWithTheTimeInBase36", () => {
  const times = [1733270400000, 1733270400001, 1733270400999, 1765000000000];
  const ids = times.map(idAt);

  assert.deepEqual([...ids].sort(), ids);
  assert.deepEqual(ids.map((id) => parseInt(id.split("-")[0], 36)), times);
});

test("eventId_sameMillisecond_differsByItsRandomPart", () => {
  const ids = Array.from({ length: 100 }, () => idAt(1733270400000));

  assert.equal(new Set(ids).size, 100);
  for (const id of ids) {
    assert.match(id, EVENT_ID);
    assert.equal(id.split("-").length, 4, "three random numbers after the time");
  }
});

test("eventId_now_fitsTheServersRule", () => {
  const id = eventId();

  assert.match(id, /^[A-Za-z0-9_-]{8,64}$/);
  assert.match(id, EVENT_ID);
  assert.ok(Math.abs(parseInt(id.split("-")[0], 36) - Date.now()) < 1000);
});
