#!/usr/bin/env bash
# Refresh the committed front-end files (api/static/vendor/) from the npm registry at the
# versions pinned in api/static/vendor/packages.txt. Run by hand after changing a version;
# installing and running the service never needs npm or the network.
set -euo pipefail
cd "$(dirname "$0")/.."
vendor=api/static/vendor
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

grep -v '^\s*\(#\|$\)' "$vendor/packages.txt" | while read -r name version files; do
    tarball=$(cd "$work" && npm pack --silent "$name@$version" | tail -n 1)
    mkdir -p "$work/$name"
    tar -xzf "$work/$tarball" -C "$work/$name"
    rm -rf "${vendor:?}/$name"
    mkdir -p "$vendor/$name"
    for file in $files; do
        cp "$work/$name/package/$file" "$vendor/$name/$(basename "$file")"
    done
    # Every package keeps its licence text beside its files.
    licence=$(find "$work/$name/package" -maxdepth 1 -iname 'licen[cs]e*' | head -n 1)
    cp "$licence" "$vendor/$name/LICENSE"
    [ -f "$work/$name/package/NOTICE" ] && cp "$work/$name/package/NOTICE" "$vendor/$name/NOTICE"
    echo "$name $version" > "$vendor/$name/VERSION"
    echo "vendored $name@$version"
done
