"""What the calls teach: call QA, transcript mining, segments, best time to call, early warning.

Pure domain code (no I/O): adapters in ``data`` feed it plain records, ``cli`` and ``admin_api``
show its answers. It sits above ``nlu`` and ``scoring`` (it reads the scripts and the repayment
model's records) and below the adapters.
"""
