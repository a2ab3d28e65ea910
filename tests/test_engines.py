"""Where a run does its work: worker processes, a Dask cluster, and the cache of extracted files.
Whatever the engine, a run gives the same documents, claims, problems and findings."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from checker import cli
from checker.errors import ConfigError
from checker.pipeline import LocalEngine, Result, run

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
sys.path.insert(0, str(ROOT / "bench"))

import corpus  # noqa: E402

try:
    import distributed
except ImportError:
    if os.environ.get("CI"):
        pytest.fail("Dask is missing in CI: `make test` installs numcheck[test], which has it",
                    pytrace=False)
    distributed = None

needs_dask = pytest.mark.skipif(distributed is None, reason="pip install 'numcheck[dask]'")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Generated articles in English and Chinese, with copies and disagreeing figures."""
    out = tmp_path_factory.mktemp("generated")
    corpus.write_corpus(out, 400, seed=11, files=16)
    (out / "numcheck.toml").write_text('lexicon = ["rare-earths"]\n', "utf-8")
    return out


@pytest.fixture(scope="module")
def by_one_process(generated: Path) -> dict[str, Result]:
    return {"seeds": run([SEEDS]), "generated": run([generated])}


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """A local Dask cluster of two worker processes: its scheduler's address."""
    assert distributed is not None
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as local:
        yield local.scheduler_address


def _corpus(name: str, generated: Path) -> Path:
    return SEEDS if name == "seeds" else generated


@pytest.mark.parametrize("name", ["seeds", "generated"])
def test_worker_processes_give_what_one_process_gives(
    name: str, generated: Path, by_one_process: dict[str, Result]
) -> None:
    expected = by_one_process[name]
    assert expected.findings  # there is something to agree on
    found = run([_corpus(name, generated)], engine=LocalEngine(jobs=2))
    assert found == expected


@needs_dask
@pytest.mark.parametrize("name", ["seeds", "generated"])
def test_the_dask_engine_gives_what_the_local_engine_gives(
    name: str, generated: Path, by_one_process: dict[str, Result], cluster: str
) -> None:
    from checker.distributed import DaskEngine

    expected = by_one_process[name]
    found = run([_corpus(name, generated)], engine=DaskEngine(scheduler=cluster))
    assert found.findings == expected.findings
    assert found == expected


@needs_dask
def test_numcheck_report_on_a_dask_scheduler(
    tmp_path: Path, cluster: str, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    local, dask = tmp_path / "local", tmp_path / "dask"
    assert cli.main(["report", str(SEEDS), "--out", str(local), "--quiet", "--no-cache"]) == 0
    assert cli.main(["report", str(SEEDS), "--out", str(dask), "--quiet", "--no-cache",
                     "--engine", "dask", "--scheduler", cluster]) == 0
    assert (json.loads((dask / "report.json").read_bytes())
            == json.loads((local / "report.json").read_bytes()))


def test_without_dask_the_engine_says_how_to_get_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from checker.distributed import INSTALL_HINT, DaskEngine

    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed: ImportError
    with pytest.raises(ConfigError, match="pip install 'numcheck\\[dask\\]'"):
        run([SEEDS], engine=DaskEngine())
    assert "numcheck[dask]" in INSTALL_HINT


def test_a_scheduler_without_the_dask_engine_is_a_usage_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main(["report", str(SEEDS), "--scheduler", "tcp://127.0.0.1:8786"]) == 2
    assert "--scheduler needs --engine dask" in capsys.readouterr().err


@pytest.mark.parametrize("jobs", ["0", "-1", "two"])
def test_jobs_must_be_a_positive_whole_number(
    jobs: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["extract", str(SEEDS), "--jobs", jobs]) == 2
    assert "at least 1" in capsys.readouterr().err


def test_a_rerun_extracts_only_the_files_that_changed(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    corpus.write_corpus(folder, 120, seed=3, files=6)
    cache = tmp_path / "cache"

    def extracted(**options: object) -> tuple[Result, int]:
        totals: list[int] = []
        result = run([folder], cache_dir=cache, progress=lambda done, total: totals.append(total),
                     **options)  # type: ignore[arg-type]
        return result, max(totals, default=0)

    first, count = extracted()
    assert count == 6
    again, count = extracted(engine=LocalEngine(jobs=2))
    assert count == 0 and again == first
    edited = sorted(folder.iterdir())[2]
    edited.write_text(edited.read_text("utf-8").replace("2024", "2019"), "utf-8")
    changed, count = extracted()
    assert count == 1
    assert changed == run([folder])  # the cache gives what a fresh read gives
    assert changed.claims != first.claims


def test_a_cache_folder_that_cannot_be_used_is_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be", "utf-8")
    out = tmp_path / "reports"
    assert cli.main(["report", str(SEEDS), "--out", str(out), "--quiet",
                     "--cache-dir", str(blocker / "cache")]) == 0
    assert "cache not used" in capsys.readouterr().err
    assert (out / "report.json").is_file()


def test_ids_given_twice_across_files_are_named_as_ingest_names_them(tmp_path: Path) -> None:
    from checker.ingest import read_corpus

    (tmp_path / "a.jsonl").write_text('{"id": "wire", "text": "It holds 28.5 million tons."}\n',
                                      "utf-8")
    (tmp_path / "b.jsonl").write_text('{"id": "x", "text": "Up 5%."}\n'
                                      '{"id": "wire", "text": "It holds 2.85 million tons."}\n',
                                      "utf-8")
    expected = read_corpus([tmp_path])
    for cache in (None, tmp_path / "cache"):
        result = run([tmp_path], cache_dir=cache, compare=False)
        assert [d.doc_id for d in result.documents] == [d.doc_id for d in expected.documents]
        assert [str(p) for p in result.problems] == [str(p) for p in expected.problems]
        assert "duplicate id 'wire', kept as 'b:2'" in str(result.problems[0])
