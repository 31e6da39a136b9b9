#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# check-openapi.py DOCUMENT TOKENS_SERVER
#
# The OpenAPI document is the contract: it must parse as YAML, be an
# OpenAPI 3 document whose every $ref resolves, declare every path
# parameter, give every operation its responses, and name exactly the
# routes the server serves (`tokens-server --list-routes`), no more, no
# fewer. Needs Debian's python3-yaml.

import re
import subprocess
import sys

try:
    import yaml
except ImportError:
    print("check-openapi: the YAML module is missing: install python3-yaml")
    sys.exit(1)

METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
errors = []


def fail(message):
    errors.append(message)


def resolve(doc, ref):
    if not ref.startswith("#/"):
        fail(f"only local references are used here, not {ref}")
        return None
    node = doc
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or part not in node:
            fail(f"unresolved $ref {ref}")
            return None
        node = node[part]
    return node


def walk_refs(doc, node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                resolve(doc, value)
            else:
                walk_refs(doc, value)
    elif isinstance(node, list):
        for value in node:
            walk_refs(doc, value)


def deref(doc, node):
    while isinstance(node, dict) and "$ref" in node:
        node = resolve(doc, node["$ref"]) or {}
    return node


def main():
    document, server = sys.argv[1], sys.argv[2]
    with open(document, encoding="utf-8") as f:
        doc = yaml.safe_load(f)

    if not isinstance(doc, dict):
        print("check-openapi: the document is not a YAML mapping")
        return 1
    if not str(doc.get("openapi", "")).startswith("3."):
        fail("`openapi` must be 3.x")
    for key in ("title", "version"):
        if key not in doc.get("info", {}):
            fail(f"info.{key} is missing")

    walk_refs(doc, doc)

    error = doc.get("components", {}).get("schemas", {}).get("Error", {})
    if sorted(error.get("required", [])) != ["code", "error"]:
        fail("components.schemas.Error must require `error` and `code`")

    documented = set()
    operation_ids = set()
    for path, item in doc.get("paths", {}).items():
        path_params = [deref(doc, p) for p in item.get("parameters", [])]
        for method, operation in item.items():
            if method not in METHODS:
                continue
            documented.add(f"{method.upper()} {path}")
            where = f"{method.upper()} {path}"
            op_id = operation.get("operationId")
            if not op_id:
                fail(f"{where}: no operationId")
            elif op_id in operation_ids:
                fail(f"{where}: operationId {op_id} used twice")
            operation_ids.add(op_id)
            responses = operation.get("responses") or {}
            if not responses:
                fail(f"{where}: no responses")
            for status, response in responses.items():
                if not re.fullmatch(r"[1-5][0-9][0-9]", str(status)):
                    fail(f"{where}: response {status} is not a status")
                if "description" not in deref(doc, response):
                    fail(f"{where}: response {status} has no description")
            params = path_params + [deref(doc, p) for p in operation.get("parameters", [])]
            declared = {p.get("name") for p in params if p.get("in") == "path"}
            for name in re.findall(r"\{([^}]+)\}", path):
                if name not in declared:
                    fail(f"{where}: path parameter {{{name}}} is not declared")

    listed = subprocess.run([server, "--list-routes"], check=True, capture_output=True,
                            text=True).stdout.split("\n")
    served = {line.strip() for line in listed if line.strip()}

    for route in sorted(served - documented):
        fail(f"the server serves {route}, which the document does not describe")
    for route in sorted(documented - served):
        fail(f"the document describes {route}, which the server does not serve")

    for message in errors:
        print(f"check-openapi: {message}")
    print(f"check-openapi: {len(served)} routes served, {len(documented)} documented, "
          f"{len(errors)} problems")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
