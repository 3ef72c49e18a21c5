"""Request-body validation against the installed SDKs' own model metadata.

Two generator styles exist in the installed SDKs:
- msrest style (``_attribute_map`` / ``_validation``; flattened keys such as ``properties.publisherEmail``),
- typespec style (``rest_field(name=..., visibility=[...])`` with type annotations).
Both are turned into one small schema tree, then request JSON is walked generically.
"""

import datetime
import enum
import importlib
import sys
import typing

ANY = ("any",)
SCALARS = {
    "str": "string",
    "int": "integer",
    "long": "integer",
    "float": "number",
    "bool": "boolean",
    "iso-8601": "string",
    "rfc-1123": "string",
    "date": "string",
    "duration": "string",
    "time": "string",
    "unix-time": "integer",
    "bytearray": "string",
    "base64": "string",
    "object": "any",
}


class Field:
    __slots__ = ("name", "readonly", "required", "type", "writeonly")

    def __init__(self, name, type_, readonly=False, required=False, writeonly=False):
        self.name = name
        self.type = type_
        self.readonly = readonly
        self.required = required
        self.writeonly = writeonly


class ObjectSchema:
    """Fields by lower-cased wire name; ``subtypes`` maps a discriminator value to another schema."""

    def __init__(self, title):
        self.title = title
        self.fields = {}
        self.discriminator = None
        self.subtypes = {}
        self.open = False  # additional properties allowed

    def add(self, field):
        self.fields[field.name.lower()] = field


class ValidationError(Exception):
    def __init__(self, code, message, target):
        super().__init__(message)
        self.code = code
        self.message = message
        self.target = target


_CACHE = {}


def schema_for(model_path):
    """``"azure.mgmt.network.models:VirtualNetwork"`` -> ObjectSchema (built once, lazily)."""
    if model_path not in _CACHE:
        module_name, _sep, class_name = model_path.partition(":")
        cls = getattr(importlib.import_module(module_name), class_name)
        _CACHE[model_path] = _object_schema(cls, {})
    return _CACHE[model_path]


def _object_schema(cls, seen):
    if cls in seen:
        return seen[cls]
    schema = ObjectSchema(cls.__name__)
    seen[cls] = schema
    if hasattr(cls, "_attribute_map"):
        _msrest_fields(cls, schema, seen)
    else:
        _typespec_fields(cls, schema, seen)
    return schema


# ---- msrest style -------------------------------------------------------------------------------


def _split_key(key):
    parts, current, i = [], "", 0
    while i < len(key):
        if key[i] == "\\" and i + 1 < len(key) and key[i + 1] == ".":
            current += "."
            i += 2
            continue
        if key[i] == ".":
            parts.append(current)
            current = ""
        else:
            current += key[i]
        i += 1
    parts.append(current)
    return parts


def _msrest_type(type_name, module, seen):
    if type_name.startswith("[") and type_name.endswith("]"):
        return ("list", _msrest_type(type_name[1:-1], module, seen))
    if type_name.startswith("{") and type_name.endswith("}"):
        return ("dict", _msrest_type(type_name[1:-1], module, seen))
    if type_name in SCALARS:
        return (SCALARS[type_name],)
    cls = getattr(module, type_name, None)
    if cls is None:
        return ANY
    if isinstance(cls, type) and issubclass(cls, enum.Enum):
        return ("string",)
    return ("object", _object_schema(cls, seen))


def _msrest_fields(cls, schema, seen):
    module = sys.modules[cls.__module__]
    validation = getattr(cls, "_validation", {}) or {}
    for attr, spec in cls._attribute_map.items():
        if not spec.get("key"):
            continue
        if spec.get("key") == "" or attr == "additional_properties":
            schema.open = True
            continue
        rules = validation.get(attr, {})
        parts = _split_key(spec["key"])
        node = schema
        for part in parts[:-1]:
            existing = node.fields.get(part.lower())
            if existing is None:
                child = ObjectSchema(f"{cls.__name__}.{part}")
                existing = Field(part, ("object", child))
                node.add(existing)
            node = existing.type[1]
        node.add(
            Field(
                parts[-1],
                _msrest_type(spec["type"], module, seen),
                readonly=bool(rules.get("readonly")),
                required=bool(rules.get("required")) and not rules.get("constant"),
            )
        )
    sub_map = getattr(cls, "_subtype_map", None) or {}
    for attr, mapping in sub_map.items():
        wire = cls._attribute_map[attr]["key"]
        schema.discriminator = wire
        for value, class_name in mapping.items():
            sub = getattr(module, class_name, None)
            if sub is not None:
                schema.subtypes[value.lower()] = _object_schema(sub, seen)


