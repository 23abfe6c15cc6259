"""The fluent API: set_experiment, start_run nesting, logging, search_runs, sklearn autolog, register and load."""
import mlflow

from ..common import client, iris
from ..harness import NUMERIC_ID, RUN_ID, Satisfies, scenario


@scenario("fluent")
def fluent(t):
    c = client(t)
    state = {}

    with t.section("set_experiment"):
        name = t.unique("compat_fluent")
        exp = mlflow.set_experiment(name)
        t.check("creates a missing experiment", exp.name, name)
        t.check("experiment id", exp.experiment_id, NUMERIC_ID)
        again = mlflow.set_experiment(name)
        t.check("finds it again", again.experiment_id == exp.experiment_id)
        by_id = mlflow.set_experiment(experiment_id=exp.experiment_id)
        t.check("by id", by_id.name, name)
        state["exp"] = exp.experiment_id

    with t.section("runs"):
        with mlflow.start_run(run_name="parent") as parent:
            mlflow.log_param("level", "parent")
            with mlflow.start_run(run_name="child", nested=True) as child:
                t.check("active run is the child", mlflow.active_run().info.run_id == child.info.run_id)
                mlflow.log_params({"level": "child", "lr": 0.1})
                mlflow.log_metrics({"acc": 0.5, "loss": 1.5}, step=1)
                mlflow.log_metric("acc", 0.75, step=2)
                mlflow.set_tags({"phase": "nested", "k": "v"})
            t.check("parent active again", mlflow.active_run().info.run_id == parent.info.run_id)
            try:
                mlflow.start_run(run_name="not-nested")
                t.check("second top-level run refused", False)
            except Exception as exc:  # raised by the client
                t.check("second top-level run refused", type(exc).__name__, "Exception")
        t.check("no active run after", mlflow.active_run(), None)
        child_run = c.get_run(child.info.run_id)
        t.check("child parentRunId tag", child_run.data.tags.get("mlflow.parentRunId") == parent.info.run_id)
        t.check("child params", child_run.data.params, {"level": "child", "lr": "0.1"})
        t.check("child metrics", child_run.data.metrics, {"acc": 0.75, "loss": 1.5})
        t.check("child tags", {k: v for k, v in child_run.data.tags.items() if not k.startswith("mlflow.")},
                {"phase": "nested", "k": "v"})
        t.check("child status", child_run.info.status, "FINISHED")
        t.check("parent status", c.get_run(parent.info.run_id).info.status, "FINISHED")
        t.check("source tags set by the client", sorted(k for k in child_run.data.tags if k in (
            "mlflow.source.name", "mlflow.source.type", "mlflow.user", "mlflow.runName")),
                ["mlflow.runName", "mlflow.source.name", "mlflow.source.type", "mlflow.user"])
        with mlflow.start_run(run_id=child.info.run_id):
            mlflow.log_metric("resumed", 1.0)
        t.check("resumed run logs", c.get_run(child.info.run_id).data.metrics.get("resumed"), 1.0)
        try:
            with mlflow.start_run(run_name="fails"):
                raise ValueError("boom")
        except ValueError:
            pass
        failed = mlflow.last_active_run()
        t.check("exception marks run FAILED", c.get_run(failed.info.run_id).info.status, "FAILED")
        df = mlflow.search_runs(experiment_ids=[state["exp"]], filter_string="params.level = 'child'")
        t.check("search_runs DataFrame rows", len(df), 1)
        t.check("search_runs DataFrame columns", sorted(col for col in df.columns if col.startswith(
            ("metrics.", "params."))), ["metrics.acc", "metrics.loss", "metrics.resumed", "params.level",
                                        "params.lr"])
        listed = mlflow.search_runs(experiment_ids=[state["exp"]], output_format="list",
                                    order_by=["attributes.run_name ASC"])
        t.check("search_runs list", [r.info.run_name for r in listed], ["child", "fails", "parent"])

    with t.section("autolog"):
        from sklearn.linear_model import LogisticRegression
        x, y = iris()
        mlflow.sklearn.autolog(log_input_examples=True, silent=True)
        try:
            with mlflow.start_run(run_name="autolog") as run:
                model = LogisticRegression(max_iter=300, C=0.5).fit(x, y)
        finally:
            mlflow.sklearn.autolog(disable=True)
        rid = run.info.run_id
        state["autolog_run"], state["model"], state["x"] = rid, model, x
        got = c.get_run(rid)
        t.check("params logged", {k: got.data.params.get(k) for k in ("C", "max_iter", "penalty")},
                {"C": "0.5", "max_iter": "300", "penalty": "l2"})
        t.check("training metrics logged", sorted(k for k in got.data.metrics if k.startswith("training_")),
                ["training_accuracy_score", "training_f1_score", "training_log_loss", "training_precision_score",
                 "training_recall_score", "training_roc_auc", "training_score"])
        t.check("estimator tags", {k: got.data.tags.get(k) for k in ("estimator_name", "estimator_class")},
                {"estimator_name": "LogisticRegression",
                 "estimator_class": "sklearn.linear_model._logistic.LogisticRegression"})
        t.check("training dataset input", [(i.dataset.source_type, [(tg.key, tg.value) for tg in i.tags])
                                           for i in got.inputs.dataset_inputs],
                [("code", [("mlflow.data.context", "train")])])
        if t.v3:
            outputs = got.outputs.model_outputs if got.outputs else []
            t.check("model logged as a run output", len(outputs), 1)
        else:
            t.check("model folder among run artifacts", sorted(f.path for f in c.list_artifacts(rid, "model")),
                    ["model/MLmodel", "model/conda.yaml", "model/input_example.json", "model/metadata",
                     "model/model.pkl", "model/python_env.yaml", "model/requirements.txt"])
        loaded = mlflow.pyfunc.load_model(f"runs:/{rid}/model")
        t.check("load runs:/<run>/model predicts", loaded.predict(x).tolist(), model.predict(x).tolist())
        t.check("signature inputs", [i.name for i in loaded.metadata.get_input_schema().inputs],
                ["sepal_length", "sepal_width", "petal_length", "petal_width"])

    with t.section("register_and_load"):
        rid, model, x = state["autolog_run"], state["model"], state["x"]
        name = t.unique("compat-fluent-iris")
        mv = mlflow.register_model(f"runs:/{rid}/model", name)
        t.check("register_model creates version 1", mv.version, "1")
        t.check("register_model status", mv.status, "READY")
        t.check("register_model run_id", mv.run_id, rid)
        t.check("register_model source", mv.source, Satisfies(
            lambda s: s.startswith("models:/m-") if t.v3 else s == c.get_run(rid).info.artifact_uri + "/model",
            "models:/<model id> (3.x), the run's artifact URI + /model (2.x)"))
        mv2 = mlflow.register_model(f"runs:/{rid}/model", name)
        t.check("second register_model: version 2", mv2.version, "2")
        c.set_registered_model_alias(name, "champion", "1")
        expected = model.predict(x).tolist()
        t.check("load models:/name/1", mlflow.pyfunc.load_model(f"models:/{name}/1").predict(x).tolist(), expected)
        t.check("load models:/name@champion",
                mlflow.pyfunc.load_model(f"models:/{name}@champion").predict(x).tolist(), expected)
        t.check("load models:/name/latest",
                mlflow.pyfunc.load_model(f"models:/{name}/latest").predict(x).tolist(), expected)
        t.check("sklearn flavor load models:/name@champion", mlflow.sklearn.load_model(
            f"models:/{name}@champion").predict(x).tolist(), expected)
        with mlflow.start_run(run_name="log-and-register") as run:
            info = mlflow.sklearn.log_model(model, registered_model_name=name, pip_requirements=["scikit-learn"],
                                            **({"name": "m2"} if t.v3 else {"artifact_path": "m2"}))
        t.check("log_model with registered_model_name: version 3",
                sorted(mv.version for mv in c.search_model_versions(f"name = '{name}'")), ["1", "2", "3"])
        t.check("version 3 run", c.get_model_version(name, "3").run_id, run.info.run_id)
        t.check("model_uri", info.model_uri, Satisfies(
            lambda u: u.startswith("models:/m-") if t.v3 else u == f"runs:/{run.info.run_id}/m2",
            "models:/<model id> (3.x), runs:/<run>/m2 (2.x)"))
        t.check("run_id", info.run_id, RUN_ID)
