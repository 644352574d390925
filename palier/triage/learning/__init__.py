"""Pure learning code for triage: features, linear models, calibration, metrics, persistence.

No ORM and no Django: the services hand in plain texts and labels and get plain values back.
"""
