#!/usr/bin/python3
"""Builds the ONNX / MLflow model fixtures under ../resources/onnx-models/.

Each fixture is a folder holding `model/` (an MLflow model folder, as `mlflow.onnx.log_model` or
`mlflow.sklearn.log_model` of MLflow 2.12.2 writes it) and `expected.json` (held-out rows, reference
answers, tolerance, and what MLflow's scoring server answers for them). `INDEX.json` lists them all.

The graphs are the ones the real converters write:
  * sklearn models: skl2onnx 1.16.0's graphs (node types, attribute values, names, opsets), rebuilt
    here with onnx.helper, since skl2onnx is not a dependency of this project;
  * the tree ensemble: onnxmltools 1.12.0's XGBoost converter graph (one TreeEnsembleClassifier),
    rebuilt with onnx.helper from a scikit-learn GradientBoostingClassifier whose trees are written
    as XGBoost writes its own (strict `<` splits on float32 thresholds, eta-scaled leaves, logit base);
  * torch models: torch.onnx.export itself.
Every model is checked with onnx.checker and evaluated by a small numpy interpreter of the ONNX-ML
operators used (`run_graph`), whose answers must agree with scikit-learn / torch within the tolerance
written into expected.json (labels exactly).

Requirements: Debian's python3 with python3-onnx (1.12), python3-sklearn (1.2.1), python3-numpy,
python3-torch (1.13), python3-yaml. No network, no skl2onnx/onnxmltools/mlflow/onnxruntime.

    /usr/bin/python3 functions/model-format/src/test/python/make_onnx_fixtures.py

Reruns are byte-identical (fixed seeds, fixed ids and timestamps).
"""
import argparse
import csv
import hashlib
import io
import json
import pickle
import shutil
import sys
from pathlib import Path

import numpy as np
import onnx
import yaml
from onnx import TensorProto, helper, numpy_helper

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[4]
OUT_DEFAULT = HERE.parent / "resources" / "onnx-models"

MLFLOW_VERSION = "2.12.2"
PYTHON_VERSION = "3.11.2"
ONNX_VERSION = "1.12.0"
ONNXRUNTIME_VERSION = "1.17.3"
SKL2ONNX_VERSION = "1.16.0"
ONNXMLTOOLS_VERSION = "1.12.0"
# onnxmltools writes its shared converter library's version as producer_version: onnxconverter-common
ONNXCONVERTER_COMMON_VERSION = "1.14.0"
SKLEARN_VERSION = "1.2.1"
# what _PythonEnv.current() records on Debian bookworm's python3 (pip, setuptools, wheel from apt)
BUILD_DEPENDENCIES = ["pip==23.0.1", "setuptools==66.1.1", "wheel==0.38.4"]
PIP_VERSION = "23.0.1"

ML = "ai.onnx.ml"
IRIS_CLASSES = ["setosa", "versicolor", "virginica"]


# --------------------------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------------------------
def fixed_hex(*parts):
    """32 hex digits, stable per fixture (stands for uuid4().hex in real MLflow / skl2onnx)."""
    return hashlib.sha256(("capstan-fixture:" + ":".join(parts)).encode()).hexdigest()[:32]


def find_data_dir(arg):
    candidates = [Path(arg)] if arg else []
    candidates += [REPO.parent / "shared" / "data", REPO / "sagemaker-jobs" / "trainer" / "src" / "test" / "resources" / "data"]
    for c in candidates:
        if (c / "iris.csv").is_file():
            return c
    sys.exit("data sets not found; pass --data-dir (folder with iris.csv, wine.csv, breast_cancer.csv)")


def load_csv(data_dir, name):
    with open(data_dir / name, newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def holdout(n, k, seed):
    perm = np.random.RandomState(seed).permutation(n)
    return sorted(int(i) for i in perm[k:]), sorted(int(i) for i in perm[:k])


def f32(x):
    """A float32 value as the Python float (float64) that holds it exactly, as tolist() gives."""
    return float(np.float32(x))


def pretty_json(obj, indent=0, width=100):
    """JSON with containers kept on one line when they fit; floats in repr precision."""
    one = json.dumps(obj, ensure_ascii=False)
    if not isinstance(obj, (dict, list)) or len(one) + indent <= width or not obj:
        return one
    pad, pad1 = " " * indent, " " * (indent + 2)
    if isinstance(obj, dict):
        items = [pad1 + json.dumps(k, ensure_ascii=False) + ": " + pretty_json(v, indent + 2, width) for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    items = [pad1 + pretty_json(v, indent + 2, width) for v in obj]
    return "[\n" + ",\n".join(items) + "\n" + pad + "]"


def write_text(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="\n") as f:
        f.write(text)


# --------------------------------------------------------------------------------------------
# ONNX building (as skl2onnx / onnxmltools / torch write it)
# --------------------------------------------------------------------------------------------
def tensor_vi(name, elem_type, shape):
    return helper.make_tensor_value_info(name, elem_type, shape)


def zipmap_vi(name):
    """seq(map(int64, tensor(float))), the type skl2onnx gives ZipMap's output."""
    vi = onnx.ValueInfoProto()
    vi.name = name
    m = vi.type.sequence_type.elem_type.map_type
    m.key_type = TensorProto.INT64
    m.value_type.tensor_type.elem_type = TensorProto.FLOAT
    return vi


def make_model(graph, opsets, producer, producer_version, domain):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid(d, v) for d, v in opsets])
    model.ir_version = 8
    model.producer_name = producer
    model.producer_version = producer_version
    model.domain = domain
    model.model_version = 0
    model.doc_string = ""
    return model


def skl2onnx_model(name, nodes, inputs, outputs, opsets, initializers=()):
    graph = helper.make_graph(nodes, name, inputs, outputs, initializer=list(initializers))
    return make_model(graph, opsets, "skl2onnx", SKL2ONNX_VERSION, "ai.onnx")


def onnx_scaler(scaler, inp, out):
    # skl2onnx's StandardScaler converter: offset = mean_, scale = 1 / scale_
    return helper.make_node("Scaler", [inp], [out], name="Scaler", domain=ML,
                            offset=scaler.mean_.tolist(), scale=(1.0 / scaler.scale_).tolist())


def onnx_linear_classifier(clf, inp, labels_out, proba_out):
    """skl2onnx's LogisticRegression converter: LinearClassifier (+ Normalizer L1 added by caller)."""
    coefficients = clf.coef_.flatten().astype(float).tolist()
    intercepts = clf.intercept_.tolist()
    classes = clf.classes_
    if len(classes) == 2:
        coefficients = [-c for c in coefficients] + coefficients
        intercepts = [-c for c in intercepts] + intercepts
    ovr = clf.multi_class in ("ovr", "warn") or (clf.multi_class == "auto" and (classes.size <= 2 or clf.solver == "liblinear"))
    attrs = dict(coefficients=coefficients, intercepts=intercepts, multi_class=0 if clf.multi_class == "ovr" else 1,
                 post_transform="LOGISTIC" if ovr else "SOFTMAX")
    if all(isinstance(c, str) for c in classes):
        attrs["classlabels_strings"] = [str(c) for c in classes]
    else:
        attrs["classlabels_ints"] = [int(c) for c in classes]
    return helper.make_node("LinearClassifier", [inp], [labels_out, proba_out], name="LinearClassifier", domain=ML, **attrs)


