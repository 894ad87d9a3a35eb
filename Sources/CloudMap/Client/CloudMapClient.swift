import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOFoundationCompat

/// A Cloud Map client over AsyncHTTPClient: the same calls against real AWS (SigV4) and the embedded
/// registry. Failures the service reports are thrown as `CloudMapError` with the code from `__type`.
public struct CloudMapClient: Sendable {
    public let configuration: CloudMapClientConfiguration
    let httpClient: HTTPClient
    let logger: Logger

    public init(
        configuration: CloudMapClientConfiguration, httpClient: HTTPClient = .shared,
        logger: Logger = Logger(label: "mesh.cloudmap.client")
    ) {
        self.configuration = configuration
        self.httpClient = httpClient
        self.logger = logger
    }

    /// Sends one call and decodes its output.
    public func call<Input: Encodable, Output: Decodable>(
        _ operation: CloudMapOperation, _ input: Input, as output: Output.Type = Output.self
    ) async throws -> Output {
        let body = try CloudMapWire.makeEncoder().encode(input)
        let url = configuration.url(for: operation)
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        var headers = [
            ("Host", try Self.hostHeader(url)),
            ("Content-Type", CloudMapWire.contentType),
            ("X-Amz-Target", CloudMapWire.target(operation)),
        ]
        if let credentials = configuration.credentials {
            let signer = SigV4Signer(
                credentials: credentials, region: configuration.region, service: CloudMapWire.signingName)
            headers += signer.sign(.init(method: "POST", path: "/", headers: headers, body: body))
        }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(data: body))
        let timeout = TimeAmount.nanoseconds(Int64(configuration.timeout.timeInterval * 1e9))
        let response = try await httpClient.execute(request, timeout: timeout)
        let bytes = try await response.body.collect(upTo: configuration.maxResponseBytes)
        let data = Data(buffer: bytes)
        guard response.status.code < 300 else {
            throw Self.error(
                status: Int(response.status.code), body: data,
                requestId: response.headers.first(name: "x-amzn-RequestId"))
        }
        if Output.self == EmptyResponse.self, data.isEmpty { return EmptyResponse() as! Output }
        return try CloudMapWire.makeDecoder().decode(Output.self, from: data)
    }

    /// `host[:port]`, the port only when not the scheme's default, as the signature expects.
    static func hostHeader(_ url: String) throws -> String {
        guard let components = URLComponents(string: url), let host = components.host else {
            throw CloudMapError.invalidInput("Endpoint '\(url)' is not a valid URL.")
        }
        guard let port = components.port else { return host }
        let isDefault = (components.scheme == "https" && port == 443) || (components.scheme == "http" && port == 80)
        return isDefault ? host : "\(host):\(port)"
    }

    /// The error of an awsJson error reply, read the way botocore reads it.
    static func error(status: Int, body: Data, requestId: String?) -> CloudMapError {
        let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
        let type = object["__type"] as? String
        let message = (object["Message"] ?? object["message"]) as? String ?? String(decoding: body, as: UTF8.self)
        var extra: [String: String] = [:]
        for (key, value) in object where !["__type", "Message", "message"].contains(key) {
            if let string = value as? String { extra[key] = string }
        }
        let code = type.map(CloudMapError.code(fromType:)) ?? CloudMapErrorCode(rawValue: String(status))
        return CloudMapError(code, message, extra: extra, statusCode: status, requestId: requestId)
    }
}
