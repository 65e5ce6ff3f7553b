// swift-tools-version: 6.1
import PackageDescription

// Microbenchmarks for SocketTape's codec and tape modules, kept in their own package (as
// swift-nio does) so that users and the normal build never compile the benchmark tooling.
//
//     cd Benchmarks && swift package benchmark
//
// See docs/benchmarks.md, "Microbenchmarks".
let package = Package(
    name: "benchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "sockettape", path: "../"),
        // The malloc-count metrics need the MallocInterposer trait; naming the traits also
        // leaves out RuntimeInterposer, whose package is not needed here.
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
    ],
    targets: [
        .executableTarget(
            name: "WireBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "SocketTapeWire", package: "sockettape"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "CompressNIO", package: "compress-nio"),
            ],
            path: "Benchmarks/WireBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark")
            ]
        ),
        .executableTarget(
            name: "TapeBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "SocketTapeTape", package: "sockettape"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Benchmarks/TapeBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark")
            ]
        ),
        .executableTarget(
            name: "PolicyBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "SocketTapePolicy", package: "sockettape"),
                .product(name: "SocketTapeWire", package: "sockettape"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Benchmarks/PolicyBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark")
            ]
        ),
    ]
)
