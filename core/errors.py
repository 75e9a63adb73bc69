"""The root of every CollectBot error; each package derives its own root from it."""


class CollectBotError(Exception):
    """Base class for all errors raised by CollectBot code."""


class ValidationError(CollectBotError):
    """Input that cannot be accepted, with a reason a person can act on."""


class ConfigurationError(CollectBotError):
    """Settings that are missing, inconsistent or unsafe."""
