"""Structural comparison of recorded wire exchanges, and the step that marks where Capstan differs from stock MLflow.

  python -m mlflow_compat.wire diff STOCK_DIR CAPSTAN_DIR          # list the exchanges whose answers differ
  python -m mlflow_compat.wire prune STOCK_DIR CAPSTAN_DIR         # ... and mark them in CAPSTAN_DIR's files

Both directories hold <scenario>.jsonl files recorded by the same client (the same suite run, same name suffix)
against a stock MLflow server and against Capstan. Exchanges are paired in order (requests with ids, numbers and
timestamps blanked); each pair's answers are compared with the rules the replay test (``MlflowWireReplayTest``) uses:

* same status, same media type, and for JSON the same keys and values, arrays of ``{"key": ...}`` entries (tags,
  params, metrics) and ``aliases`` compared as sets;
* values the server chooses are learnt, not compared: ids (32-hex run ids, ``m-...`` model ids, experiment ids,
  other long hex tokens, generated ``adjective-noun-N`` names, page tokens) map recorded to live at their first
  appearance and must map the same way afterwards; timestamps (``*_time``, ``*_timestamp``, ``timestamp``) only need
  the same JSON type;
* an artifact's bytes are compared with what the same run uploaded to that path, when it did;
* requests to Capstan's own routes (``/models/...``, ``/v2/...``) have no stock counterpart and are not marked.

``prune`` marks each Capstan exchange that differs, or has no stock counterpart, with ``"known_difference"`` (the
replay test sends it, to keep the server's state the same, but does not compare its answer) and writes
``known-differences.json`` beside the files.
"""
import difflib
import json
import math
import os
import re
import sys

from .recorder import body_text, decode_body as body_bytes

TIMESTAMP_KEYS = {"creation_time", "last_update_time", "start_time", "end_time", "creation_timestamp",
                  "last_updated_timestamp", "timestamp", "creation_timestamp_ms", "last_updated_timestamp_ms"}
ID_KEYS = {"run_id", "run_uuid", "experiment_id", "model_id", "source_run_id", "upload_id", "next_page_token"}
# tags whose values the client makes up per run (times, uuids): equal only within one recording
CLIENT_MADE_TAGS = {"mlflow.log-model.history"}
WHOLE = {"", "status", "body", "(request)"}
CAPSTAN_ONLY = ("/models/", "/v2/", "/api/2.0/capstan/")
LEARNABLE = re.compile(r"[0-9a-f]{8,}|m-[0-9a-f]{8,}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
                       r"|[a-z]+-[a-z]+-[0-9]+|[0-9]+")
TOKEN_SPLIT = re.compile(r"([/:@?&=,\s'\"%]+)")
NUMERIC_CONTEXTS = [r"(mlflow-artifacts:/){}(?=/|$|[\"'])", r"(/mlflow-artifacts/artifacts/){}(?=/)",
                    r"(experiment_id=){}(?=&|$)", r"(path=){}(?=/|%2F|&|$)", r"(\"experiment_id\":\s*\"){}(?=\")",
                    r"(\"experiment_ids\":\s*\[(?:\"[0-9]+\",\s*)*\"){}(?=\")", r"(#/experiments/){}(?=/|$)"]


class Mappings:
    """Recorded -> live values of server-chosen ids, learnt in order."""

    def __init__(self):
        self.values = {}

    def learn(self, recorded, live):
        if recorded == live:
            return True
        known = self.values.get(recorded)
        if known is not None:
            return known == live
        self.values[recorded] = live
        return True

    def apply(self, text):
        """``text`` with every learnt recorded value replaced by its live one."""
        if not text or not self.values:
            return text
        for recorded, live in sorted(self.values.items(), key=lambda kv: -len(kv[0])):
            if recorded.isdigit():
                for context in NUMERIC_CONTEXTS:
                    text = re.sub(context.format(re.escape(recorded)), lambda m: m.group(1) + live, text)
            elif len(recorded) >= 6 and recorded in text:
                text = re.sub(r"(?<![A-Za-z0-9_\-])" + re.escape(recorded) + r"(?![A-Za-z0-9_\-])",
                              lambda m: live, text)
        return text


