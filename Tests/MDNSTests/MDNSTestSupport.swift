import Foundation
import Logging
import MDNS
import ServiceLifecycle

/// A test waited too long for an mDNS event.
struct MDNSTimeout: Error, CustomStringConvertible {
    var description: String
}

/// A name no other test run uses, so runs on one machine do not see each other's services.
func uniqueName(_ stem: String) -> String {
    "\(stem)-\(UUID().uuidString.prefix(8).lowercased())"
}

/// The TXT record an agent publishes.
func agentTXT(_ name: String, skills: String) -> [(key: String, value: String)] {
    [("path", "/.well-known/agent-card.json"), ("v", "1.0"), ("name", name), ("skills", skills)]
}

/// Runs `body`, or throws when it takes longer than `timeout`.
func withTimeout<Value: Sendable>(
    _ what: String, _ timeout: Duration = .seconds(10), _ body: @escaping @Sendable () async throws -> Value?
) async throws -> Value {
    try await withThrowingTaskGroup(of: Value?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: timeout)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else {
            throw MDNSTimeout(description: "no \(what) within \(timeout)")
        }
        return value
    }
}

/// Reads `events` until `done` returns a value, or throws after `timeout`.
func waitFor<Event: Sendable, Value: Sendable>(
    _ what: String, in events: AsyncStream<Event>, timeout: Duration = .seconds(10),
    _ done: @escaping @Sendable (Event) -> Value?
) async throws -> Value {
    try await withTimeout(what, timeout) {
        for await event in events {
            if let value = done(event) { return value }
        }
        return nil
    }
}

/// Reads browser events until every name in `names` was added; returns the services by name.
func collectAdded(
    _ names: Set<String>, from events: AsyncStream<MDNSBrowserEvent>, timeout: Duration = .seconds(10)
) async throws -> [String: MDNSService] {
    try await withTimeout("services \(names.sorted())", timeout) {
        var found: [String: MDNSService] = [:]
        for await event in events {
            switch event {
            case .added(let service) where names.contains(service.name):
                found[service.name] = service
            case .removed(let name):
                found[name] = nil
            default:
                break
            }
            if Set(found.keys) == names { return found }
        }
        return nil
    }
}

/// Runs `publishers` in a `ServiceGroup` while `body` runs, then shuts them down gracefully (withdrawing them).
func withPublishers<Result: Sendable>(
    _ publishers: [MDNSPublisher], _ body: () async throws -> Result
) async throws -> Result {
    let services = ServiceGroup(services: publishers, logger: Logger(label: "mdns-tests"))
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await services.run() }
        do {
            let result = try await body()
            await services.triggerGracefulShutdown()
            try await group.waitForAll()
            return result
        } catch {
            await services.triggerGracefulShutdown()
            try? await group.waitForAll()
            throw error
        }
    }
}

/// Waits until `publisher` reports its service established, and returns the name in use.
func established(_ publisher: MDNSPublisher) async throws -> String {
    try await waitFor("registration of \(publisher.name)", in: publisher.events) { event in
        if case .established(let name) = event { return name }
        return nil
    }
}
