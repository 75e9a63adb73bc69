"""Vocabulary shared by every CollectBot package: ids, money, clock, errors, logging."""
