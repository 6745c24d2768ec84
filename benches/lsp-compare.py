#!/usr/bin/env python3
"""Annalist's language server beside rumdl's, as an editor runs them.

    benches/lsp-compare.py [--sizes 10k,100k,1m,10m] [--annalist BIN] [--rumdl BIN]
                           [--edits 20] [--hovers 200] [--markdown OUT.md]
                           [--documents a.md,b.md]   (open these instead)
                           [--warm check|server] [--pull] [--rounds N] [--idle SECONDS]
                           [--files N]

For each size, a workspace folder is written holding a transcription of that size
(`transcription.md`: the fixture's paragraphs with GFM footnotes, printed "(n)"
endnotes, names spelt several ways and dates, so that it has thousands of findings)
and, beside it, the real documents of `fixtures/real/` (a collection, as users have);
with `--files N`, N more files of about 10 KB in `collection/` (a larger collection:
letters or chapters, cut from one generated transcription, so that they write the same
names several ways).
Each server is started in that folder and initialised with it as `rootUri` and
`workspaceFolders` (VS Code and Neovim always send one), then:

  open   didOpen -> the first publishDiagnostics for the document
  complete  didOpen -> the publication whose findings are all the server will publish
         for the document's first version: as many as `annalist check --no-cache
         --format json` reports for it in the same folder (annalist publishes its own
         findings without waiting for the workspace index, and publishes again when
         the index lands if the comparison across files changed; with --pull, the
         pull after the server's workspace/diagnostic/refresh). rumdl publishes once:
         its complete time is its open time. The hovers and edits start after it.
  edit   a one-character insertion in the middle -> the publishDiagnostics that
         follows it (N edits; median and p95)
  hover  N hover requests on names, dates and note markers (median and p95)
  rss    the server's peak resident memory (VmHWM) at the end
  bytes  the size of the JSON message that ends an edit (the publication, or the
         answer to the pull), median over the edits: what the editor reads and parses
  first byte  the edit -> the first line of the message that ends it (median and p95):
         the server's own share of the edit; the rest is the client reading and
         parsing the message (Python's json takes ~10 ms for 731 KB, an editor less)

The client announces the capabilities Neovim 0.11.4 sends (`make_client_capabilities`:
publishDiagnostics with relatedInformation, tagSupport and dataSupport, no
codeDescriptionSupport; its textDocument.diagnostic left out, so that both servers
publish), or with `--pull` those VS Code sends through vscode-languageclient 9.0.1
(publishDiagnostics with relatedInformation, tagSupport, codeDescriptionSupport and
dataSupport; textDocument.diagnostic; workspace.diagnostics.refreshSupport), so that
each server sends what it sends an editor.

Each folder is fresh, so annalist starts with no cache (`.annalist_cache`: the
unopened files' name indexes; ANNALIST_CACHE_DIR is unset for it). With `--warm`,
annalist is measured a second time in the same folder with a warm cache: filled by
`annalist check .` (`--warm check`, the first run's cache removed before) or by the
first run's server itself (`--warm server`), as the next start of the editor finds it.

With `--pull`, the client announces pulled diagnostics as VS Code does
(`textDocument.diagnostic` and `workspace.diagnostics.refreshSupport`): open and edit
are timed to the answer of a `textDocument/diagnostic` request sent after the
notification, for a server that offers it (annalist then publishes nothing); a server
that does not is timed by what it publishes, as above. Neovim 0.11 has no refresh
support, so annalist publishes to it: the default mode.

Both servers get the same bytes, the same edits and the same positions, in one run,
one after the other. With `--rounds N`, each is measured N times (each round in a fresh
folder, rumdl first every other round) and each figure is the median over the rounds:
the machine has slow spells (steal time in a virtual machine) that can double one
open. With `--idle S`, after the edits each server is left silent for S seconds and its
resident memory read, then the document is closed and the memory read again S seconds
later: what an editor's long-running server keeps (a second table). rumdl comes from
PyPI (`pip install rumdl==0.3.0`). Prints a Markdown table with the ratios (annalist /
rumdl: below 1 means annalist is faster).
Nothing here is a test: it measures, it does not judge.
"""

import atexit
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from queue import Empty, Queue

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "fixtures" / "bajanov-1995.md"
REAL = ROOT / "fixtures" / "real"

SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000, "10m": 10_000_000}

# Names spelt as the period's documents spell them, so the names rules have work.
VARIANTS = [
    ("Seoul", "Sŏul"),
    ("Kim Il Sung", "Kim Il-sung"),
    ("Pyongyang", "P'yŏngyang"),
    ("Syngman Rhee", "Rhee Syngman"),
    ("Mao Tse-tung", "Mao Zedong"),
    ("Pak Hon-yong", "Pak Hŏn-yŏng"),
]
DATES = ["25 June 1950", "17 April 1949", "September 1949", "the end of 1949",
         "January 30, 1950", "March 5, 1949", "12 October 1950"]


def paragraphs():
    text = FIXTURE.read_text(encoding="utf-8")
    body = text[text.index("## 1."):text.index("## Notes")]
    paras = [p.strip() for p in body.split("\n\n") if p.strip() and not p.startswith("#")]
    # The fixture's own "(n)" markers are renumbered per copy below.
    return [re.sub(r"\((\d{1,2})\)", "", p) for p in paras]


def transcription(target):
    """A document of about `target` bytes: sections of paragraphs; every other
    paragraph ends with a GFM footnote, every fourth carries a printed endnote."""
    paras = paragraphs()
    out = ["---\ntitle: Benchmark transcription\nkind: secondary\n---\n\n"]
    size, n, foot, endn, sec = len(out[0]), 0, 0, 0, 0
    endnotes = []
    footdefs = []
    while size < target:
        if n % 25 == 0:
            sec += 1
            head = f"## Part {sec}\n\n"
            out.append(head)
            size += len(head)
        p = paras[n % len(paras)]
        a, b = VARIANTS[n % len(VARIANTS)]
        p = f"{p} In {DATES[n % len(DATES)]} {a if n % 3 else b} was named again."
        if n % 2 == 0:
            foot += 1
            p += f"[^{foot}]"
            footdefs.append(f"[^{foot}]: AVP RF, fond 059a, opis 5a, delo {foot}, list {n % 90 + 1}.\n")
        if n % 4 == 1:
            endn += 1
            p += f" ({endn})"
            endnotes.append(f"({endn}) Archive of the President, file {endn}, p. {n % 300 + 1}.\n")
        p += "\n\n"
        out.append(p)
        size += len(p) + (len(footdefs[-1]) if n % 2 == 0 else 0) + (len(endnotes[-1]) if n % 4 == 1 else 0)
        n += 1
    out.append("## Notes\n\n")
    out.extend(e + "\n" for e in endnotes)
    out.append("\n")
    out.extend(footdefs)
    return "".join(out), n


def write_collection(folder, n, each=10_000):
    """`n` files of about `each` bytes in `folder`: the body paragraphs of one
    transcription (its notes section left out), in order, a file ending once it reaches
    `each` bytes."""
    if n <= 0:
        return
    folder.mkdir(parents=True, exist_ok=True)
    target = n * each
    while True:
        body = transcription(target)[0].split("\n## Notes\n")[0]
        files, cur, size = [], [], 0
        for p in body.split("\n\n"):
            cur.append(p)
            size += len(p) + 2
            if size >= each:
                files.append("\n\n".join(cur) + "\n")
                cur, size = [], 0
        if len(files) >= n:
            break
        target = target * 5 // 4
    for i, t in enumerate(files[:n]):
        (folder / f"{i:05d}.md").write_text(t, encoding="utf-8")


# Every server started: one that failed a measurement (no answer in time) is killed,
# not left running (a stuck server once spun at full speed on one core through every
# later measurement of a session).
STARTED = []


def kill_started():
    for p in STARTED:
        if p.poll() is None:
            p.kill()
            p.wait()


atexit.register(kill_started)


