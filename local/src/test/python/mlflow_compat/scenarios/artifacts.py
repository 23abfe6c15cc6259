"""Proxied artifacts: upload files and folders, list every level, download files and folders, by run and by URI."""
import os
import tempfile
from pathlib import Path

import mlflow

from ..common import client, tree
from ..harness import scenario

BINARY = bytes(range(256)) * 64  # 16 KiB holding every byte value
TEXT = "héllo wörld\nsecond line\n"


def listing(c, run_id, path=None):
    return sorted((f.path, f.is_dir, f.file_size) for f in c.list_artifacts(run_id, path))


@scenario("artifacts")
def artifacts(t):
    c = client(t)
    work = Path(tempfile.mkdtemp(prefix="compat-artifacts-"))
    exp_id = c.create_experiment(t.unique("compat_artifacts"))
    run = c.create_run(exp_id, run_name="artifacts-run")
    rid = run.info.run_id

    src = work / "src"
    (src / "a" / "b").mkdir(parents=True)
    (src / "empty").mkdir()
    (src / "a" / "b" / "deep.txt").write_text("deep\n")
    (src / "a" / "data.bin").write_bytes(BINARY)
    (src / "a" / "with space.txt").write_text("spaced\n")
    (src / "top.txt").write_text(TEXT, encoding="utf-8")
    (src / "zero.txt").write_bytes(b"")
    single = work / "single.json"
    single.write_text('{"k": [1, 2, 3]}')

    with t.section("upload"):
        c.log_artifacts(rid, str(src))
        c.log_artifacts(rid, str(src / "a"), artifact_path="copy/of/a")
        c.log_artifact(rid, str(single))
        c.log_artifact(rid, str(single), artifact_path="nested/dir")
        t.check("uploads finished", True)

    with t.section("list"):
        t.check("root", listing(c, rid), [
            ("a", True, None), ("copy", True, None), ("nested", True, None), ("single.json", False, 16),
            ("top.txt", False, len(TEXT.encode())), ("zero.txt", False, None)])  # size 0 is left out
        t.check("empty folder not uploaded", "empty" in [f.path for f in c.list_artifacts(rid)], False)
        t.check("a", listing(c, rid, "a"), [
            ("a/b", True, None), ("a/data.bin", False, len(BINARY)), ("a/with space.txt", False, 7)])
        t.check("a/b", listing(c, rid, "a/b"), [("a/b/deep.txt", False, 5)])
        t.check("a/ with trailing slash", listing(c, rid, "a/b/"), [("a/b/deep.txt", False, 5)])
        t.check("copy/of/a", listing(c, rid, "copy/of/a"), [
            ("copy/of/a/b", True, None), ("copy/of/a/data.bin", False, len(BINARY)),
            ("copy/of/a/with space.txt", False, 7)])
        t.check("copy/of", listing(c, rid, "copy/of"), [("copy/of/a", True, None)])
        t.check("nested/dir", listing(c, rid, "nested/dir"), [("nested/dir/single.json", False, 16)])
        t.check("missing folder lists empty", listing(c, rid, "no/such/folder"), [])
        t.check("a file path lists empty", listing(c, rid, "top.txt"), [])
        t.check("fluent list_artifacts by run", sorted(f.path for f in mlflow.artifacts.list_artifacts(
            run_id=rid, artifact_path="a/b")), ["a/b/deep.txt"])
        t.check("list by artifact URI", sorted(f.path for f in mlflow.artifacts.list_artifacts(
            artifact_uri=run.info.artifact_uri + "/nested")), ["nested/dir"])

    with t.section("download"):
        dst = work / "dl1"
        dst.mkdir()
        path = c.download_artifacts(rid, "a/data.bin", str(dst))
        t.check("binary file bytes", Path(path).read_bytes() == BINARY)
        # 2.x keeps the artifact's folders under dst_path, 3.x puts the file straight into it
        t.check("binary file lands under dst", os.path.relpath(path, dst), "data.bin" if t.v3 else "a/data.bin")
        path = c.download_artifacts(rid, "top.txt", str(dst))
        t.check("utf-8 text", Path(path).read_text(encoding="utf-8"), TEXT)
        path = c.download_artifacts(rid, "zero.txt", str(dst))
        t.check("empty file", Path(path).read_bytes(), b"")
        path = c.download_artifacts(rid, "a/with space.txt", str(dst))
        t.check("name with a space", Path(path).read_text(), "spaced\n")
        dst2 = work / "dl2"
        dst2.mkdir()
        path = c.download_artifacts(rid, "a", str(dst2))
        got = tree(path)
        t.check("folder download tree", sorted(got), ["b/deep.txt", "data.bin", "with space.txt"])
        t.check("folder download bytes", got.get("data.bin") == BINARY and got.get("b/deep.txt") == b"deep\n")
        dst3 = work / "dl3"
        dst3.mkdir()
        path = c.download_artifacts(rid, "", str(dst3))
        t.check("whole run download", sorted(tree(path)), [
            "a/b/deep.txt", "a/data.bin", "a/with space.txt", "copy/of/a/b/deep.txt", "copy/of/a/data.bin",
            "copy/of/a/with space.txt", "nested/dir/single.json", "single.json", "top.txt", "zero.txt"])
        missing = work / "dl4"
        missing.mkdir()
        try:
            c.download_artifacts(rid, "no/such/file.txt", str(missing))
            t.check("missing file download fails", False)
        except Exception as exc:  # the error type is what the client makes of the server's answer
            t.check("missing file download fails", type(exc).__name__, "MlflowException")

    with t.section("download_by_uri"):
        dst = work / "uri1"
        dst.mkdir()
        path = mlflow.artifacts.download_artifacts(artifact_uri=f"runs:/{rid}/a/b/deep.txt", dst_path=str(dst))
        t.check("runs:/ file", Path(path).read_text(), "deep\n")
        path = mlflow.artifacts.download_artifacts(artifact_uri=f"runs:/{rid}/copy", dst_path=str(dst))
        t.check("runs:/ folder", sorted(tree(path)), ["of/a/b/deep.txt", "of/a/data.bin", "of/a/with space.txt"])
        path = mlflow.artifacts.download_artifacts(artifact_uri=run.info.artifact_uri + "/a/data.bin",
                                                   dst_path=str(dst))
        t.check("mlflow-artifacts:/ file", Path(path).read_bytes() == BINARY)
        path = mlflow.artifacts.download_artifacts(artifact_uri=run.info.artifact_uri + "/nested",
                                                   dst_path=str(work / "uri2"))
        t.check("mlflow-artifacts:/ folder", sorted(tree(path)), ["dir/single.json"])
        path = mlflow.artifacts.download_artifacts(run_id=rid, artifact_path="single.json", dst_path=str(dst))
        t.check("run_id + artifact_path", Path(path).read_text(), '{"k": [1, 2, 3]}')

    with t.section("fluent_logging"):
        mlflow.set_experiment(experiment_id=exp_id)
        with mlflow.start_run(run_name="fluent-artifacts") as active:
            mlflow.log_text("some text", "texts/a.txt")
            mlflow.log_dict({"x": 1, "y": [1, 2]}, "dicts/d.json")
            mlflow.log_dict({"x": 1}, "dicts/d.yaml")
            mlflow.log_artifact(str(single), "fluent")
        fid = active.info.run_id
        t.check("log_text", mlflow.artifacts.load_text(f"runs:/{fid}/texts/a.txt"), "some text")
        t.check("log_dict json", mlflow.artifacts.load_dict(f"runs:/{fid}/dicts/d.json"), {"x": 1, "y": [1, 2]})
        t.check("log_dict yaml", mlflow.artifacts.load_text(f"runs:/{fid}/dicts/d.yaml"), "x: 1\n")
        t.check("fluent root", listing(c, fid), [("dicts", True, None), ("fluent", True, None), ("texts", True, None)])
