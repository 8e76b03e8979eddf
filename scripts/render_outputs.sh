#!/usr/bin/env bash
# Render the master workbook and the exceptions report to PDF and PNG, to look at them as the
# Executive will (LibreOffice and poppler-utils needed).
#
#   scripts/render_outputs.sh [--sample] OUTPUT_DIR [RENDER_DIR]
#
# OUTPUT_DIR holds master.xlsx and exceptions.docx; with --sample they are first written there
# from tests/consolidation_factory.py. PDFs and one PNG per page (60 dpi) go to RENDER_DIR
# (default OUTPUT_DIR/render).
set -euo pipefail

sample=0
if [[ "${1:-}" == "--sample" ]]; then
    sample=1
    shift
fi
if [[ $# -lt 1 || $# -gt 2 ]]; then
    echo "usage: $0 [--sample] OUTPUT_DIR [RENDER_DIR]" >&2
    exit 2
fi
out=$(realpath -m "$1")
render=$(realpath -m "${2:-$out/render}")
repo=$(cd "$(dirname "$0")/.." && pwd)

for tool in soffice pdftoppm; do
    command -v "$tool" >/dev/null || { echo "$tool not found: install LibreOffice and poppler-utils" >&2; exit 1; }
done
mkdir -p "$out" "$render"

if (( sample )); then
    (cd "$repo" && uv run python - "$out" <<'PY'
import sys
from pathlib import Path

sys.path.insert(0, "tests")
from consolidation_factory import make_consolidation

from pipeline.report.exceptions_report import write_exceptions
from pipeline.report.master import write_master

out = Path(sys.argv[1])
result = make_consolidation()
write_master(result, out / "master.xlsx")
write_exceptions(result, out / "exceptions.docx")
PY
    )
fi

inputs=()
for name in master.xlsx exceptions.docx; do
    [[ -f "$out/$name" ]] && inputs+=("$out/$name")
done
if (( ${#inputs[@]} == 0 )); then
    echo "no master.xlsx or exceptions.docx in $out (use --sample to write them)" >&2
    exit 1
fi

# A private LibreOffice profile: a desktop session or another run cannot block this one.
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
soffice "-env:UserInstallation=file://$profile" --headless --convert-to pdf \
    --outdir "$render" "${inputs[@]}" >/dev/null 2>&1 || true


for input in "${inputs[@]}"; do
    stem=$(basename "${input%.*}")
    [[ -f "$render/$stem.pdf" ]] || { echo "LibreOffice could not convert $input" >&2; exit 1; }
    rm -f "$render/$stem"-*.png
    pdftoppm -png -r 60 "$render/$stem.pdf" "$render/$stem"
    pages=$(ls "$render/$stem"-*.png | wc -l)
    echo "$render/$stem.pdf: $pages page(s), PNGs $render/$stem-N.png"
done
