"""The suite's runner: scenarios are plain functions, checks record what was observed.

A scenario is a function ``def scenario(t: Scenario)`` registered with ``@scenario(...)``. It makes real calls through
MLflow's Python client (or ``requests``) and records each expectation with ``t.check(name, actual, expected)``. A check
records the observed value, so two servers can be compared check by check. ``with t.section("runs"):`` groups checks
(their names get the prefix ``runs.``) and keeps a crash in one section from hiding the checks of the next one.

Observed values must not carry values the server chooses (ids, timestamps, generated names): check those with a
matcher (``Regex``, ``IsType``, ``Timestamp``...), whose observed value is its description when it matches.
"""
import math
import re
import time
import traceback
from contextlib import contextmanager

PASS, FAIL, SKIP = "pass", "fail", "skip"

REGISTRY = []


def scenario(name, clients=(2, 3)):
    """Registers a scenario function for the given client major versions."""
    def deco(fn):
        REGISTRY.append({"name": name, "fn": fn, "clients": tuple(clients)})
        return fn
    return deco


def jsonable(value, depth=0):
    """A JSON-friendly, comparable rendering of an observed value."""
    if depth > 6:
        return repr(value)[:200]
    if value is None or isinstance(value, (bool, int, str)):
        return value if not isinstance(value, str) or len(value) <= 2000 else value[:2000] + "..."
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return value
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    if isinstance(value, dict):
        return {str(k): jsonable(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [jsonable(v, depth + 1) for v in value]
        return sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items
    if hasattr(value, "tolist"):
        return jsonable(value.tolist(), depth + 1)
    if isinstance(value, Matcher):
        return value.describe()
    return repr(value)[:500]


_SCRUB = [(re.compile(r"m-[0-9a-f]{32}"), "<model id>"), (re.compile(r"(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])"), "<run id>"),
          (re.compile(r"mlflow-artifacts:/[0-9]+(?=/|$)"), "mlflow-artifacts:/<experiment>")]


def scrub(value):
    """An observed value with server-chosen ids blanked, so two servers' observations compare."""
    if isinstance(value, str):
        for pattern, replacement in _SCRUB:
            value = pattern.sub(replacement, value)
        return value
    if isinstance(value, list):
        return [scrub(v) for v in value]
    if isinstance(value, dict):
        return {k: scrub(v) for k, v in value.items()}
    return value


class Matcher:
    """An expectation other than equality; ``describe()`` is what a matching value is observed as."""

    def matches(self, actual):
        raise NotImplementedError

    def describe(self):
        raise NotImplementedError


class IsType(Matcher):
    def __init__(self, *types):
        self.types = types

    def matches(self, actual):
        return isinstance(actual, self.types) and not (bool not in self.types and isinstance(actual, bool))

    def describe(self):
        return "<" + "|".join(t.__name__ for t in self.types) + ">"


class Regex(Matcher):
    def __init__(self, pattern, label=None):
        self.pattern = pattern
        self.label = label

    def matches(self, actual):
        return isinstance(actual, str) and re.fullmatch(self.pattern, actual) is not None

    def describe(self):
        return "<" + (self.label or f"str /{self.pattern}/") + ">"


class Timestamp(Matcher):
    """Epoch milliseconds (an int) within ``slack_s`` seconds of now, or anywhere after 2020 when ``recent`` is False."""

    def __init__(self, recent=True, slack_s=3600):
        self.recent = recent
        self.slack_s = slack_s

    def matches(self, actual):
        if not isinstance(actual, int) or isinstance(actual, bool):
            return False
        if self.recent:
            return abs(actual - time.time() * 1000) < self.slack_s * 1000
        return actual > 1577836800000

    def describe(self):
        return "<epoch ms>"


class Approx(Matcher):
    def __init__(self, value, tol=1e-6):
        self.value = value
        self.tol = tol

    def matches(self, actual):
        try:
            return all(abs(float(a) - float(b)) <= self.tol for a, b in zip(actual, self.value, strict=True)) \
                if isinstance(self.value, (list, tuple)) else abs(float(actual) - float(self.value)) <= self.tol
        except (TypeError, ValueError):
            return False

    def describe(self):
        return f"<approx {jsonable(self.value)}>"


class Satisfies(Matcher):
    """A predicate with a label; observed as the label when it holds."""

    def __init__(self, predicate, label):
        self.predicate = predicate
        self.label = label

    def matches(self, actual):
        try:
            return bool(self.predicate(actual))
        except Exception:  # a predicate that cannot even run on the value does not hold
            return False

    def describe(self):
        return f"<{self.label}>"


RUN_ID = Regex(r"[0-9a-f]{32}", "run id: 32 hex")
NUMERIC_ID = Regex(r"[0-9]+", "numeric id")
MODEL_ID = Regex(r"m-[0-9a-f]{32}", "logged model id: m-<32 hex>")
RUN_NAME = Regex(r"[a-z]+-[a-z]+-[0-9]+", "generated run name adjective-noun-N")


class ErrorSeen:
    """What an expected error looked like: its MLflow error code and HTTP status."""

    def __init__(self, error_code, status):
        self.error_code = error_code
        self.status = status

    def as_dict(self):
        return {"error_code": self.error_code, "http_status": self.status}


def error_of(exc):
    """The MLflow error code and HTTP status of a client exception (RestException / MlflowException)."""
    code = getattr(exc, "error_code", None)
    status = None
    try:
        status = exc.get_http_status_code()
    except Exception:  # not an MlflowException
        status = None
    json_body = getattr(exc, "json", None)
    if isinstance(json_body, dict) and json_body.get("error_code"):
        code = json_body["error_code"]
    return ErrorSeen(code, status)


def outcome(fn):
    """``fn()``'s value, or, when it raises, ``{"error_code": ..., "http_status": ...}``: a check can then observe
    either without ending its section."""
    try:
        return fn()
    except Exception as exc:  # the error is the observation
        return error_of(exc).as_dict()


class Scenario:
    """One scenario's checks, against one server."""

    def __init__(self, name, env):
        self.name = name
        self.env = env
        self.results = {}
        self._section = None

    # -- the environment the scenario runs in
    @property
    def url(self):
        return self.env["url"]

    @property
    def capstan(self):
        return self.env["target"] == "capstan"

    @property
    def v3(self):
        return self.env["client_major"] >= 3

    def unique(self, stem):
        """A name unique to this suite run: ``<stem>_<suffix>``."""
        return f"{stem}_{self.env['suffix']}"

    # -- recording checks
    def _key(self, name):
        key = f"{self._section}.{name}" if self._section else name
        base, n = key, 2
        while key in self.results:
            key = f"{base} #{n}"
            n += 1
        return key

    def check(self, name, actual, expected=True):
        """Records one check: passes when ``actual`` equals ``expected`` or a matcher accepts it."""
        if isinstance(expected, Matcher):
            ok = expected.matches(actual)
            observed = expected.describe() if ok else jsonable(actual)
        else:
            ok = _equal(actual, expected)
            observed = jsonable(actual)
        entry = {"status": PASS if ok else FAIL, "observed": scrub(observed)}
        if not ok:
            entry["expected"] = scrub(jsonable(expected))
        self.results[self._key(name)] = entry
        return ok

    def raises(self, name, fn, error_code, status=None):
        """Calls ``fn``; passes when it raises an MLflow error with ``error_code`` (and ``status``, when given)."""
        try:
            value = fn()
        except Exception as exc:  # the error is the observation
            seen = error_of(exc)
            ok = seen.error_code == error_code and (status is None or seen.status == status)
            entry = {"status": PASS if ok else FAIL, "observed": seen.as_dict()}
            if not ok:
                entry["expected"] = {"error_code": error_code, "http_status": status}
                entry["message"] = str(exc)[:500]
            self.results[self._key(name)] = entry
            return ok
        self.results[self._key(name)] = {"status": FAIL, "observed": {"returned": scrub(jsonable(value))},
                                         "expected": {"error_code": error_code, "http_status": status}}
        return False

    def skip(self, name, reason):
        self.results[self._key(name)] = {"status": SKIP, "observed": reason}

    @contextmanager
    def section(self, name):
        """Groups checks; an exception ends the section with a failed ``<name>.completed`` check."""
        outer = self._section
        self._section = f"{outer}.{name}" if outer else name
        try:
            yield
        except Exception as exc:  # report and carry on with the next section
            self.results[self._key("completed")] = {
                "status": FAIL, "observed": f"{type(exc).__name__}: {str(exc)[:400]}",
                "traceback": traceback.format_exc()[-3000:]}
        finally:
            self._section = outer


def _equal(actual, expected):
    if isinstance(actual, float) and isinstance(expected, float) and math.isnan(actual) and math.isnan(expected):
        return True
    if isinstance(actual, (list, tuple)) and isinstance(expected, (list, tuple)):
        return len(actual) == len(expected) and all(_equal(a, e) for a, e in zip(actual, expected))
    if isinstance(actual, dict) and isinstance(expected, dict):
        return actual.keys() == expected.keys() and all(_equal(actual[k], expected[k]) for k in actual)
    return actual == expected


def summarize(report):
    counts = {PASS: 0, FAIL: 0, SKIP: 0}
    for checks in report.values():
        for entry in checks.values():
            counts[entry["status"]] += 1
    return counts