class Server:
    def __init__(self, cmd, cwd):
        env = {k: v for k, v in os.environ.items() if k != "ANNALIST_CACHE_DIR"}
        self.p = subprocess.Popen(cmd, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL, env=env)
        STARTED.append(self.p)
        self.q = Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        f = self.p.stdout
        while True:
            headers = {}
            first = None  # when the message's first line arrived
            while True:
                line = f.readline()
                if first is None:
                    first = time.monotonic()
                if not line:
                    self.q.put(None)
                    return
                line = line.decode("ascii", "replace").strip()
                if not line:
                    break
                k, _, v = line.partition(":")
                headers[k.lower()] = v.strip()
            body = f.read(int(headers.get("content-length", "0")))
            try:
                m = json.loads(body)
            except ValueError:
                continue
            if isinstance(m, dict):
                m["_bytes"] = len(body)  # the message's size, as the editor reads it
                m["_first"] = first
            self.q.put(m)

    def send(self, msg):
        msg["jsonrpc"] = "2.0"
        data = json.dumps(msg).encode()
        self.p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(data) + data)
        self.p.stdin.flush()

    def notify(self, method, params):
        self.send({"method": method, "params": params})

    def request(self, method, params, timeout=300):
        self.next_id += 1
        rid = self.next_id
        self.send({"id": rid, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == rid and "method" not in m, timeout)

    def wait(self, pred, timeout=300):
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0:
                raise TimeoutError("no answer in time")
            try:
                m = self.q.get(timeout=left)
            except Empty:
                raise TimeoutError("no answer in time")
            if m is None:
                raise RuntimeError("server exited")
            if "method" in m and "id" in m:  # a request from the server: answer null
                self.send({"id": m["id"], "result": None})
            if pred(m):
                return m

    def diagnostics(self, uri, timeout=300):
        return self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                         and m["params"]["uri"] == uri, timeout)

    def _status_kib(self, field):
        """A field of /proc/PID/status in KiB (VmHWM: the peak; VmRSS: now); 0 if gone."""
        try:
            for line in Path(f"/proc/{self.p.pid}/status").read_text().splitlines():
                if line.startswith(field + ":"):
                    return int(line.split()[1])
        except OSError:
            pass
        return 0

    def peak_kib(self):
        return self._status_kib("VmHWM")

    def rss_kib(self):
        """Resident memory now (VmRSS), not the peak."""
        return self._status_kib("VmRSS")

    def close(self):
        try:
            self.request("shutdown", None, timeout=30)
            self.notify("exit", None)
            self.p.wait(timeout=30)
        except Exception:
            self.p.kill()


def utf16_col(line, byte_col):
    return len(line[:byte_col].encode("utf-16-le")) // 2


def positions(text, count):
    lines = text.split("\n")
    out = []
    for ln, line in enumerate(lines):
        for needle in ("Stalin", "Kim Il", "1949", "[^", "Sŏul"):
            c = line.find(needle)
            if c >= 0:
                out.append((ln, utf16_col(line, c) + 1))
    step = max(1, len(out) // count)
    return out[::step][:count]


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round((len(xs) - 1) * p))] if xs else float("nan")


