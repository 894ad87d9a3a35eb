import Crypto
import Foundation
import SwiftASN1
import X509

/// The CA and server certificate of the Redis that `mesh up` runs, made with swift-certificates (EC P-256).
///
/// They are kept in the state directory and reused while they stay valid, so agents and tools that trust
/// the CA keep working across restarts. A server certificate close to expiry is renewed under the same CA.
struct LocalRedisCertificates {
    /// What ``prepare(now:)`` did.
    enum Outcome: Equatable {
        case reused, renewedServer, created
    }

    let directory: String
    var caFile: String { path("ca.crt") }
    var caKeyFile: String { path("ca.key") }
    var certFile: String { path("server.crt") }
    var keyFile: String { path("server.key") }

    /// How long a new CA and server certificate are valid.
    static let caLifetime: TimeInterval = 10 * 365 * 86_400
    static let serverLifetime: TimeInterval = 365 * 86_400
    /// Certificates expiring sooner than this are made anew.
    static let renewalMargin: TimeInterval = 30 * 86_400

    init(directory: String) {
        self.directory = directory
    }

    /// Makes sure valid certificates are on disk: reuses them, renews the server certificate, or creates all.
    func prepare(now: Date = Date()) throws -> Outcome {
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let ca: (certificate: Certificate, key: Certificate.PrivateKey)
        var outcome = Outcome.reused
        if let existing = loadValidCA(now: now) {
            ca = existing
        } else {
            ca = try makeCA(now: now)
            outcome = .created
        }
        if outcome == .created || !serverIsValid(issuer: ca.certificate, now: now) {
            try makeServer(issuer: ca, now: now)
            if outcome == .reused { outcome = .renewedServer }
        }
        return outcome
    }

    private func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }

    private func loadValidCA(now: Date) -> (certificate: Certificate, key: Certificate.PrivateKey)? {
        guard let certificate = try? Certificate(pemEncoded: String(contentsOfFile: caFile, encoding: .utf8)),
            let key = try? Certificate.PrivateKey(pemEncoded: String(contentsOfFile: caKeyFile, encoding: .utf8)),
            key.publicKey == certificate.publicKey,
            certificate.notValidAfter > now.addingTimeInterval(Self.renewalMargin)
        else { return nil }
        return (certificate, key)
    }

    private func serverIsValid(issuer: Certificate, now: Date) -> Bool {
        guard let certificate = try? Certificate(pemEncoded: String(contentsOfFile: certFile, encoding: .utf8)),
            let key = try? Certificate.PrivateKey(pemEncoded: String(contentsOfFile: keyFile, encoding: .utf8))
        else { return false }
        return key.publicKey == certificate.publicKey
            && certificate.issuer == issuer.subject
            && issuer.publicKey.isValidSignature(certificate.signature, for: certificate)
            && certificate.notValidAfter > now.addingTimeInterval(Self.renewalMargin)
    }

    private func makeCA(now: Date) throws -> (certificate: Certificate, key: Certificate.PrivateKey) {
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let name = try DistinguishedName {
            OrganizationName("A2A Mesh")
            CommonName("A2A Mesh local Redis CA")
        }
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
            Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            SubjectKeyIdentifier(hash: key.publicKey)
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: key.publicKey,
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(Self.caLifetime),
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256, extensions: extensions,
            issuerPrivateKey: key)
        try write(key, to: caKeyFile)
        try write(certificate, to: caFile)
        return (certificate, key)
    }

    private func makeServer(issuer: (certificate: Certificate, key: Certificate.PrivateKey), now: Date) throws {
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let subject = try DistinguishedName {
            OrganizationName("A2A Mesh")
            CommonName("localhost")
        }
        let serverAuth = try ExtendedKeyUsage([.serverAuth])
        let authority = AuthorityKeyIdentifier(
            keyIdentifier: try issuer.certificate.extensions.subjectKeyIdentifier?.keyIdentifier)
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.notCertificateAuthority)
            Critical(KeyUsage(digitalSignature: true))
            serverAuth
            SubjectAlternativeNames([
                .dnsName("localhost"),
                .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1])),
                .ipAddress(ASN1OctetString(contentBytes: ArraySlice([UInt8](repeating: 0, count: 15) + [1]))),
            ])
            SubjectKeyIdentifier(hash: key.publicKey)
            authority
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: key.publicKey,
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(Self.serverLifetime),
            issuer: issuer.certificate.subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions, issuerPrivateKey: issuer.key)
        try write(key, to: keyFile)
        try write(certificate, to: certFile)
    }

    private func write(_ key: Certificate.PrivateKey, to file: String) throws {
        try writePrivateFile(Data(try key.serializeAsPEM().pemString.utf8), to: file)
    }

    private func write(_ certificate: Certificate, to file: String) throws {
        try writePrivateFile(Data(try certificate.serializeAsPEM().pemString.utf8), to: file)
        chmod(file, 0o644)
    }
}