# ---- typespec style -----------------------------------------------------------------------------


def _typespec_hints(cls):
    module = sys.modules[cls.__module__]
    package = sys.modules[module.__name__.rpartition(".")[0]]
    namespace = dict(vars(module))
    namespace["_models"] = package
    hints = {}
    for klass in reversed(cls.__mro__):
        if "__annotations__" not in vars(klass) or klass.__module__ != cls.__module__:
            continue
        for name, annotation in vars(klass)["__annotations__"].items():
            try:
                if isinstance(annotation, str):
                    annotation = typing.ForwardRef(annotation)
                # resolves the SDK's own forward references ("_models.X"), nested ones included
                hints[name] = typing._eval_type(annotation, namespace, namespace)
            except Exception:
                hints[name] = typing.Any
    return hints


def _typespec_type(annotation, seen):
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if annotation is typing.Any or annotation is None:
        return ANY
    if isinstance(annotation, typing.ForwardRef):
        return ANY
    if origin is typing.Union:
        real = [a for a in args if a is not type(None)]
        if any(a is str for a in real):
            return ("string",)
        if len(real) == 1:
            return _typespec_type(real[0], seen)
        return ANY
    if origin is typing.Literal:
        return ("string",) if all(isinstance(a, str) for a in args) else ANY
    if origin in (list, typing.List):
        return ("list", _typespec_type(args[0], seen) if args else ANY)
    if origin in (dict, typing.Dict):
        return ("dict", _typespec_type(args[1], seen) if len(args) == 2 else ANY)
    if annotation is str or (isinstance(annotation, type) and issubclass(annotation, enum.Enum)):
        return ("string",)
    if annotation is bool:
        return ("boolean",)
    if annotation is int:
        return ("integer",)
    if annotation is float:
        return ("number",)
    if annotation in (datetime.datetime, datetime.date, datetime.timedelta, datetime.time, bytes):
        return ("string",)
    if (isinstance(annotation, type) and hasattr(annotation, "_is_model")) or _is_typespec_model(annotation):
        return ("object", _object_schema(annotation, seen))
    return ANY


def _is_typespec_model(annotation):
    return isinstance(annotation, type) and any(
        k.__name__ == "Model" and "model_base" in k.__module__ for k in annotation.__mro__
    )


def _typespec_fields(cls, schema, seen):
    hints = _typespec_hints(cls)
    for klass in reversed(cls.__mro__):
        for attr, rest_field in vars(klass).items():
            if attr.startswith("_") or not hasattr(rest_field, "_visibility") or not hasattr(rest_field, "_type"):
                continue
            wire = rest_field._rest_name_input or attr
            visibility = rest_field._visibility or ["read", "create", "update", "delete", "query"]
            annotation = hints.get(attr, typing.Any)
            optional = typing.get_origin(annotation) is typing.Union and type(None) in typing.get_args(annotation)
            field = Field(
                wire,
                _typespec_type(annotation, seen),
                readonly=list(visibility) == ["read"],
                required=not optional and "create" in visibility and not rest_field._is_discriminator,
                writeonly="read" not in visibility,
            )
            schema.add(field)
            if rest_field._is_discriminator:
                schema.discriminator = wire
    mapping = getattr(cls, "__mapping__", None)
    if schema.discriminator and mapping:
        for value, sub in list(mapping.items()):
            if sub is not cls:
                schema.subtypes[str(value).lower()] = _object_schema(sub, seen)


# ---- walking ------------------------------------------------------------------------------------

ENVELOPE_READONLY = {"id", "name", "type", "systemdata", "etag"}


