#!/usr/bin/env python3
"""Build the `annalist check` benchmark corpus from fixtures/bajanov-1995.md.

    benches/make-corpus.py [OUT]      (default: $TMPDIR/annalist-bench-corpus)

OUT must not lie under a directory a .gitignore ignores (this repository's target/
is): the linters, and the `rg` floor, honour .gitignore and would skip it all.

Writes
  OUT/large/bajanov-large.md   one ~1 MB document: the article's three sections repeated,
                              note markers renumbered so every marker has its own entry
                              in one Notes section at the end (a valid, note-heavy text);
  OUT/many/NNN/bajanov-NNNNN.md  2,000 documents of ~10 KB: the whole fixture (front
                              matter, notes) with one more body paragraph, and a
                              distinct title each, in 20 directories of 100;
  OUT/names.txt               every gazetteer name (preferred, variants, native) from
                              data/gazetteer/*.toml, one per line, for the `rg` floor.
Deterministic: the same input gives the same bytes.
"""

import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "fixtures" / "bajanov-1995.md"
LARGE_TARGET = 1_000_000
MANY_FILES = 2_000
PER_DIR = 100
MANY_TARGET = 10_000


def split_fixture(text):
    """(front matter, body without the Notes section)."""
    fm_end = text.index("\n---\n", 4) + len("\n---\n")
    front, rest = text[:fm_end], text[fm_end:]
    notes_at = rest.index("\n## Notes\n")
    return front, rest[:notes_at].rstrip("\n") + "\n"


def renumber(body, offset):
    """Shift every `(N)` note marker by `offset`."""
    return re.sub(r"\((\d{1,2})\)", lambda m: f"({int(m.group(1)) + offset})", body)


def large(front, body):
    markers = len(re.findall(r"\((\d{1,2})\)", body))
    parts, n, size = [front], 0, len(front)
    while size < LARGE_TARGET:
        chunk = renumber(body, n * markers)
        chunk = chunk.replace("# The Origins of the Korean War", f"# The Origins of the Korean War, copy {n + 1}", 1)
        parts.append("\n" + chunk)
        size += len(chunk.encode("utf-8")) + 1
        n += 1
    notes = ["\n## Notes\n\n"]
    for i in range(1, n * markers + 1):
        notes.append(f"{i}. The text of note {i} is not included in the excerpt transcribed here.\n")
    return "".join(parts + notes), n


def small(text, i, extra):
    doc = text.replace(
        "# The Origins of the Korean War\n",
        f"# The Origins of the Korean War (copy {i:05d})\n",
        1,
    )
    notes_at = doc.index("\n## Notes\n")
    pad = ""
    while len((doc + pad).encode("utf-8")) < MANY_TARGET:
        pad += "\n" + extra
    return doc[:notes_at] + pad.rstrip("\n") + "\n" + doc[notes_at:]


def gazetteer_names():
    names = set()
    try:
        import tomllib
    except ImportError:  # Python < 3.11
        return names
    for f in sorted((ROOT / "data" / "gazetteer").glob("*.toml")):
        with open(f, "rb") as fh:
            data = tomllib.load(fh)
        for e in data.get("entity", []):
            names.add(e.get("preferred", ""))
            for n in e.get("names", []):
                names.add(n.get("text", "") if isinstance(n, dict) else str(n))
            names.update(e.get("native", []))
    names.discard("")
    return names


def main():
    default = Path(tempfile.gettempdir()) / "annalist-bench-corpus"
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else default
    text = FIXTURE.read_text(encoding="utf-8")
    front, body = split_fixture(text)

    (out / "large").mkdir(parents=True, exist_ok=True)
    doc, copies = large(front, body)
    (out / "large" / "bajanov-large.md").write_text(doc, encoding="utf-8")

    # One marker-free paragraph of the article, to pad the small documents.
    paragraphs = [p for p in body.split("\n\n") if p and not p.startswith("#") and "(" not in p]
    extra = max(paragraphs, key=len).strip() + "\n"
    for i in range(MANY_FILES):
        d = out / "many" / f"{i // PER_DIR:03d}"
        d.mkdir(parents=True, exist_ok=True)
        (d / f"bajanov-{i:05d}.md").write_text(small(text, i, extra), encoding="utf-8")

    names = sorted(gazetteer_names()) or [
        # No gazetteer data yet: the names the fixture uses.
        "Stalin", "Kim Il Sung", "Kim II Sung", "Shtykov", "Mao Zedong", "Mao",
        "P'yŏngyang", "Sŏul", "Bajanov", "Moscow", "Washington", "Beijing", "Taiwan",
    ]
    (out / "names.txt").write_text("\n".join(names) + "\n", encoding="utf-8")

    large_size = (out / "large" / "bajanov-large.md").stat().st_size
    many_size = sum(f.stat().st_size for f in (out / "many").rglob("*.md"))
    print(f"{out}/large: 1 file, {large_size / 1e6:.2f} MB ({copies} copies of the body)")
    print(f"{out}/many: {MANY_FILES} files, {many_size / 1e6:.2f} MB")
    print(f"{out}/names.txt: {len(names)} names")


if __name__ == "__main__":
    main()
