#!/bin/sh
# Regenerate docs/img/timeline-*.png (run from the repository root).
set -e
B=${ANNALIST:-target/debug/annalist}
T=$(mktemp -d)
shot() { # file.svg|html width height out.png
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --screenshot="$T/shot.png" --window-size="$2,$3" "file://$1" >/dev/null 2>&1
  pngquant --force --quality 60-85 --output "$4" "$T/shot.png"
}
height() { grep -o 'height="[0-9]*"' "$1" | head -1 | tr -dc 0-9; }
$B timeline fixtures/bajanov-1995.md -o "$T/b.svg" 2>/dev/null
$B timeline fixtures/bajanov-1995.md -o "$T/b.html" 2>/dev/null
$B timeline fixtures/timeline/korea-500.md -o "$T/k.svg" 2>/dev/null
shot "$T/b.svg" 1000 "$(height "$T/b.svg")" docs/img/timeline-bajanov.png
shot "$T/b.html" 1280 1500 docs/img/timeline-bajanov-html.png
shot "$T/k.svg" 1000 "$(height "$T/k.svg")" docs/img/timeline-500.png
ls -l docs/img/timeline-*.png
