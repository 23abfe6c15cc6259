"""Writes the Parquet files ParquetRowsTest reads, as pyarrow writes them, and each one's rows as JSON lines.

Run with pyarrow on the path (any 14+; these were written by 25.0.1): python3 make_fixtures.py
The files are committed, so the build needs no Python.
"""
import datetime
import decimal
import json
import math

import numpy
import pyarrow as pa
import pyarrow.parquet as pq

ROWS = 100
GROUP_ROWS = 30  # four row groups: 30, 30, 30, 10


def column_values(i):
    return {
        "customer_id": 100000 + i,
        "age": None if i % 7 == 3 else 18 + i % 60,
        "income": None if i % 11 == 5 else round(1000.5 * i / 3, 6),
        "ratio": float("nan") if i == 13 else (i % 10) / 10.0,
        "score32": (i % 8) * 0.125 + 0.1,
        "segment": ["bronze", "silver", "gold", None][i % 4],
        "active": None if i % 9 == 0 else i % 2 == 0,
        "signed_up": datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
        + datetime.timedelta(days=i, microseconds=123456 * i),
        "birthday": datetime.date(1970, 1, 1) + datetime.timedelta(days=365 * (i % 50) + i),
        "balance": decimal.Decimal(i * 37 - 1000).scaleb(-2),
        "visited": datetime.datetime(2025, 6, 30, 23, 59, 59) + datetime.timedelta(seconds=3 * i, microseconds=500000 * i),
    }


SCHEMA = pa.schema([
    ("customer_id", pa.int64()),
    ("age", pa.int32()),
    ("income", pa.float64()),
    ("ratio", pa.float64()),
    ("score32", pa.float32()),
    ("segment", pa.string()),
    ("active", pa.bool_()),
    ("signed_up", pa.timestamp("us", tz="UTC")),
    ("birthday", pa.date32()),
    ("balance", pa.decimal128(12, 2)),
    ("visited", pa.timestamp("ns")),
])


def iso(moment):
    """ISO-8601 as java.time prints it: the fraction in groups of three digits, none when zero; Z when in UTC."""
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if moment.microsecond:
        text += "." + (f"{moment.microsecond // 1000:03d}" if moment.microsecond % 1000 == 0
                       else f"{moment.microsecond:06d}")
    return text + ("Z" if moment.tzinfo else "")


def expected(row):
    """A row as Capstan sends it to the model: NaN as null, times as ISO-8601 text, decimals and float32 exact."""
    out = {}
    for name, value in row.items():
        if isinstance(value, float) and math.isnan(value):
            value = None
        elif name == "score32":
            value = float(str(numpy.float32(value)))  # the float's shortest text, as Float.toString
        elif isinstance(value, datetime.datetime):
            value = iso(value)
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        elif isinstance(value, decimal.Decimal):
            value = float(value)
        out[name] = value
    return out


rows = [column_values(i) for i in range(ROWS)]
table = pa.Table.from_pylist(rows, schema=SCHEMA)
with open("rows.jsonl", "w") as f:
    for row in rows:
        f.write(json.dumps(expected(row)) + "\n")

for name, options in {
    "snappy": dict(compression="snappy"),
    "zstd": dict(compression="zstd"),
    "gzip": dict(compression="gzip"),
    "lz4": dict(compression="lz4"),
    "none-v2-pages": dict(compression="none", data_page_version="2.0"),
    "plain-no-dictionary": dict(compression="snappy", use_dictionary=False),
}.items():
    pq.write_table(table, f"customers-{name}.parquet", row_group_size=GROUP_ROWS, **options)

pq.write_table(table.select(["customer_id", "signed_up"]), "customers-int96.parquet", row_group_size=GROUP_ROWS,
               use_deprecated_int96_timestamps=True)
nested = pa.table({"id": pa.array([1, 2], pa.int64()),
                   "embedding": pa.array([[0.1, 0.2], [0.3, 0.4]], pa.list_(pa.float64()))})
pq.write_table(nested, "nested.parquet")
pq.write_table(pa.table({"id": pa.array([1, 2], pa.int64()), "x": pa.array([0.5, 1.5])}), "brotli.parquet",
               compression="brotli")
