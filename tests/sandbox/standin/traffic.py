"""Traffic log: one JSON object per exchange, with every secret redacted before it is written."""

import json
import re
import time
from urllib.parse import parse_qsl, urlencode

REDACTED = "**redacted**"

# Field names whose values are credentials wherever they appear (compared case-insensitively).
SECRET_KEYS = {
    "authorization",
    "client_secret",
    "client_assertion",
    "access_token",
    "refresh_token",
    "id_token",
    "password",
    "securevalue",
    "secrettext",
    "primarysharedkey",
    "secondarysharedkey",
    "workspacekey",
    "sharedkey",
    "adminpassword",
    "primarykey",
    "secondarykey",
}
# Header names that carry credentials.
SECRET_HEADERS = {"authorization", "x-ms-authorization-auxiliary", "cookie", "set-cookie"}
# userinfo passwords in URLs (mongodb://user:pass@host) and key=value credentials in connection strings.
_URL_PASSWORD = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]*://)(?P<user>[^:/@\s]+):(?P<password>[^@\s]+)@", re.I)
_KV_PASSWORD = re.compile(r"(?P<key>(?:AccountKey|SharedAccessKey|Password|Pwd)=)(?P<value>[^;]+)", re.I)


def redact_text(text):
    """Hide the secret parts of a free-form string (connection strings)."""
    # Most strings hold neither userinfo nor key=value pairs: skip the regular expressions for them.
    if "@" in text:
        text = _redact_userinfo(text)
    if "=" in text:
        text = _KV_PASSWORD.sub(lambda m: m.group("key") + REDACTED, text)
    return text


def _redact_userinfo(text):
    return _URL_PASSWORD.sub(
        lambda m: (
            m.group("scheme")
            + m.group("user")
            + ":"
            + (m.group("password") if m.group("password").startswith("<") else REDACTED)
            + "@"
        ),
        text,
    )


def redact(value, secret_values=False):
    """Return a copy of a JSON value with secrets replaced.

    ``secret_values`` marks a body whose ``value`` fields are secrets (Key Vault secrets, APIM
    named values, ARM vaults/secrets).
    """
    if isinstance(value, dict):
        clean = {}
        for key, item in value.items():
            lowered = key.lower()
            if item is not None and (lowered in SECRET_KEYS or (secret_values and lowered == "value")):
                clean[key] = REDACTED
            else:
                clean[key] = redact(item, secret_values)
        return clean
    if isinstance(value, list):
        return [redact(item, secret_values) for item in value]
    if isinstance(value, str):
        return redact_text(value)
    return value


def redact_headers(headers):
    return {k: (REDACTED if k.lower() in SECRET_HEADERS else redact_text(v)) for k, v in headers.items()}


def redact_body(raw, content_type, secret_values):
    """Decode a request or response body for the log, redacted."""
    if not raw:
        return None
    if isinstance(raw, (dict, list)):
        return redact(raw, secret_values)
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    if "json" in (content_type or "") or text[:1] in "{[":
        try:
            return redact(json.loads(text), secret_values)
        except ValueError:
            pass
    if "x-www-form-urlencoded" in (content_type or ""):
        pairs = [(k, REDACTED if k.lower() in SECRET_KEYS else v) for k, v in parse_qsl(text)]
        return urlencode(pairs)
    return redact_text(text[:4000])


class TrafficLog:
    """Appends exchanges to DIR/traffic.jsonl, flushed per line so readers see each one at once."""

    def __init__(self, path):
        self.path = path
        self._file = open(path, "a", encoding="utf-8")  # noqa: SIM115 - held open for the process lifetime

    def write(self, entry):
        entry = dict(entry, ts=round(time.time(), 6))
        self._file.write(json.dumps(entry, sort_keys=True) + "\n")
        self._file.flush()

    def close(self):
        self._file.close()
