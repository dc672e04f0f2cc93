#!/usr/bin/env bash
# Vendors the precompiled GOV.UK Frontend release into casereview/static/govuk-frontend.
# Run by a developer when upgrading (never at install time): scripts/update-govuk-frontend.sh 6.0.0
# The version must match what govuk-frontend-jinja (used by govuk-frontend-django) renders markup for.
# CaseReview is not a GOV.UK service, so the GDS Transport font and the crown are left out.
set -euo pipefail
version="${1:?usage: $0 VERSION (for example 6.0.0)}"
here="$(cd "$(dirname "$0")/.." && pwd)"
dest="$here/casereview/static/govuk-frontend"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent "govuk-frontend@$version" >/dev/null && tar -xzf govuk-frontend-*.tgz)
dist="$work/package/dist/govuk"

rm -rf "$dest"
mkdir -p "$dest"
cp "$dist/govuk-frontend.min.css" "$dest/"
cp "$dist/govuk-frontend.min.js" "$dest/"
# The release's images are all GOV.UK brand artwork (crown, crest, icons): a non-GOV.UK service
# must not use them, so none is copied; CaseReview ships its own favicon.
license="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["license"])' "$work/package/package.json")"
[ "$license" = "MIT" ] || { echo "GOV.UK Frontend licence changed to $license: review before vendoring" >&2; exit 1; }
cat > "$dest/LICENCE.txt" <<TXT
GOV.UK Frontend $version (https://github.com/alphagov/govuk-frontend), vendored unmodified except that
the GDS Transport @font-face rules and font name were removed. Licence: MIT.

The MIT License (MIT)

Copyright (c) 2018 Crown Copyright (Government Digital Service)

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
associated documentation files (the "Software"), to deal in the Software without restriction, including
without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is furnished to do so, subject to the
following conditions:

The above copyright notice and this permission notice shall be included in all copies or substantial
portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT
LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO
EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER
IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE
USE OR OTHER DEALINGS IN THE SOFTWARE.
TXT

# Remove the @font-face rules for GDS Transport and name only system fonts, so no font is requested.
python3 - "$dest/govuk-frontend.min.css" <<'PY'
import re, sys
path = sys.argv[1]
css = open(path, encoding="utf-8").read()
css = re.sub(r"@font-face\{font-family:\"?GDS Transport\"?;[^}]*\}", "", css)
css = re.sub(r"\"?GDS Transport\"?,", "", css)
if "GDS Transport" in css:
    sys.exit("GDS Transport is still named in the CSS: update the clean-up in this script")
open(path, "w", encoding="utf-8").write(css)
PY
printf '%s\n' "$version" > "$dest/VERSION"
echo "GOV.UK Frontend $version vendored into $dest"
