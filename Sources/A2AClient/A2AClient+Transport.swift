import A2A
import MeshTracing
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat

/// An http(s) URL with the host and port that errors name.
struct WireURL: Sendable {
    var string: String
    var host: String
    var port: Int

    init(_ string: String) throws {
        guard let url = URL(string: string), let scheme = url.scheme?.lowercased(),
            scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty
        else { throw A2AClientError.invalidURL(string) }
        self.string = string
        self.host = host
        self.port = url.port ?? (scheme == "https" ? 443 : 80)
    }
}

/// One HTTP exchange, fully described before it is sent.
struct WireRequest: Sendable {
    var method: String
    var url: String
    var contentType: String?
    var body: Data?
    var accept: String
}

extension A2AClient {
    /// Sends `wire` with the common headers and returns the response head; the body is still streaming.
    func perform(_ wire: WireRequest) async throws -> HTTPClientResponse {
        try await Self.perform(
            wire, headers: configuration.requestHeaders(), timeout: configuration.timeout, httpClient: httpClient)
    }

    static func perform(
        _ wire: WireRequest, headers: [(name: String, value: String)], timeout: Duration, httpClient: HTTPClient
    ) async throws -> HTTPClientResponse {
        let target = try WireURL(wire.url)
        var request = HTTPClientRequest(url: wire.url)
        request.method = .init(rawValue: wire.method)
        for header in headers { request.headers.add(name: header.name, value: header.value) }
        // Every hop continues the caller's trace (W3C trace context).
        for header in MeshTrace.outgoingHeaders() {
            request.headers.replaceOrAdd(name: header.name, value: header.value)
        }
        request.headers.replaceOrAdd(name: A2AProtocol.versionHeader, value: A2AProtocol.version)
        request.headers.replaceOrAdd(name: "Accept", value: wire.accept)
        if let body = wire.body {
            request.headers.replaceOrAdd(name: "Content-Type", value: wire.contentType ?? "application/json")
            request.body = .bytes(ByteBuffer(data: body))
        }
        do {
            return try await httpClient.execute(request, timeout: TimeAmount(timeout))
        } catch {
            throw transportError(error, target: target, timeout: timeout)
        }
    }

    /// Maps a failure below HTTP to a typed error that names host:port.
    static func transportError(_ error: any Error, target: WireURL, timeout: Duration) -> any Error {
        if error is CancellationError || Task.isCancelled { return CancellationError() }
        if let error = error as? A2AClientError { return error }
        let reason: String
        switch error as? HTTPClientError {
        case .some(.deadlineExceeded): reason = "no response within \(timeout)"
        case .some(.connectTimeout): reason = "connection timed out"
        case .some(.remoteConnectionClosed): reason = "the server closed the connection"
        default:
            if let error = error as? IOError {
                reason = String(cString: strerror(error.errnoCode)).lowercased()
            } else {
                reason = "\(error)"
            }
        }
        return A2AClientError.transport(host: target.host, port: target.port, reason: reason)
    }

    /// Reads a whole (JSON) response body, bounded by `maxResponseBytes`.
    func readBody(_ response: HTTPClientResponse, url: String) async throws -> Data {
        do {
            var buffer = try await response.body.collect(upTo: configuration.maxResponseBytes)
            return buffer.readData(length: buffer.readableBytes) ?? Data()
        } catch is NIOTooManyBytesError {
            throw A2AClientError.invalidResponse(
                url: url, reason: "body exceeds \(configuration.maxResponseBytes) bytes")
        } catch {
            throw Self.transportError(error, target: try WireURL(url), timeout: configuration.timeout)
        }
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}

extension HTTPClientResponse {
    /// The media type of the body, lowercased, without parameters.
    var mediaType: String {
        let value = headers.first(name: "Content-Type") ?? ""
        return value.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
    }
}

/// The start of a body, for error messages.
func excerpt(_ body: Data, limit: Int = 300) -> String {
    let text = String(decoding: body.prefix(limit), as: UTF8.self)
        .replacingOccurrences(of: "\n", with: " ").trimmingCharacters(in: .whitespacesAndNewlines)
    return body.count > limit ? text + "…" : text
}
