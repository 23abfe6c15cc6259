"""The REST shape under the client: status codes, error bodies, routes, verbs and JSON field shapes, with requests."""
import json

import requests

from ..common import CLIENT_VERSION
from ..harness import RUN_ID, Satisfies, Timestamp, scenario

API = "/api/2.0/mlflow"
T0 = 1700000000000


def shape(response):
    """Status, whether the body is JSON, its keys and error code: what a client can rely on in an answer."""
    out = {"status": response.status_code}
    try:
        body = response.json()
    except ValueError:
        out["json"] = False
        out["content_type"] = (response.headers.get("Content-Type") or "").split(";")[0]
        return out
    out["json"] = True
    if isinstance(body, dict):
        out["keys"] = sorted(body)
        if "error_code" in body:
            out["error_code"] = body["error_code"]
    return out


def error(status, code):
    return {"status": status, "json": True, "keys": ["error_code", "message"], "error_code": code}


@scenario("rest")
def rest(t):
    s = requests.Session()
    base = t.url

    def get(route, **params):
        return s.get(base + route, params=params, timeout=60)

    def post(path, body, method="POST"):
        return s.request(method, base + path, json=body, timeout=60)

    with t.section("server"):
        r = get("/health")
        t.check("health", (r.status_code, r.text), (200, "OK"))
        r = get("/version")
        t.check("version", (r.status_code, r.text), (200, CLIENT_VERSION))

    with t.section("routes"):
        t.check("unknown route", shape(get(API + "/no-such-endpoint")),
                {"status": 404, "json": False, "content_type": "text/html"})
        t.check("unknown ajax route", shape(get("/ajax-api/2.0/mlflow/no-such-endpoint")),
                {"status": 404, "json": False, "content_type": "text/html"})
        t.check("ajax-api prefix answers", shape(get("/ajax-api/2.0/mlflow/experiments/get-by-name",
                                                     experiment_name="Default")), {"status": 200, "json": True,
                                                                                   "keys": ["experiment"]})
        t.check("runs/search with GET", s.get(base + API + "/runs/search", timeout=60).status_code, 405)
        t.check("experiments/create with GET", s.get(base + API + "/experiments/create", timeout=60).status_code, 405)
        # a second experiment besides Default, so that one result a page leaves a next page on any server
        post(API + "/experiments/create", {"name": t.unique("compat-rest-search")})
        t.check("experiments/search with GET", shape(get(API + "/experiments/search", max_results=1)),
                {"status": 200, "json": True, "keys": ["experiments", "next_page_token"]})
        t.check("experiments/search with POST", shape(post(API + "/experiments/search", {"max_results": 1})),
                {"status": 200, "json": True, "keys": ["experiments", "next_page_token"]})

    with t.section("errors"):
        t.check("create experiment without name", shape(post(API + "/experiments/create", {})),
                error(400, "INVALID_PARAMETER_VALUE"))
        r = s.post(base + API + "/experiments/create", data="{bad json", timeout=60,
                   headers={"Content-Type": "application/json"})
        t.check("malformed JSON", shape(r), error(400, "INVALID_PARAMETER_VALUE"))
        r = s.post(base + API + "/experiments/create", data=json.dumps({"name": t.unique("compat_rest_ct")}), timeout=60,
                   headers={"Content-Type": "text/plain"})
        t.check("wrong content type", shape(r), error(400, "INVALID_PARAMETER_VALUE"))
        t.check("error content type", (r.headers.get("Content-Type") or "").split(";")[0], "application/json")
        t.check("name of wrong type", shape(post(API + "/experiments/create", {"name": 5})),
                error(400, "INVALID_PARAMETER_VALUE"))
        t.check("unknown run", shape(get(API + "/runs/get", run_id="0" * 32)), error(404, "RESOURCE_DOES_NOT_EXIST"))
        t.check("runs/get without run_id", shape(get(API + "/runs/get")), error(400, "INVALID_PARAMETER_VALUE"))
        t.check("unknown experiment name", shape(get(API + "/experiments/get-by-name",
                                                     experiment_name=t.unique("no_such"))),
                error(404, "RESOURCE_DOES_NOT_EXIST"))
        t.check("experiments/get bad id", shape(get(API + "/experiments/get", experiment_id="not-a-number")),
                error(400, "INVALID_PARAMETER_VALUE") if t.v3 else error(404, "RESOURCE_DOES_NOT_EXIST"))
        t.check("unknown registered model", shape(get(API + "/registered-models/get", name=t.unique("none"))),
                error(404, "RESOURCE_DOES_NOT_EXIST"))
        t.check("delete unknown registered model", shape(post(API + "/registered-models/delete",
                                                              {"name": t.unique("none")}, "DELETE")),
                error(404, "RESOURCE_DOES_NOT_EXIST"))
        t.check("download uri of unknown version", shape(get(API + "/model-versions/get-download-uri",
                                                             name=t.unique("none"), version="1")),
                error(404, "RESOURCE_DOES_NOT_EXIST"))
        t.check("search runs max_results too big", shape(post(API + "/runs/search", {"max_results": 50001})),
                error(400, "INVALID_PARAMETER_VALUE"))

    with t.section("runs_json"):
        exp = post(API + "/experiments/create", {"name": t.unique("compat_rest")}).json()["experiment_id"]
        r = post(API + "/runs/create", {"experiment_id": exp, "start_time": T0, "run_name": "rest-run",
                                        "tags": [{"key": "a", "value": "b"}]})
        t.check("create status", r.status_code, 200)
        run = r.json()["run"]
        rid = run["info"]["run_id"]
        t.check("create top-level keys", sorted(run), ["data", "info", "inputs"] if t.v3 else ["data", "info"])
        t.check("create info keys", sorted(run["info"]), ["artifact_uri", "experiment_id", "lifecycle_stage",
                                                          "run_id", "run_name", "run_uuid", "start_time", "status",
                                                          "user_id"])
        t.check("run_id", rid, RUN_ID)
        t.check("run_uuid equals run_id", run["info"]["run_uuid"] == rid)
        t.check("start_time is a JSON number", run["info"]["start_time"], T0)
        t.check("user_id empty string", run["info"]["user_id"], "")
        t.check("create data", run["data"], {"tags": [{"key": "a", "value": "b"},
                                                      {"key": "mlflow.runName", "value": "rest-run"}]})
        got = get(API + "/runs/get", run_id=rid).json()["run"]
        t.check("get top-level keys", sorted(got), ["data", "info", "inputs", "outputs"] if t.v3 else
                ["data", "info", "inputs"])
        t.check("get inputs", got["inputs"], {})
        t.check("get has no end_time while running", "end_time" in got["info"], False)
        post(API + "/runs/log-metric", {"run_id": rid, "key": "m", "value": 1.5, "timestamp": T0 + 1, "step": 4})
        post(API + "/runs/log-parameter", {"run_id": rid, "key": "p", "value": "1"})
        r = post(API + "/runs/log-parameter", {"run_id": rid, "key": "p", "value": "2"})
        t.check("changed param", shape(r), error(400, "INVALID_PARAMETER_VALUE"))
        got = get(API + "/runs/get", run_id=rid).json()["run"]
        t.check("metric JSON", [m for m in got["data"]["metrics"] if m["key"] == "m"],
                [{"key": "m", "value": 1.5, "timestamp": T0 + 1, "step": 4}])
        t.check("param JSON", got["data"]["params"], [{"key": "p", "value": "1"}])
        # the client sends NaN and infinities as protobuf JSON strings
        r = post(API + "/runs/log-metric", {"run_id": rid, "key": "n", "value": "NaN", "timestamp": T0, "step": 0})
        t.check("NaN as a string accepted", r.status_code, 200)
        r = get(API + "/metrics/get-history", run_id=rid, metric_key="n", max_results=1000)
        t.check("NaN written back as the string", r.json(), {"metrics": [{"key": "n", "value": "NaN",
                                                                         "timestamp": T0, "step": 0}]})
        r = post(API + "/runs/log-metric", {"run_id": rid, "key": "i", "value": "-Infinity", "timestamp": T0,
                                            "step": 0})
        t.check("-Infinity as a string accepted", r.status_code, 200)
        r = get(API + "/metrics/get-history", run_id=rid, metric_key="i", max_results=1000)
        t.check("-Infinity written back as -DBL_MAX", r.json(), {"metrics": [{"key": "i", "value": -1.7976931348623157e308,
                                                                             "timestamp": T0, "step": 0}]})
        r = post(API + "/runs/update", {"run_id": rid, "status": "FINISHED", "end_time": T0 + 10})
        t.check("update answer", r.json(), Satisfies(lambda b: sorted(b["run_info"]) == [
            "artifact_uri", "end_time", "experiment_id", "lifecycle_stage", "run_id", "run_name", "run_uuid",
            "start_time", "status", "user_id"] and b["run_info"]["end_time"] == T0 + 10,
            "run_info with end_time"))
        r = get(API + "/metrics/get-history", run_id=rid, metric_key="m", max_results=1000)
        t.check("history JSON", r.json(), {"metrics": [{"key": "m", "value": 1.5, "timestamp": T0 + 1, "step": 4}]})
        r = post(API + "/runs/search", {"experiment_ids": [exp], "max_results": 10})
        t.check("search keys", sorted(r.json()), ["runs"])
        r = get(API + "/experiments/get", experiment_id=exp)
        e = r.json()["experiment"]
        t.check("experiment keys", sorted(e), ["artifact_location", "creation_time", "experiment_id",
                                               "last_update_time", "lifecycle_stage", "name"])
        t.check("experiment creation_time is a number", e["creation_time"], Timestamp())

    with t.section("log_batch_limits"):
        b = post(API + "/runs/create", {"experiment_id": exp, "start_time": T0}).json()["run"]["info"]["run_id"]

        def batch(metrics=0, params=0, tags=0, prefix="x"):
            return post(API + "/runs/log-batch", {
                "run_id": b,
                "metrics": [{"key": f"{prefix}m", "value": float(i), "timestamp": T0, "step": i}
                            for i in range(metrics)],
                "params": [{"key": f"{prefix}p{i}", "value": "v"} for i in range(params)],
                "tags": [{"key": f"{prefix}t{i}", "value": "v"} for i in range(tags)]})

        t.check("1000 metrics", batch(metrics=1000, prefix="ok").status_code, 200)
        t.check("100 params + 100 tags", batch(params=100, tags=100, prefix="ok").status_code, 200)
        t.check("1001 metrics", shape(batch(metrics=1001)), error(400, "INVALID_PARAMETER_VALUE"))
        t.check("101 params", shape(batch(params=101)), error(400, "INVALID_PARAMETER_VALUE"))
        t.check("101 tags", shape(batch(tags=101)), error(400, "INVALID_PARAMETER_VALUE"))
        t.check("1001 entities", shape(batch(metrics=901, params=100)), error(400, "INVALID_PARAMETER_VALUE"))
        data = get(API + "/runs/get", run_id=b).json()["run"]["data"]
        t.check("rejected batches wrote nothing", [x["key"] for k in ("metrics", "params", "tags")
                                                   for x in data.get(k, []) if x["key"].startswith("x")], [])
        t.check("log-batch answer", batch(metrics=1, prefix="last").json(), {})

    with t.section("registry_json"):
        name = t.unique("compat-rest-model")
        r = post(API + "/registered-models/create", {"name": name})
        t.check("create keys", sorted(r.json()["registered_model"]), ["creation_timestamp", "last_updated_timestamp",
                                                                      "name"])
        r = get(API + "/registered-models/get-latest-versions", name=name)
        t.check("latest versions GET of a model without versions", r.json(), {})
        r = post(API + "/registered-models/get-latest-versions", {"name": name, "stages": ["Production"]})
        t.check("latest versions POST", r.json(), {})
        r = get(API + "/registered-models/alias", name=name, alias="nope")
        t.check("unknown alias", shape(r), error(400, "INVALID_PARAMETER_VALUE"))
        r = get(API + "/registered-models/search", filter=f"name = '{name}'")
        t.check("search GET", [m["name"] for m in r.json().get("registered_models", [])], [name])
        r = post(API + "/registered-models/update", {"name": name, "description": "d"}, "PATCH")
        t.check("update via PATCH", (r.status_code, r.json()["registered_model"]["description"]), (200, "d"))
        r = post(API + "/registered-models/delete", {"name": name}, "DELETE")
        t.check("delete via DELETE with a JSON body", (r.status_code, r.json()), (200, {}))

    with t.section("artifacts_json"):
        rid = post(API + "/runs/create", {"experiment_id": exp}).json()["run"]["info"]["run_id"]
        root = f"{exp}/{rid}/artifacts"
        r = s.put(f"{base}/api/2.0/mlflow-artifacts/artifacts/{root}/dir/f.txt", data=b"abc", timeout=60)
        t.check("PUT artifact", (r.status_code, r.json()), (200, {}))
        r = get("/api/2.0/mlflow-artifacts/artifacts", path=root)
        t.check("list proxied root", r.json(), {"files": [{"path": "dir", "is_dir": True}]})
        r = get("/api/2.0/mlflow-artifacts/artifacts", path=f"{root}/dir")
        t.check("list proxied folder", r.json(), {"files": [{"path": "f.txt", "is_dir": False, "file_size": 3}]})
        r = get(f"/api/2.0/mlflow-artifacts/artifacts/{root}/dir/f.txt")
        t.check("GET artifact", (r.status_code, r.content), (200, b"abc"))
        r = get(API + "/artifacts/list", run_id=rid, path="dir")
        t.check("run-scoped list", {k: v for k, v in r.json().items() if k != "root_uri"},
                {"files": [{"path": "dir/f.txt", "is_dir": False, "file_size": 3}]})
        t.check("run-scoped list root_uri", r.json().get("root_uri"), f"mlflow-artifacts:/{root}")
        r = get(f"/api/2.0/mlflow-artifacts/artifacts/{root}/dir/missing.txt")
        t.check("GET missing artifact", shape(r), error(500, "INTERNAL_ERROR"))
        r = get("/api/2.0/mlflow-artifacts/artifacts", path=f"{root}/nothing-here")
        t.check("list missing folder", (r.status_code, r.json()), (200, {}))
