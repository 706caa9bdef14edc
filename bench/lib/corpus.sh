#!/usr/bin/env bash
# Builds the image corpus of the render and warm benches into DIR (default bench/corpus-cache,
# gitignored) from two Debian packages, unless DIR already holds a complete build of this recipe.
#
#   bash bench/lib/corpus.sh [DIR]
#
# Sources (Debian 12): gnome-backgrounds (4096x4096 WebP wallpapers) and desktop-base (SVG
# wallpapers). Taken from / when the package is installed (/usr/share/backgrounds/gnome,
# /usr/share/desktop-base), else fetched with `apt-get download` and unpacked with `dpkg-deb -x`
# into a temporary directory (needs a reachable Debian mirror and a prior `apt-get update`).
#
# Neither package ships a camera photograph: they are wallpapers (renders and illustrations, some
# very detailed). What a photo corpus needs from them is what a camera gives a server: large
# baseline JPEGs, 4:2:0, Q92, no metadata. So every corpus file is DERIVED, with `vips`:
#   g-<name>.jpg  4000x3000 (12.0 MP, the 4:3 shape of a phone/camera photo): a crop of the
#                 centre of gnome-backgrounds' <name>-l.webp            (7 files, 0.4-5 MB)
#   G-<name>.jpg  4096x4096 (16.8 MP): the whole <name>-d.webp          (2 files, "large decodes")
#   d-<theme>.jpg 3840x2160 (8.3 MP): desktop-base's <theme> wallpaper SVG rasterised by librsvg
#                 (4 files; flat vector art, so small files: the cheap end)
# MANIFEST.tsv lists each file with its size, dimensions, sha256 and the package version it came
# from. Rebuilding gives the same pixels as long as Debian ships the same package versions.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DIR=${1:-$HERE/corpus-cache}
RECIPE=1  # bump when the list or the conversions below change: forces a rebuild

log() { printf '[corpus %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
for t in vips vipsheader sha256sum dpkg-deb dpkg-query; do
  command -v "$t" >/dev/null 2>&1 || die "missing '$t' (vips/vipsheader: apt-get install libvips-tools)"
done

if [ -f "$DIR/.complete" ] && [ "$(cat "$DIR/.complete")" = "recipe $RECIPE" ]; then
  log "corpus in $DIR is complete ($(($(wc -l < "$DIR/MANIFEST.tsv") - 1)) files): kept"
  exit 0
fi

GNOME_L=(adwaita grid licorice pixels symbolic truchet wood)  # -> g-<name>.jpg, 4000x3000 crops
GNOME_D=(pixels wood)                                          # -> G-<name>.jpg, whole 4096x4096
DB_THEMES=(emerald homeworld joy-inksplat softwaves)          # -> d-<theme>.jpg, 3840x2160

WORK=$(mktemp -d "${TMPDIR:-/tmp}/nubis-corpus.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# root of each package's files, and its version
declare -A ROOT=() VER=()
for p in gnome-backgrounds desktop-base; do
  if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    ROOT[$p]=/
    VER[$p]=$(dpkg-query -W -f='${Version}' "$p")
    log "$p ${VER[$p]} is installed: reading its files from /"
  else
    log "$p: apt-get download"
    ( cd "$WORK" && apt-get download "$p" >/dev/null 2>"$WORK/apt.err" ) \
      || die "apt-get download $p failed ($(tail -n 2 "$WORK/apt.err" | tr '\n' ' ')); run 'apt-get update' first, or 'apt-get install $p'"
    deb=$(ls "$WORK/${p}"_*.deb)
    VER[$p]=$(dpkg-deb -f "$deb" Version)
    mkdir -p "$WORK/x/$p"
    dpkg-deb -x "$deb" "$WORK/x/$p"
    ROOT[$p]=$WORK/x/$p/
    log "$p ${VER[$p]}: unpacked"
  fi
done

OUT=$WORK/corpus
mkdir -p "$OUT"
printf 'id\tfile\twidth\theight\tbytes\tsha256\tpackage\tversion\tsource\thow\n' > "$OUT/MANIFEST.tsv"
manifest() { # ID PACKAGE SOURCE HOW
  local f="$OUT/$1.jpg"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$1.jpg" \
    "$(vipsheader -f width "$f")" "$(vipsheader -f height "$f")" "$(stat -c %s "$f")" \
    "$(sha256sum "$f" | cut -d' ' -f1)" "$2" "${VER[$2]}" "$3" "$4" >> "$OUT/MANIFEST.tsv"
}
SAVE='[Q=92,strip,subsample-mode=on]'  # baseline JPEG, 4:2:0, Q92: what cameras write

G=usr/share/backgrounds/gnome
for n in "${GNOME_L[@]}"; do
  src=${ROOT[gnome-backgrounds]}$G/$n-l.webp
  [ -f "$src" ] || die "gnome-backgrounds has no $G/$n-l.webp"
  # 4096x4096 -> the centre 4000x3000
  vips crop "$src" "$OUT/g-$n.jpg$SAVE" 48 548 4000 3000
  manifest "g-$n" gnome-backgrounds "$G/$n-l.webp" "centre crop 4000x3000, JPEG Q92 4:2:0"
done
for n in "${GNOME_D[@]}"; do
  src=${ROOT[gnome-backgrounds]}$G/$n-d.webp
  [ -f "$src" ] || die "gnome-backgrounds has no $G/$n-d.webp"
  vips copy "$src" "$OUT/G-$n.jpg$SAVE"
  manifest "G-$n" gnome-backgrounds "$G/$n-d.webp" "whole 4096x4096, JPEG Q92 4:2:0"
done
for t in "${DB_THEMES[@]}"; do
  rel=usr/share/desktop-base/$t-theme/wallpaper/contents/images/3840x2160.svg
  src=${ROOT[desktop-base]}$rel
  [ -f "$src" ] || die "desktop-base has no $rel"
  vips copy "$src" "$OUT/d-$t.jpg$SAVE"
  manifest "d-$t" desktop-base "$rel" "rasterised by librsvg at 3840x2160, JPEG Q92 4:2:0"
done

# Replace DIR only now, whole: an interrupted build never looks complete.
mkdir -p "$(dirname "$DIR")"
rm -rf "$DIR.new"
mv "$OUT" "$DIR.new"
echo "recipe $RECIPE" > "$DIR.new/.complete"
rm -rf "$DIR"
mv "$DIR.new" "$DIR"
log "corpus ready in $DIR: $(($(wc -l < "$DIR/MANIFEST.tsv") - 1)) files, $(du -sh "$DIR" | cut -f1)"
