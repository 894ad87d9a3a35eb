import Foundation

/// A throwaway PKI for TLS tests, made with `openssl` (EC P-256) in a directory of its own.
///
/// It holds a CA, a server certificate for `localhost` and `127.0.0.1` signed by that CA, a client
/// certificate signed by the same CA (for mutual TLS), and a second, unrelated CA that trusts nothing here
/// (for "untrusted certificate" tests). Nothing is ever committed: the files live as long as the directory.
public struct RedisCertificates: Sendable {
    /// The directory holding every file below.
    public let directory: String
    /// The CA that signed the server and client certificates (PEM).
    public let caFile: String
    /// The server certificate: SAN `DNS:localhost, IP:127.0.0.1`.
    public let certFile: String
    /// The server certificate's private key.
    public let keyFile: String
    /// A client certificate (`CN=mesh-client`) signed by ``caFile``.
    public let clientCertFile: String
    /// The client certificate's private key.
    public let clientKeyFile: String
    /// A CA that signed nothing here: verifying the server against it must fail.
    public let otherCAFile: String

    /// Generates a fresh set of certificates into `directory` (created if missing).
    public static func generate(in directory: String) async throws -> RedisCertificates {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let certificates = RedisCertificates(directory: directory)
        let path = { (name: String) in (directory as NSString).appendingPathComponent(name) }

        try await certificates.makeCA(key: path("ca.key"), cert: certificates.caFile, name: "Mesh Test CA")
        try await certificates.makeCA(key: path("other-ca.key"), cert: certificates.otherCAFile, name: "Unrelated CA")
        try await certificates.makeLeaf(
            key: certificates.keyFile, cert: certificates.certFile, name: "localhost",
            extensions: [
                "basicConstraints = CA:FALSE",
                "keyUsage = critical, digitalSignature",
                "extendedKeyUsage = serverAuth",
                "subjectAltName = DNS:localhost, IP:127.0.0.1",
            ],
            caKey: path("ca.key"))
        try await certificates.makeLeaf(
            key: certificates.clientKeyFile, cert: certificates.clientCertFile, name: "mesh-client",
            extensions: [
                "basicConstraints = CA:FALSE",
                "keyUsage = critical, digitalSignature",
                "extendedKeyUsage = clientAuth",
            ],
            caKey: path("ca.key"))
        return certificates
    }

    private init(directory: String) {
        let path = { (name: String) in (directory as NSString).appendingPathComponent(name) }
        self.directory = directory
        caFile = path("ca.crt")
        certFile = path("server.crt")
        keyFile = path("server.key")
        clientCertFile = path("client.crt")
        clientKeyFile = path("client.key")
        otherCAFile = path("other-ca.crt")
    }

    private func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }

    private func makeKey(_ key: String) async throws {
        try await runTool(
            "openssl", ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key])
    }

    // An explicit config file, so the result does not depend on the system's openssl.cnf defaults.
    private func makeCA(key: String, cert: String, name: String) async throws {
        try await makeKey(key)
        let config = path("\(name.replacingOccurrences(of: " ", with: "-")).cnf")
        try """
        [req]
        distinguished_name = dn
        prompt = no
        x509_extensions = ca
        [dn]
        CN = \(name)
        [ca]
        basicConstraints = critical, CA:TRUE
        keyUsage = critical, keyCertSign, cRLSign
        subjectKeyIdentifier = hash
        """.write(toFile: config, atomically: true, encoding: .utf8)
        try await runTool(
            "openssl",
            ["req", "-x509", "-new", "-key", key, "-sha256", "-days", "2", "-config", config, "-out", cert])
    }

    private func makeLeaf(key: String, cert: String, name: String, extensions: [String], caKey: String) async throws {
        try await makeKey(key)
        let csr = path("\(name).csr")
        let extensionsFile = path("\(name).ext")
        try (extensions + ["subjectKeyIdentifier = hash", "authorityKeyIdentifier = keyid"])
            .joined(separator: "\n")
            .write(toFile: extensionsFile, atomically: true, encoding: .utf8)
        try await runTool("openssl", ["req", "-new", "-key", key, "-subj", "/CN=\(name)", "-out", csr])
        let serial = "0x" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16)
        try await runTool(
            "openssl",
            [
                "x509", "-req", "-in", csr, "-CA", caFile, "-CAkey", caKey, "-set_serial", String(serial),
                "-days", "2", "-sha256", "-extfile", extensionsFile, "-out", cert,
            ])
    }
}
