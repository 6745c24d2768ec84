// Unit tests of the parts that need no VS Code: finding the server, drawing the timeline.
// Run: npm test (bundled with esbuild, run with node --test).
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expandPath, findServer, isFound, whichOnPath } from "../src/server";
import { dayNumber, renderTimeline } from "../src/render";

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "annalist-unit-"));
}
function exe(p: string): string {
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, "#!/bin/sh\n");
  fs.chmodSync(p, 0o755);
  return p;
}

test("the setting wins over the bundled server and PATH", () => {
  const d = tmp();
  const mine = exe(path.join(d, "bin", "my-annalist"));
  exe(path.join(d, "ext", "server", "annalist"));
  const r = findServer(mine, path.join(d, "ext"), d);
  assert.ok(isFound(r));
  assert.equal(r.command, mine);
  assert.equal(r.source, "setting");
});

test("a set but broken path is reported, never replaced by another binary", () => {
  const d = tmp();
  exe(path.join(d, "ext", "server", "annalist"));
  const r = findServer(path.join(d, "missing"), path.join(d, "ext"), d);
  assert.ok(!isFound(r));
  assert.equal(r.badSetting, path.join(d, "missing"));
});

test("a non-executable file is not a server", { skip: process.platform === "win32" }, () => {
  const d = tmp();
  const f = path.join(d, "annalist");
  fs.writeFileSync(f, "");
  fs.chmodSync(f, 0o644);
  assert.ok(!isFound(findServer(f, d, d)));
});

test("the bundled server comes before PATH", () => {
  const d = tmp();
  const bundled = exe(path.join(d, "ext", "server", "annalist"));
  const r = findServer("", path.join(d, "ext"), d);
  assert.ok(isFound(r));
  assert.equal(r.command, bundled);
  assert.equal(r.source, "bundled");
});

test("PATH is searched last; nothing found lists what was tried", () => {
  const d = tmp();
  const onPath = exe(path.join(d, "p2", "annalist"));
  assert.equal(whichOnPath("annalist", [path.join(d, "p1"), path.join(d, "p2")].join(path.delimiter)), onPath);
  const saved = process.env.PATH;
  process.env.PATH = path.join(d, "empty");
  try {
    const r = findServer(undefined, path.join(d, "ext"), d);
    assert.ok(!isFound(r));
    assert.equal(r.tried.length, 2);
    assert.equal(r.badSetting, undefined);
  } finally {
    process.env.PATH = saved;
  }
});

test("paths expand ~ and ${workspaceFolder}", () => {
  assert.equal(expandPath("~/bin/annalist", "/ws"), path.join(os.homedir(), "bin/annalist"));
  assert.equal(expandPath("${workspaceFolder}/target/release/annalist", "/ws"), "/ws/target/release/annalist");
  assert.equal(expandPath("target/release/annalist", "/ws"), "/ws/target/release/annalist");
  assert.equal(expandPath("annalist", "/ws"), "annalist");
});

test("day numbers order dates and accept reduced precision", () => {
  assert.equal(dayNumber("1970-01-01")! - dayNumber("1969-12-31")!, 1);
  assert.equal(dayNumber("1950-03-01")! - dayNumber("1950-02-28")!, 1);
  assert.equal(dayNumber("1949"), dayNumber("1949-01-01"));
  assert.equal(dayNumber("1949-04"), dayNumber("1949-04-01"));
  assert.equal(dayNumber("April 1949"), undefined);
  assert.equal(dayNumber("1949-13-01"), undefined);
  assert.equal(dayNumber(null), undefined);
});

test("the timeline lists every event, escapes text, and draws placed ones", () => {
  const html = renderTimeline(
    [
      { date: "1949-04-17", surface: "17 April 1949", start: "1949-04-17", end: "1949-04-17", text: "Stalin <informed> his ambassador", line: 22, actors: ["Stalin"], notes: ["3"] },
      { date: "1949-05/1949-08", surface: "May-August 1949", start: "1949-05-01", end: "1949-08-31", precision: "range", line: 22, inferred_year: true },
      { date: "some day", start: null, text: "undated" },
    ],
    "doc.md",
  );
  assert.match(html, /3 events/);
  assert.match(html, /Stalin &lt;informed&gt; his ambassador/);
  assert.doesNotMatch(html, /<informed>/);
  assert.equal((html.match(/<circle/g) ?? []).length, 2);
  assert.match(html, /<rect [^>]*class="range"/);
  assert.match(html, /1949-05\/1949-08 \(1949-05-01 – 1949-08-31\)/);
  assert.match(html, /17 April 1949/);
  assert.match(html, /year inferred/);
  assert.match(html, /line 22/);
  assert.match(html, /data-line="21"/); // revealed 0-based
  assert.match(html, /<li class="event" data-line="" /); // no line: nothing to reveal
});

test("an empty timeline says so", () => {
  const html = renderTimeline([], "doc.md");
  assert.match(html, /0 events/);
  assert.match(html, /No dated events/);
  assert.doesNotMatch(html, /<svg/);
});
