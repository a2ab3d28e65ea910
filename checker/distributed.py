"""The Dask engine: a run's extraction and comparison on a Dask cluster.

    numcheck report CORPUS --engine dask --jobs 4                  # a local cluster, 4 workers
    numcheck report CORPUS --engine dask --scheduler tcp://host:8786

Files are read here and sent to the workers in batches, so the workers need not see this file
system; each batch comes back as its files' facts (checker.file_facts), with the rows of the
claims index when there is a cache folder (checker.cache). The comparison is a Dask DataFrame of
the comparable claims, keyed by quantity (near-identical phrase metrics made one key here
first), shuffled on the key so that each partition holds whole quantities; a partition groups,
compares and classifies its own. The arithmetic inside one article runs on the claims shuffled
on the document. Copies come from the index, which found them as the workers' batches arrived,
or from the MinHash bands the workers made. The findings are the local engine's, in the same
order.

Dask is optional (`pip install 'numcheck[dask]'`); this is the one module that imports it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd

from checker.errors import ConfigError
from checker.group import Grouping, comparable, group
from checker.models import Finding
from checker.pipeline import Result
from checker.rulebook import Rulebook

__all__ = ["INSTALL_HINT", "DaskEngine"]

INSTALL_HINT = "the dask engine needs Dask: pip install 'numcheck[dask]'"
CLAIMS_PER_PARTITION = 20_000  # enough work per task to outweigh its scheduling
CONNECT_SECONDS = 30


def _dask() -> Any:
    try:
        import dask
        import dask.dataframe
        import distributed
    except ImportError as error:
        raise ConfigError(INSTALL_HINT) from error
    return dask, dask.dataframe, distributed


class DaskEngine:
    """A Dask cluster: the scheduler at `scheduler`, else a local cluster of `workers`
    processes started for the run."""

    def __init__(self, scheduler: str | None = None, workers: int = 2) -> None:
        self.scheduler = scheduler
        self.workers = workers
        self._client: Any = None
        self._cluster: Any = None

    def __enter__(self) -> DaskEngine:
        _, _, distributed = _dask()
        try:
            if self.scheduler:
                self._client = distributed.Client(self.scheduler, timeout=CONNECT_SECONDS)
                self.workers = max(1, sum(self._client.nthreads().values()))
            else:
                self._cluster = distributed.LocalCluster(
                    n_workers=self.workers, threads_per_worker=1, processes=True,
                    dashboard_address=None,
                )
                self._client = distributed.Client(self._cluster)
        except (OSError, TimeoutError) as error:
            self.__exit__()
            where = self.scheduler or "a local cluster"
            raise ConfigError(f"cannot reach the Dask scheduler {where}: {error}") from error
        return self

    def __exit__(self, *exc: object) -> None:
        for part in (self._client, self._cluster):
            if part is not None:
                part.close()
        self._client = self._cluster = None

    def map(self, function: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        """Each item as a task, at most two per worker sent ahead (the items are the corpus's
        files); results in order."""
        client = self._client
        waiting: deque[Any] = deque()
        for item in items:
            waiting.append(client.submit(function, client.scatter(item), pure=False))
            if len(waiting) >= 2 * self.workers:
                yield _result(waiting.popleft())
        while waiting:
            yield _result(waiting.popleft())

    def findings(
        self, result: Result, rulebook: Rulebook, source_of: Mapping[str, str]
    ) -> Result:
        from checker.classify import finding_order

        dask, dd, _ = _dask()
        keyed = comparable(result.claims, rulebook)
        found: dict[str, Finding] = {}
        for frame, on, work in (
            (keyed, "key", _quantity_findings),
            (result.claims, "doc_id", _article_findings),
        ):
            partitions = max(1, min(self.workers * 4, len(frame) // CLAIMS_PER_PARTITION + 1))
            claims = pd.DataFrame({
                on: pd.Series([str(getattr(claim, on)) for claim in frame], dtype=object),
                "claim": pd.Series(list(frame), dtype=object),
            })
            # claims stay Python objects: no conversion to Arrow strings, no Arrow-based shuffle
            with dask.config.set({"dataframe.convert-string": False}):
                shuffled = dd.from_pandas(claims, npartitions=partitions, sort=False).shuffle(
                    on, shuffle_method="tasks"
                )
                findings = shuffled.map_partitions(
                    work, source_of, rulebook.rules_dir, rulebook.lexicons,
                    meta={"finding": object},
                ).compute()
            for finding in findings["finding"]:
                found.setdefault(finding.finding_id, finding)
        return replace(result, findings=tuple(sorted(found.values(), key=finding_order)))


def _result(future: Any) -> Any:
    try:
        return future.result()
    finally:
        future.release()


def _quantity_findings(
    partition: pd.DataFrame,
    source_of: Mapping[str, str],
    rules_dir: Path,
    lexicons: tuple[Path, ...],
) -> pd.DataFrame:
    """The findings about the quantities of one partition (each key whole in it)."""
    from checker.classify import classify
    from checker.compare import compare

    rulebook = Rulebook.load(rules_dir, lexicons)
    grouping = replace(group(list(partition["claim"]), (), rulebook), source_of=source_of)
    comparisons = [compare(each, grouping, rulebook.settings) for each in grouping.groups]
    return _frame(classify(comparisons, (), grouping, rulebook))


def _article_findings(
    partition: pd.DataFrame,
    source_of: Mapping[str, str],
    rules_dir: Path,
    lexicons: tuple[Path, ...],
) -> pd.DataFrame:
    """The arithmetic inside the articles of one partition (each article whole in it)."""
    from checker.classify import classify

    rulebook = Rulebook.load(rules_dir, lexicons)
    nothing = Grouping(groups=(), source_of=source_of, by_key={})
    return _frame(classify((), list(partition["claim"]), nothing, rulebook))


def _frame(findings: Sequence[Finding]) -> pd.DataFrame:
    return pd.DataFrame({"finding": pd.Series(list(findings), dtype=object)})
