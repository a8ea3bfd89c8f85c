#!/usr/bin/env bash
# The test suite renders bills and reads them back as a bank app would: pdftoppm and pdftotext
# (poppler-utils) rasterise and read the PDF, zbarimg (zbar-tools) decodes its QR code. On Debian/Ubuntu,
# as root, missing packages are installed; otherwise this says what to install and stops.
set -euo pipefail
need=()
command -v pdftoppm >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v zbarimg >/dev/null 2>&1 || need+=(zbar-tools)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "== installing ${need[*]} (apt-get)"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  exit 0
fi
echo "The tests need the Debian packages: ${need[*]}." >&2
echo "Install them (e.g. sudo apt-get install -y ${need[*]}) and run npm test again." >&2
exit 1
