import A2A
import Foundation

/// A task's events as the bytes of SSE `data:` payloads. A failure of the underlying stream becomes one
/// last encoded error event, so the client learns why the stream ended.
public struct EncodedEvents: AsyncSequence, Sendable {
    public typealias Element = Data

    let events: AsyncThrowingStream<StreamResponse, Error>
    let encode: @Sendable (StreamResponse) throws -> Data
    let encodeError: @Sendable (Error) throws -> Data

    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: AsyncThrowingStream<StreamResponse, Error>.AsyncIterator
        let encode: @Sendable (StreamResponse) throws -> Data
        let encodeError: @Sendable (Error) throws -> Data
        var failed = false

        public mutating func next() async throws -> Data? {
            guard !failed else { return nil }
            do {
                guard let event = try await base.next() else { return nil }
                return try encode(event)
            } catch {
                failed = true
                return try encodeError(error)
            }
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: events.makeAsyncIterator(), encode: encode, encodeError: encodeError)
    }
}
