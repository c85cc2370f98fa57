#!/usr/bin/env bash
# Lints every GitHub Actions workflow file with action-validator (npm: @action-validator/cli, a root
# devDependency): each file against the workflow schema. It does not check path-filter globs; the path-filter
# check (dist/cli.js) reads each of them.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VALIDATOR="$REPO_ROOT/node_modules/.bin/action-validator"
[[ -x "$VALIDATOR" ]] || { echo "[lint-workflows] ERROR: $VALIDATOR missing: run pnpm install" >&2; exit 1; }

shopt -s nullglob
files=("$REPO_ROOT"/.github/workflows/*.yml "$REPO_ROOT"/.github/workflows/*.yaml)
(( ${#files[@]} > 0 )) || { echo "[lint-workflows] ERROR: no workflow files in .github/workflows" >&2; exit 1; }
failed=0
for file in "${files[@]}"; do
  # Its one warning per path filter ("Glob validation is not yet supported") says nothing about the file.
  "$VALIDATOR" "$file" 2> >(grep -v '^WARNING: Glob validation is not yet supported' >&2) || {
    echo "[lint-workflows] ${file#"$REPO_ROOT"/} is not a valid workflow (above)" >&2
    failed=1
  }
done
(( failed == 0 )) || exit 1
echo "[lint-workflows] ${#files[@]} workflow files valid"