def build_iris_zipmap(pipe, graph_name):
    scaler, clf = pipe.steps[0][1], pipe.steps[1][1]
    nodes = [
        onnx_scaler(scaler, "float_input", "variable"),
        onnx_linear_classifier(clf, "variable", "label", "probability_tensor"),
        helper.make_node("Cast", ["label"], ["output_label"], name="Cast", domain="", to=TensorProto.INT64),
        helper.make_node("Normalizer", ["probability_tensor"], ["probabilities"], name="Normalizer", domain=ML, norm="L1"),
        helper.make_node("ZipMap", ["probabilities"], ["output_probability"], name="ZipMap", domain=ML,
                         classlabels_int64s=[int(c) for c in clf.classes_]),
    ]
    return skl2onnx_model(graph_name, nodes, [tensor_vi("float_input", TensorProto.FLOAT, [None, 4])],
                          [tensor_vi("output_label", TensorProto.INT64, [None]), zipmap_vi("output_probability")],
                          [("", 9), (ML, 1)])


def build_iris_strings_nozipmap(pipe, graph_name):
    """options={id(pipe): {'zipmap': False}} and final_types naming the outputs output_label /
    output_probability: skl2onnx then ends each output with a Cast to its final type."""
    scaler, clf = pipe.steps[0][1], pipe.steps[1][1]
    nodes = [
        onnx_scaler(scaler, "float_input", "variable"),
        onnx_linear_classifier(clf, "variable", "label", "probability_tensor"),
        helper.make_node("Cast", ["label"], ["output_label"], name="Cast", domain="", to=TensorProto.STRING),
        helper.make_node("Normalizer", ["probability_tensor"], ["probabilities"], name="Normalizer", domain=ML, norm="L1"),
        helper.make_node("Cast", ["probabilities"], ["output_probability"], name="Cast1", domain="", to=TensorProto.FLOAT),
    ]
    return skl2onnx_model(graph_name, nodes, [tensor_vi("float_input", TensorProto.FLOAT, [None, 4])],
                          [tensor_vi("output_label", TensorProto.STRING, [None]),
                           tensor_vi("output_probability", TensorProto.FLOAT, [None, len(clf.classes_)])],
                          [(ML, 1), ("", 9)])


def build_wine_regressor(lr, graph_name, n_features):
    node = helper.make_node("LinearRegressor", ["float_input"], ["variable"], name="LinearRegressor", domain=ML,
                            coefficients=lr.coef_.astype(float).tolist(), intercepts=[float(lr.intercept_)])
    return skl2onnx_model(graph_name, [node], [tensor_vi("float_input", TensorProto.FLOAT, [None, n_features])],
                          [tensor_vi("variable", TensorProto.FLOAT, [None, 1])], [(ML, 1), ("", 17)])


def build_mixed(pipe, graph_name, num_cols, cat_col):
    """skl2onnx's graph for Pipeline(ColumnTransformer([OneHotEncoder on one string column,
    StandardScaler on two float columns]), LogisticRegression) with one input per column."""
    ct, clf = pipe.steps[0][1], pipe.steps[1][1]
    onehot, scaler = ct.named_transformers_["onehot"], ct.named_transformers_["scale"]
    a, b = num_cols
    n_cats = len(onehot.categories_[0])
    inits = [
        helper.make_tensor(cat_col + "0", TensorProto.INT64, [1], [0]),
        helper.make_tensor("shape_tensor", TensorProto.INT64, [2], [-1, n_cats]),
    ]
    nodes = [
        helper.make_node("Concat", [a, b], ["merged_columns"], name="Concat1", domain="", axis=1),
        helper.make_node("Gather", [cat_col, cat_col + "0"], [cat_col + "01"], name="Gather", domain="", axis=1),
        helper.make_node("OneHotEncoder", [cat_col + "01"], [cat_col + "01out"], name="OneHotEncoder", domain=ML,
                         cats_strings=[str(c) for c in onehot.categories_[0]], zeros=0 if onehot.handle_unknown == "error" else 1),
        onnx_scaler(scaler, "merged_columns", "variable1"),
        helper.make_node("Concat", [cat_col + "01out"], ["concat_result"], name="Concat", domain="", axis=-1),
        helper.make_node("Reshape", ["concat_result", "shape_tensor"], ["variable"], name="Reshape", domain=""),
        helper.make_node("Concat", ["variable", "variable1"], ["transformed_column"], name="Concat2", domain="", axis=1),
        onnx_linear_classifier(clf, "transformed_column", "label", "probability_tensor"),
        helper.make_node("Cast", ["label"], ["output_label"], name="Cast", domain="", to=TensorProto.INT64),
        helper.make_node("Normalizer", ["probability_tensor"], ["probabilities"], name="Normalizer", domain=ML, norm="L1"),
        helper.make_node("ZipMap", ["probabilities"], ["output_probability"], name="ZipMap", domain=ML,
                         classlabels_int64s=[int(c) for c in clf.classes_]),
    ]
    inputs = [tensor_vi(a, TensorProto.FLOAT, [None, 1]), tensor_vi(b, TensorProto.FLOAT, [None, 1]),
              tensor_vi(cat_col, TensorProto.STRING, [None, 1])]
    return skl2onnx_model(graph_name, nodes, inputs,
                          [tensor_vi("output_label", TensorProto.INT64, [None]), zipmap_vi("output_probability")],
                          [(ML, 1), ("", 13)], inits)


# ---- tree ensemble, written the way onnxmltools writes an XGBoost binary classifier ----------
def lt_threshold(t):
    """sklearn splits on float32(x) <= t (t a float64); XGBoost on x < s (s a float32).
    The float32 s just above the largest float32 <= t gives the same split for every float32 x."""
    a = np.float32(t)
    if float(a) > t:
        a = np.nextafter(a, np.float32(-np.inf))
    return np.nextafter(a, np.float32(np.inf))


def gb_as_xgboost_trees(gb):
    """Each sklearn regression tree of a binary GradientBoostingClassifier as XGBoost's JSON dump
    (booster.get_dump(dump_format='json', with_stats=True)) would hold it: nodeid in breadth-first
    order, 'yes' = x < split_condition, leaves already scaled by eta (the learning rate)."""
    trees = []
    for est in gb.estimators_[:, 0]:
        t = est.tree_
        order, queue = {}, [0]
        while queue:  # breadth-first ids, as XGBoost numbers its nodes
            n = queue.pop(0)
            order[n] = len(order)
            if t.children_left[n] != -1:
                queue += [int(t.children_left[n]), int(t.children_right[n])]

        def node(n, depth):
            if t.children_left[n] == -1:
                return {"nodeid": order[n], "leaf": float(np.float32(gb.learning_rate * t.value[n, 0, 0])),
                        "cover": float(t.n_node_samples[n])}
            left, right = int(t.children_left[n]), int(t.children_right[n])
            return {"nodeid": order[n], "depth": depth, "split": "f%d" % t.feature[n],
                    "split_condition": float(lt_threshold(t.threshold[n])),
                    "yes": order[left], "no": order[right], "missing": order[left],
                    "gain": float(t.impurity[n]), "cover": float(t.n_node_samples[n]),
                    "children": [node(left, depth + 1), node(right, depth + 1)]}
        trees.append(node(0, 0))
    return trees


