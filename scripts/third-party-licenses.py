#!/usr/bin/env python3
"""Lists the crates compiled into the Windows programs with their licences, for the
installer's licenses/THIRD-PARTY.txt. Usage: third-party-licenses.py TARGET_TRIPLE"""
import json
import subprocess
import sys

target = sys.argv[1]
meta = json.loads(subprocess.check_output(
    ["cargo", "metadata", "--format-version", "1", "--filter-platform", target, "--locked"]))
packages = {p["id"]: p for p in meta["packages"]}
nodes = {n["id"]: n for n in meta["resolve"]["nodes"]}
roots = [p["id"] for p in meta["packages"] if p["name"] in ("warranty-desk", "desk-service")]

# Normal (runtime) dependencies only: build scripts and dev-dependencies are not shipped.
seen, stack = set(), list(roots)
while stack:
    pid = stack.pop()
    if pid in seen:
        continue
    seen.add(pid)
    for dep in nodes[pid]["deps"]:
        if any(k["kind"] is None for k in dep["dep_kinds"]):
            stack.append(dep["pkg"])

print("保修中心工作台 — third-party software compiled into warranty-desk.exe and wdesk.exe")
print("(name, version, licence as declared by the crate; texts at https://crates.io/crates/<name>)")
print()
ours = {"warranty-desk", "desk-service", "desk-domain", "desk-store", "desk-documents"}
for p in sorted((packages[i] for i in seen), key=lambda p: (p["name"], p["version"])):
    if p["name"] in ours:
        continue
    print(f'{p["name"]} {p["version"]}: {p.get("license") or p.get("license_file") or "see crate"}')
print()
print("SQLite (bundled by rusqlite): public domain. Noto Sans SC: SIL Open Font License 1.1 (NotoSansSC-OFL.txt).")
