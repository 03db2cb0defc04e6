#!/usr/bin/env python3
"""Check the relative Markdown links of README.md and docs/*.md.

Every `[text](target)` whose target is not a URL must name an existing file
(relative to the linking file), and a `#fragment` must match a heading of
the target, slugged as GitHub does (lower case, punctuation other than `-`
and `_` dropped, spaces to `-`). Links inside code blocks are ignored.

    python3 tools/check_doc_links.py        # from anywhere in the checkout

Exit status 0 when every link resolves, 1 otherwise (each broken link is
printed as FILE:LINE: target).
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def strip_code(text, spans=True):
    """The lines of text with fenced code blocks (and, with `spans`, inline
    code) blanked; line numbers are kept."""
    out, fenced = [], False
    for line in text.split("\n"):
        if line.lstrip().startswith("```"):
            fenced = not fenced
            out.append("")
        else:
            out.append("" if fenced else re.sub(r"`[^`]*`", "", line) if spans else line)
    return out


def slug(heading):
    s = heading.strip().lower().replace("`", "")
    s = re.sub(r"[^\w\- ]", "", s)
    return s.replace(" ", "-")


def anchors(path):
    found = set()
    for line in strip_code(open(path, encoding="utf-8").read(), spans=False):
        m = re.match(r"#{1,6}\s+(.*)", line)
        if m:
            found.add(slug(m.group(1)))
    return found


def main():
    files = [os.path.join(ROOT, "README.md")]
    docs = os.path.join(ROOT, "docs")
    if os.path.isdir(docs):
        files += sorted(os.path.join(docs, f) for f in os.listdir(docs) if f.endswith(".md"))
    broken = checked = 0
    for path in files:
        for n, line in enumerate(strip_code(open(path, encoding="utf-8").read()), 1):
            for target in LINK.findall(line):
                if re.match(r"[a-z]+:", target):
                    continue
                checked += 1
                name, _, frag = target.partition("#")
                dest = os.path.normpath(os.path.join(os.path.dirname(path), name)) if name else path
                ok = os.path.exists(dest)
                if ok and frag and dest.endswith(".md"):
                    ok = frag in anchors(dest)
                if not ok:
                    broken += 1
                    print("%s:%d: %s" % (os.path.relpath(path, ROOT), n, target))
    print("%d links checked, %d broken" % (checked, broken))
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