def expected_count(annalist, ws):
    """How many findings `annalist check` reports for the transcription in `ws`: what
    the server's complete diagnostics hold (run before the server, without a cache)."""
    env = {k: v for k, v in os.environ.items() if k != "ANNALIST_CACHE_DIR"}
    out = subprocess.run([annalist, "check", "--no-cache", "--format", "json", "."], cwd=ws,
                         env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout
    try:
        files = json.loads(out).get("files", [])
    except ValueError:
        return None
    return sum(len(f.get("diagnostics", [])) for f in files if f.get("path") == "transcription.md")


def measure(name, cmd, ws, doc, edits, hovers, pull=False, expected=None, idle=0.0):
    uri = (ws / "transcription.md").as_uri()
    s = Server(cmd, ws)
    tags = {"valueSet": [1, 2]}
    ws_caps = {"workspaceFolders": True, "configuration": True}
    if pull:
        # As VS Code (vscode-languageclient 9.0.1) announces itself: it pulls diagnostics
        # and can be told to pull again; what it takes on a diagnostic is said for
        # publications only. (It allows dynamic registration; not here: the bench
        # answers registrations with null and looks for a static diagnosticProvider.)
        text_caps = {"publishDiagnostics": {"relatedInformation": True, "versionSupport": False,
                                            "tagSupport": tags, "codeDescriptionSupport": True,
                                            "dataSupport": True},
                     "diagnostic": {"dynamicRegistration": False, "relatedDocumentSupport": False}}
        ws_caps["diagnostics"] = {"refreshSupport": True}
    else:
        # What Neovim 0.11.4 announces for publications
        # (vim.lsp.protocol.make_client_capabilities). Its textDocument.diagnostic is
        # left out: without refresh support annalist publishes to it anyway, but rumdl
        # then publishes nothing and would be pulled, which this mode does not time.
        text_caps = {"publishDiagnostics": {"relatedInformation": True, "tagSupport": tags,
                                            "dataSupport": True}}
    text_caps["hover"] = {"contentFormat": ["markdown", "plaintext"]}
    init = s.request("initialize", {
        "processId": os.getpid(), "rootUri": ws.as_uri(), "rootPath": str(ws),
        "workspaceFolders": [{"uri": ws.as_uri(), "name": ws.name}],
        "capabilities": {"general": {"positionEncodings": ["utf-16"]},
                         "textDocument": text_caps, "workspace": ws_caps},
    })
    # A server that offers no pulled diagnostics is measured by what it publishes.
    pulls = pull and bool(init.get("result", {}).get("capabilities", {}).get("diagnosticProvider"))

    sizes = []
    firsts = []  # when the message that ends each edit began to arrive

    def pulled():
        r = s.request("textDocument/diagnostic", {"textDocument": {"uri": uri}})
        sizes.append(r.get("_bytes", 0))
        firsts.append(r.get("_first"))
        return (r.get("result") or {}).get("items", [])

    s.notify("initialized", {})
    t = time.monotonic()
    s.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "markdown", "version": 1, "text": doc}})
    if pulls:
        found = len(pulled())
    else:
        found = len(s.diagnostics(uri)["params"]["diagnostics"])
    opened = time.monotonic() - t
    # The complete diagnostics: a later publication of the same version (or, pulled, the
    # pull after a refresh request) whose count is what `check` reports.
    complete, found_all = opened, found
    if expected is not None:
        try:
            while found_all != expected:
                if pulls:
                    s.wait(lambda m: m.get("method") == "workspace/diagnostic/refresh", 60)
                    found_all = len(pulled())
                else:
                    m = s.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                               and m["params"]["uri"] == uri
                               and m["params"].get("version") in (None, 1), 60)
                    found_all = len(m["params"]["diagnostics"])
            complete = time.monotonic() - t
        except TimeoutError:
            complete = float("nan")  # never reached check's count: said in the table

    hov = []
    for line, ch in positions(doc, hovers):
        t = time.monotonic()
        s.request("textDocument/hover", {"textDocument": {"uri": uri},
                                         "position": {"line": line, "character": ch}})
        hov.append(time.monotonic() - t)

    mid = doc.count("\n") // 2
    eds, served = [], []
    for v in range(2, 2 + edits):
        t = time.monotonic()
        s.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": v},
            "contentChanges": [{"range": {"start": {"line": mid, "character": 0},
                                          "end": {"line": mid, "character": 0}}, "text": "x"}]})
        if pulls:
            pulled()  # answered for the latest version
        else:
            while True:
                m = s.diagnostics(uri)
                mv = m["params"].get("version")
                if mv is None or mv >= v:
                    sizes.append(m.get("_bytes", 0))
                    firsts.append(m.get("_first"))
                    break
        eds.append(time.monotonic() - t)
        served.append(firsts[-1] - t if firsts and firsts[-1] is not None else float("nan"))
        time.sleep(0.05)  # a typist's pause: the edits are separate keystrokes
    peak = s.peak_kib()
    # What a server keeps once the user stops typing, and once the document is closed
    # (an editor leaves the server running all day): resident memory after `idle`
    # seconds of silence each time.
    idle_kib = closed_kib = None
    if idle > 0:
        time.sleep(idle)
        idle_kib = s.rss_kib()
        s.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
        time.sleep(idle)
        closed_kib = s.rss_kib()
    s.close()
    sizes = sizes[-len(eds):] if eds else []
    return {"server": name, "mode": "pulled" if pulls else "published",
            "open_ms": opened * 1e3, "complete_ms": complete * 1e3,
            "first_findings": found, "findings": found_all, "expected": expected,
            "edit_med_ms": statistics.median(eds) * 1e3 if eds else float("nan"),
            "edit_p95_ms": pct(eds, 0.95) * 1e3,
            "served_med_ms": statistics.median(served) * 1e3 if served else float("nan"),
            "served_p95_ms": pct(served, 0.95) * 1e3,
            "hover_med_ms": statistics.median(hov) * 1e3 if hov else float("nan"),
            "hover_p95_ms": pct(hov, 0.95) * 1e3, "peak_mib": peak / 1024,
            "idle_mib": idle_kib / 1024 if idle_kib is not None else float("nan"),
            "closed_mib": closed_kib / 1024 if closed_kib is not None else float("nan"),
            "edit_bytes": statistics.median(sizes) if sizes else 0}


