import A2A
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Synchronization

/// Serves the agent card with interface URLs for the address the caller used, an ETag and Cache-Control.
///
/// The base URL is the configured public URL if there is one, else it is taken from `X-Forwarded-Proto`
/// and `X-Forwarded-Host`, else from `Host`; a wildcard bind address never appears in a card.
public final class AgentCardPublisher: Sendable {
    public let template: AgentCard
    let publicURL: String?
    let fallbackHost: String
    /// When this card was built, as an HTTP date (the card does not change while the process runs).
    let lastModified: String
    private let cache = Mutex<[String: (body: Data, etag: String)]>([:])

    /// - Parameters:
    ///   - publicURL: the URL clients reach this agent at, e.g. behind a load balancer.
    ///   - fallbackHost: `host:port` used when a request names no host.
    public init(template: AgentCard, publicURL: String?, fallbackHost: String) {
        self.template = template
        self.publicURL = publicURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        self.fallbackHost = fallbackHost
        self.lastModified = Self.httpDate(Date())
    }

    /// An IMF-fixdate (RFC 9110 §5.6.7), e.g. `Sun, 06 Nov 1994 08:49:37 GMT`.
    static func httpDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }

    /// The card as published for this base URL (interfaces filled in when the template has none).
    public func card(baseURL: String) -> AgentCard {
        var card = template
        if card.supportedInterfaces.isEmpty {
            card.supportedInterfaces = [
                AgentInterface(url: baseURL, protocolBinding: ProtocolBinding.jsonRPC.rawValue),
                AgentInterface(url: baseURL, protocolBinding: ProtocolBinding.httpJSON.rawValue),
            ]
        }
        return card
    }

    /// The base URL a request should see in the card.
    public func baseURL(for request: Request) -> String {
        if let publicURL { return publicURL }
        let forwardedProto = request.headers[HTTPField.Name("X-Forwarded-Proto")!]?.split(separator: ",").first
        let forwardedHost = request.headers[HTTPField.Name("X-Forwarded-Host")!]?.split(separator: ",").first
        let scheme = forwardedProto.map { $0.trimmingCharacters(in: .whitespaces) } ?? "http"
        var host = forwardedHost.map { $0.trimmingCharacters(in: .whitespaces) } ?? request.head.authority ?? ""
        if host.isEmpty || host.hasPrefix("0.0.0.0") || host.hasPrefix("[::]") {
            host = fallbackHost
        }
        return "\(scheme)://\(host)"
    }

    /// What a card request gets: the card bytes with their ETag, or "not modified".
    public enum Rendering: Sendable, Equatable {
        case card(body: Data, etag: String)
        case notModified(etag: String)
    }

    /// Renders the card for a request, honouring `If-None-Match`.
    public func render(for request: Request) -> Rendering {
        let base = baseURL(for: request)
        let entry = cache.withLock { cache in
            if let hit = cache[base] { return hit }
            let body = (try? A2AJSON.encode(card(baseURL: base))) ?? Data()
            let entry = (body, "W/\"\(fnv1a(body))\"")
            if cache.count < 64 { cache[base] = entry }
            return entry
        }
        if let match = request.headers[.ifNoneMatch], match.split(separator: ",").contains(where: {
            let tag = $0.trimmingCharacters(in: .whitespaces)
            return tag == entry.etag || tag == "*"
        }) {
            return .notModified(etag: entry.etag)
        }
        return .card(body: entry.body, etag: entry.etag)
    }

    func response(for request: Request) -> Response {
        switch render(for: request) {
        case .notModified(let etag):
            return Response(
                status: .notModified, headers: [.eTag: etag, .cacheControl: Self.cacheControl, .lastModified: lastModified])
        case .card(let body, let etag):
            return Response(
                status: .ok,
                headers: [
                    .eTag: etag, .cacheControl: Self.cacheControl, .lastModified: lastModified, .contentType: "application/json",
                ],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
        }
    }

    static let cacheControl = "public, max-age=60"

    private func fnv1a(_ data: Data) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}
