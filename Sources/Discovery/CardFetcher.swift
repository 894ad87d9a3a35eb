import A2A
import A2AClient
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import Synchronization

/// Fetches agent cards, revalidating with `If-None-Match` so an unchanged card costs a 304.
public struct CardFetcher: Sendable {
    /// What a fetch found.
    public enum Outcome: Sendable {
        case card(AgentCard, etag: String?)
        case notModified
    }

    let httpClient: HTTPClient
    let timeout: TimeAmount
    let counters = Counters()

    /// The default client fails a refused connection at once rather than retrying until the deadline.
    public init(httpClient: HTTPClient = A2AClient.defaultHTTPClient, timeout: Duration = .seconds(2)) {
        self.httpClient = httpClient
        self.timeout = .nanoseconds(Int64(timeout / .nanoseconds(1)))
    }

    /// The card URL for a base URL or a card URL.
    public static func cardURL(for url: String) -> String { AgentCardResolver.cardURL(for: url) }

    /// How many fetches were answered 304 Not Modified.
    public var notModifiedCount: Int { counters.notModified.load(ordering: .relaxed) }

    /// Fetches `url`; with `etag`, a 304 means the cached card still holds.
    public func fetch(_ url: String, etag: String?) async throws -> Outcome {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Accept", value: "application/json")
        if let etag { request.headers.add(name: "If-None-Match", value: etag) }
        let response = try await httpClient.execute(request, timeout: timeout)
        if response.status.code == 304 {
            counters.notModified.add(1, ordering: .relaxed)
            return .notModified
        }
        let buffer = try await response.body.collect(upTo: 1 << 20)
        guard (200..<300).contains(response.status.code) else {
            throw A2AClientError.httpStatus(code: Int(response.status.code), url: url, bodyExcerpt: "")
        }
        let card = try AgentCardResolver.decodeCard(Data(buffer: buffer), url: url)
        return .card(card, etag: response.headers.first(name: "ETag"))
    }

    final class Counters: Sendable {
        let notModified = Atomic<Int>(0)
    }
}
