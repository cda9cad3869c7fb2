#!/usr/bin/env bash
# Installs the Debian packages Majlis needs on this kind of machine, only those missing.
# Run as root (CI and the developers' machines are); otherwise it lists what to install.
set -euo pipefail

packages=(
  chromium            # browser tests (Playwright drives /usr/bin/chromium)
  fonts-noto-core     # Arabic and Latin glyphs for pages, screenshots and PDFs
  fonts-hosny-amiri   # Amiri, the Naskh face used in documents
  gettext             # msgfmt, to compile the translations
  kannel              # a real SMS gateway (bearerbox, smsbox) for the Kannel adapter's tests
  kannel-extras       # fakesmsc: the fake mobile network those tests send through
  coturn              # a real STUN/TURN server for the video calls' credential tests
  libmagic1           # file type sniffing of uploads (python-magic)
  clamav-daemon       # clamd, for the virus-scan tests (with a test signature file in the repo)
  libpango-1.0-0      # WeasyPrint lays out the summary PDFs (Arabic shaping) with Pango
  libpangoft2-1.0-0
)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing Debian packages: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
