#!/usr/bin/env bash
# Every file with translatable strings must be in po/POTFILES.in, and
# every file listed must exist: otherwise strings silently stay English.
set -euo pipefail
cd "$(dirname "$0")/.."

listed=$(grep -v '^#' po/POTFILES.in | sed '/^$/d' | sort -u)
marked=$( { grep -rlE '\b(N_|_|C_|NC_|ngettext|g_dngettext)[[:space:]]*\(' src --include='*.c' || true;
            grep -rl 'translatable="yes"' src --include='*.ui' || true; } | sort -u)

status=0
for file in $marked; do
  if ! grep -qx "$file" <<<"$listed"; then
    echo "po/POTFILES.in lacks $file"
    status=1
  fi
done
for file in $listed; do
  if [ ! -f "$file" ]; then
    echo "po/POTFILES.in lists $file, which does not exist"
    status=1
  fi
done
exit $status
