import A2A
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOFoundationCompat

/// Fetches and decodes an agent's public card from `/.well-known/agent-card.json`.
public struct AgentCardResolver: Sendable {
    public let configuration: A2AClientConfiguration
    let httpClient: HTTPClient
    let logger: Logger

    public init(
        configuration: A2AClientConfiguration = .init(), httpClient: HTTPClient = A2AClient.defaultHTTPClient,
        logger: Logger = Logger(label: "a2a.client")
    ) {
        self.configuration = configuration
        self.httpClient = httpClient
        self.logger = logger
    }

    /// The card URL for `url`: `url` itself when it names a `.json` document, else the well-known path below it.
    public static func cardURL(for url: String) -> String {
        if url.hasSuffix(".json") { return url }
        let base = url.hasSuffix("/") ? String(url.dropLast()) : url
        return base + A2AProtocol.agentCardPath
    }

    /// Fetches the card of the agent at `url` (its base URL, or the card's own URL).
    public func resolve(_ url: String) async throws -> AgentCard {
        let cardURL = Self.cardURL(for: url)
        let wire = WireRequest(method: "GET", url: cardURL, contentType: nil, body: nil, accept: "application/json")
        logger.debug("fetching agent card", metadata: ["a2a.card_url": "\(cardURL)"])
        let response = try await A2AClient.perform(
            wire, headers: configuration.requestHeaders(), timeout: configuration.timeout, httpClient: httpClient)
        var buffer: ByteBuffer
        do {
            buffer = try await response.body.collect(upTo: configuration.maxResponseBytes)
        } catch {
            throw A2AClient.transportError(error, target: try WireURL(cardURL), timeout: configuration.timeout)
        }
        let body = buffer.readData(length: buffer.readableBytes) ?? Data()
        let status = Int(response.status.code)
        guard (200..<300).contains(status) else {
            throw A2AClientError.httpStatus(code: status, url: cardURL, bodyExcerpt: excerpt(body))
        }
        return try Self.decodeCard(body, url: cardURL)
    }

    /// Decodes a card document, saying whether it was not JSON or not a card.
    public static func decodeCard(_ body: Data, url: String) throws -> AgentCard {
        guard (try? JSONSerialization.jsonObject(with: body)) is [String: Any] else {
            throw A2AClientError.invalidAgentCard(url: url, reason: "the body is not a JSON object: \(excerpt(body))")
        }
        do {
            return try A2AJSON.decode(AgentCard.self, from: body)
        } catch {
            throw A2AClientError.invalidAgentCard(url: url, reason: describe(error))
        }
    }
}
