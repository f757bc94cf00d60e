"""The one error type of the iJw layer: a broken rule, where, and why — in English and Dutch."""

from __future__ import annotations


class IjwError(ValueError):
    """A message breaks a rule.

    ``rule`` is the rule code (``XML`` for unreadable input, ``XSD`` for structure and value
    types, or an iJw rule such as ``CS002``); ``path`` names the element; ``en``/``nl`` are
    one-line reasons that name the element and the value.
    """

    def __init__(self, rule: str, path: str, en: str, nl: str, value: str | None = None):
        super().__init__(f"{rule} at {path}: {en}")
        self.rule = rule
        self.path = path
        self.en = en
        self.nl = nl
        self.value = value

    def __reduce__(self):  # keep picklable for multiprocessing
        return (IjwError, (self.rule, self.path, self.en, self.nl, self.value))
