"""LightGBM settings shared by training and the public-data benchmark."""

from __future__ import annotations

import lightgbm as lgb
import numpy as np
import numpy.typing as npt
import pandas as pd


def classifier_params(seed: int, rows: int) -> dict[str, object]:
    small = rows < 5_000
    return {
        "objective": "binary",
        "learning_rate": 0.02 if small else 0.08,
        "num_leaves": 7 if small else 63,
        "min_data_in_leaf": 15 if small else 40,
        "feature_fraction": 0.5 if small else 0.8,
        "bagging_fraction": 0.8,
        "bagging_freq": 1,
        "lambda_l2": 5.0 if small else 1.0,
        "cat_smooth": 20.0,
        "min_data_per_group": 20 if small else 100,
        "max_cat_to_onehot": 8,
        "seed": seed,
        "num_threads": 2,
        "verbose": -1,
        "deterministic": True,
        "force_col_wise": True,
    }


def rounds(rows: int) -> int:
    return 450 if rows < 5_000 else 400


def fit_classifier(x: pd.DataFrame, y: npt.ArrayLike, seed: int) -> lgb.Booster:
    data = lgb.Dataset(x, label=np.asarray(y, dtype=np.float64), free_raw_data=False)
    return lgb.train(classifier_params(seed, len(x)), data, num_boost_round=rounds(len(x)))


def fit_regressor(x: pd.DataFrame, y: npt.ArrayLike, seed: int) -> lgb.Booster:
    params = {
        "objective": "regression",
        "learning_rate": 0.05,
        "num_leaves": 15,
        "min_data_in_leaf": 30,
        "seed": seed,
        "num_threads": 2,
        "verbose": -1,
        "deterministic": True,
        "force_col_wise": True,
    }
    data = lgb.Dataset(x, label=np.asarray(y, dtype=np.float64))
    return lgb.train(params, data, num_boost_round=200)
