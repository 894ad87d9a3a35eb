import ArgumentParser

struct CardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "card", abstract: "Not built yet.")

    func run() async throws {
        throw ValidationError("mesh card is not built yet")
    }
}
