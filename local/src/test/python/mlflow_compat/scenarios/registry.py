"""The model registry through MlflowClient: models, versions, stages, aliases, tags, search, errors."""
import tempfile
import warnings
from pathlib import Path

import mlflow

from ..common import client, tiny_classifier, wait_ready
from ..harness import IsType, Timestamp, scenario


def versions(found):
    return sorted((int(mv.version) for mv in found))


@scenario("registry")
def registry(t):
    warnings.simplefilter("ignore", FutureWarning)  # stages and get_latest_versions are deprecated, still served
    c = client(t)
    state = {}
    model, x, _ = tiny_classifier()
    exp_id = c.create_experiment(t.unique("compat_registry"))
    mlflow.set_experiment(experiment_id=exp_id)
    # the model goes in as plain run artifacts (saved, then uploaded), so runs:/<run>/model names the same files for
    # every client version (3.x's log_model would put it under a LoggedModel instead: see the logged_models scenario)
    saved = Path(tempfile.mkdtemp(prefix="compat-registry-model-")) / "model"
    mlflow.sklearn.save_model(model, str(saved), pip_requirements=["scikit-learn"])
    rid = c.create_run(exp_id, run_name="registry-source").info.run_id
    c.log_artifacts(rid, str(saved), "model")
    artifact_uri = c.get_run(rid).info.artifact_uri

    with t.section("registered_models"):
        name = t.unique("compat-reg")
        rm = c.create_registered_model(name, tags={"team": "compat"}, description="first description")
        t.check("create name", rm.name, name)
        t.check("create description", rm.description, "first description")
        t.check("create tags", rm.tags, {"team": "compat"})
        t.check("create creation_timestamp", rm.creation_timestamp, Timestamp())
        t.check("create last_updated_timestamp", rm.last_updated_timestamp, Timestamp())
        t.check("create no versions", rm.latest_versions, [])
        t.raises("create duplicate", lambda: c.create_registered_model(name), "RESOURCE_ALREADY_EXISTS", 400)
        t.raises("create empty name", lambda: c.create_registered_model(""), "INVALID_PARAMETER_VALUE", 400)
        got = c.get_registered_model(name)
        t.check("get name", got.name, name)
        t.check("get aliases empty", got.aliases, {})
        c.update_registered_model(name, description="second description")
        t.check("update description", c.get_registered_model(name).description, "second description")
        c.set_registered_model_tag(name, "team", "compat-2")
        c.set_registered_model_tag(name, "extra", "x")
        t.check("set tags", c.get_registered_model(name).tags, {"team": "compat-2", "extra": "x"})
        c.delete_registered_model_tag(name, "extra")
        t.check("delete tag", c.get_registered_model(name).tags, {"team": "compat-2"})
        t.check("delete missing tag is accepted", c.delete_registered_model_tag(name, "never"), None)
        renamed = t.unique("compat-reg-renamed")
        c.rename_registered_model(name, renamed)
        t.check("rename", c.get_registered_model(renamed).name, renamed)
        t.raises("old name gone", lambda: c.get_registered_model(name), "RESOURCE_DOES_NOT_EXIST", 404)
        t.check("renamed keeps tags", c.get_registered_model(renamed).tags, {"team": "compat-2"})
        other = t.unique("compat-reg-other")
        c.create_registered_model(other)
        t.raises("rename onto an existing name", lambda: c.rename_registered_model(renamed, other),
                 "RESOURCE_ALREADY_EXISTS", 400)
        t.raises("get unknown", lambda: c.get_registered_model(t.unique("compat-reg-none")),
                 "RESOURCE_DOES_NOT_EXIST", 404)
        t.raises("update unknown", lambda: c.update_registered_model(t.unique("compat-reg-none"), description="d"),
                 "RESOURCE_DOES_NOT_EXIST", 404)
        state["name"] = renamed

    name = state.get("name", t.unique("compat-reg-renamed"))

    with t.section("versions"):
        mv1 = c.create_model_version(name, f"runs:/{rid}/model", rid, tags={"origin": "runs"},
                                     description="from runs:/")
        t.check("v1 version", mv1.version, "1")
        t.check("v1 source as given", mv1.source, f"runs:/{rid}/model")
        t.check("v1 run_id", mv1.run_id, rid)
        t.check("v1 current_stage", mv1.current_stage, "None")
        t.check("v1 description", mv1.description, "from runs:/")
        t.check("v1 tags", mv1.tags, {"origin": "runs"})
        t.check("v1 creation_timestamp", mv1.creation_timestamp, Timestamp())
        t.check("v1 status", wait_ready(c, name, "1").status, "READY")
        mv2 = c.create_model_version(name, f"{artifact_uri}/model", rid)
        t.check("v2 from artifact URI: version", mv2.version, "2")
        t.check("v2 source as given", mv2.source, f"{artifact_uri}/model")
        t.check("v2 status", wait_ready(c, name, "2").status, "READY")
        mv3 = c.create_model_version(name, f"{artifact_uri}/model")
        t.check("v3 without run_id: version", mv3.version, "3")
        t.check("v3 run_id empty", mv3.run_id in (None, ""), True)
        t.check("v3 status", wait_ready(c, name, "3").status, "READY")
        got = c.get_model_version(name, "1")
        t.check("get v1 name", got.name, name)
        t.check("get v1 aliases", got.aliases, [])
        t.check("get v1 last_updated_timestamp", got.last_updated_timestamp, Timestamp())
        t.check("registered model lists latest", [mv.version for mv in c.get_registered_model(name).latest_versions],
                ["3"])
        c.update_model_version(name, "2", description="updated")
        t.check("update description", c.get_model_version(name, "2").description, "updated")
        c.set_model_version_tag(name, "2", "validated", "yes")
        c.set_model_version_tag(name, "2", "temp", "1")
        c.delete_model_version_tag(name, "2", "temp")
        t.check("version tags", c.get_model_version(name, "2").tags, {"validated": "yes"})
        t.check("delete missing version tag is accepted", c.delete_model_version_tag(name, "2", "never"), None)
        t.raises("get unknown version", lambda: c.get_model_version(name, "99"), "RESOURCE_DOES_NOT_EXIST", 404)
        t.raises("version of unknown model", lambda: c.create_model_version(
            t.unique("compat-reg-none"), f"runs:/{rid}/model", rid), "RESOURCE_DOES_NOT_EXIST", 404)
        uri = c.get_model_version_download_uri(name, "1")
        t.check("download uri of a runs:/ source", uri, f"runs:/{rid}/model")
        t.check("download uri of an artifact URI source", c.get_model_version_download_uri(name, "2"),
                f"{artifact_uri}/model")
        dst = Path(tempfile.mkdtemp(prefix="compat-registry-"))
        local = mlflow.artifacts.download_artifacts(artifact_uri=f"models:/{name}/1", dst_path=str(dst))
        t.check("models:/name/1 download has MLmodel", (Path(local) / "MLmodel").is_file())
        loaded = mlflow.pyfunc.load_model(f"models:/{name}/2")
        t.check("load models:/name/2 predicts", [int(v) for v in loaded.predict(x)],
                [int(v) for v in model.predict(x)])

    with t.section("stages"):
        mv = c.transition_model_version_stage(name, "1", "Production")
        t.check("transition returns stage", mv.current_stage, "Production")
        c.transition_model_version_stage(name, "2", "staging")
        t.check("stage name canonical", c.get_model_version(name, "2").current_stage, "Staging")
        c.transition_model_version_stage(name, "3", "production", archive_existing_versions=True)
        t.check("archive_existing_versions", [c.get_model_version(name, v).current_stage for v in ("1", "2", "3")],
                ["Archived", "Staging", "Production"])
        t.check("latest Production", [mv.version for mv in c.get_latest_versions(name, ["Production"])], ["3"])
        t.check("latest Staging+Archived", sorted(mv.version for mv in c.get_latest_versions(
            name, ["Staging", "Archived"])), ["1", "2"])
        t.check("latest every stage", sorted((mv.current_stage, mv.version) for mv in c.get_latest_versions(name)),
                [("Archived", "1"), ("Production", "3"), ("Staging", "2")])
        t.raises("unknown stage", lambda: c.transition_model_version_stage(name, "1", "Live"),
                 "INVALID_PARAMETER_VALUE", 400)
        t.raises("latest of unknown model", lambda: c.get_latest_versions(t.unique("compat-reg-none")),
                 "RESOURCE_DOES_NOT_EXIST", 404)
        c.transition_model_version_stage(name, "1", "None")
        t.check("back to None", c.get_model_version(name, "1").current_stage, "None")
        t.check("stage URI models:/name/Production", [int(v) for v in mlflow.pyfunc.load_model(
            f"models:/{name}/Production").predict(x)], [int(v) for v in model.predict(x)])

    with t.section("aliases"):
        c.set_registered_model_alias(name, "champion", "2")
        c.set_registered_model_alias(name, "challenger", "3")
        t.check("by alias", c.get_model_version_by_alias(name, "champion").version, "2")
        t.check("model aliases", c.get_registered_model(name).aliases, {"champion": "2", "challenger": "3"})
        t.check("version aliases", c.get_model_version(name, "2").aliases, ["champion"])
        c.set_registered_model_alias(name, "champion", "3")
        t.check("alias moved", c.get_model_version_by_alias(name, "champion").version, "3")
        t.check("moved alias left v2", c.get_model_version(name, "2").aliases, [])
        t.check("two aliases on v3", sorted(c.get_model_version(name, "3").aliases), ["challenger", "champion"])
        c.delete_registered_model_alias(name, "challenger")
        t.check("deleted alias", c.get_registered_model(name).aliases, {"champion": "3"})
        t.raises("get deleted alias", lambda: c.get_model_version_by_alias(name, "challenger"),
                 "INVALID_PARAMETER_VALUE", 400)
        t.raises("alias to unknown version", lambda: c.set_registered_model_alias(name, "x", "99"),
                 "RESOURCE_DOES_NOT_EXIST", 404)
        t.raises("alias named like a version", lambda: c.set_registered_model_alias(name, "v1", "1"),
                 "INVALID_PARAMETER_VALUE", 400)
        t.raises("alias 'latest'", lambda: c.set_registered_model_alias(name, "latest", "1"),
                 "INVALID_PARAMETER_VALUE", 400)
        t.check("load models:/name@champion predicts", [int(v) for v in mlflow.pyfunc.load_model(
            f"models:/{name}@champion").predict(x)], [int(v) for v in model.predict(x)])

    with t.section("search"):
        prefix = t.unique("compat-search")
        for i in range(3):
            c.create_registered_model(f"{prefix}-{i}", tags={"idx": str(i), "kind": "even" if i % 2 == 0 else "odd"})
            c.create_model_version(f"{prefix}-{i}", f"runs:/{rid}/model", rid)
        page = c.search_registered_models(filter_string=f"name LIKE '{prefix}-%'", max_results=2,
                                          order_by=["name ASC"])
        t.check("models page 1", [m.name for m in page], [f"{prefix}-0", f"{prefix}-1"])
        t.check("models page 1 token", page.token, IsType(str))
        page2 = c.search_registered_models(filter_string=f"name LIKE '{prefix}-%'", max_results=2,
                                           order_by=["name ASC"], page_token=page.token)
        t.check("models page 2", [m.name for m in page2], [f"{prefix}-2"])
        t.check("models page 2 no token", page2.token, "")
        t.check("models order DESC", [m.name for m in c.search_registered_models(
            filter_string=f"name LIKE '{prefix}-%'", order_by=["name DESC"])],
                [f"{prefix}-2", f"{prefix}-1", f"{prefix}-0"])
        t.check("models by exact name", [m.name for m in c.search_registered_models(
            filter_string=f"name = '{prefix}-1'")], [f"{prefix}-1"])
        t.check("models by tag", sorted(m.name for m in c.search_registered_models(
            filter_string=f"name LIKE '{prefix}-%' AND tags.kind = 'even'")), [f"{prefix}-0", f"{prefix}-2"])
        t.check("models ILIKE", len(c.search_registered_models(filter_string=f"name ILIKE '{prefix.upper()}-%'")), 3)
        t.check("search result carries latest versions", [[v.version for v in m.latest_versions] for m in
                                                          c.search_registered_models(filter_string=f"name = '{prefix}-0'")],
                [["1"]])
        t.raises("models bad filter", lambda: c.search_registered_models(filter_string="name ~ 'x'"),
                 "INVALID_PARAMETER_VALUE", 400)
        t.raises("models max_results over 1000", lambda: c.search_registered_models(max_results=1001),
                 "INVALID_PARAMETER_VALUE", 400)
        t.check("versions by name", versions(c.search_model_versions(f"name = '{name}'")), [1, 2, 3])
        t.check("versions by run_id", versions(c.search_model_versions(f"name = '{name}' AND run_id = '{rid}'")),
                [1, 2])
        t.check("versions by run_id IN", len(c.search_model_versions(f"run_id IN ('{rid}')")), 5)
        t.check("versions by name LIKE", len(c.search_model_versions(f"name LIKE '{prefix}-%'")), 3)
        t.check("versions by source_path", versions(c.search_model_versions(
            f"name = '{name}' AND source_path = '{artifact_uri}/model'")), [2, 3])
        t.check("versions by tag", versions(c.search_model_versions(f"name = '{name}' AND tags.validated = 'yes'")),
                [2])
        page = c.search_model_versions(f"name = '{name}'", max_results=2, order_by=["version_number ASC"])
        t.check("versions page 1", [mv.version for mv in page], ["1", "2"])
        page2 = c.search_model_versions(f"name = '{name}'", max_results=2, order_by=["version_number ASC"],
                                        page_token=page.token)
        t.check("versions page 2", [mv.version for mv in page2], ["3"])
        t.check("versions page 2 no token", page2.token, "")
        t.check("versions order DESC", [mv.version for mv in c.search_model_versions(
            f"name = '{name}'", order_by=["version_number DESC"])], ["3", "2", "1"])
        t.raises("versions bad filter", lambda: c.search_model_versions("version ~ 1"), "INVALID_PARAMETER_VALUE", 400)

    with t.section("delete"):
        c.delete_model_version(name, "2")
        t.raises("deleted version gone", lambda: c.get_model_version(name, "2"), "RESOURCE_DOES_NOT_EXIST", 404)
        mv4 = c.create_model_version(name, f"runs:/{rid}/model", rid)
        t.check("numbers not reused", mv4.version, "4")
        t.check("remaining versions", versions(c.search_model_versions(f"name = '{name}'")), [1, 3, 4])
        t.raises("delete unknown version", lambda: c.delete_model_version(name, "2"), "RESOURCE_DOES_NOT_EXIST", 404)
        c.delete_registered_model(name)
        t.raises("deleted model gone", lambda: c.get_registered_model(name), "RESOURCE_DOES_NOT_EXIST", 404)
        t.check("its versions gone", len(c.search_model_versions(f"name = '{name}'")), 0)
        t.raises("delete unknown model", lambda: c.delete_registered_model(name), "RESOURCE_DOES_NOT_EXIST", 404)
        c.create_registered_model(name)
        t.check("name reusable after delete; numbering restarts",
                c.create_model_version(name, f"runs:/{rid}/model", rid).version, "1")
