#!/usr/bin/env bash
# Fetches vega-datasets' flights-3m.parquet (3,000,000 US flights of 2001: date, delay, distance, origin,
# destination; integer-valued, tie-heavy) from the npm registry and writes it as two CSV files for the exact drift
# benchmark: the first 1,500,000 rows as the reference, the last 1,500,000 as the current data. The data is not
# committed; everything goes under functions/drift/target/flights/ (rebuilt on demand, removed by mvn clean).
#
# Usage: scripts/flights-data.sh        # prints the two CSV paths
# Needs: npm and node (the Parquet file is read by hyparquet and hyparquet-compressors for its ZSTD pages).
set -euo pipefail
cd "$(dirname "$0")/.."
out=functions/drift/target/flights
mkdir -p "$out"
cd "$out"
if [ ! -f reference.csv ] || [ ! -f current.csv ]; then
  [ -f package/data/flights-3m.parquet ] || { npm pack --silent vega-datasets >/dev/null \
    && tar xzf vega-datasets-*.tgz package/data/flights-3m.parquet && rm -f vega-datasets-*.tgz; }
  [ -d node_modules/hyparquet-compressors ] || npm install --silent --no-save hyparquet hyparquet-compressors >&2
  cat > convert.mjs <<'JS'
import { createWriteStream } from 'node:fs'
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet'
import { compressors } from 'hyparquet-compressors'
const file = await asyncBufferFromFile('package/data/flights-3m.parquet')
const rows = await parquetReadObjects({ file, compressors })
const half = rows.length / 2
const write = (name, from, to) => new Promise(resolve => {
  const out = createWriteStream(name)
  out.write('date,delay,distance,origin,destination\n')
  let chunk = ''
  for (let i = from; i < to; i++) {
    const r = rows[i]
    // the date as epoch seconds (a TIMESTAMP in microseconds, read as a Date or a BigInt)
    const t = r.date instanceof Date ? r.date.getTime() / 1000 : Number(BigInt(r.date) / 1000000n)
    chunk += `${t},${r.delay},${r.distance},${r.origin},${r.destination}\n`
    if (chunk.length > 1 << 20) { out.write(chunk); chunk = '' }
  }
  out.end(chunk, resolve)
})
await write('reference.csv', 0, half)
await write('current.csv', half, rows.length)
JS
  node convert.mjs
fi
echo "$PWD/reference.csv"
echo "$PWD/current.csv"
