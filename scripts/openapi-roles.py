#!/usr/bin/env python3
"""Writes each bearer operation's least role (`x-least-role`) into src/api/openapi.json from the
route table (`router.add({"GET", "/api/...", Access::member, ...`) in src/api/*.cpp. Run it after
changing a route's role; src/api/openapi_test.cpp checks the two agree."""
import json, pathlib, re, sys

root = pathlib.Path(__file__).resolve().parent.parent
routes = {}
for cpp in (root / "src/api").glob("*.cpp"):
    for m in re.finditer(r'\{\s*"([A-Z]+)",\s*"([^"]+)",\s*Access::(\w+)', cpp.read_text()):
        routes[(m.group(1).lower(), m.group(2))] = m.group(3)
path = root / "src/api/openapi.json"
doc = json.loads(path.read_text())
missing = []
for pattern, item in doc["paths"].items():
    for method, op in item.items():
        if not isinstance(op, dict) or "responses" not in op:
            continue
        access = routes.get((method, pattern))
        if access is None:
            # Routes added in a loop (mirror_routes.cpp) keep the role written by hand.
            if "x-least-role" not in op and op.get("security") != []:
                missing.append(f"{method.upper()} {pattern}")
        elif access in ("viewer", "member", "admin", "owner"):
            op["x-least-role"] = access
        else:
            op.pop("x-least-role", None)
path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
if missing:
    print("documented but not found in the route table:", ", ".join(missing), file=sys.stderr)
