#!/usr/bin/env bash
# Builds sockettape as the README installs it and prints the binary's path:
# - release configuration;
# - the Swift runtime and Foundation linked in (--static-swift-stdlib): the binary runs on a
#   machine without Swift;
# - Swift's dynamic exclusivity checks off in every module, dependencies (SwiftNIO, CompressNIO)
#   included, which Package.swift cannot ask for (docs/design-notes.md, "Release builds").
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
FLAGS=(-c release --static-swift-stdlib -Xswiftc -enforce-exclusivity=unchecked)
swift build "${FLAGS[@]}" --product sockettape >&2
bin=$(swift build "${FLAGS[@]}" --show-bin-path)
echo "$bin/sockettape"