def build_xgboost_classifier(js_trees, base_score, n_features, graph_name):
    """onnxmltools 1.12.0, convert_xgboost(XGBClassifier(objective='binary:logistic'),
    initial_types=[('input', FloatTensorType([None, n_features]))]): XGBClassifierConverter."""
    a = {k: [] for k in ("nodes_treeids", "nodes_nodeids", "nodes_featureids", "nodes_modes", "nodes_values",
                         "nodes_truenodeids", "nodes_falsenodeids", "nodes_missing_value_tracks_true",
                         "class_treeids", "class_nodeids", "class_ids", "class_weights")}

    def remap(js, m):
        m[js["nodeid"]] = len(m)
        for ch in js.get("children", []):
            remap(ch, m)
        return m

    def fill(tree_id, js, m):
        is_leaf = "children" not in js
        a["nodes_treeids"].append(tree_id)
        a["nodes_nodeids"].append(m[js["nodeid"]])
        a["nodes_featureids"].append(0 if is_leaf else int(js["split"][1:]))
        a["nodes_modes"].append("LEAF" if is_leaf else "BRANCH_LT")
        a["nodes_values"].append(0.0 if is_leaf else float(js["split_condition"]))
        a["nodes_truenodeids"].append(0 if is_leaf else m[js["yes"]])
        a["nodes_falsenodeids"].append(0 if is_leaf else m[js["no"]])
        a["nodes_missing_value_tracks_true"].append(False if is_leaf else js.get("missing", -1) == js["yes"])
        if is_leaf:
            a["class_treeids"].append(tree_id)
            a["class_nodeids"].append(m[js["nodeid"]])
            a["class_ids"].append(0)
            a["class_weights"].append(float(1 * js["leaf"]))
        for ch in js.get("children", []):
            fill(tree_id, ch, m)

    for tree_id, js in enumerate(js_trees):
        fill(tree_id, js, remap(js, {}))
    a["post_transform"] = "LOGISTIC"
    a["base_values"] = [-np.log(1 / np.float32(base_score) - 1.0)]
    a["classlabels_int64s"] = [0, 1]
    node = helper.make_node("TreeEnsembleClassifier", ["input"], ["label", "probabilities"], name="TreeEnsembleClassifier", domain=ML, **a)
    graph = helper.make_graph([node], graph_name, [tensor_vi("input", TensorProto.FLOAT, [None, n_features])],
                              [tensor_vi("label", TensorProto.INT64, [None]), tensor_vi("probabilities", TensorProto.FLOAT, [None, 2])])
    # no default-domain opset: the graph has no default-domain node and onnxconverter-common lists only used domains
    return make_model(graph, [(ML, 1)], "OnnxMLTools", ONNXCONVERTER_COMMON_VERSION, "onnxconverter-common")


# --------------------------------------------------------------------------------------------
# a numpy interpreter for the operators these graphs use (float32 arithmetic, as ONNX Runtime)
# --------------------------------------------------------------------------------------------
def _attrs(node):
    out = {}
    for a in node.attribute:
        v = helper.get_attribute_value(a)
        if isinstance(v, bytes):
            v = v.decode()
        elif isinstance(v, list) and v and isinstance(v[0], bytes):
            v = [x.decode() for x in v]
        out[a.name] = v
    return out


def _sigmoid(x):
    return (1.0 / (1.0 + np.exp(-x.astype(np.float32)))).astype(np.float32)


def _softmax(x):
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return (e / e.sum(axis=1, keepdims=True)).astype(np.float32)


def _tree_classifier(x, a):
    nodes = {}
    for i, (t, n) in enumerate(zip(a["nodes_treeids"], a["nodes_nodeids"])):
        nodes[(t, n)] = i
    leaf_w = {}
    for t, n, c, w in zip(a["class_treeids"], a["class_nodeids"], a["class_ids"], a["class_weights"]):
        leaf_w.setdefault((t, n), []).append((c, np.float32(w)))
    labels = a.get("classlabels_int64s") or a.get("classlabels_strings")
    n_cols = max(a["class_ids"]) + 1
    trees = sorted(set(a["nodes_treeids"]))
    values = np.array(a["nodes_values"], dtype=np.float32)
    scores = np.zeros((x.shape[0], n_cols), dtype=np.float32)
    for r in range(x.shape[0]):
        for t in trees:
            i = nodes[(t, 0)]
            while a["nodes_modes"][i] != "LEAF":
                v, thr, mode = x[r, a["nodes_featureids"][i]], values[i], a["nodes_modes"][i]
                go_true = {"BRANCH_LT": v < thr, "BRANCH_LEQ": v <= thr, "BRANCH_GT": v > thr, "BRANCH_GTE": v >= thr}[mode]
                if np.isnan(v):
                    go_true = bool(a["nodes_missing_value_tracks_true"][i])
                i = nodes[(t, a["nodes_truenodeids"][i] if go_true else a["nodes_falsenodeids"][i])]
            for c, w in leaf_w[(t, a["nodes_nodeids"][i])]:
                scores[r, c] += w
    base = np.array(a.get("base_values", [0.0] * n_cols), dtype=np.float32)
    scores = scores + base[:n_cols]
    if len(labels) == 2 and n_cols == 1:  # binary, one score column (ONNX Runtime's binary case)
        s = scores[:, 0]
        label = np.array([labels[1] if v > 0 else labels[0] for v in s])
        if a.get("post_transform", "NONE") == "LOGISTIC":
            proba = np.stack([_sigmoid(-s), _sigmoid(s)], axis=1)
        else:
            proba = np.stack([-s, s], axis=1)
        return label, proba.astype(np.float32)
    raise NotImplementedError("only the binary one-column ensemble is used here")


def run_graph(model, feeds):
    """Evaluates a graph on numpy feeds; returns {output name: value}."""
    env = {k: v for k, v in feeds.items()}
    for init in model.graph.initializer:
        env[init.name] = numpy_helper.to_array(init)
    for node in model.graph.node:
        a, x = _attrs(node), [env[i] for i in node.input]
        op = node.op_type
        if op == "Scaler":
            out = [((x[0].astype(np.float32) - np.float32(a["offset"])) * np.float32(a["scale"])).astype(np.float32)]
        elif op == "LinearClassifier":
            labels = a.get("classlabels_ints") or a.get("classlabels_strings")
            w = np.array(a["coefficients"], dtype=np.float32).reshape(len(labels), -1)
            s = (x[0].astype(np.float32) @ w.T + np.array(a["intercepts"], dtype=np.float32)).astype(np.float32)
            lab = np.array([labels[i] for i in s.argmax(axis=1)])
            pt = a.get("post_transform", "NONE")
            s = _softmax(s) if pt == "SOFTMAX" else _sigmoid(s) if pt == "LOGISTIC" else s
            out = [lab.astype(np.int64) if "classlabels_ints" in a else lab.astype(object), s]
        elif op == "LinearRegressor":
            w = np.array(a["coefficients"], dtype=np.float32).reshape(a.get("targets", 1), -1)
            out = [(x[0].astype(np.float32) @ w.T + np.array(a["intercepts"], dtype=np.float32)).astype(np.float32)]
        elif op == "Normalizer":
            assert a["norm"] == "L1"
            out = [(x[0] / np.abs(x[0]).sum(axis=1, keepdims=True)).astype(np.float32)]
        elif op == "Cast":
            to = {TensorProto.INT64: np.int64, TensorProto.FLOAT: np.float32, TensorProto.STRING: object}[a["to"]]
            out = [x[0].astype(to)]
        elif op == "ZipMap":
            keys = a.get("classlabels_int64s") or a.get("classlabels_strings")
            out = [[{k: float(v) for k, v in zip(keys, row)} for row in x[0]]]
        elif op == "TreeEnsembleClassifier":
            out = list(_tree_classifier(x[0].astype(np.float32), a))
        elif op == "Concat":
            out = [np.concatenate(x, axis=a["axis"])]
        elif op == "Gather":
            out = [np.take(x[0], x[1], axis=a.get("axis", 0))]
        elif op == "OneHotEncoder":
            cats = a.get("cats_strings") or a.get("cats_int64s")
            res = np.zeros(x[0].shape + (len(cats),), dtype=np.float32)
            for idx, v in np.ndenumerate(x[0]):
                if v in cats:
                    res[idx + (cats.index(v),)] = 1.0
                elif not a.get("zeros", 1):
                    raise ValueError("unknown category %r" % v)
            out = [res]
        elif op == "Reshape":
            out = [x[0].reshape([int(d) for d in x[1]])]
        else:
            raise NotImplementedError(op)
        for name, value in zip(node.output, out):
            env[name] = value
    return {o.name: env[o.name] for o in model.graph.output}


