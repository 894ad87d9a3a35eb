import NIOCore
import NIOPosix
import NIOSSL

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension RedisEndpoint {
    /// Turns what went wrong while connecting, handshaking or authenticating into the precise cause.
    func connectError(_ error: Error) -> RedisError {
        if let error = error as? RedisError {
            switch error {
            case .connectionClosed, .protocolError:
                // The server hung up, or sent bytes that are not RESP, before answering AUTH or PING.
                if tls == nil {
                    return .protocolMismatch(
                        server: server,
                        detail: "plain TCP was sent to what looks like a TLS port (the server answered no RESP); "
                            + "use rediss:// with a CA file")
                }
                return error
            case .timeout where tls == nil:
                return .protocolMismatch(
                    server: server,
                    detail: "plain TCP was sent but the server gave no RESP answer in time; if it is a TLS port, "
                        + "use rediss:// with a CA file")
            case .timeout:
                return .protocolMismatch(
                    server: server,
                    detail: "TLS was sent but the server did not complete the handshake in time; if it is a plain "
                        + "port, use redis:// instead of rediss://")
            default:
                return error
            }
        }
        if Self.isConnectionRefused(error) { return .connectionRefused(server: server) }
        if tls == nil, let error = error as? IOError, [ECONNRESET, EPIPE].contains(error.errnoCode) {
            // A TLS port resets a connection whose first bytes are not a ClientHello.
            return .protocolMismatch(
                server: server,
                detail: "plain TCP was sent to a TLS port (the server reset the connection); "
                    + "use rediss:// with a CA file")
        }
        if let error = error as? ChannelError, case .connectTimeout = error {
            return .timeout(command: "connect", server: server)
        }
        if let tls, let text = Self.tlsErrorText(error) {
            return tlsError(text, tls: tls)
        }
        return .connectionClosed(server: server, reason: "\(error)")
    }

    private func tlsError(_ text: String, tls: TLS) -> RedisError {
        let upper = text.uppercased()
        if upper.contains("CERTIFICATE_VERIFY_FAILED") {
            return .untrustedCertificate(
                server: server, caFile: tls.caFileDescription, reason: "certificate verification failed (\(text))")
        }
        if upper.contains("FAILEDTOVALIDATEHOSTNAME") || upper.contains("SERVERHOSTNAMEIMPOSSIBLETOMATCH") {
            let name = tls.serverName ?? host
            return .untrustedCertificate(
                server: server, caFile: tls.caFileDescription, reason: "the certificate is not valid for \(name)")
        }
        if upper.contains("CERTIFICATE_REQUIRED")
            || (tls.certFile == nil && (upper.contains("HANDSHAKE_FAILURE") || upper.contains("BAD_CERTIFICATE")))
        {
            if tls.certFile == nil { return .clientCertificateRequired(server: server) }
        }
        if upper.contains("WRONG_VERSION_NUMBER") || upper.contains("PACKET_LENGTH_TOO_LONG")
            || upper.contains("RECORD_LENGTH_MISMATCH") || upper.contains("UNEXPECTED_RECORD")
        {
            return .protocolMismatch(
                server: server,
                detail: "TLS was sent to a plain (non-TLS) port: the server answered in plain text; "
                    + "use redis:// instead of rediss://")
        }
        return .connectionClosed(server: server, reason: "TLS failed: \(text)")
    }

    private static func tlsErrorText(_ error: Error) -> String? {
        switch error {
        case let error as NIOSSLError: "\(error)"
        case let error as NIOSSLExtraError: "\(error)"
        case let error as BoringSSLError: "\(error)"
        default: nil
        }
    }

    static func isConnectionRefused(_ error: Error) -> Bool {
        if let error = error as? IOError { return error.errnoCode == ECONNREFUSED }
        if let error = error as? NIOConnectionError {
            return !error.connectionErrors.isEmpty
                && error.connectionErrors.allSatisfy { isConnectionRefused($0.error) }
        }
        return false
    }
}
