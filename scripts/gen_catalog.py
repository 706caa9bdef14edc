#!/usr/bin/env python3
"""Regenerates the permission-group table in src/auth/catalog.cc from the reference file.

Run once after the reference changes:  python3 scripts/gen_catalog.py [permission-groups.json]
It rewrites only the lines between the BEGIN/END GENERATED markers; the output is committed.
"""
import json
import pathlib
import sys

REF = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else
                   "/work/shared/reference/permission-groups.json")
OUT = pathlib.Path(__file__).resolve().parent.parent / "src/auth/catalog.cc"

SCOPES = {
    "com.cloudflare.api.user": "Scope::kUser",
    "com.cloudflare.api.account": "Scope::kAccount",
    "com.cloudflare.api.account.zone": "Scope::kZone",
}

# Category = the current docs' vocabulary (list_endpoint_item_shape.current_docs.category),
# chosen by the product area the group belongs to. First matching prefix wins.
CATEGORIES = [
    ("API Tokens", "account_and_billing"),
    ("Account API Tokens", "account_and_billing"),
    ("Memberships", "account_and_billing"),
    ("User Details", "account_and_billing"),
    ("Account Settings", "account_and_billing"),
    ("Billing", "account_and_billing"),
    ("Images", "media"),
    ("Account: SSL and Certificates", "app_security"),
    ("SSL and Certificates", "app_security"),
    ("Account DNS Settings", "dns_and_zones"),
    ("Zone DNS Settings", "dns_and_zones"),
    ("Zone Settings", "dns_and_zones"),
    ("Zone ", "dns_and_zones"),
    ("DNS ", "dns_and_zones"),
    ("Workers", "developer_platform"),
    ("Load Balanc", "network_services"),
    ("Analytics", "analytics_and_logs"),
    ("Logs", "analytics_and_logs"),
    ("Cache Purge", "cache_and_performance"),
]


def category(name: str) -> str:
    for prefix, cat in CATEGORIES:
        if name.startswith(prefix):
            return cat
    return "other"


def main() -> None:
    groups = json.loads(REF.read_text())["permission_groups"]
    lines = []
    for g in groups:
        (scope,) = g["scopes"]
        lines.append(f'    {{"{g["id"]}", "{g["name"]}",')
        lines.append(f'     {SCOPES[scope]}, "{category(g["name"])}", true}},')
    text = OUT.read_text().splitlines()
    begin = next(i for i, l in enumerate(text) if "BEGIN GENERATED" in l)
    end = next(i for i, l in enumerate(text) if "END GENERATED" in l)
    text[begin + 1:end] = lines
    OUT.write_text("\n".join(text) + "\n")
    print(f"{len(groups)} groups written to {OUT}")


if __name__ == "__main__":
    main()
