// swift-tools-version: 6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

let package = Package(
    name: "sockettape",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "sockettape", targets: ["sockettape"]),
        .library(name: "SocketTapeWire", targets: ["SocketTapeWire"]),
        .library(name: "SocketTapeTape", targets: ["SocketTapeTape"]),
        .library(name: "SocketTapeProxy", targets: ["SocketTapeProxy"]),
        .library(name: "SocketTapePolicy", targets: ["SocketTapePolicy"]),
        .library(name: "SocketTapeReplay", targets: ["SocketTapeReplay"]),
        .library(name: "SocketTapeCapture", targets: ["SocketTapeCapture"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        // SwiftNIO's own; the tape writer's lock-free "behind" flag.
        .package(url: "https://github.com/apple/swift-atomics.git", from: "1.3.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        // jwt-kit's own, 4.x; named here for Insecure.SHA1 (Sec-WebSocket-Accept) and so the
        // tests can make RSA keys (CryptoExtras).
        .package(url: "https://github.com/apple/swift-crypto.git", "4.5.2"..<"5.0.0"),
        // Load-test latency histograms (replay --clients).
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
    ],
    targets: [
        .target(
            name: "SocketTapeWire",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "CompressNIO", package: "compress-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(name: "CSocketTapeShims"),
        .target(
            name: "SocketTapeTape",
            dependencies: [
                "SocketTapeWire",
                "CSocketTapeShims",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Atomics", package: "swift-atomics"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SocketTapePolicy",
            dependencies: [
                "SocketTapeWire",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "JWTKit", package: "jwt-kit"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SocketTapeReplay",
            dependencies: [
                "SocketTapeWire",
                "SocketTapeTape",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .systemLibrary(name: "CPcap", path: "Sources/CPcap", pkgConfig: "libpcap", providers: [.apt(["libpcap-dev"])]),
        .target(
            name: "SocketTapeCapture",
            dependencies: [
                "SocketTapeWire",
                "SocketTapeTape",
                "CPcap",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "CompressNIO", package: "compress-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SocketTapeProxy",
            dependencies: [
                "SocketTapeWire",
                "SocketTapeTape",
                "SocketTapePolicy",
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "sockettape",
            dependencies: [
                "CSocketTapeShims",
                "SocketTapeWire",
                "SocketTapeTape",
                "SocketTapeProxy",
                "SocketTapePolicy",
                "SocketTapeReplay",
                "SocketTapeCapture",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // What several test targets share (test targets cannot import one another).
        .target(
            name: "SocketTapeTestSupport",
            path: "Tests/SocketTapeTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SocketTapeWireTests",
            dependencies: [
                "SocketTapeWire",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SocketTapeTapeTests",
            dependencies: [
                "SocketTapeTestSupport",
                "SocketTapeTape",
                "SocketTapeWire",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SocketTapePolicyTests",
            dependencies: [
                "SocketTapePolicy",
                "SocketTapeWire",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SocketTapeReplayTests",
            dependencies: [
                "SocketTapeTestSupport",
                "SocketTapeReplay",
                "SocketTapeTape",
                "SocketTapeWire",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SocketTapeCaptureTests",
            dependencies: [
                "SocketTapeTestSupport",
                "SocketTapeCapture",
                "CPcap",
                "SocketTapeTape",
                "SocketTapeWire",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "CompressNIO", package: "compress-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SocketTapeProxyTests",
            dependencies: [
                "SocketTapeTestSupport",
                "SocketTapeProxy",
                "SocketTapePolicy",
                "SocketTapeTape",
                "SocketTapeWire",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
