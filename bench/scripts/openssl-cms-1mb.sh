#!/usr/bin/env bash
# Times `openssl cms` signing and encrypting a 1 MiB message, the operations SmimeBenchmark
# measures for Pont with the same algorithms: SHA256withRSA (RSA-2048) detached S/MIME signature;
# AES-256-GCM AuthEnvelopedData with RSA-OAEP-SHA256 key transport. Prints ops/s per operation,
# as measured (each run is a new openssl process) and with the start-up cost of an openssl run on
# a 1-byte input subtracted, so the figures can be set against JMH's ops/s from the same session.
#
#   bench/scripts/openssl-cms-1mb.sh [RUNS]      (default 20)
set -euo pipefail
RUNS=${1:-20}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 2 -sha256 \
  -subj "/CN=bench@hopital.test" -addext "keyUsage=digitalSignature,keyEncipherment" \
  -addext "extendedKeyUsage=emailProtection" 2>/dev/null

# The benchmark's message: a short text part and a 1 MiB random attachment, base64 (CRLF lines).
{
  printf 'Content-Type: multipart/mixed; boundary="b1"\r\n\r\n--b1\r\n'
  printf 'Content-Type: text/plain; charset=UTF-8\r\n\r\nVeuillez trouver ci-joint la lettre de liaison.\r\n--b1\r\n'
  printf 'Content-Type: application/pdf; name=lettre.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n'
  head -c 1048576 /dev/urandom | base64 -w 76 | sed 's/$/\r/'
  printf -- '--b1--\r\n'
} > msg.txt
printf 'x' > tiny.txt

sign() { openssl cms -sign -binary -md sha256 -signer cert.pem -inkey key.pem -in "$1" -out /dev/null; }
encrypt() {
  openssl cms -encrypt -binary -aes-256-gcm -recip cert.pem -keyopt rsa_padding_mode:oaep \
    -keyopt rsa_oaep_md:sha256 -keyopt rsa_mgf1_md:sha256 -in "$1" -out /dev/null
}

# seconds for RUNS runs of "$@"
time_runs() {
  local start end
  start=$(date +%s%N)
  for _ in $(seq "$RUNS"); do "$@"; done
  end=$(date +%s%N)
  echo "scale=6; ($end - $start) / 1000000000" | bc
}

echo "openssl: $(openssl version)   runs: $RUNS   input: $(wc -c < msg.txt) bytes   load: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-8s %12s %14s %22s\n' op "s per op" "ops/s" "ops/s minus start-up"
for op in sign encrypt; do
  $op msg.txt; $op tiny.txt   # warm the page cache
  full=$(time_runs $op msg.txt)
  empty=$(time_runs $op tiny.txt)
  per=$(echo "scale=6; $full / $RUNS" | bc)
  startup=$(echo "scale=6; $empty / $RUNS" | bc)
  printf '%-8s %12s %14.1f %22.1f\n' "$op" "$per" "$(echo "1 / $per" | bc -l)" "$(echo "1 / ($per - $startup)" | bc -l)"
done
