import A2AClient
import AsyncHTTPClient
import Foundation
import NIOCore
import Redis

/// A check that a child answers, tried again and again until it passes.
enum ReadinessProbe: Sendable {
    /// `GET /ping` and the agent card at `base` both answer 200.
    case agent(base: String)
    /// `url` answers HTTP with any status.
    case http(url: String)
    /// Redis accepts a connection with these settings (TLS handshake and AUTH included).
    case redis(RedisConfiguration)

    /// One attempt, bounded by about a second.
    func answers() async -> Bool {
        switch self {
        case .agent(let base):
            let ping = await httpStatus(base + "/ping")
            guard ping == 200 else { return false }
            return await httpStatus(base + "/.well-known/agent-card.json") == 200
        case .http(let url):
            return await httpStatus(url) != nil
        case .redis(let configuration):
            return (try? await verifyRedis(configuration)) != nil
        }
    }
}

/// The HTTP status of `GET url`, or nil when nothing answers within `timeout`.
func httpStatus(_ url: String, timeout: TimeAmount = .seconds(1)) async -> Int? {
    try? await httpGet(url, timeout: timeout).status
}

/// `GET url`: status and up to 1 MiB of body.
func httpGet(_ url: String, timeout: TimeAmount = .seconds(2)) async throws -> (status: Int, body: Data) {
    let response = try await A2AClient.defaultHTTPClient.execute(HTTPClientRequest(url: url), timeout: timeout)
    var buffer = try await response.body.collect(upTo: 1 << 20)
    return (Int(response.status.code), buffer.readData(length: buffer.readableBytes) ?? Data())
}

/// Connects once to Redis (TLS and AUTH included) and closes again; throws the reason it could not.
func verifyRedis(_ configuration: RedisConfiguration) async throws {
    var quick = configuration
    quick.poolSize = 1
    quick.connectTimeout = .seconds(1)
    let pool = try RedisConnectionPool(configuration: quick, shutdownGracePeriod: .milliseconds(100))
    do {
        try await pool.verify()
        await pool.close()
    } catch {
        await pool.close()
        throw error
    }
}
