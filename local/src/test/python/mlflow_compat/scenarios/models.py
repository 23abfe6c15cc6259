"""Models in MLflow's format: an mlflow.onnx model (logged, registered, loaded; served by Capstan) and an sklearn
pickle (registered READY; Capstan adds its servability verdict)."""
import requests

import mlflow

from ..common import client, name_kw, onnx_fixture, tiny_classifier, wait_ready
from ..harness import Satisfies, scenario


def node_types(model):
    return [n.op_type for n in model.graph.node]


@scenario("onnx_model")
def onnx_model(t):
    import pandas as pd
    from mlflow.models import infer_signature
    c = client(t)
    onnx_proto, expected = onnx_fixture()
    frame = pd.DataFrame(expected["rows"], columns=expected["columns"])
    labels = expected["expected"]["output_label"]
    signature = infer_signature(frame, pd.DataFrame({"output_label": labels}))
    name = t.unique("compat-onnx-iris")
    state = {}

    with t.section("log"):
        mlflow.set_experiment(t.unique("compat_onnx"))
        with mlflow.start_run(run_name="onnx-iris") as run:
            info = mlflow.onnx.log_model(onnx_proto, "model", signature=signature,
                                         pip_requirements=["onnx", "onnxruntime"])
        state["info"], state["run"] = info, run.info.run_id
        t.check("flavors", sorted(info.flavors), ["onnx", "python_function"])
        t.check("pyfunc loader", info.flavors["python_function"]["loader_module"], "mlflow.onnx")
        t.check("signature inputs", [(s.name, s.type.name) for s in info.signature.inputs.inputs],
                [(col, "double") for col in expected["columns"]])
        t.check("model_uri", info.model_uri, Satisfies(
            lambda u: u.startswith("models:/m-") if t.v3 else u == f"runs:/{run.info.run_id}/model",
            "models:/<model id> (3.x), runs:/<run>/model (2.x)"))
        files = sorted(f.path.rsplit("/", 1)[-1] for f in mlflow.artifacts.list_artifacts(artifact_uri=info.model_uri))
        t.check("model files", [f for f in files if f in ("MLmodel", "model.onnx")], ["MLmodel", "model.onnx"])
        loaded = mlflow.onnx.load_model(info.model_uri)
        t.check("onnx.load_model graph", node_types(loaded), node_types(onnx_proto))
        t.check("onnx.load_model bytes", loaded.SerializeToString() == onnx_proto.SerializeToString())

    with t.section("register"):
        info = state["info"]
        mv = mlflow.register_model(info.model_uri, name)
        t.check("version", mv.version, "1")
        t.check("status", wait_ready(c, name, "1").status, "READY")
        t.check("run_id", mv.run_id, state["run"])
        c.set_registered_model_alias(name, "champion", "1")
        t.check("load models:/name@champion", node_types(mlflow.onnx.load_model(f"models:/{name}@champion")),
                node_types(onnx_proto))
        t.check("load models:/name/1 bytes", mlflow.onnx.load_model(
            f"models:/{name}/1").SerializeToString() == onnx_proto.SerializeToString())
        meta = mlflow.models.get_model_info(f"models:/{name}@champion")
        t.check("get_model_info signature outputs", [s.name for s in meta.signature.outputs.inputs], ["output_label"])

    with t.section("serve"):
        if not t.capstan:
            for check in ("invocations status", "invocations labels"):
                t.skip(check, "the stock tracking server does not serve models")
            return
        body = {"dataframe_split": {"columns": expected["columns"], "data": expected["rows"]}}
        response = requests.post(f"{t.url}/models/{name}@champion/invocations", json=body, timeout=60)
        answer = response.json() if response.headers.get("Content-Type", "").startswith("application/json") else {}
        t.check("invocations status", (response.status_code, answer.get("error_code")), (200, None))
        predictions = answer.get("predictions")
        if isinstance(predictions, dict):
            got = predictions.get("output_label")
        else:
            got = [row.get("output_label") if isinstance(row, dict) else row for row in predictions or []]
        t.check("invocations labels", got, labels)


@scenario("sklearn_pickle")
def sklearn_pickle(t):
    c = client(t)
    model, x, predicted = tiny_classifier()
    name = t.unique("compat-pickle")
    mlflow.set_experiment(t.unique("compat_pickle"))
    with mlflow.start_run(run_name="pickle") as run:
        info = mlflow.sklearn.log_model(model, pip_requirements=["scikit-learn"], **name_kw("model"))
    mv = mlflow.register_model(info.model_uri, name)
    t.check("version", mv.version, "1")
    t.check("status READY", wait_ready(c, name, "1").status, "READY")
    t.check("status_message", c.get_model_version(name, "1").status_message in (None, ""), True)
    t.check("run_id", mv.run_id, run.info.run_id)
    t.check("load models:/name/1 predicts", mlflow.pyfunc.load_model(f"models:/{name}/1").predict(x).tolist(),
            predicted.tolist())
    raw = requests.get(f"{t.url}/api/2.0/mlflow/model-versions/get", params={"name": name, "version": "1"},
                       timeout=30).json()["model_version"]
    if t.capstan:
        serving = raw.get("capstan_serving")
        t.check("capstan_serving verdict present", isinstance(serving, dict))
        t.check("capstan_serving: a pickle is not servable", (serving or {}).get("servable"), False)
    else:
        for check in ("capstan_serving verdict present", "capstan_serving: a pickle is not servable"):
            t.skip(check, "Capstan's extension")
    t.check("standard fields", sorted(k for k in raw if not k.startswith("capstan_")), Satisfies(
        lambda keys: {"name", "version", "creation_timestamp", "last_updated_timestamp", "current_stage", "source",
                      "run_id", "status"} <= set(keys), "includes name, version, timestamps, stage, source, run_id,"
                                                        " status"))
