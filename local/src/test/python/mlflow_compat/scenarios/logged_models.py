"""MLflow 3's LoggedModels: log_model creates one; get, search, tags, params, metrics, run outputs, models:/<id>."""
import mlflow

from ..common import client, tiny_classifier, wait_ready
from ..harness import MODEL_ID, NUMERIC_ID, Regex, Timestamp, scenario


@scenario("logged_models", clients=(3,))
def logged_models(t):
    from mlflow.entities import LoggedModelStatus
    c = client(t)
    model, x, predicted = tiny_classifier()
    state = {}

    with t.section("log_model"):
        exp = mlflow.set_experiment(t.unique("compat_logged_models"))
        state["exp"] = exp.experiment_id
        with mlflow.start_run(run_name="lm-run") as run:
            mlflow.log_param("C", "1.0")
            info = mlflow.sklearn.log_model(model, name="clf", params={"C": "1.0", "solver": "lbfgs"},
                                            pip_requirements=["scikit-learn"], model_type="classifier",
                                            tags={"team": "compat"})
            mlflow.log_metric("acc", 0.875, step=1, model_id=info.model_id)
        rid = run.info.run_id
        mid = info.model_id
        state.update(rid=rid, mid=mid)
        t.check("model_id", mid, MODEL_ID)
        t.check("model_uri", info.model_uri == f"models:/{mid}")
        lm = c.get_logged_model(mid)
        t.check("name", lm.name, "clf")
        t.check("status", lm.status, LoggedModelStatus.READY)
        t.check("experiment_id", lm.experiment_id == exp.experiment_id)
        t.check("source_run_id", lm.source_run_id, rid)
        t.check("model_type", lm.model_type, "classifier")
        t.check("artifact_location", lm.artifact_location,
                f"mlflow-artifacts:/{exp.experiment_id}/models/{mid}/artifacts")
        t.check("creation_timestamp", lm.creation_timestamp, Timestamp())
        t.check("last_updated_timestamp", lm.last_updated_timestamp, Timestamp())
        t.check("params", lm.params, {"C": "1.0", "solver": "lbfgs"})
        t.check("user tags", {k: v for k, v in lm.tags.items() if not k.startswith("mlflow.")}, {"team": "compat"})
        t.check("metrics with model_id", [(m.key, m.value, m.step, m.run_id == rid) for m in lm.metrics],
                [("acc", 0.875, 1, True)])
        got = c.get_run(rid)
        t.check("run outputs", [(o.model_id == mid, o.step) for o in got.outputs.model_outputs], [(True, 0)])
        t.check("run metric also logged", got.data.metrics.get("acc"), 0.875)
        files = sorted(f.path for f in mlflow.artifacts.list_artifacts(artifact_uri=info.model_uri))
        t.check("model files", [f for f in files if f in ("MLmodel", "model.pkl", "requirements.txt")],
                ["MLmodel", "model.pkl", "requirements.txt"])
        t.raises("get unknown model", lambda: c.get_logged_model("m-" + "0" * 32), "RESOURCE_DOES_NOT_EXIST", 404)

    with t.section("tags"):
        mid = state["mid"]
        c.set_logged_model_tags(mid, {"stage": "candidate", "owner": "suite"})
        t.check("set", {k: v for k, v in c.get_logged_model(mid).tags.items() if not k.startswith("mlflow.")},
                {"team": "compat", "stage": "candidate", "owner": "suite"})
        c.delete_logged_model_tag(mid, "owner")
        t.check("delete", {k: v for k, v in c.get_logged_model(mid).tags.items() if not k.startswith("mlflow.")},
                {"team": "compat", "stage": "candidate"})

    with t.section("search"):
        exp_id, mid = state["exp"], state["mid"]
        with mlflow.start_run(run_name="lm-run-2"):
            other = mlflow.sklearn.log_model(model, name="clf2", pip_requirements=["scikit-learn"])
        found = mlflow.search_logged_models(experiment_ids=[exp_id], output_format="list")
        t.check("all in experiment", sorted(m.name for m in found), ["clf", "clf2"])
        found = mlflow.search_logged_models(experiment_ids=[exp_id], filter_string="name = 'clf'",
                                            output_format="list")
        t.check("by name", [m.model_id == mid for m in found], [True])
        found = mlflow.search_logged_models(experiment_ids=[exp_id], filter_string="metrics.acc > 0.5",
                                            output_format="list")
        t.check("by metric", [m.name for m in found], ["clf"])
        found = mlflow.search_logged_models(experiment_ids=[exp_id], filter_string="params.solver = 'lbfgs'",
                                            output_format="list")
        t.check("by param", [m.name for m in found], ["clf"])
        found = mlflow.search_logged_models(experiment_ids=[exp_id], filter_string="tags.stage = 'candidate'",
                                            output_format="list")
        t.check("by tag", [m.name for m in found], ["clf"])
        found = mlflow.search_logged_models(experiment_ids=[exp_id], output_format="list",
                                            order_by=[{"field_name": "creation_timestamp", "ascending": True}])
        t.check("order by creation ASC", [m.name for m in found], ["clf", "clf2"])
        page = c.search_logged_models(experiment_ids=[exp_id], max_results=1,
                                      order_by=[{"field_name": "name", "ascending": False}])
        t.check("page 1", [m.name for m in page], ["clf2"])
        t.check("page 1 token", bool(page.token), True)
        page2 = c.search_logged_models(experiment_ids=[exp_id], max_results=1, page_token=page.token,
                                       order_by=[{"field_name": "name", "ascending": False}])
        t.check("page 2", [m.name for m in page2], ["clf"])
        frame = mlflow.search_logged_models(experiment_ids=[exp_id])
        t.check("DataFrame output", len(frame), 2)
        state["other"] = other.model_id

    with t.section("load_and_register"):
        mid = state["mid"]
        t.check("load models:/<model_id>", mlflow.pyfunc.load_model(f"models:/{mid}").predict(x).tolist(),
                predicted.tolist())
        t.check("load runs:/<run>/clf", mlflow.pyfunc.load_model(f"runs:/{state['rid']}/clf").predict(x).tolist(),
                predicted.tolist())
        name = t.unique("compat-lm")
        mv = mlflow.register_model(f"models:/{mid}", name)
        t.check("register version", mv.version, "1")
        t.check("register status", wait_ready(c, name, "1").status, "READY")
        t.check("version source", mv.source, f"models:/{mid}")
        # the stock server leaves the version's model_id unset; the source names the logged model
        t.check("version model_id unset", c.get_model_version(name, "1").model_id, None)
        t.check("version run_id", mv.run_id, state["rid"])
        mv2 = mlflow.register_model(f"runs:/{state['rid']}/clf", name)
        t.check("register runs:/ resolves to the logged model", (mv2.version, mv2.source), ("2", f"models:/{mid}"))
        c.set_registered_model_alias(name, "champion", "1")
        t.check("load models:/name@champion", mlflow.pyfunc.load_model(f"models:/{name}@champion").predict(x).tolist(),
                predicted.tolist())
        registered = mlflow.get_logged_model(mid)
        t.check("registration tag on the logged model", "mlflow.modelVersions" in registered.tags, True)

    with t.section("lifecycle"):
        exp_id = state["exp"]
        pending = c.create_logged_model(exp_id, name="manual", params={"k": "v"}, tags={"t": "1"})
        t.check("create status", pending.status, LoggedModelStatus.PENDING)
        t.check("create id", pending.model_id, MODEL_ID)
        t.check("create artifact_location", pending.artifact_location,
                f"mlflow-artifacts:/{exp_id}/models/{pending.model_id}/artifacts")
        done = c.finalize_logged_model(pending.model_id, LoggedModelStatus.READY)
        t.check("finalize READY", done.status, LoggedModelStatus.READY)
        failed = c.create_logged_model(exp_id, name="broken")
        t.check("finalize FAILED", c.finalize_logged_model(failed.model_id, LoggedModelStatus.FAILED).status,
                LoggedModelStatus.FAILED)
        c.delete_logged_model(failed.model_id)
        t.raises("deleted model gone", lambda: c.get_logged_model(failed.model_id), "RESOURCE_DOES_NOT_EXIST", 404)
        t.check("deleted model left out of search", sorted(m.name for m in mlflow.search_logged_models(
            experiment_ids=[exp_id], output_format="list")), ["clf", "clf2", "manual"])
        generated = c.create_logged_model(exp_id)
        t.check("generated name", generated.name, Regex(r"[a-z]+-[a-z]+-[0-9]+", "generated name adjective-noun-N"))
        t.check("experiment id of the logged model", generated.experiment_id, NUMERIC_ID)