def validate(schema, body, partial=False):
    """Return a copy of ``body`` with canonical wire names, or raise ValidationError.

    ``partial`` (PATCH) skips the required-property check.
    """
    if not isinstance(body, dict):
        raise ValidationError("InvalidRequestContent", "The request content must be a JSON object.", "")
    return _walk_object(schema, body, "", partial, top=True)


def _walk_object(schema, value, path, partial, top=False):
    if schema.discriminator:
        key = next((k for k in value if k.lower() == schema.discriminator.lower()), None)
        if key is not None and str(value[key]).lower() in schema.subtypes:
            schema = schema.subtypes[str(value[key]).lower()]
    result = {}
    for key, item in value.items():
        field = schema.fields.get(key.lower())
        where = f"{path}.{key}" if path else key
        if field is None:
            if schema.open:
                result[key] = item
                continue
            raise ValidationError(
                "InvalidRequestContent",
                f"The request content was invalid and could not be deserialized: 'Could not find member '{key}' "
                f"on object of type '{schema.title}'. Path '{where}'.'",
                where,
            )
        if field.readonly:
            if top and key.lower() in ENVELOPE_READONLY:
                continue
            if item is None:
                continue
            raise ValidationError(
                "InvalidRequestContent",
                f"The property '{where}' is read-only and cannot be set by the request.",
                where,
            )
        if item is None:
            result[field.name] = None
            continue
        result[field.name] = _walk(field.type, item, where, partial)
    if not partial:
        for field in schema.fields.values():
            if field.required and not field.readonly and not any(k.lower() == field.name.lower() for k in value):
                where = f"{path}.{field.name}" if path else field.name
                if where == "location":
                    raise ValidationError(
                        "LocationRequired", "The location property is required for this definition.", where
                    )
                raise ValidationError(
                    "InvalidRequestContent",
                    f"The request content was invalid: required property '{where}' is missing.",
                    where,
                )
    return result


def _type_error(where, expected, item):
    return ValidationError(
        "InvalidRequestContent",
        f"The request content was invalid and could not be deserialized: 'Error converting value "
        f"{item!r} to type '{expected}'. Path '{where}'.'",
        where,
    )


def _walk(type_, item, where, partial):
    kind = type_[0]
    if kind == "any":
        return item
    if kind == "string":
        if not isinstance(item, str):
            raise _type_error(where, "string", item)
        return item
    if kind == "boolean":
        if not isinstance(item, bool):
            raise _type_error(where, "boolean", item)
        return item
    if kind == "integer":
        if isinstance(item, bool) or not isinstance(item, (int, float)) or int(item) != item:
            raise _type_error(where, "integer", item)
        return int(item)
    if kind == "number":
        if isinstance(item, bool) or not isinstance(item, (int, float)):
            raise _type_error(where, "number", item)
        return item
    if kind == "list":
        if not isinstance(item, list):
            raise _type_error(where, "array", item)
        return [_walk(type_[1], x, f"{where}[{i}]", partial) for i, x in enumerate(item)]
    if kind == "dict":
        if not isinstance(item, dict):
            raise _type_error(where, "object", item)
        return {k: _walk(type_[1], v, f"{where}.{k}", partial) for k, v in item.items()}
    if kind == "object":
        if not isinstance(item, dict):
            raise _type_error(where, type_[1].title, item)
        return _walk_object(type_[1], item, where, partial)
    return item


def writeonly_paths(schema, prefix=(), depth=0, seen=None):
    """Dotted paths (lists marked ``[]``) of fields the SDK model never reads back (typespec only)."""
    seen = seen if seen is not None else set()
    if id(schema) in seen or depth > 8:
        return []
    seen = seen | {id(schema)}
    found = []
    for field in schema.fields.values():
        path = (*prefix, field.name)
        if field.writeonly:
            found.append(".".join(path))
            continue
        type_ = field.type
        while type_[0] in ("list", "dict"):
            path = (*path[:-1], path[-1] + "[]")
            type_ = type_[1]
        if type_[0] == "object":
            found.extend(writeonly_paths(type_[1], path, depth + 1, seen))
    return found
