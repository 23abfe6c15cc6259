"""What several scenarios share: clients, small models, the ONNX fixture, polling."""
import json
import os
import sys
import time
from pathlib import Path

import mlflow
from mlflow import MlflowClient

# the repository root: this file is local/src/test/python/mlflow_compat/common.py
REPO = Path(__file__).resolve().parents[5]
ONNX_FIXTURE = REPO / "functions/model-format/src/test/resources/onnx-models/sklearn-iris-zipmap"

CLIENT_VERSION = mlflow.__version__
CLIENT_MAJOR = int(CLIENT_VERSION.split(".")[0])


def client(t):
    return MlflowClient(tracking_uri=t.url, registry_uri=t.url)


def use_server(url):
    """Points the fluent API at ``url`` and leaves no run active."""
    while mlflow.active_run() is not None:
        mlflow.end_run()
    mlflow.set_tracking_uri(url)
    mlflow.set_registry_uri(url)


def name_kw(path):
    """``log_model``'s keyword for where the model goes: ``name`` from 3.x on, ``artifact_path`` before."""
    return {"name": path} if CLIENT_MAJOR >= 3 else {"artifact_path": path}


def tiny_classifier():
    """A fitted LogisticRegression on 8 rows of 2 features, with its inputs and predictions."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    x = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [2.0, 2.0], [3.0, 3.0], [2.5, 3.5], [0.5, 0.2]])
    y = np.array([0, 0, 0, 1, 1, 1, 1, 0])
    model = LogisticRegression().fit(x, y)
    return model, x, model.predict(x)


def iris():
    import pandas as pd
    from sklearn.datasets import load_iris
    data = load_iris(as_frame=True)
    return data.data.rename(columns=lambda c: c.replace(" (cm)", "").replace(" ", "_")), pd.Series(data.target)


def onnx_fixture():
    """The sklearn-iris-zipmap fixture: (onnx ModelProto, expected.json as a dict)."""
    import onnx
    ensure_onnxruntime_importable()
    return onnx.load(str(ONNX_FIXTURE / "model" / "model.onnx")), json.loads(
        (ONNX_FIXTURE / "expected.json").read_text())


def ensure_onnxruntime_importable():
    """``mlflow.onnx`` imports onnxruntime only to read its session options; stand in for it when it is missing."""
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        import types
        stub = types.ModuleType("onnxruntime")
        stub.__version__ = "1.17.0"

        class SessionOptions:
            pass

        def inference_session(*args, **kwargs):
            raise RuntimeError("onnxruntime is not installed: the suite only logs ONNX models, it never runs them")

        stub.SessionOptions = SessionOptions
        stub.InferenceSession = inference_session
        sys.modules["onnxruntime"] = stub


def wait_ready(c, name, version, timeout_s=60):
    """Polls a model version until it leaves PENDING_REGISTRATION; returns it."""
    deadline = time.time() + timeout_s
    while True:
        mv = c.get_model_version(name, version)
        if mv.status != "PENDING_REGISTRATION" or time.time() > deadline:
            return mv
        time.sleep(0.2)


def tree(root):
    """Relative file paths under ``root`` with their bytes."""
    out = {}
    for dirpath, _, files in os.walk(root):
        for f in files:
            p = Path(dirpath) / f
            out[str(p.relative_to(root))] = p.read_bytes()
    return out
