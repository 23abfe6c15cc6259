"""Experiments, runs, params, metrics, tags, log-batch, datasets: MlflowClient against the tracking API."""
import math
import sys

from mlflow.entities import Dataset, DatasetInput, InputTag, Metric, Param, RunTag, ViewType

from ..common import client
from ..harness import NUMERIC_ID, RUN_ID, RUN_NAME, IsType, Timestamp, outcome, scenario

T0 = 1700000000000  # fixed client timestamps (ms), so the values the client sends are the same on every server


@scenario("tracking")
def tracking(t):
    c = client(t)
    state = {}

    with t.section("experiments"):
        name = t.unique("compat_tracking")
        exp_id = c.create_experiment(name, tags={"team": "compat", "purpose": "suite"})
        state["exp"] = exp_id
        t.check("create returns a numeric string id", exp_id, NUMERIC_ID)
        exp = c.get_experiment(exp_id)
        t.check("get name", exp.name, name)
        t.check("get lifecycle_stage", exp.lifecycle_stage, "active")
        t.check("get artifact_location", exp.artifact_location, f"mlflow-artifacts:/{exp_id}")
        t.check("get tags", exp.tags, {"team": "compat", "purpose": "suite"})
        t.check("get creation_time", exp.creation_time, Timestamp())
        t.check("get last_update_time", exp.last_update_time, Timestamp())
        by_name = c.get_experiment_by_name(name)
        t.check("get-by-name finds it", by_name.experiment_id == exp_id)
        t.check("get-by-name unknown is None", c.get_experiment_by_name(t.unique("no_such_experiment")), None)
        t.raises("create duplicate name", lambda: c.create_experiment(name), "RESOURCE_ALREADY_EXISTS", 400)
        t.raises("get unknown id", lambda: c.get_experiment("987654321"), "RESOURCE_DOES_NOT_EXIST", 404)
        t.raises("create empty name", lambda: c.create_experiment(""), "INVALID_PARAMETER_VALUE", 400)
        default = c.get_experiment("0")
        t.check("default experiment name", default.name, "Default")
        t.check("default experiment artifact_location", default.artifact_location, "mlflow-artifacts:/0")

        c.set_experiment_tag(exp_id, "team", "compat-2")
        c.set_experiment_tag(exp_id, "extra", "x")
        t.check("set-experiment-tag overwrites and adds", c.get_experiment(exp_id).tags,
                {"team": "compat-2", "purpose": "suite", "extra": "x"})

        prefix = t.unique("compat_tracking") + "_page"
        others = [c.create_experiment(f"{prefix}{i}") for i in range(3)]
        found = c.search_experiments(filter_string=f"name LIKE '{prefix}%'", order_by=["name ASC"], max_results=2)
        t.check("search page 1 names", [e.name for e in found], [f"{prefix}0", f"{prefix}1"])
        t.check("search page 1 has a token", found.token, IsType(str))
        found2 = c.search_experiments(filter_string=f"name LIKE '{prefix}%'", order_by=["name ASC"], max_results=2,
                                      page_token=found.token)
        t.check("search page 2 names", [e.name for e in found2], [f"{prefix}2"])
        t.check("search page 2 has no token", found2.token, None)
        found = c.search_experiments(filter_string="tags.team = 'compat-2'")
        t.check("search by tag", [e.experiment_id for e in found if e.experiment_id == exp_id], [exp_id])
        found = c.search_experiments(filter_string=f"name = '{name}'", order_by=["creation_time DESC"])
        t.check("search by exact name", [e.name for e in found], [name])
        found = c.search_experiments(filter_string=f"name ILIKE '{prefix.upper()}%'")
        t.check("search ILIKE is case-insensitive", len(found), 3)
        t.raises("search bad filter", lambda: c.search_experiments(filter_string="nonsense ~ 1"),
                 "INVALID_PARAMETER_VALUE", 400)

        c.rename_experiment(others[0], t.unique("compat_tracking_renamed"))
        t.check("rename", c.get_experiment(others[0]).name, t.unique("compat_tracking_renamed"))
        t.check("old name gone after rename", c.get_experiment_by_name(f"{prefix}0"), None)
        # the stock server's SQL store turns the unique-constraint failure into BAD_REQUEST
        t.raises("rename to an existing name", lambda: c.rename_experiment(others[1], name), "BAD_REQUEST", 400)

        c.delete_experiment(others[1])
        t.check("delete sets lifecycle deleted", c.get_experiment(others[1]).lifecycle_stage, "deleted")
        active = c.search_experiments(filter_string=f"name LIKE '{prefix}%'")
        t.check("deleted hidden from active search", [e.name for e in active], [f"{prefix}2"])
        deleted = c.search_experiments(view_type=ViewType.DELETED_ONLY,
                                       filter_string=f"name LIKE '{t.unique('compat_tracking')}%'")
        t.check("deleted-only search", [e.name for e in deleted], [f"{prefix}1"])
        every = c.search_experiments(view_type=ViewType.ALL, filter_string=f"name LIKE '{prefix}%'")
        t.check("all search", sorted(e.name for e in every), [f"{prefix}1", f"{prefix}2"])
        t.raises("create with a deleted experiment's name", lambda: c.create_experiment(f"{prefix}1"),
                 "RESOURCE_ALREADY_EXISTS", 400)
        c.restore_experiment(others[1])
        t.check("restore sets lifecycle active", c.get_experiment(others[1]).lifecycle_stage, "active")
        t.raises("restore an active experiment", lambda: c.restore_experiment(others[1]),
                 "RESOURCE_DOES_NOT_EXIST", 404)

    exp_id = state.get("exp", "0")

    with t.section("runs"):
        run = c.create_run(exp_id, run_name="first-run", start_time=T0, tags={"stage": "dev"})
        rid = run.info.run_id
        state["run"] = rid
        t.check("create run_id", rid, RUN_ID)
        if not t.v3:  # 3.x's RunInfo has no run_uuid (the REST checks cover the field)
            t.check("create run_uuid equals run_id", run.info.run_uuid == rid)
        t.check("create run_name", run.info.run_name, "first-run")
        t.check("create status", run.info.status, "RUNNING")
        t.check("create start_time as sent", run.info.start_time, T0)
        t.check("create end_time unset", run.info.end_time, None)
        t.check("create lifecycle", run.info.lifecycle_stage, "active")
        t.check("create experiment_id", run.info.experiment_id == exp_id)
        t.check("create artifact_uri", run.info.artifact_uri, f"mlflow-artifacts:/{exp_id}/{rid}/artifacts")
        t.check("create tags", {k: v for k, v in run.data.tags.items()},
                {"stage": "dev", "mlflow.runName": "first-run"})
        t.check("create no params", run.data.params, {})
        t.check("create no metrics", run.data.metrics, {})

        unnamed = c.create_run(exp_id)
        t.check("generated run name", unnamed.info.run_name, RUN_NAME)
        t.check("generated name stored as mlflow.runName",
                c.get_run(unnamed.info.run_id).data.tags.get("mlflow.runName") == unnamed.info.run_name)
        t.check("create without start_time stamps now", unnamed.info.start_time, Timestamp())
        state["unnamed"] = unnamed.info.run_id

        c.set_terminated(rid, status="FINISHED", end_time=T0 + 5000)
        got = c.get_run(rid)
        t.check("update status", got.info.status, "FINISHED")
        t.check("update end_time", got.info.end_time, T0 + 5000)
        c.update_run(rid, name="renamed-run")
        got = c.get_run(rid)
        t.check("update name", got.info.run_name, "renamed-run")
        t.check("update name moves mlflow.runName", got.data.tags.get("mlflow.runName"), "renamed-run")
        t.check("update name keeps status", got.info.status, "FINISHED")
        c.set_terminated(state["unnamed"], status="KILLED", end_time=T0 + 9000)
        t.check("set_terminated KILLED", c.get_run(state["unnamed"]).info.status, "KILLED")
        t.raises("get unknown run", lambda: c.get_run("0" * 32), "RESOURCE_DOES_NOT_EXIST", 404)
        t.raises("create run in unknown experiment", lambda: c.create_run("987654321"),
                 "RESOURCE_DOES_NOT_EXIST", 404)

    rid = state.get("run")

    with t.section("params"):
        c.log_param(rid, "alpha", "0.5")
        c.log_param(rid, "alpha", "0.5")
        t.check("same value again accepted", c.get_run(rid).data.params["alpha"], "0.5")
        t.raises("changed value rejected", lambda: c.log_param(rid, "alpha", "0.6"), "INVALID_PARAMETER_VALUE", 400)
        t.check("value unchanged after rejection", c.get_run(rid).data.params["alpha"], "0.5")
        c.log_param(rid, "with space and.dot-dash/slash", 7)
        t.check("key with allowed punctuation; value stringified",
                c.get_run(rid).data.params["with space and.dot-dash/slash"], "7")
        t.raises("key with invalid character", lambda: c.log_param(rid, "bad!key", "1"), "INVALID_PARAMETER_VALUE", 400)
        long_value = "v" * 6000
        c.log_param(rid, "long", long_value)
        t.check("6000-char value accepted", len(c.get_run(rid).data.params["long"]), 6000)
        t.check("6001-char value accepted", outcome(lambda: c.log_param(rid, "too_long", "v" * 6001) and "accepted"),
                "accepted")
        t.check("6001-char value stored truncated to 6000",
                len(c.get_run(rid).data.params.get("too_long", "")), 6000)
        t.raises("param on unknown run", lambda: c.log_param("f" * 32, "a", "1"), "RESOURCE_DOES_NOT_EXIST", 404)

    with t.section("metrics"):
        c.log_metric(rid, "loss", 1.0, timestamp=T0 + 1, step=0)
        c.log_metric(rid, "loss", 0.5, timestamp=T0 + 2, step=1)
        c.log_metric(rid, "loss", 0.75, timestamp=T0 + 3, step=1)
        c.log_metric(rid, "loss", 0.9, timestamp=T0 + 1, step=3)
        c.log_metric(rid, "loss", 0.2, timestamp=T0 + 9, step=2)
        hist = c.get_metric_history(rid, "loss")
        t.check("history has every point", sorted((m.step, m.timestamp, m.value) for m in hist),
                [(0, T0 + 1, 1.0), (1, T0 + 2, 0.5), (1, T0 + 3, 0.75), (2, T0 + 9, 0.2), (3, T0 + 1, 0.9)])
        t.check("history entries carry key", {m.key for m in hist}, {"loss"})
        t.check("current value is at the highest step", c.get_run(rid).data.metrics["loss"], 0.9)
        c.log_metric(rid, "same", 1.0, timestamp=T0 + 5, step=4)
        c.log_metric(rid, "same", 3.0, timestamp=T0 + 5, step=4)
        c.log_metric(rid, "same", 2.0, timestamp=T0 + 5, step=4)
        t.check("ties broken by the largest value", c.get_run(rid).data.metrics["same"], 3.0)
        c.log_metric(rid, "late", 1.0, timestamp=T0 + 10, step=0)
        c.log_metric(rid, "late", 2.0, timestamp=T0 + 20, step=0)
        t.check("same step: latest timestamp wins", c.get_run(rid).data.metrics["late"], 2.0)
        c.log_metric(rid, "nan", float("nan"), timestamp=T0, step=0)
        c.log_metric(rid, "pinf", float("inf"), timestamp=T0, step=0)
        c.log_metric(rid, "ninf", float("-inf"), timestamp=T0, step=0)
        metrics = c.get_run(rid).data.metrics
        t.check("NaN round-trips", math.isnan(metrics["nan"]))
        # the stock SQL store keeps NaN but stores +-inf as +-DBL_MAX
        t.check("+inf comes back as DBL_MAX", metrics["pinf"], sys.float_info.max)
        t.check("-inf comes back as -DBL_MAX", metrics["ninf"], -sys.float_info.max)
        t.check("NaN in history", [math.isnan(m.value) for m in c.get_metric_history(rid, "nan")], [True])
        t.check("-inf in history", [m.value for m in c.get_metric_history(rid, "ninf")], [-sys.float_info.max])
        c.log_metric(rid, "big_step", 2.5, timestamp=T0, step=2 ** 40)
        t.check("int64 step", [m.step for m in c.get_metric_history(rid, "big_step")], [2 ** 40])
        c.log_metric(rid, "neg_step", 1.5, timestamp=T0, step=-3)
        t.check("negative step", [m.step for m in c.get_metric_history(rid, "neg_step")], [-3])
        c.log_metric(rid, "auto", 4.0)
        auto = c.get_metric_history(rid, "auto")
        t.check("default step 0", [m.step for m in auto], [0])
        t.check("default timestamp now", auto[0].timestamp, Timestamp())
        t.check("history of unknown metric is empty", list(c.get_metric_history(rid, "no_such_metric")), [])
        t.check("history of unknown run is empty", outcome(lambda: list(c.get_metric_history("e" * 32, "loss"))), [])
        t.raises("metric with invalid key", lambda: c.log_metric(rid, "bad//key", 1.0), "INVALID_PARAMETER_VALUE", 400)

    with t.section("tags"):
        c.set_tag(rid, "note", "first")
        c.set_tag(rid, "note", "second")
        t.check("overwrite", c.get_run(rid).data.tags["note"], "second")
        c.set_tag(rid, "doomed", "x")
        c.delete_tag(rid, "doomed")
        t.check("deleted tag gone", "doomed" in c.get_run(rid).data.tags, False)
        t.raises("delete missing tag", lambda: c.delete_tag(rid, "never_there"), "RESOURCE_DOES_NOT_EXIST", 404)
        c.set_tag(rid, "long", "t" * 8000)
        # 2.12's SQL store cuts tag values to 5000 characters; 3.x keeps 8000
        t.check("8000-char tag value stored", len(c.get_run(rid).data.tags["long"]), 8000 if t.v3 else 5000)
        t.raises("tag on unknown run", lambda: c.set_tag("d" * 32, "a", "b"), "RESOURCE_DOES_NOT_EXIST", 404)

    with t.section("log_batch"):
        b = c.create_run(exp_id, run_name="batch-run", start_time=T0).info.run_id
        state["batch"] = b
        c.log_batch(b, metrics=[Metric("m", float(i), T0 + i, i) for i in range(1000)],
                    params=[Param(f"p{i}", str(i)) for i in range(100)])
        got = c.get_run(b)
        t.check("1000 metrics accepted: current", got.data.metrics["m"], 999.0)
        t.check("1000 metrics accepted: history", len(c.get_metric_history(b, "m")), 1000)
        t.check("100 params accepted", len(got.data.params), 100)
        c.log_batch(b, tags=[RunTag(f"t{i}", str(i)) for i in range(100)])
        t.check("100 tags accepted", len([k for k in c.get_run(b).data.tags if k.startswith("t")]), 100)
        # the client splits what exceeds the server's per-request limits into several requests
        c.log_batch(b, metrics=[Metric("x", float(i), T0, i) for i in range(1001)])
        t.check("1001 metrics: client splits, all written", len(c.get_metric_history(b, "x")), 1001)
        c.log_batch(b, params=[Param(f"q{i}", "1") for i in range(101)])
        t.check("101 params: client splits, all written", len([k for k in c.get_run(b).data.params
                                                               if k.startswith("q")]), 101)
        t.raises("batch changing a param",
                 lambda: c.log_batch(b, params=[Param("p1", "changed")], metrics=[Metric("z", 1.0, T0, 0)]),
                 "INVALID_PARAMETER_VALUE", 400)
        after = c.get_run(b)
        t.check("param unchanged after a rejected batch", after.data.params["p1"], "1")
        t.check("rejected batch wrote no metric", "z" in after.data.metrics, False)
        t.raises("same param twice in one batch",
                 lambda: c.log_batch(b, params=[Param("dup", "1"), Param("dup", "1")]), "INVALID_PARAMETER_VALUE", 400)
        t.raises("same key, two values in one batch",
                 lambda: c.log_batch(b, params=[Param("dup2", "1"), Param("dup2", "2")]),
                 "INVALID_PARAMETER_VALUE", 400)
        c.log_batch(b, metrics=[Metric("rep", 1.0, T0, 0), Metric("rep", 2.0, T0 + 1, 0)])
        t.check("same metric twice in one batch", sorted(m.value for m in c.get_metric_history(b, "rep")), [1.0, 2.0])
        c.log_batch(b, metrics=[Metric("nanb", float("nan"), T0, 0), Metric("infb", float("inf"), T0, 1)])
        got = c.get_run(b).data.metrics
        t.check("batch NaN and inf", (math.isnan(got["nanb"]), got["infb"]), (True, sys.float_info.max))
        c.log_batch(b)
        t.check("empty batch accepted", c.get_run(b).info.run_id == b)

    with t.section("search_runs"):
        runs = []
        for i, (acc, loss, model) in enumerate([(0.9, 0.3, "lr"), (0.7, 0.5, "rf"), (0.8, None, "lr"),
                                                 (0.95, 0.1, "svm")]):
            r = c.create_run(exp_id, run_name=f"search-{i}", start_time=T0 + 100 + i,
                             tags={"kind": "search", "family": model})
            c.log_param(r.info.run_id, "model", model)
            c.log_metric(r.info.run_id, "acc", acc, timestamp=T0, step=0)
            if loss is not None:
                c.log_metric(r.info.run_id, "loss", loss, timestamp=T0, step=0)
            runs.append(r.info.run_id)
        c.set_terminated(runs[3], status="FINISHED", end_time=T0 + 200)
        ids = {rid_: f"search-{i}" for i, rid_ in enumerate(runs)}

        def names(found):
            return [ids.get(r.info.run_id, r.info.run_name) for r in found]

        base = "tags.kind = 'search'"
        t.check("default order start_time DESC", names(c.search_runs([exp_id], base)),
                ["search-3", "search-2", "search-1", "search-0"])
        t.check("metric filter >", names(c.search_runs([exp_id], base + " AND metrics.acc > 0.85",
                                                       order_by=["metrics.acc DESC"])), ["search-3", "search-0"])
        t.check("metric filter <=", names(c.search_runs([exp_id], base + " AND metrics.acc <= 0.8",
                                                        order_by=["metrics.acc ASC"])), ["search-1", "search-2"])
        t.check("param filter =", sorted(names(c.search_runs([exp_id], base + " AND params.model = 'lr'"))),
                ["search-0", "search-2"])
        t.check("param filter !=", sorted(names(c.search_runs([exp_id], base + " AND params.model != 'lr'"))),
                ["search-1", "search-3"])
        t.check("tag LIKE", sorted(names(c.search_runs([exp_id], "tags.family LIKE 's%'"))), ["search-3"])
        t.check("tag ILIKE", sorted(names(c.search_runs([exp_id], "tags.family ILIKE 'S%'"))), ["search-3"])
        t.check("attribute status", names(c.search_runs([exp_id], base + " AND attributes.status = 'FINISHED'")),
                ["search-3"])
        t.check("run_name attribute", names(c.search_runs([exp_id], "attributes.run_name = 'search-1'")),
                ["search-1"])
        t.check("run_id IN", sorted(names(c.search_runs(
            [exp_id], f"attributes.run_id IN ('{runs[0]}', '{runs[1]}')"))), ["search-0", "search-1"])
        t.check("backticked tag key", sorted(names(c.search_runs([exp_id], base + " AND tags.`family` = 'rf'"))),
                ["search-1"])
        t.check("missing metric sorts last ASC", names(c.search_runs([exp_id], base, order_by=["metrics.loss ASC"])),
                ["search-3", "search-0", "search-1", "search-2"])
        t.check("missing metric sorts last DESC",
                names(c.search_runs([exp_id], base, order_by=["metrics.loss DESC"])),
                ["search-1", "search-0", "search-3", "search-2"])
        t.check("order by param then name", names(c.search_runs(
            [exp_id], base, order_by=["params.model ASC", "attributes.run_name DESC"])),
                ["search-2", "search-0", "search-1", "search-3"])
        page1 = c.search_runs([exp_id], base, max_results=3, order_by=["attributes.start_time ASC"])
        t.check("page 1", names(page1), ["search-0", "search-1", "search-2"])
        t.check("page 1 token", page1.token, IsType(str))
        page2 = c.search_runs([exp_id], base, max_results=3, order_by=["attributes.start_time ASC"],
                              page_token=page1.token)
        t.check("page 2", names(page2), ["search-3"])
        t.check("page 2 no token", page2.token, None)
        t.check("search carries data", {k: v for k, v in c.search_runs(
            [exp_id], "attributes.run_name = 'search-0'")[0].data.params.items()}, {"model": "lr"})
        t.raises("bad filter", lambda: c.search_runs([exp_id], "metrics.acc >>> 1"), "INVALID_PARAMETER_VALUE", 400)
        t.raises("max_results over 50000", lambda: c.search_runs([exp_id], base, max_results=50001),
                 "INVALID_PARAMETER_VALUE", 400)
        c.delete_run(runs[1])
        t.check("deleted run hidden", sorted(names(c.search_runs([exp_id], base))),
                ["search-0", "search-2", "search-3"])
        t.check("deleted-only view", names(c.search_runs([exp_id], base, run_view_type=ViewType.DELETED_ONLY)),
                ["search-1"])
        t.check("get deleted run lifecycle", c.get_run(runs[1]).info.lifecycle_stage, "deleted")
        t.raises("log to a deleted run", lambda: c.log_metric(runs[1], "acc", 1.0), "INVALID_PARAMETER_VALUE", 400)
        c.restore_run(runs[1])
        t.check("restored run visible", len(c.search_runs([exp_id], base)), 4)

    with t.section("log_inputs"):
        d = c.create_run(exp_id, run_name="inputs-run", start_time=T0).info.run_id
        ds = Dataset(name="iris-train", digest="abc123", source_type="local",
                     source='{"uri": "/data/iris.csv"}', schema='{"mlflow_colspec": []}',
                     profile='{"num_rows": 150}')
        c.log_inputs(d, [DatasetInput(ds, tags=[InputTag("mlflow.data.context", "training")])])
        ds2 = Dataset(name="iris-eval", digest="def456", source_type="http", source='{"url": "http://x/y.csv"}')
        c.log_inputs(d, [DatasetInput(ds2, tags=[InputTag("mlflow.data.context", "eval")])])
        c.log_inputs(d, [DatasetInput(ds, tags=[InputTag("mlflow.data.context", "training")])])
        got = sorted(c.get_run(d).inputs.dataset_inputs, key=lambda i: i.dataset.name)
        t.check("two dataset inputs, no duplicate", [i.dataset.name for i in got], ["iris-eval", "iris-train"])
        t.check("dataset fields", {k: getattr(got[1].dataset, k) for k in
                                   ("name", "digest", "source_type", "source", "schema", "profile")},
                {"name": "iris-train", "digest": "abc123", "source_type": "local", "source": '{"uri": "/data/iris.csv"}',
                 "schema": '{"mlflow_colspec": []}', "profile": '{"num_rows": 150}'})
        t.check("input tags", [(tg.key, tg.value) for tg in got[1].tags], [("mlflow.data.context", "training")])
        t.check("search by dataset name", [r.info.run_id == d for r in c.search_runs(
            [exp_id], "datasets.name = 'iris-eval'")], [True])
        t.check("search by dataset context", [r.info.run_id == d for r in c.search_runs(
            [exp_id], "datasets.context = 'training'")], [True])
        t.check("run without inputs", len(c.get_run(state.get("batch", d)).inputs.dataset_inputs), 0)

    with t.section("experiment_delete_cascades"):
        e2 = c.create_experiment(t.unique("compat_tracking_cascade"))
        r2 = c.create_run(e2, run_name="cascaded").info.run_id
        c.delete_experiment(e2)
        t.check("run soft-deleted with its experiment", c.get_run(r2).info.lifecycle_stage, "deleted")
        t.check("run hidden from active search", len(c.search_runs([e2])), 0)
        t.raises("create run in deleted experiment", lambda: c.create_run(e2), "INVALID_PARAMETER_VALUE", 400)
        c.restore_experiment(e2)
        t.check("run restored with its experiment", c.get_run(r2).info.lifecycle_stage, "active")
        c.delete_run(r2)
        t.check("delete_run alone", c.get_run(r2).info.lifecycle_stage, "deleted")
