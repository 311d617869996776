#!/usr/bin/env bash
# Materialise one evaluation checkout from a bare git dir (as returned by the search tool's
# `fetch`), tolerating blobs the snapshot lacks (files >= 4 MiB, LFS content): those are skipped
# and listed on stderr. Usage: checkout.sh <git-dir> <commit> <dest-dir>
set -euo pipefail
gitdir=$1; commit=$2; dest=$3
mkdir -p "$dest"
if git --git-dir="$gitdir" archive "$commit" 2>/dev/null | tar -x -C "$dest" 2>/dev/null && [ "${PIPESTATUS[0]}" = 0 ]; then
  exit 0
fi
# Slow path: one blob at a time.
git --git-dir="$gitdir" ls-tree -r -z "$commit" | while IFS= read -r -d '' entry; do
  meta=${entry%%$'\t'*}; path=${entry#*$'\t'}
  read -r mode type sha <<<"$meta"
  [ "$type" = blob ] || continue
  mkdir -p "$dest/$(dirname "$path")"
  if [ "$mode" = 120000 ]; then
    ln -sfn "$(git --git-dir="$gitdir" cat-file blob "$sha")" "$dest/$path" 2>/dev/null || echo "missing: $path" >&2
  elif ! git --git-dir="$gitdir" cat-file blob "$sha" >"$dest/$path" 2>/dev/null; then
    rm -f "$dest/$path"; echo "missing: $path" >&2
  fi
done
