"""A fast yes/no check compiled from the article JSON Schema, for the common case: a valid item.

The schema file stays the single source of truth: this module reads it, and knows only the
keywords it uses. `compile_check` turns a schema into a function `check(instance) -> bool` that
is never more lenient than jsonschema's Draft 2020-12 validator: it returns True only for an
instance that the validator accepts. It may be stricter on values no crawl makes (a str
subclass in an enum, a float where an integer is expected): the caller then asks jsonschema,
which has the last word and the error message. A schema with a keyword this module does not
know compiles to None, and the caller uses jsonschema alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from numbers import Number
from typing import Any

Check = Callable[[Any], bool]

# Keywords that never change whether an instance is valid.
ANNOTATIONS = frozenset(
    {"$schema", "$id", "$defs", "$comment", "title", "description", "examples", "default"}
)


class Unsupported(Exception):
    """The schema uses a keyword or a value this module does not compile."""


def _is_integer(x: Any) -> bool:
    return type(x) is int  # jsonschema also takes 1.0; the caller asks it then


def _is_number(x: Any) -> bool:
    return isinstance(x, Number) and not isinstance(x, bool)


# jsonschema's Draft 2020-12 type checker, or stricter (see _is_integer).
TYPES: dict[str, Check] = {
    "string": lambda x: isinstance(x, str),
    "null": lambda x: x is None,
    "array": lambda x: isinstance(x, list),
    "object": lambda x: isinstance(x, dict),
    "integer": _is_integer,
    "number": _is_number,
    "boolean": lambda x: isinstance(x, bool),
}


def compile_check(schema: dict[str, Any]) -> Check | None:
    """The check of SCHEMA (a root schema), or None when it uses what this module does not know."""
    try:
        return _Compiler(schema).compile(schema)
    except Unsupported:
        return None


def _all(checks: list[Check]) -> Check:
    def all_of(x: Any) -> bool:
        for check in checks:  # noqa: SIM110 (a loop: no generator per call)
            if not check(x):
                return False
        return True

    return all_of


class _Compiler:
    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root
        self.refs: dict[str, Check] = {}

    def compile(self, schema: Any) -> Check:
        if schema is True:
            return lambda x: True
        if schema is False:
            return lambda x: False
        if not isinstance(schema, dict):
            raise Unsupported(repr(schema))
        checks = [
            self._keyword(key, value, schema)
            for key, value in schema.items()
            if key not in ANNOTATIONS and key not in {"then", "else"}
        ]
        if schema is not self.root and "$id" in schema:
            raise Unsupported("$id below the root")
        if len(checks) == 1:
            return checks[0]
        return _all(checks)

    def _keyword(self, key: str, value: Any, schema: dict[str, Any]) -> Check:
        if key not in KEYWORDS:
            raise Unsupported(key)
        method: Callable[[Any, dict[str, Any]], Check] = getattr(self, KEYWORDS[key])
        return method(value, schema)

    def _ref(self, value: Any, schema: dict[str, Any]) -> Check:
        if not isinstance(value, str) or not value.startswith("#"):
            raise Unsupported(f"$ref {value!r}")
        if value not in self.refs:
            target: Any = self.root
            for token in filter(None, value[1:].split("/")):
                token = token.replace("~1", "/").replace("~0", "~")
                if not isinstance(target, dict) or token not in target:
                    raise Unsupported(f"$ref {value!r}")
                target = target[token]
            # A placeholder first: a recursive reference resolves once the target is compiled.
            self.refs[value] = lambda x: compiled(x)
            compiled = self.compile(target)
            self.refs[value] = compiled
        return self.refs[value]

    def _type(self, value: Any, schema: dict[str, Any]) -> Check:
        names = [value] if isinstance(value, str) else value
        if not isinstance(names, list) or any(name not in TYPES for name in names):
            raise Unsupported(f"type {value!r}")
        checks = [TYPES[name] for name in names]
        if len(checks) == 1:
            return checks[0]
        return lambda x: any(check(x) for check in checks)

    def _enum(self, value: Any, schema: dict[str, Any]) -> Check:
        if not isinstance(value, list) or any(not (v is None or type(v) is str) for v in value):
            raise Unsupported("enum of other than strings and null")
        strings = frozenset(v for v in value if v is not None)
        null = None in value
        return lambda x: (x is None and null) or (type(x) is str and x in strings)

    def _pattern(self, value: Any, schema: dict[str, Any]) -> Check:
        search = re.compile(value).search  # jsonschema: re.search, on strings only
        return lambda x: not isinstance(x, str) or search(x) is not None

    def _minLength(self, value: Any, schema: dict[str, Any]) -> Check:
        if type(value) is not int:
            raise Unsupported("minLength")
        return lambda x: not isinstance(x, str) or len(x) >= value

    def _minimum(self, value: Any, schema: dict[str, Any]) -> Check:
        if not _is_number(value):
            raise Unsupported("minimum")
        return lambda x: not _is_number(x) or x >= value

    def _required(self, value: Any, schema: dict[str, Any]) -> Check:
        names = tuple(value)
        return lambda x: not isinstance(x, dict) or all(name in x for name in names)

    def _properties(self, value: Any, schema: dict[str, Any]) -> Check:
        checks = {name: self.compile(sub) for name, sub in value.items()}

        def properties(x: Any) -> bool:
            if not isinstance(x, dict):
                return True
            for name, check in checks.items():  # noqa: SIM110 (a loop: no generator per call)
                if name in x and not check(x[name]):
                    return False
            return True

        return properties

    def _additionalProperties(self, value: Any, schema: dict[str, Any]) -> Check:
        if value is not False or "patternProperties" in schema:
            raise Unsupported("additionalProperties other than false")
        known = frozenset(schema.get("properties", ()))
        return lambda x: not isinstance(x, dict) or known.issuperset(x)

    def _items(self, value: Any, schema: dict[str, Any]) -> Check:
        if "prefixItems" in schema:
            raise Unsupported("prefixItems")
        check = self.compile(value)
        return lambda x: not isinstance(x, list) or all(check(item) for item in x)

    def _contains(self, value: Any, schema: dict[str, Any]) -> Check:
        if "minContains" in schema or "maxContains" in schema:
            raise Unsupported("minContains/maxContains")
        check = self.compile(value)
        return lambda x: not isinstance(x, list) or any(check(item) for item in x)

    def _oneOf(self, value: Any, schema: dict[str, Any]) -> Check:
        checks = [self.compile(sub) for sub in value]

        def one_of(x: Any) -> bool:
            valid = 0
            for check in checks:
                if check(x):
                    valid += 1
                    if valid > 1:
                        return False
            return valid == 1

        return one_of

    def _anyOf(self, value: Any, schema: dict[str, Any]) -> Check:
        checks = [self.compile(sub) for sub in value]
        return lambda x: any(check(x) for check in checks)

    def _allOf(self, value: Any, schema: dict[str, Any]) -> Check:
        return _all([self.compile(sub) for sub in value])

    def _if(self, value: Any, schema: dict[str, Any]) -> Check:
        condition = self.compile(value)
        then = self.compile(schema.get("then", True))
        otherwise = self.compile(schema.get("else", True))
        return lambda x: then(x) if condition(x) else otherwise(x)


# The keywords compiled above, and the method that compiles each.
KEYWORDS: dict[str, str] = {
    "$ref": "_ref",
    "type": "_type",
    "enum": "_enum",
    "pattern": "_pattern",
    "minLength": "_minLength",
    "minimum": "_minimum",
    "required": "_required",
    "properties": "_properties",
    "additionalProperties": "_additionalProperties",
    "items": "_items",
    "contains": "_contains",
    "oneOf": "_oneOf",
    "anyOf": "_anyOf",
    "allOf": "_allOf",
    "if": "_if",
}