def over_rounds(runs):
    """One row for a server's rounds: each figure the median over the rounds that ran
    (a round that failed is counted in `failed`); all failed: the first failure."""
    ok = [r for r in runs if "error" not in r]
    if not ok:
        return runs[0]
    row = dict(ok[0])
    for k, v in ok[0].items():
        if isinstance(v, float) or (isinstance(v, int) and not isinstance(v, bool)
                                    and k not in ("round", "expected", "findings", "first_findings")):
            vals = [r[k] for r in ok if isinstance(r.get(k), (int, float))]
            row[k] = statistics.median(vals) if vals else v
    row["rounds"] = len(ok)
    row["failed"] = len(runs) - len(ok)
    return row


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10k,100k,1m")
    ap.add_argument("--annalist", default=str(ROOT / "target" / "release" / "annalist"))
    ap.add_argument("--rumdl", default=shutil.which("rumdl") or "rumdl")
    ap.add_argument("--edits", type=int, default=20)
    ap.add_argument("--hovers", type=int, default=200)
    ap.add_argument("--no-collection", action="store_true",
                    help="the workspace folder holds only the document")
    ap.add_argument("--warm", choices=["check", "server"],
                    help="also measure annalist with a warm cache, filled by `annalist check .` "
                    "or by the first run's server")
    ap.add_argument("--pull", action="store_true",
                    help="announce pulled diagnostics as VS Code does, and time "
                    "textDocument/diagnostic requests (a server that offers none is timed by "
                    "what it publishes)")
    ap.add_argument("--rounds", type=int, default=1,
                    help="measure each server this many times, each round in a fresh folder, "
                    "and report the median of each figure (the machine's slow spells, which "
                    "can double an open, fall on some rounds)")
    ap.add_argument("--idle", type=float, default=0.0, metavar="SECONDS",
                    help="after the edits, wait this long and read the resident memory, then "
                    "close the document, wait again and read it again (annalist gives freed "
                    "memory back after 2 s of silence: 3 is enough)")
    ap.add_argument("--files", type=int, default=0, metavar="N",
                    help="also put N files of about 10 KB each in the workspace folder (a "
                    "collection of letters or chapters: the server indexes and compares them)")
    ap.add_argument("--markdown", help="also write the table to this file")
    ap.add_argument("--documents", help="comma-separated Markdown files to open instead of the "
                    "generated transcriptions (e.g. the inputs of benches/pathological.py)")
    a = ap.parse_args()
    rows = []
    if a.documents:
        inputs = []
        for f in a.documents.split(","):
            text = Path(f).read_text(encoding="utf-8")
            inputs.append((Path(f).stem, lambda text=text: (text, text.count("\n\n") + 1)))
    else:
        inputs = [(key, lambda key=key: transcription(SIZES.get(key) or int(key)))
                  for key in a.sizes.split(",")]
    for key, make in inputs:
        doc, paras = make()
        size = f"{len(doc.encode()):,} B, {paras:,} paragraphs"
        if a.documents:
            size = f"{key}: " + size
        results = {}  # server -> one result per round
        expected = None
        for rnd in range(a.rounds):
            # Each round in a fresh folder (annalist starts with no cache), the servers
            # in turn, rumdl first every other round: a slow spell of the machine falls
            # on both alike.
            ws = Path(tempfile.mkdtemp(prefix=f"annalist-lsp-{key}-"))
            (ws / "transcription.md").write_text(doc, encoding="utf-8")
            if not a.no_collection:
                shutil.copytree(REAL, ws / "real", ignore=shutil.ignore_patterns("*.tsv"))
            write_collection(ws / "collection", a.files)
            runs = [("annalist", [a.annalist, "lsp"])]
            if a.warm:
                runs.append((f"annalist, warm ({a.warm})", [a.annalist, "lsp"]))
            runs = runs + [("rumdl", [a.rumdl, "server"])] if rnd % 2 == 0 else \
                [("rumdl", [a.rumdl, "server"])] + runs
            if expected is None:
                expected = expected_count(a.annalist, ws)
            for name, cmd in runs:
                if name.startswith("annalist, warm") and a.warm == "check":
                    shutil.rmtree(ws / ".annalist_cache", ignore_errors=True)
                    env = {k: v for k, v in os.environ.items() if k != "ANNALIST_CACHE_DIR"}
                    subprocess.run([a.annalist, "check", "--quiet", "."], cwd=ws, env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                try:
                    r = measure(name, cmd, ws, doc, a.edits, a.hovers, a.pull,
                                expected if name.startswith("annalist") else None, a.idle)
                except Exception as e:  # a server that fails is reported, not hidden
                    r = {"server": name, "error": str(e)}
                    kill_started()
                r["size"] = size
                r["round"] = rnd + 1
                results.setdefault(name, []).append(r)
                print(json.dumps(r), file=sys.stderr)
            shutil.rmtree(ws, ignore_errors=True)
        order = [n for n in ("annalist", f"annalist, warm ({a.warm})", "rumdl") if n in results]
        rows.extend(over_rounds(results[n]) for n in order)
    lines = ["| document | server | open → first diagnostics | open → complete | edit → diagnostics median / p95 | edit → first byte median / p95 | hover median / p95 | peak RSS | findings (first → complete) | bytes per edit |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        if "error" in r:
            lines.append(f"| {r['size']} | {r['server']} | error: {r['error']} | | | | | | | |")
            continue
        server = f"{r['server']} ({r['mode']})" if a.pull else r["server"]
        found = f"{r['findings']:,}"
        if r["first_findings"] != r["findings"]:
            found = f"{r['first_findings']:,} → {found}"
        if r["expected"] is not None and r["findings"] != r["expected"]:
            found += f" (check: {r['expected']:,})"
        lines.append(f"| {r['size']} | {server} | {r['open_ms']:.0f} ms | {r['complete_ms']:.0f} ms"
                     f" | {r['edit_med_ms']:.1f} / {r['edit_p95_ms']:.1f} ms"
                     f" | {r['served_med_ms']:.1f} / {r['served_p95_ms']:.1f} ms"
                     f" | {r['hover_med_ms']:.2f} / {r['hover_p95_ms']:.2f} ms | {r['peak_mib']:.0f} MiB | {found}"
                     f" | {r['edit_bytes']:,.0f} B |")
    by = {}
    for r in rows:
        by.setdefault(r["size"], {})[r["server"]] = r
    lines.append("")
    lines.append("| document | open ratio | complete ratio | edit p95 ratio | first byte p95 ratio | hover p95 ratio | RSS ratio |")
    lines.append("|---|---|---|---|---|---|---|")
    for size, d in by.items():
        ru = d.get("rumdl")
        for name, an in d.items():
            if name == "rumdl" or not ru or "error" in an or "error" in ru:
                continue
            f = lambda k: an[k] / ru[k] if ru[k] else float("nan")
            label = size if name == "annalist" else f"{size} ({name})"
            lines.append(f"| {label} | {f('open_ms'):.2f} | {an['complete_ms'] / ru['complete_ms']:.2f}"
                         f" | {f('edit_p95_ms'):.2f} | {f('served_p95_ms'):.2f} | {f('hover_p95_ms'):.2f} | {f('peak_mib'):.2f} |")
    if a.idle > 0:
        lines.append("")
        lines.append(f"| document | server | peak RSS | RSS after {a.idle:g} s idle | RSS {a.idle:g} s after didClose |")
        lines.append("|---|---|---|---|---|")
        for r in rows:
            if "error" not in r:
                lines.append(f"| {r['size']} | {r['server']} | {r['peak_mib']:.1f} MiB"
                             f" | {r['idle_mib']:.1f} MiB | {r['closed_mib']:.1f} MiB |")
    if a.rounds > 1:
        lines.append("")
        lines.append(f"Each figure is the median over {a.rounds} rounds (each in a fresh folder, "
                     "the servers in turn, rumdl first every other round).")
        failed = [f"{r['server']} ({r['size']}): {r['failed']}" for r in rows if r.get("failed")]
        if failed:
            lines.append("Rounds that failed: " + "; ".join(failed) + ".")
    table = "\n".join(lines)
    print(table)
    if a.markdown:
        Path(a.markdown).write_text(table + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