def io_description(model):
    """Inputs / outputs of a graph as plain JSON: name, element type and shape (null = dynamic)."""
    names = {TensorProto.FLOAT: "float", TensorProto.INT64: "int64", TensorProto.STRING: "string", TensorProto.DOUBLE: "double"}

    def describe(vi):
        t = vi.type
        if t.HasField("tensor_type"):
            dims = [d.dim_value if d.HasField("dim_value") else (d.dim_param or None) for d in t.tensor_type.shape.dim]
            return {"name": vi.name, "type": "tensor(%s)" % names[t.tensor_type.elem_type], "shape": dims}
        m = t.sequence_type.elem_type.map_type
        return {"name": vi.name, "type": "seq(map(%s,tensor(%s)))" % (names[m.key_type], names[m.value_type.tensor_type.elem_type]), "shape": None}
    return {"inputs": [describe(v) for v in model.graph.input], "outputs": [describe(v) for v in model.graph.output]}


# --------------------------------------------------------------------------------------------
# MLflow model folders, as MLflow 2.12.2 writes them
# --------------------------------------------------------------------------------------------
def col_spec(columns):
    """Schema.to_json() of ColSpecs: [{"type": ..., "name": ..., "required": true}, ...]"""
    return json.dumps([{"type": t, "name": n, "required": True} for n, t in columns])


def tensor_spec(tensors):
    """Schema.to_json() of TensorSpecs: [{"name": ..., "type": "tensor", "tensor-spec": {...}}]"""
    out = []
    for name, dtype, shape in tensors:
        spec = {"type": "tensor", "tensor-spec": {"dtype": dtype, "shape": list(shape)}}
        out.append(spec if name is None else {"name": name, **spec})
    return json.dumps(out)


def dataframe_example(columns, rows):
    """_Example of a pandas DataFrame: split orient without the index."""
    return {"columns": list(columns), "data": [list(r) for r in rows]}, {"artifact_path": "input_example.json", "type": "dataframe", "pandas_orient": "split"}


def ndarray_example(data):
    """_Example of a numpy array (or a dict of them): tf-serving 'inputs'."""
    return {"inputs": data}, {"artifact_path": "input_example.json", "type": "ndarray", "format": "tf-serving"}


def write_mlflow_model(model_dir, fixture, data_files, flavors, signature=None, example=None, requirements=(), created=None):
    """data_files: {file name: bytes} written first; then input_example.json; model_size_bytes is the
    folder size at that point (MLflow measures before writing MLmodel and the environment files)."""
    if model_dir.exists():
        shutil.rmtree(model_dir)
    model_dir.mkdir(parents=True)
    for name, data in data_files.items():
        (model_dir / name).write_bytes(data)
    mlmodel = {"artifact_path": "model", "flavors": flavors, "mlflow_version": MLFLOW_VERSION}
    if example is not None:
        write_text(model_dir / "input_example.json", json.dumps(example[0]))
        mlmodel["saved_input_example_info"] = example[1]
    mlmodel["model_size_bytes"] = sum(p.stat().st_size for p in model_dir.iterdir())
    mlmodel["model_uuid"] = fixed_hex(fixture, "model_uuid")
    mlmodel["run_id"] = fixed_hex(fixture, "run_id")
    if signature is not None:
        mlmodel["signature"] = {"inputs": signature[0], "outputs": signature[1], "params": None}
    mlmodel["utc_time_created"] = created
    write_text(model_dir / "MLmodel", yaml.safe_dump(mlmodel, default_flow_style=False))
    reqs = ["mlflow==" + MLFLOW_VERSION] + list(requirements)
    conda = {"channels": ["conda-forge"], "dependencies": ["python=" + PYTHON_VERSION, "pip<=" + PIP_VERSION, {"pip": reqs}], "name": "mlflow-env"}
    write_text(model_dir / "conda.yaml", yaml.safe_dump(conda, default_flow_style=False))
    write_text(model_dir / "requirements.txt", "\n".join(reqs))
    python_env = {"python": PYTHON_VERSION, "build_dependencies": BUILD_DEPENDENCIES, "dependencies": ["-r requirements.txt"]}
    write_text(model_dir / "python_env.yaml", yaml.safe_dump(python_env, sort_keys=False, default_flow_style=False))


def onnx_flavors():
    return {
        "onnx": {"code": None, "data": "model.onnx", "onnx_session_options": None, "onnx_version": ONNX_VERSION,
                 "providers": ["CUDAExecutionProvider", "CPUExecutionProvider"]},
        "python_function": {"data": "model.onnx", "env": {"conda": "conda.yaml", "virtualenv": "python_env.yaml"},
                            "loader_module": "mlflow.onnx", "python_version": PYTHON_VERSION},
    }


ONNX_REQUIREMENTS = ["onnx==" + ONNX_VERSION, "onnxruntime==" + ONNXRUNTIME_VERSION]


def write_onnx_fixture(out, fixture, model, created, signature=None, example=None):
    onnx.checker.check_model(model)
    data = model.SerializeToString()
    assert len(data) < 200_000, (fixture, len(data))
    for init in model.graph.initializer:  # mlflow.onnx saves with save_as_external_data=True: keep every
        assert len(init.raw_data) + 33 < 1024, init.name  # tensor under onnx's 1024-byte threshold
    write_mlflow_model(out / fixture / "model", fixture, {"model.onnx": data}, onnx_flavors(), signature, example,
                       ONNX_REQUIREMENTS, created)
    return data


def write_expected(out, fixture, doc):
    doc = {"fixture": fixture, **doc}
    if "servable" not in doc:
        doc = {"fixture": fixture, "description": doc["description"], "servable": True, **doc}
    write_text(out / fixture / "expected.json", pretty_json(doc) + "\n")


# --------------------------------------------------------------------------------------------
# checks against the reference answers
# --------------------------------------------------------------------------------------------
def max_abs_diff(a, b):
    return float(np.max(np.abs(np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64))))


def check_close(fixture, what, got, want, tol):
    d = max_abs_diff(got, want)
    if not d <= tol / 10:
        sys.exit("%s: %s differs from the reference by %g (tolerance %g)" % (fixture, what, d, tol))
    return d


def check_equal(fixture, what, got, want):
    if list(got) != list(want):
        sys.exit("%s: %s differ: %r vs %r" % (fixture, what, list(got), list(want)))


def check_margin(fixture, proba, minimum=1e-3):
    """No held-out row may sit so near a decision boundary that float32 could flip its label."""
    top2 = np.sort(np.asarray(proba), axis=1)[:, -2:]
    gap = float(np.min(top2[:, 1] - top2[:, 0]))
    if gap < minimum:
        sys.exit("%s: a held-out row has a probability gap of only %g" % (fixture, gap))


