import Foundation
import NIOCore
import NIOSSL

extension RedisEndpoint.TLS {
    /// A client TLS context that trusts only the CA file, verifies the server and, for mutual TLS,
    /// presents the client certificate.
    func makeContext() throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .fullVerification
        if let caFile {
            try Self.checkReadable(caFile, field: "CA file")
            configuration.trustRoots = .file(caFile)
        } else {
            configuration.trustRoots = .default
        }
        switch (certFile, keyFile) {
        case (nil, nil):
            break
        case (let certFile?, let keyFile?):
            try Self.checkReadable(certFile, field: "client certificate file")
            try Self.checkReadable(keyFile, field: "client key file")
            do {
                configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(certFile).map { .certificate($0) }
            } catch {
                throw RedisError.configuration("client certificate file \(certFile) is not a PEM certificate")
            }
            do {
                configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: keyFile, format: .pem))
            } catch {
                throw RedisError.configuration("client key file \(keyFile) is not a PEM private key")
            }
        case (nil, _?):
            throw RedisError.configuration("a client key file is set without a client certificate file")
        case (_?, nil):
            throw RedisError.configuration("a client certificate file is set without a client key file")
        }
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw RedisError.configuration("TLS setup failed (CA file \(caFileDescription)): \(error)")
        }
    }

    /// The CA file's path, or what is trusted without one; for error messages.
    var caFileDescription: String { caFile ?? "(none: the system's trust roots)" }

    /// The name sent as SNI and checked against the certificate: `serverName`, else the host unless it is an
    /// IP address (then the certificate must carry that IP).
    func sniName(host: String) -> String? {
        let name = serverName ?? host
        let isIPAddress = (try? SocketAddress(ipAddress: name, port: 0)) != nil
        return isIPAddress ? nil : name
    }

    private static func checkReadable(_ path: String, field: String) throws {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw RedisError.configuration("\(field) \(path) does not exist or cannot be read")
        }
    }
}
