"""Dev tools around the call path: simulated debtors, scenarios, the sandbox, the spoken rig.

Nothing here is on the product's call path: ``simulation`` may import ``ivr`` and below, and no
product package imports it (the import contracts in pyproject enforce both).
"""
