import AsyncHTTPClient
import Foundation
import Logging
import MeshTracing
import NIOCore
import NIOHTTP1

/// How hard to try before giving up on one webhook delivery.
public struct WebhookRetryPolicy: Sendable {
    public var maxAttempts: Int
    public var initialBackoff: Duration
    public var maxBackoff: Duration
    public var timeout: Duration

    public init(
        maxAttempts: Int = 4, initialBackoff: Duration = .milliseconds(250), maxBackoff: Duration = .seconds(10),
        timeout: Duration = .seconds(10)
    ) {
        self.maxAttempts = maxAttempts
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.timeout = timeout
    }
}

/// POSTs one body to one webhook: the ``WebhookGuard`` checks the URL before every attempt, each attempt is
/// signed (``WebhookSignature``) when there is a secret and carries the delivery's `traceparent`, and failures
/// are retried with exponential backoff and jitter. Push notifications and the master's task webhooks share it.
public struct WebhookPoster: Sendable {
    /// What became of a delivery.
    public enum Outcome: Sendable, Equatable {
        case delivered(status: Int)
        /// Given up: the last HTTP status (nil when none came) and why.
        case abandoned(status: Int?, reason: String)
    }

    public var guardrail: WebhookGuard
    public var policy: WebhookRetryPolicy
    /// Signs every delivery when set (`X-Mesh-Signature`).
    public var signingSecret: String?
    /// Headers for deliveries to the mesh's own agents only (e.g. a mesh token for the master's `/result`).
    public var meshHeaders: @Sendable () -> [(name: String, value: String)] = { [] }
    let httpClient: HTTPClient
    let logger: Logger

    public init(
        guardrail: WebhookGuard = WebhookGuard(), policy: WebhookRetryPolicy = WebhookRetryPolicy(),
        signingSecret: String? = nil, httpClient: HTTPClient = .shared, logger: Logger = Logger(label: "a2a.push")
    ) {
        self.guardrail = guardrail
        self.policy = policy
        self.signingSecret = signingSecret.flatMap { $0.isEmpty ? nil : $0 }
        self.httpClient = httpClient
        self.logger = logger
    }

    /// Delivers `body` to `url` with `headers` (e.g. Content-Type, Authorization), continuing the trace of
    /// `traceParent` (the `traceparent` of the work that produced the body; a new trace when nil).
    public func post(
        _ body: ByteBuffer, to url: String, headers: [(name: String, value: String)], traceParent: String?
    ) async -> Outcome {
        var backoff = policy.initialBackoff
        var lastFailure = ""
        var lastStatus: Int?
        for attempt in 1...max(1, policy.maxAttempts) {
            // Again before every attempt: the name may resolve elsewhere by now (DNS rebinding).
            var checked: URL?
            do {
                checked = try await guardrail.check(url, credentials: Self.bearerToken(in: headers))
            } catch  where error.isTransient {
                lastStatus = nil
                lastFailure = error.description
            } catch {
                logger.error("webhook refused", metadata: ["url": "\(redacted(url))", "error": "\(error)"])
                return .abandoned(status: nil, reason: error.description)
            }
            if let checked {
                do {
                    let extra = guardrail.isMeshAgent(checked) ? meshHeaders() : []
                    let status = try await send(body, to: url, headers: headers + extra, traceParent: traceParent)
                    if (200..<300).contains(status) { return .delivered(status: status) }
                    lastStatus = status
                    lastFailure = "webhook answered HTTP \(status)"
                    // A client error other than timeout or rate limit will not change on retry.
                    if (400..<500).contains(status), status != 408, status != 429 { break }
                } catch {
                    lastStatus = nil
                    lastFailure = "\(error)"
                }
            }
            logger.warning(
                "webhook delivery failed",
                metadata: ["url": "\(redacted(url))", "attempt": "\(attempt)", "error": "\(lastFailure)"])
            guard attempt < policy.maxAttempts else { break }
            try? await Task.sleep(for: backoff * Double.random(in: 0.5...1.0))
            backoff = min(backoff * 2, policy.maxBackoff)
        }
        return .abandoned(status: lastStatus, reason: lastFailure)
    }

    /// The token of an `Authorization: Bearer` header among `headers`, as a push config's authentication sets it.
    static func bearerToken(in headers: [(name: String, value: String)]) -> String? {
        guard let value = headers.first(where: { $0.name.lowercased() == "authorization" })?.value,
            value.lowercased().hasPrefix("bearer ")
        else { return nil }
        return String(value.dropFirst("bearer ".count))
    }

    private func send(
        _ body: ByteBuffer, to url: String, headers: [(name: String, value: String)], traceParent: String?
    ) async throws -> Int {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        for header in headers { request.headers.add(name: header.name, value: header.value) }
        let trace = traceParent.flatMap { MeshTrace.resumed(traceParent: $0) }
        for header in MeshTrace.$current.withValue(trace, operation: { MeshTrace.outgoingHeaders() }) {
            request.headers.replaceOrAdd(name: header.name, value: header.value)
        }
        if let signingSecret {
            let timestamp = Int(Date().timeIntervalSince1970)
            request.headers.replaceOrAdd(
                name: WebhookSignature.headerName,
                value: WebhookSignature.header(
                    body: body.readableBytesView, secret: signingSecret, timestamp: timestamp))
        }
        request.body = .bytes(body)
        let response = try await httpClient.execute(request, timeout: .nanoseconds(Int64(policy.timeout.nanoseconds)))
        _ = try? await response.body.collect(upTo: 64 * 1024)
        return Int(response.status.code)
    }

    private func redacted(_ url: String) -> String { WebhookDeadLetter.redacting(url) }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
