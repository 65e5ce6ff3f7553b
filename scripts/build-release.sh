#!/usr/bin/env bash
# Builds sockettape as the README installs it and prints the binary's path:
# - release configuration;
# - the Swift runtime and Foundation linked in (--static-swift-stdlib): the binary runs on a
#   machine without Swift (with glibc 2.36 or later, for the packed relocations below);
# - Swift's dynamic exclusivity checks off in every module, dependencies (SwiftNIO, CompressNIO)
#   included, which Package.swift cannot ask for;
# - linked by the toolchain's lld with the proxy's hot functions first (scripts/hot-functions.txt,
#   every function in a section of its own so that the linker can move it) and relative
#   relocations packed (DT_RELR): an idle proxy keeps 2-4 MiB less of its binary resident.
# docs/design-notes.md, "Release builds", says why.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
FLAGS=(
  -c release --static-swift-stdlib
  -Xswiftc -enforce-exclusivity=unchecked
  -Xswiftc -Xfrontend -Xswiftc -function-sections -Xcc -ffunction-sections
  -Xswiftc -use-ld=lld
  -Xlinker -z -Xlinker pack-relative-relocs
  -Xlinker "--symbol-ordering-file=$PWD/scripts/hot-functions.txt" -Xlinker --no-warn-symbol-ordering
)
bin=$(swift build "${FLAGS[@]}" --show-bin-path)
# SwiftPM does not know the link depends on hot-functions.txt: link again every time (seconds).
rm -f "$bin/sockettape"
swift build "${FLAGS[@]}" --product sockettape >&2
echo "$bin/sockettape"