# --------------------------------------------------------------------------------------------
# the fixtures
# --------------------------------------------------------------------------------------------
def iris_data(data_dir):
    header, rows = load_csv(data_dir, "iris.csv")
    cols = header[:4]
    X = np.array([[float(v) for v in r[:4]] for r in rows])
    y_str = np.array([r[4] for r in rows])
    train, test = holdout(len(rows), 15, seed=11)
    return cols, X, y_str, train, test, [[float(v) for v in rows[i][:4]] for i in test]


def fit_iris(data_dir, string_labels):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler
    cols, X, y_str, train, test, rows = iris_data(data_dir)
    y = y_str if string_labels else np.array([IRIS_CLASSES.index(v) for v in y_str], dtype=np.int64)
    pipe = Pipeline([("scaler", StandardScaler()), ("clf", LogisticRegression(multi_class="multinomial", max_iter=1000))])
    pipe.fit(X[train], y[train])
    return pipe, cols, X[test], rows


def fixture_iris_zipmap(out, data_dir):
    name = "sklearn-iris-zipmap"
    pipe, cols, Xt, rows = fit_iris(data_dir, string_labels=False)
    model = build_iris_zipmap(pipe, fixed_hex(name, "graph"))
    labels, proba = pipe.predict(Xt), pipe.predict_proba(Xt)
    check_margin(name, proba)
    got = run_graph(model, {"float_input": Xt.astype(np.float32)})
    check_equal(name, "labels", got["output_label"], labels)
    tol = 1e-5
    check_close(name, "probabilities", [[m[k] for k in (0, 1, 2)] for m in got["output_probability"]], proba, tol)
    signature = (col_spec([(c, "double") for c in cols]), col_spec([("output_label", "long")]))
    data = write_onnx_fixture(out, name, model, "2024-05-06 09:30:11.112358", signature, dataframe_example(cols, rows[:3]))
    records = [{"output_label": int(l), "output_probability": {str(k): f32(v) for k, v in m.items()}}
               for l, m in zip(got["output_label"], got["output_probability"])]
    write_expected(out, name, {
        "description": "skl2onnx 1.16.0 default conversion of Pipeline(StandardScaler, LogisticRegression(multi_class='multinomial')) "
                       "fit on iris with labels 0=setosa, 1=versicolor, 2=virginica: Scaler -> LinearClassifier (SOFTMAX) -> "
                       "Normalizer (L1) -> ZipMap, label Cast to int64. Column signature (4 doubles); output signature "
                       "infer_signature(X, DataFrame({'output_label': predict(X)})).",
        "class_labels": {"0": "setosa", "1": "versicolor", "2": "virginica"},
        **io_description(model),
        "columns": cols,
        "rows": rows,
        "expected": {"output_label": [int(v) for v in labels],
                     "output_probability": [{str(k): float(p) for k, p in enumerate(r)} for r in proba]},
        "expected_from": "sklearn Pipeline.predict / predict_proba (float64)",
        "tolerance": tol,
        "invocations_request": {"dataframe_split": {"columns": cols, "data": rows}},
        "invocations_response": {"predictions": records},
        "invocations_note": "MLflow 2.12.2 pyfunc server: DataFrame values cast to float32, the single input fed as [N, 4]; each output "
                            "flattened with reshape(-1) into a DataFrame column; answered as records. Probabilities are the float32 "
                            "values ONNX Runtime returns (compare with the tolerance).",
    })
    return data, pipe, cols, rows


def fixture_iris_strings(out, data_dir):
    name = "sklearn-iris-strings-nozipmap"
    pipe, cols, Xt, rows = fit_iris(data_dir, string_labels=True)
    model = build_iris_strings_nozipmap(pipe, fixed_hex(name, "graph"))
    labels, proba = pipe.predict(Xt), pipe.predict_proba(Xt)
    check_margin(name, proba)
    got = run_graph(model, {"float_input": Xt.astype(np.float32)})
    check_equal(name, "labels", got["output_label"], labels)
    tol = 1e-5
    check_close(name, "probabilities", got["output_probability"], proba, tol)
    signature = (tensor_spec([("float_input", "float32", (-1, 4))]),
                 tensor_spec([("output_label", "str", (-1,)), ("output_probability", "float32", (-1, 3))]))
    example = ndarray_example(np.array(rows[:3], dtype=np.float32).tolist())
    write_onnx_fixture(out, name, model, "2024-05-06 09:31:12.213455", signature, example)
    inputs_request = {"inputs": rows}
    write_expected(out, name, {
        "description": "skl2onnx 1.16.0 conversion of the same iris pipeline fit on the string labels, with "
                       "options={id(pipeline): {'zipmap': False}} and final_types naming the outputs output_label (string [None]) "
                       "and output_probability (float [None, 3]); skl2onnx then ends each output with a Cast. Tensor signature "
                       "(float_input float32 [-1, 4]); outputs infer_signature of the ONNX outputs.",
        **io_description(model),
        "columns": cols,
        "rows": rows,
        "expected": {"output_label": [str(v) for v in labels], "output_probability": [[float(p) for p in r] for r in proba]},
        "expected_from": "sklearn Pipeline.predict / predict_proba (float64)",
        "tolerance": tol,
        "invocations_request": inputs_request,
        "invocations_response": {"predictions": {"output_label": [str(v) for v in got["output_label"]],
                                                 "output_probability": [[f32(p) for p in r] for r in got["output_probability"]]}},
        "invocations_note": "The tensor signature names one input, float_input, so MLflow 2.12.2 answers a tf-serving 'inputs' request "
                            "(rows as a list, mapped to float_input, cast to float32) with a dict of the outputs. A dataframe_split "
                            "request with the four iris columns is refused with 400 ('Model is missing inputs [\"float_input\"]'); "
                            "even past that, the wrapper's reshape(-1) would flatten output_probability to 3N values next to N labels, "
                            "and the DataFrame cannot be built.",
        "dataframe_split_request": {"dataframe_split": {"columns": cols, "data": rows}},
        "dataframe_split_response": None,
    })


def fit_wine(data_dir):
    from sklearn.linear_model import LinearRegression
    header, raw = load_csv(data_dir, "wine.csv")
    target = header.index("alcohol")
    cols = [c for c in header if c not in ("alcohol", "label")]
    idx = [header.index(c) for c in cols]
    X = np.array([[float(r[i]) for i in idx] for r in raw])
    y = np.array([float(r[target]) for r in raw])
    train, test = holdout(len(raw), 12, seed=5)
    lr = LinearRegression().fit(X[train], y[train])
    return lr, cols, X[test], [[float(raw[i][j]) for j in idx] for i in test]


