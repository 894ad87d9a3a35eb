import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat

/// The HTTP exchange every network provider shares: POST JSON, map errors, parse `Retry-After`, redact keys.
struct ProviderHTTP: Sendable {
    let client: HTTPClient
    let provider: String
    /// Secrets that must never appear in an error text (a provider may echo part of a key back).
    let secrets: [String]

    /// POSTs `body` and returns the response once its status is 2xx; other statuses throw ``LLMProviderError``.
    func post(_ url: String, headers: [(String, String)], body: Data, deadline: NIODeadline) async throws
        -> HTTPClientResponse
    {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(data: body))
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, deadline: deadline)
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            throw LLMProviderError(provider: provider, .timeout)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw LLMProviderError(provider: provider, .transport(redact(String(describing: error))))
        }
        guard (200..<300).contains(Int(response.status.code)) else {
            let text = (try? await readBody(response, limit: 64 << 10)).map { String(decoding: $0, as: UTF8.self) } ?? ""
            throw LLMProviderError(
                provider: provider,
                .http(
                    status: Int(response.status.code), message: redact(Self.errorMessage(text, awsErrorType: response.headers.first(name: "x-amzn-errortype"))),
                    retryAfter: response.headers.first(name: "retry-after").flatMap { Self.retryAfter($0) }))
        }
        return response
    }

    /// POSTs and decodes a JSON answer as `T`.
    func postJSON<T: Decodable>(
        _ url: String, headers: [(String, String)], body: Data, deadline: NIODeadline, as type: T.Type
    ) async throws -> T {
        let response = try await post(url, headers: headers, body: body, deadline: deadline)
        let data = try await readBody(response, limit: 16 << 20)
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch {
            throw LLMProviderError(provider: provider, .malformed(String(describing: error)))
        }
    }

    func readBody(_ response: HTTPClientResponse, limit: Int) async throws -> Data {
        do {
            var buffer = try await response.body.collect(upTo: limit)
            return buffer.readData(length: buffer.readableBytes) ?? Data()
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            throw LLMProviderError(provider: provider, .timeout)
        } catch {
            throw LLMProviderError(provider: provider, .transport(redact(String(describing: error))))
        }
    }

    func redact(_ text: String) -> String {
        secrets.filter { $0.count >= 4 }.reduce(text) { $0.replacingOccurrences(of: $1, with: "<redacted>") }
    }

    /// The message in a provider's error body: `error.message` (OpenAI, Anthropic, Gemini), `message`
    /// (Bedrock, with its `x-amzn-ErrorType`), else the start of the body.
    static func errorMessage(_ body: String, awsErrorType: String?) -> String {
        let awsType = awsErrorType.map { String($0.prefix { $0 != ":" }) }
        if let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] {
            let nested = object["error"] as? [String: Any]
            let message = (nested?["message"] ?? object["message"] ?? object["Message"]) as? String
            let type = (nested?["type"] ?? nested?["status"]) as? String ?? awsType
            if let message { return type.map { "\($0): \(message)" } ?? message }
        }
        let excerpt = String(body.prefix(300))
        return awsType.map { "\($0): \(excerpt)" } ?? (excerpt.isEmpty ? "(empty body)" : excerpt)
    }

    /// `Retry-After` as delay-seconds or an HTTP date (RFC 9110 §10.2.3); nil when it is neither.
    static func retryAfter(_ value: String, now: Date = Date()) -> Duration? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(trimmed), seconds >= 0 { return .milliseconds(Int64(seconds * 1000)) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: trimmed) else { return nil }
        return .milliseconds(Int64(max(0, date.timeIntervalSince(now)) * 1000))
    }

    static func encode<T: Encodable>(_ value: T) -> Data {
        // Every body here is plain structs of strings and numbers; encoding them cannot fail.
        (try? JSONEncoder().encode(value)) ?? Data("{}".utf8)
    }
}

extension LLMEventStream {
    /// Events decoded from a provider's streamed HTTP body, chunk by chunk.
    init<Decoder: StreamChunkDecoder>(body: HTTPClientResponse.Body, decoder: Decoder, provider: String) {
        self.init {
            var iterator = body.makeAsyncIterator()
            var decoder = decoder
            var pending: [LLMStreamEvent] = []
            var ended = false
            return {
                while pending.isEmpty && !ended {
                    let chunk: ByteBuffer?
                    do {
                        chunk = try await iterator.next()
                    } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
                        throw LLMProviderError(provider: provider, .timeout)
                    } catch {
                        throw LLMProviderError(provider: provider, .transport(String(describing: error)))
                    }
                    if let chunk {
                        pending += try decoder.feed(chunk.readableBytesView)
                    } else {
                        ended = true
                        pending += try decoder.finish()
                    }
                }
                return pending.isEmpty ? nil : pending.removeFirst()
            }
        }
    }
}

/// Turns a provider's streamed body into events; `finish` emits the final response.
protocol StreamChunkDecoder: Sendable {
    mutating func feed(_ bytes: ByteBufferView) throws -> [LLMStreamEvent]
    mutating func finish() throws -> [LLMStreamEvent]
}