def media_type(response):
    return (response.get("headers", {}).get("content-type") or "").split(";")[0].strip().lower()


def parse_json(message):
    text = body_text(message)
    if text is None:
        return None, False
    try:
        return json.loads(text), True
    except ValueError:
        return None, False


def compare_values(recorded, live, path, mappings, diffs, key=None, extensions_ok=False):
    """Appends ``(json path, recorded, live)`` for each place ``live`` does not match ``recorded``."""
    if key in TIMESTAMP_KEYS:
        if _kind(recorded) != _kind(live):
            diffs.append((path, recorded, live))
        return
    if isinstance(recorded, dict):
        if not isinstance(live, dict):
            diffs.append((path, _short(recorded), _short(live)))
            return
        for k in recorded:
            if k not in live:
                diffs.append((f"{path}/{k}", _short(recorded[k]), "<absent>"))
        for k in live:
            if k not in recorded and not (extensions_ok and k.startswith("capstan_")):
                diffs.append((f"{path}/{k}", "<absent>", _short(live[k])))
        client_made = extensions_ok and recorded.get("key") in CLIENT_MADE_TAGS
        for k in recorded:
            if k in live and not (client_made and k == "value"):
                compare_values(recorded[k], live[k], f"{path}/{k}", mappings, diffs, k, extensions_ok)
        return
    if isinstance(recorded, list):
        if not isinstance(live, list) or len(recorded) != len(live):
            diffs.append((path, _short(recorded), _short(live)))
            return
        rec, liv = _ordered(recorded, mappings, key), _ordered(live, None, key)
        for i, (a, b) in enumerate(zip(rec, liv)):
            compare_values(a, b, f"{path}[{i}]", mappings, diffs, key if key == "experiment_ids" else None,
                           extensions_ok)
        return
    if isinstance(recorded, str) and isinstance(live, str):
        if mappings.apply(recorded) == live or (extensions_ok and key == "message"):
            return
        if key in ID_KEYS or key == "experiment_ids":
            if not mappings.learn(recorded, live):
                diffs.append((path, recorded, live))
            return
        if not learn_tokens(mappings.apply(recorded), live, mappings):
            diffs.append((path, recorded, live))
        return
    if isinstance(recorded, float) and isinstance(live, float) and math.isnan(recorded) and math.isnan(live):
        return
    if _kind(recorded) != _kind(live) or recorded != live:
        diffs.append((path, recorded, live))


def learn_tokens(recorded, live, mappings):
    """Accepts two strings that differ only in server-chosen tokens, learning them; False otherwise."""
    a, b = TOKEN_SPLIT.split(recorded), TOKEN_SPLIT.split(live)
    if len(a) != len(b):
        return False
    pairs = []
    for i, (x, y) in enumerate(zip(a, b)):
        if x == y:
            continue
        if i % 2 == 1 or not LEARNABLE.fullmatch(x) or not LEARNABLE.fullmatch(y):
            return False
        if x.isdigit() != y.isdigit():
            return False
        pairs.append((x, y))
    for x, y in pairs:
        if x.isdigit() and not _numeric_context(recorded, x):
            return False
    return all(mappings.learn(x, y) for x, y in pairs)


def _numeric_context(text, number):
    return any(re.search(c.format(re.escape(number)), text) for c in NUMERIC_CONTEXTS) \
        or text == number


def _kind(value):
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if value is None:
        return "null"
    return type(value).__name__


def _ordered(items, mappings, key):
    if key == "aliases" and all(isinstance(i, str) for i in items):
        return sorted(items)
    if key == "latest_versions" and all(isinstance(i, dict) for i in items):
        return sorted(items, key=lambda i: int(str(i.get("version", "0"))) if str(i.get("version", "0")).isdigit()
                      else 0)
    if items and all(isinstance(i, dict) and "key" in i for i in items):
        return sorted(items, key=lambda i: (str(i["key"]), json.dumps(i, sort_keys=True)))
    if items and all(isinstance(i, dict) and "alias" in i for i in items):
        return sorted(items, key=lambda i: str(i["alias"]))
    return items


