#!/usr/bin/env bash
# Refresh static/vendor from the npm registry at the versions pinned in package.json.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp package.json "$tmp/"
(cd "$tmp" && npm install --silent --no-audit --no-fund)
m="$tmp/node_modules"
dest=static/vendor
rm -rf "$dest" && mkdir -p "$dest"/{bootstrap,htmx,sortablejs}
cp "$m/bootstrap/dist/css/bootstrap.min.css" "$m/bootstrap/dist/css/bootstrap.min.css.map" "$dest/bootstrap/"
cp "$m/bootstrap/dist/js/bootstrap.bundle.min.js" "$m/bootstrap/dist/js/bootstrap.bundle.min.js.map" "$dest/bootstrap/"
cp "$m/bootstrap/LICENSE" "$dest/bootstrap/LICENSE"
cp "$m/htmx.org/dist/htmx.min.js" "$dest/htmx/"
cp "$m/htmx.org/LICENSE" "$dest/htmx/LICENSE"
cp "$m/sortablejs/Sortable.min.js" "$dest/sortablejs/"
cp "$m/sortablejs/LICENSE" "$dest/sortablejs/LICENSE"
echo "vendored into $dest:"; find "$dest" -type f | sort
