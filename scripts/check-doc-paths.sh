#!/usr/bin/env bash
# Every path the contributor guide names must exist: a guide that points at moved or deleted
# files misleads the next reader. Paths are the `backticked` words that start with a folder of
# the repository, or with a module of src/ ("sync/lease_keeper" stands for src/sync/lease_keeper.*);
# {a,b} alternatives are expanded, <placeholders> and * match anything.
#   scripts/check-doc-paths.sh [DOC...]   (default: docs/contributing.md docs/architecture.md)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
docs=("$@")
[ ${#docs[@]} -gt 0 ] || docs=(docs/contributing.md docs/architecture.md)
shopt -s nullglob
missing=0 checked=0
for doc in "${docs[@]}"; do
  while IFS= read -r path; do
    pattern=$(sed -E 's/<[^>]+>/*/g' <<<"$path")
    # Brace expansion via eval on a word that holds only path characters (checked first).
    [[ $pattern =~ ^[A-Za-z0-9_./*{},-]+$ ]] || { echo "$doc: cannot read path \`$path\`"; missing=1; continue; }
    for alternative in $(eval "echo $pattern"); do
      checked=$((checked + 1))
      matches=($alternative)
      [ ${#matches[@]} -gt 0 ] && [ -e "${matches[0]}" ] || { echo "$doc: \`$path\` names $alternative, which does not exist"; missing=1; }
    done
  done < <(
    grep -oE '`(src|sim|tests|cmake|scripts|docs|web|bench)/[^` ]*`' "$doc" | tr -d '`'
    # A module-relative name without an extension means its .hpp/.cpp pair.
    grep -oE '`(core|crypto|http|store|upstream|sync|service|api|app)/[^` ]*`' "$doc" | tr -d '`' |
      sed -E 's#^#src/#; /\.[a-z]+$/!s#$#.*#'
  )
done
echo "checked $checked paths named in ${docs[*]}"
exit $missing