def fixture_wine(out, data_dir):
    name = "sklearn-wine-regressor"
    lr, cols, Xt, rows = fit_wine(data_dir)
    model = build_wine_regressor(lr, fixed_hex(name, "graph"), len(cols))
    pred = lr.predict(Xt)
    got = run_graph(model, {"float_input": Xt.astype(np.float32)})["variable"]
    # float32 arithmetic: 12 products (proline up to ~1700) summed onto an intercept near 11; one ulp of 13 is
    # 9.5e-7 and the summation order of a GEMM kernel may move the answer by several ulps
    tol = 1e-4
    check_close(name, "variable", got[:, 0], pred, tol)
    signature = (col_spec([(c, "double") for c in cols]), tensor_spec([(None, "float64", (-1,))]))
    write_onnx_fixture(out, name, model, "2024-05-06 09:32:13.314552", signature, dataframe_example(cols, rows[:3]))
    write_expected(out, name, {
        "description": "skl2onnx 1.16.0 conversion of LinearRegression predicting alcohol from the 12 other numeric wine columns "
                       "(label dropped): one LinearRegressor node, output 'variable' float [None, 1]. Column signature (12 doubles); "
                       "output signature infer_signature(X, predict(X)) (an unnamed float64 tensor [-1]).",
        **io_description(model),
        "columns": cols,
        "rows": rows,
        "expected": {"variable": [[float(v)] for v in pred]},
        "expected_from": "sklearn LinearRegression.predict (float64)",
        "tolerance": tol,
        "tolerance_note": "ONNX computes in float32 and one ulp of 13 is 9.5e-7; the answer depends on the summation order of "
                          "12 products, so allow 1e-4 (measured max difference from sklearn here: %.3g)" % max_abs_diff(got[:, 0], pred),
        "invocations_request": {"dataframe_split": {"columns": cols, "data": rows}},
        "invocations_response": {"predictions": [{"variable": f32(v)} for v in got[:, 0]]},
        "invocations_note": "MLflow 2.12.2 pyfunc server: [N, 1] flattened by reshape(-1) to one value per row, answered as records.",
    })


def fit_breast_cancer(data_dir):
    from sklearn.ensemble import GradientBoostingClassifier
    header, raw = load_csv(data_dir, "breast_cancer.csv")
    cols = header[:30]
    X = np.array([[float(v) for v in r[:30]] for r in raw])
    y = np.array([0 if r[30] == "malignant" else 1 for r in raw], dtype=np.int64)
    train, test = holdout(len(raw), 20, seed=3)
    gb = GradientBoostingClassifier(n_estimators=10, max_depth=3, learning_rate=0.3, random_state=0).fit(X[train], y[train])
    prior = float(np.mean(y[train]))  # GradientBoostingClassifier's init: log-odds of the class-1 prior
    base = gb._raw_predict_init(X[:1])[0, 0]
    assert abs(base - np.log(prior / (1 - prior))) < 1e-12
    return gb, prior, cols, X, test, raw


def fixture_xgboost(out, data_dir):
    name = "xgboost-breast-cancer"
    gb, prior, cols, X, test, raw = fit_breast_cancer(data_dir)
    js_trees = gb_as_xgboost_trees(gb)
    model = build_xgboost_classifier(js_trees, prior, len(cols), fixed_hex(name, "graph"))
    # the ONNX ensemble must decide every row (train and test) exactly as sklearn does
    all_got = run_graph(model, {"input": X.astype(np.float32)})
    check_equal(name, "labels on all 569 rows", all_got["label"], gb.predict(X))
    tol = 1e-5
    check_close(name, "probabilities on all rows", all_got["probabilities"], gb.predict_proba(X), tol)
    Xt = X[test]
    rows = [[float(v) for v in raw[i][:30]] for i in test]
    labels, proba = gb.predict(Xt), gb.predict_proba(Xt)
    check_margin(name, proba)
    got = run_graph(model, {"input": Xt.astype(np.float32)})
    signature = (col_spec([(c, "double") for c in cols]), col_spec([("label", "long")]))
    write_onnx_fixture(out, name, model, "2024-05-06 09:33:14.415649", signature, dataframe_example(cols, rows[:3]))
    write_expected(out, name, {
        "description": "onnxmltools 1.12.0-style XGBoost binary classifier: one ai.onnx.ml TreeEnsembleClassifier (BRANCH_LT "
                       "splits, eta-scaled leaf weights all on class id 0, base_values = logit(base_score), post_transform LOGISTIC, "
                       "classlabels_int64s [0, 1]), input 'input' float [None, 30], outputs 'label' int64 [None] and "
                       "'probabilities' float [None, 2]. The trees are those of a scikit-learn GradientBoostingClassifier "
                       "(10 trees, depth 3, learning_rate 0.3) fit on breast_cancer with 0=malignant, 1=benign, written as XGBoost "
                       "writes its own; the ONNX ensemble reproduces sklearn's labels on all 569 rows. Column signature (30 doubles).",
        "class_labels": {"0": "malignant", "1": "benign"},
        **io_description(model),
        "columns": cols,
        "rows": rows,
        "expected": {"label": [int(v) for v in labels], "probabilities": [[float(p) for p in r] for r in proba]},
        "expected_from": "sklearn GradientBoostingClassifier.predict / predict_proba (float64)",
        "tolerance": tol,
        "invocations_request": {"dataframe_split": {"columns": cols, "data": rows}},
        "invocations_response": None,
        "invocations_note": "Not well defined in MLflow 2.12.2: its ONNX wrapper flattens each output with reshape(-1), so "
                            "'probabilities' [N, 2] becomes 2N values beside N labels and pandas refuses to build the DataFrame "
                            "('All arrays must be of the same length'): the server answers 400. invocations_response_per_row shows "
                            "the answer with each output kept per row.",
        "invocations_response_per_row": {"predictions": [{"label": int(l), "probabilities": [f32(p) for p in pr]}
                                                         for l, pr in zip(got["label"], got["probabilities"])]},
    })


def mixed_data():
    rng = np.random.RandomState(7)
    n = 100
    size = np.round(rng.normal(10.0, 2.0, n), 2)
    weight = np.round(rng.normal(50.0, 10.0, n), 1)
    color = rng.choice(["red", "green", "blue"], n)
    shift = np.array([{"red": 1.0, "green": 0.0, "blue": -1.0}[c] for c in color])
    y = ((0.8 * (size - 10.0) - 0.05 * (weight - 50.0) + shift + rng.normal(0.0, 0.7, n)) > 0).astype(np.int64)
    return size, weight, color, y


def fit_mixed():
    import pandas as pd
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler
    size, weight, color, y = mixed_data()
    df = pd.DataFrame({"size": size, "weight": weight, "color": color})
    train, test = holdout(len(y), 12, seed=8)
    ct = ColumnTransformer([("onehot", OneHotEncoder(), ["color"]), ("scale", StandardScaler(), ["size", "weight"])])
    pipe = Pipeline([("prep", ct), ("clf", LogisticRegression())]).fit(df.iloc[train], y[train])
    return pipe, df.iloc[test].reset_index(drop=True)


