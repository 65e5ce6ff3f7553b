import ArgumentParser

@main
struct SocketTape: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sockettape")
}
