#!/usr/bin/env python3
"""Inputs whose cost grew faster than their size (issue #14), at any size.

    benches/pathological.py FAMILY BYTES > file.md

Families (each about BYTES long, deterministic):
  emphasis     `*a ` repeated (one paragraph of unmatched delimiter runs)
  long-line    one paragraph on one line: prose with names, dates and note markers
  paragraph    one paragraph, many short lines (no blank line to cut at)
  spellings    a book of paragraphs, "Seoul" and "Sŏul" as often as each other
  findings     paragraphs dense with findings (names spelt two ways, impossible dates)
  nesting      a staircase of block quotes, then one of list items (depth ~ BYTES)
  document     a transcription: paragraphs, GFM footnotes, (n) endnotes with a Notes
               section, names spelt several ways, dates (the bench document shape)
"""
import sys

SENT = ("On 31 June 1950 Kim II Sung met Stalin in Moscow (3), and Shtykov wrote "
        "from Sŏul that Seoul was calm on 17 April 1949. ")


def emphasis(n):
    return "*a " * (n // 3) + "\n"


def long_line(n):
    return (SENT * (n // len(SENT.encode()) + 1))[: n] .rsplit(" ", 1)[0] + "\n"


def paragraph(n):
    return (SENT.strip() + "\n") * (n // (len(SENT.encode())) + 1)


def spellings(n):
    para = ("The delegation reached Seoul in the morning; from Sŏul the report went "
            "north the same day, and nobody in Seoul or in Sŏul expected it.\n\n")
    return "# Book\n\n" + para * (n // len(para.encode()) + 1)


def findings(n):
    para = ("On 31 June 1950 Kim II Sung and Kim Il-sung met Mao Tse-tung and Mao Zedong "
            "in Pyongyang and P'yŏngyang; “the army is ready,” he said.\n\n")
    return "# Findings\n\n" + para * (n // len(para.encode()) + 1)


def nesting(n):
    depth = max(1, int((n / 2) ** 0.5))  # quadratic text in depth: ~n bytes total
    out = []
    for i in range(1, depth + 1):
        out.append(">" * i + " quoted line\n")
    out.append("\n")
    for i in range(depth):
        out.append("  " * i + "- item\n")
    return "".join(out)


def document(n):
    paras = []
    size, k = 0, 0
    names = ["Kim Il Sung", "Kim Il-sung", "Kim Ir Sen", "Seoul", "Sŏul", "Sǒul",
             "P'yŏngyang", "Pyongyang", "Mao Zedong", "Mao Tse-tung", "Stalin", "Shtykov"]
    dates = ["17 April 1949", "31 June 1950", "25 June 1950", "3 March 1949", "1949-10-01"]
    notes_count = 0
    while size < n * 0.9:
        k += 1
        if k % 25 == 1:
            p = f"## Chapter {k // 25 + 1}\n\n"
        else:
            a, b, c = names[k % 12], names[(k * 7) % 12], names[(k * 5) % 12]
            d = dates[k % 5]
            notes_count += 1
            p = (f"On {d} {a} told {b} that the talks in {c} had failed.[^f{k}] "
                 f"The embassy reported it to Moscow ({notes_count}), and {a} said "
                 f"“we shall wait for the spring” before {dates[(k + 2) % 5]}.\n\n"
                 f"[^f{k}]: Archive of the President, fond 3, opis 65, delo {k}.\n\n")
        paras.append(p)
        size += len(p.encode())
    paras.append("## Notes\n\n")
    for i in range(1, notes_count + 1):
        paras.append(f"{i}. Source {i}, held in the archive.\n")
    return "".join(paras)


FAMILIES = {"emphasis": emphasis, "long-line": long_line, "paragraph": paragraph,
            "spellings": spellings, "findings": findings, "nesting": nesting,
            "document": document}

if __name__ == "__main__":
    fam, n = sys.argv[1], int(sys.argv[2])
    sys.stdout.write(FAMILIES[fam](n))