def fixture_mixed(out):
    name = "sklearn-mixed-columns"
    pipe, test_df = fit_mixed()
    cols = ["size", "weight", "color"]
    model = build_mixed(pipe, fixed_hex(name, "graph"), ["size", "weight"], "color")
    labels, proba = pipe.predict(test_df), pipe.predict_proba(test_df)
    check_margin(name, proba)
    feeds = {"size": test_df[["size"]].values.astype(np.float32), "weight": test_df[["weight"]].values.astype(np.float32),
             "color": test_df[["color"]].values.astype(object)}
    got = run_graph(model, feeds)
    check_equal(name, "labels", got["output_label"], labels)
    tol = 1e-5
    check_close(name, "probabilities", [[m[0], m[1]] for m in got["output_probability"]], proba, tol)
    rows = [[float(r.size), float(r.weight), str(r.color)] for r in test_df.itertuples()]
    signature = (col_spec([("size", "double"), ("weight", "double"), ("color", "string")]), col_spec([("output_label", "long")]))
    write_onnx_fixture(out, name, model, "2024-05-06 09:34:15.516746", signature, dataframe_example(cols, rows[:3]))
    write_expected(out, name, {
        "description": "skl2onnx 1.16.0 conversion of Pipeline(ColumnTransformer([('onehot', OneHotEncoder(), ['color']), "
                       "('scale', StandardScaler(), ['size', 'weight'])]), LogisticRegression()) with initial_types listing each "
                       "column: inputs size, weight (float [None, 1]) and color (string [None, 1]); Gather + OneHotEncoder + "
                       "Reshape, Concat + Scaler, Concat, LinearClassifier (LOGISTIC) + Normalizer + ZipMap. Synthetic data "
                       "(seed 7, 100 rows). Column signature (double, double, string).",
        **io_description(model),
        "columns": cols,
        "rows": rows,
        "expected": {"output_label": [int(v) for v in labels],
                     "output_probability": [{str(k): float(p) for k, p in enumerate(r)} for r in proba]},
        "expected_from": "sklearn Pipeline.predict / predict_proba on a pandas DataFrame (float64)",
        "tolerance": tol,
        "invocations_request": {"dataframe_split": {"columns": cols, "data": rows}},
        "invocations_response": None,
        "invocations_note": "Not well defined in MLflow 2.12.2: with more than one graph input the ONNX wrapper feeds each column "
                            "as data[name].values, a 1-D array of N, where the graph wants [N, 1]; ONNX Runtime refuses the rank "
                            "and the server answers 400. invocations_response_per_row shows the answer when each column is fed "
                            "as [N, 1] (float columns cast to float32).",
        "invocations_response_per_row": {"predictions": [{"output_label": int(l), "output_probability": {str(k): f32(v) for k, v in m.items()}}
                                                         for l, m in zip(got["output_label"], got["output_probability"])]},
    })


def torch_export(module, args, input_names, output_names, dynamic_axes):
    import torch
    buf = io.BytesIO()
    torch.onnx.export(module, args, buf, input_names=input_names, output_names=output_names,
                      dynamic_axes=dynamic_axes, opset_version=17)
    return onnx.load_from_string(buf.getvalue())