def _short(value):
    text = json.dumps(value)
    return value if len(text) <= 200 else text[:200] + "..."


def compare_exchange(recorded, live, mappings, uploads=None, extensions_ok=False):
    """The differences between two exchanges' answers: a list of ``(path, recorded, live)``."""
    diffs = []
    ra, la = recorded["response"], live["response"]
    if ra["status"] != la["status"]:
        diffs.append(("status", ra["status"], la["status"]))
    rj, r_is_json = parse_json(ra)
    lj, l_is_json = parse_json(la)
    if r_is_json and l_is_json and (media_type(ra) == "application/json" or media_type(la) == "application/json"):
        compare_values(rj, lj, "", mappings, diffs, extensions_ok=extensions_ok)
        return diffs
    if media_type(ra) != media_type(la) and (body_bytes(ra) or body_bytes(la)):
        diffs.append(("content-type", media_type(ra), media_type(la)))
    if uploads is not None:
        recorded_upload = uploads[0].get(recorded["path"])
        live_upload = uploads[1].get(live["path"])
        if recorded_upload is not None and live_upload is not None:
            if (body_bytes(ra) == recorded_upload) != (body_bytes(la) == live_upload):
                diffs.append(("body", "the uploaded bytes" if body_bytes(ra) == recorded_upload else "other bytes",
                              "the uploaded bytes" if body_bytes(la) == live_upload else "other bytes"))
            return diffs
    rb, lb = body_bytes(ra), body_bytes(la)
    rt, lt = body_text(ra), body_text(la)
    if rt is not None and lt is not None:
        if mappings.apply(rt) != lt and not learn_tokens(mappings.apply(rt), lt, mappings):
            diffs.append(("body", rt[:200], lt[:200]))
    elif rb != lb:
        diffs.append(("body", f"<{len(rb)} bytes>", f"<{len(lb)} bytes>"))
    return diffs


def signature(exchange):
    """The request with what varies between servers blanked: used to pair exchanges."""
    def blank(text):
        text = re.sub(r"(\"page_token\":\s*\")[^\"]*\"", r"\1<token>\"", text or "")
        text = re.sub(r"(page_token=)[^&]*", r"\1<token>", text)
        text = re.sub(r"m-[0-9a-f]{8,}", "<mid>", text)
        text = re.sub(r"[0-9a-f]{32}", "<id>", text)
        text = re.sub(r"[a-z]+-[a-z]+-[0-9]+", "<name>", text)
        return re.sub(r"[0-9]+(\.[0-9]+)?", "<n>", text)
    body = body_text(exchange["request"]) or ""
    if len(body) > 2000:
        body = body[:2000]
    return f"{exchange['method']} {blank(exchange['path'])}?{blank(exchange['query'])} {blank(body)}"


def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def uploads_of(exchanges):
    return {e["path"]: body_bytes(e["request"]) for e in exchanges if e["method"] == "PUT"}


def pair(stock, capstan):
    """Index pairs (i stock, j capstan) of matching requests in order; unpaired Capstan indexes."""
    a, b = [signature(e) for e in stock], [signature(e) for e in capstan]
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    pairs, waiting, free = [], [], []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pairs.extend(zip(range(i1, i2), range(j1, j2)))
        else:
            free.extend(range(i1, i2))
            waiting.extend(range(j1, j2))
    unpaired = []
    for j in waiting:  # out of order (parallel downloads, uploads): the nearest free request that is the same
        candidates = [i for i in free if a[i] == b[j]]
        if candidates:
            i = min(candidates, key=lambda i: abs(i - j))
            free.remove(i)
            pairs.append((i, j))
        else:
            unpaired.append(j)
    return sorted(pairs, key=lambda p: p[1]), unpaired