def fixture_torch_two_inputs(out):
    import torch
    name = "torch-two-inputs"
    torch.manual_seed(20240506)

    class TwoInputs(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.numeric_proj = torch.nn.Linear(4, 8)
            self.extra_proj = torch.nn.Linear(2, 8)
            self.head = torch.nn.Linear(8, 3)

        def forward(self, numeric, extra):
            embedding = torch.tanh(self.numeric_proj(numeric) + self.extra_proj(extra))
            return self.head(embedding), embedding

    net = TwoInputs().eval()
    rng = np.random.RandomState(21)
    numeric = np.round(rng.normal(0.0, 1.0, (10, 4)), 4).tolist()
    extra = np.round(rng.uniform(-1.0, 1.0, (10, 2)), 4).tolist()
    model = torch_export(net, (torch.zeros(2, 4), torch.zeros(2, 2)), ["numeric", "extra"], ["logits", "embedding"],
                         {n: {0: "batch"} for n in ("numeric", "extra", "logits", "embedding")})
    with torch.no_grad():
        logits, embedding = net(torch.tensor(numeric, dtype=torch.float32), torch.tensor(extra, dtype=torch.float32))
    logits, embedding = logits.numpy().tolist(), embedding.numpy().tolist()
    signature = (tensor_spec([("numeric", "float32", (-1, 4)), ("extra", "float32", (-1, 2))]),
                 tensor_spec([("logits", "float32", (-1, 3)), ("embedding", "float32", (-1, 8))]))
    example = ndarray_example({"numeric": np.array(numeric[:2], dtype=np.float32).tolist(),
                               "extra": np.array(extra[:2], dtype=np.float32).tolist()})
    write_onnx_fixture(out, name, model, "2024-05-06 09:35:16.617843", signature, example)
    rows = {"inputs": {"numeric": numeric, "extra": extra}}
    response = {"predictions": {"logits": logits, "embedding": embedding}}
    write_expected(out, name, {
        "description": "torch.onnx.export (torch 1.13, opset 17) of a seeded nn.Module with two named inputs: embedding = "
                       "tanh(Linear(4,8)(numeric) + Linear(2,8)(extra)), logits = Linear(8,3)(embedding); every input and output "
                       "has dynamic axis 0 'batch'. Tensor signature naming both inputs and both outputs.",
        **io_description(model),
        "rows": rows,
        "instances": {"instances": [{"numeric": n, "extra": e} for n, e in zip(numeric, extra)]},
        "expected": {"logits": logits, "embedding": embedding},
        "expected_from": "torch forward (float32)",
        "tolerance": 1e-5,
        "invocations_request": rows,
        "invocations_response": response,
        "invocations_request_instances": {"instances": [{"numeric": n, "extra": e} for n, e in zip(numeric, extra)]},
        "invocations_response_instances": response,
        "invocations_note": "MLflow 2.12.2 pyfunc server: tf-serving 'inputs' (columnar) or 'instances' (one object per row) become "
                            "a dict of float32 arrays; the wrapper returns a dict of the outputs, answered as is. A dataframe_split "
                            "request is not well defined (multi-dimensional tensors per input).",
    })


def fixture_torch_image(out):
    import torch
    name = "torch-image"
    torch.manual_seed(20240507)

    class TinyCnn(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = torch.nn.Conv2d(1, 4, kernel_size=3, padding=1)
            self.pool = torch.nn.MaxPool2d(2)
            self.fc = torch.nn.Linear(4 * 4 * 4, 3)

        def forward(self, image):
            x = self.pool(torch.relu(self.conv(image)))
            return self.fc(torch.flatten(x, 1))

    net = TinyCnn().eval()
    rng = np.random.RandomState(22)
    images = np.round(rng.uniform(0.0, 1.0, (10, 1, 8, 8)), 3).tolist()
    model = torch_export(net, (torch.zeros(2, 1, 8, 8),), ["image"], ["scores"], {"image": {0: "batch"}, "scores": {0: "batch"}})
    with torch.no_grad():
        scores = net(torch.tensor(images, dtype=torch.float32)).numpy().tolist()
    write_onnx_fixture(out, name, model, "2024-05-06 09:36:17.718940")
    write_expected(out, name, {
        "description": "torch.onnx.export (torch 1.13, opset 17) of a seeded tiny CNN: Conv2d(1,4,3,padding=1) -> ReLU -> "
                       "MaxPool2d(2) -> Flatten -> Linear(64,3); input image float [batch, 1, 8, 8], output scores [batch, 3]. "
                       "Logged without signature and without input example: MLmodel has no signature key at all.",
        **io_description(model),
        "rows": {"inputs": images},
        "expected": {"scores": scores},
        "expected_from": "torch forward (float32)",
        "tolerance": 1e-5,
        "invocations_request": {"inputs": images},
        "invocations_response": {"predictions": {"scores": scores}},
        "invocations_note": "MLflow 2.12.2 pyfunc server, no signature: 'inputs' becomes one float64 array, cast to float32 by the "
                            "ONNX wrapper and fed to the only input; the dict of outputs is answered as is.",
    })


def fixture_sklearn_pickle(out, data_dir):
    from sklearn.linear_model import LogisticRegression
    name = "sklearn-pickle"
    cols, X, y_str, train, test, rows = iris_data(data_dir)
    y = np.array([IRIS_CLASSES.index(v) for v in y_str], dtype=np.int64)
    clf = LogisticRegression(max_iter=1000).fit(X[train], y[train])
    pkl = pickle.dumps(clf, protocol=4)  # byte-identical to what cloudpickle 2.2 writes for mlflow.sklearn here
    flavors = {
        "python_function": {"env": {"conda": "conda.yaml", "virtualenv": "python_env.yaml"}, "loader_module": "mlflow.sklearn",
                            "model_path": "model.pkl", "predict_fn": "predict", "python_version": PYTHON_VERSION},
        "sklearn": {"code": None, "pickled_model": "model.pkl", "serialization_format": "cloudpickle", "sklearn_version": SKLEARN_VERSION},
    }
    signature = (col_spec([(c, "double") for c in cols]), tensor_spec([(None, "int64", (-1,))]))
    write_mlflow_model(out / name / "model", name, {"model.pkl": pkl}, flavors, signature, dataframe_example(cols, rows[:3]),
                       ["cloudpickle==2.2.0", "scikit-learn==" + SKLEARN_VERSION],
                       "2024-05-06 09:37:18.819037")
    write_expected(out, name, {
        "description": "An MLflow model folder as mlflow.sklearn.log_model writes it: flavors python_function (loader_module "
                       "mlflow.sklearn) and sklearn (pickled_model model.pkl, serialization_format cloudpickle); model.pkl a real "
                       "pickle of a LogisticRegression fit on iris. There is no onnx flavor and no model.onnx.",
        "servable": False,
        "reason": "no onnx flavor: Capstan serves ONNX only and must refuse this model without unpickling anything",
        "columns": cols,
        "rows": rows[:3],
        "expected": {"sklearn_predict": [int(v) for v in clf.predict(X[test][:3])]},
        "expected_from": "sklearn LogisticRegression.predict (for reference only; Capstan does not run pickles)",
    })


def fixture_corrupt(out, iris_dir):
    name = "corrupt-onnx"
    dst = out / name / "model"
    if dst.exists():
        shutil.rmtree(dst)
    shutil.copytree(iris_dir, dst)
    data = (iris_dir / "model.onnx").read_bytes()
    half = data[: len(data) // 2]
    try:
        onnx.load_from_string(half)
        sys.exit("corrupt-onnx: the truncated bytes still parse; pick another cut")
    except Exception:  # noqa: BLE001 - any decode error is what we want
        pass
    (dst / "model.onnx").write_bytes(half)
    write_expected(out, name, {
        "description": "The sklearn-iris-zipmap model folder (same MLmodel, same environment files and input example) with "
                       "model.onnx truncated to its first %d of %d bytes." % (len(half), len(data)),
        "servable": False,
        "reason": "model.onnx is not a valid ONNX ModelProto (protobuf decoding fails); MLmodel's model_size_bytes no longer matches",
    })


def fixture_signature_mismatch(out, iris_onnx, cols, rows):
    name = "signature-mismatch"
    five = cols + ["petal_ratio"]
    five_rows = [r + [round(r[2] / r[3], 4)] for r in rows]
    signature = (col_spec([(c, "double") for c in five]), col_spec([("output_label", "long")]))
    write_mlflow_model(out / name / "model", name, {"model.onnx": iris_onnx}, onnx_flavors(), signature,
                       dataframe_example(five, five_rows[:3]), ONNX_REQUIREMENTS, "2024-05-06 09:38:19.910134")
    write_expected(out, name, {
        "description": "The sklearn-iris-zipmap graph (byte-identical model.onnx, input float_input float [None, 4]) logged with "
                       "a column signature of 5 doubles: the 4 iris columns plus petal_ratio (and a 5-column input example).",
        "servable": False,
        "reason": "the signature declares 5 input columns but the graph's only input takes [None, 4]; MLflow 2.12.2 itself "
                  "loads the model and fails every request (the 5 columns reach ONNX Runtime as [N, 5]: invalid dimensions "
                  "for float_input, HTTP 400)",
        "columns": five,
        "rows": five_rows,
    })


FIXTURE_INDEX = [
    ("sklearn-iris-zipmap", "skl2onnx", True, "servable: one float input [None, 4] fed from the 4 signature columns; outputs "
     "output_label int64 [None] and output_probability as seq(map(int64, float)) (ZipMap) -> per-row {\"class\": p}"),
    ("sklearn-iris-strings-nozipmap", "skl2onnx", True, "servable: tensor signature (float_input float32 [-1, 4]); outputs "
     "output_label string [None] and output_probability float [None, 3], each kept per row"),
    ("sklearn-wine-regressor", "skl2onnx", True, "servable: 12 double columns -> float_input [None, 12]; output variable float "
     "[None, 1], one value per row; float32 answers, tolerance 1e-4"),
    ("xgboost-breast-cancer", "onnxmltools", True, "servable: 30 double columns -> input [None, 30]; TreeEnsembleClassifier outputs "
     "label int64 [None] and probabilities float [None, 2] (MLflow 2.12.2 itself fails on the [N, 2] output)"),
    ("torch-two-inputs", "torch", True, "servable: two named tensor inputs numeric [batch, 4] and extra [batch, 2], "
     "two outputs logits [batch, 3] and embedding [batch, 8]"),
    ("torch-image", "torch", True, "servable without a signature: the graph's input image [batch, 1, 8, 8] and output "
     "scores [batch, 3] are the only schema"),
    ("sklearn-mixed-columns", "skl2onnx", True, "servable: one graph input per column ([None, 1] each: size float, weight float, "
     "color string), fed from the column signature (double, double, string); ZipMap outputs"),
    ("sklearn-pickle", "mlflow.sklearn", False, "not servable: no onnx flavor (sklearn flavor with a pickle); refuse, do not unpickle"),
    ("corrupt-onnx", "skl2onnx (damaged)", False, "not servable: model.onnx truncated, it does not parse as an ONNX model"),
    ("signature-mismatch", "skl2onnx", False, "not servable: the signature lists 5 columns, the graph input takes [None, 4]"),
]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data-dir", help="folder with iris.csv, wine.csv, breast_cancer.csv (default: <repo>/../shared/data)")
    ap.add_argument("--out", default=str(OUT_DEFAULT), help="output folder (default: %(default)s)")
    args = ap.parse_args()
    if onnx.__version__ != ONNX_VERSION:
        print("warning: onnx %s, not %s: the files will not be byte-identical to the committed ones" % (onnx.__version__, ONNX_VERSION), file=sys.stderr)
    data_dir = find_data_dir(args.data_dir)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name, *_ in FIXTURE_INDEX:
        if (out / name).exists():
            shutil.rmtree(out / name)

    iris_onnx, _, cols, rows = fixture_iris_zipmap(out, data_dir)
    fixture_iris_strings(out, data_dir)
    fixture_wine(out, data_dir)
    fixture_xgboost(out, data_dir)
    fixture_torch_two_inputs(out)
    fixture_torch_image(out)
    fixture_mixed(out)
    fixture_sklearn_pickle(out, data_dir)
    fixture_corrupt(out, out / "sklearn-iris-zipmap" / "model")
    fixture_signature_mismatch(out, iris_onnx, cols, rows)

    index = {
        "generated_by": "functions/model-format/src/test/python/make_onnx_fixtures.py",
        "layout": "<fixture>/model/ is the MLflow model folder (MLmodel, model.onnx or model.pkl, environment files); "
                  "<fixture>/expected.json holds rows, reference answers and tolerance",
        "fixtures": [{"name": n, "path": n + "/model", "expected": n + "/expected.json", "kind": k, "servable": s, "conclusion": c}
                     for n, k, s, c in FIXTURE_INDEX],
    }
    write_text(out / "INDEX.json", pretty_json(index) + "\n")
    print("wrote %d fixtures under %s" % (len(FIXTURE_INDEX), out))


if __name__ == "__main__":
    main()