def diff_dirs(stock_dir, capstan_dir):
    """{scenario: [{"n": capstan index, "request": "METHOD path", "differences": [...]}]}"""
    result = {}
    for name in sorted(os.listdir(capstan_dir)):
        if not name.endswith(".jsonl"):
            continue
        capstan = load(os.path.join(capstan_dir, name))
        stock_path = os.path.join(stock_dir, name)
        stock = load(stock_path) if os.path.exists(stock_path) else []
        pairs, unpaired = pair(stock, capstan)
        mappings = Mappings()
        uploads = (uploads_of(stock), uploads_of(capstan))
        found = []
        for i, j in pairs:
            diffs = compare_exchange(stock[i], capstan[j], mappings, uploads, extensions_ok=True)
            if diffs:
                found.append({"n": j, "request": f"{capstan[j]['method']} {capstan[j]['path']}",
                              "differences": [{"path": p or "/", "stock": s, "capstan": c} for p, s, c in diffs]})
        for j in unpaired:
            if capstan[j]["path"].startswith(CAPSTAN_ONLY):
                continue  # Capstan's own routes (serving): nothing to differ from, kept and compared as recorded
            found.append({"n": j, "request": f"{capstan[j]['method']} {capstan[j]['path']}",
                          "differences": [{"path": "(request)", "stock": "no such request",
                                           "capstan": signature(capstan[j])[:300]}]})
        result[name[:-len(".jsonl")]] = sorted(found, key=lambda f: f["n"])
    return result


def index_free(path):
    return re.sub(r"\[\d+\]", "[]", path)


def prune(stock_dir, capstan_dir):
    """Marks Capstan's exchanges that differ from stock. Where only some fields differ (a JSON path, the media type,
    an error message), they go in ``ignore`` and the rest is still compared. Where the whole answer differs (status,
    body, no stock counterpart), a GET is dropped and any other request is kept with ``"compare": false``, so that
    replaying it keeps the server's state. Writes ``known-differences.json``; returns the differences."""
    differences = diff_dirs(stock_dir, capstan_dir)
    summary = {}
    for scenario, found in differences.items():
        path = os.path.join(capstan_dir, scenario + ".jsonl")
        exchanges = load(path)
        dropped = set()
        for entry in found:
            exchange = exchanges[entry["n"]]
            paths = {index_free(d["path"]) for d in entry["differences"]}
            whole = bool(paths & WHOLE)
            if whole and exchange["method"] == "GET":
                dropped.add(entry["n"])
                entry["action"] = "dropped"
            elif whole:
                exchange["compare"] = False
                entry["action"] = "sent, not compared"
            else:
                exchange["ignore"] = sorted(paths)
                entry["action"] = "compared except " + ", ".join(sorted(paths))
            for d in entry["differences"]:
                request = re.sub(r"[0-9a-f]{16,}", "<id>", entry["request"])
                request = re.sub(r"/(artifacts|registry)/(.*)", r"/\1/...", request)
                key = f"{request} {index_free(d['path'])}"
                group = summary.setdefault(scenario, {}).setdefault(key, {
                    "count": 0, "stock": d["stock"], "capstan": d["capstan"], "action": entry["action"]})
                group["count"] += 1
        with open(path, "w", encoding="utf-8") as out:
            for n, e in enumerate(exchanges):
                if n not in dropped:
                    out.write(json.dumps(e, ensure_ascii=False) + "\n")
    with open(os.path.join(capstan_dir, "known-differences.json"), "w") as out:
        json.dump({"about": "Where Capstan's answers differed from the stock MLflow server's for the same client "
                            "calls when these files were recorded (python -m mlflow_compat.wire prune). Grouped by "
                            "request and JSON path, with one example of each side's value.",
                   "differences": summary}, out, indent=1, ensure_ascii=False)
        out.write("\n")
    return differences


def main(argv):
    if len(argv) != 3 or argv[0] not in ("diff", "prune"):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    differences = (prune if argv[0] == "prune" else diff_dirs)(argv[1], argv[2])
    total = 0
    for scenario, found in differences.items():
        for entry in found:
            total += 1
            first = entry["differences"][0]
            more = f" (+{len(entry['differences']) - 1} more)" if len(entry["differences"]) > 1 else ""
            print(f"{scenario}#{entry['n']} {entry['request']}: {first['path']}: stock {json.dumps(first['stock'])[:150]}"
                  f" | capstan {json.dumps(first['capstan'])[:150]}{more}")
    print(f"{total} exchanges differ")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
