import A2A
@testable import A2AServer
import Foundation
import Testing

/// The fast reader of SendMessage calls gives what `Codable` gives, and leaves to `Codable` any body that
/// Foundation may read differently: repeated names, proto-name twins, invalid UTF-8, numbers that round to zero.
@Suite("Reading JSON-RPC calls")
struct JSONRPCCallReadingTests {
    struct Body: Sendable, CustomTestStringConvertible {
        let name: String
        let bytes: Data
        var testDescription: String { name }

        init(_ name: String, params: String, envelope: String = #""jsonrpc":"2.0","id":1,"method":"SendMessage""#) {
            self.init(name, raw: Data(#"{\#(envelope),"params":\#(params)}"#.utf8))
        }

        init(_ name: String, raw: Data) {
            self.name = name
            bytes = raw
        }
    }

    /// What a call reads as; `Codable`'s errors differ in wording only, so one case stands for them all.
    enum Reading: Equatable {
        case call(jsonrpc: String?, id: JSONRPCID, method: String?, request: SendMessageRequest?)
        case invalidParams
        case missingParams
        case unreadable
    }

    static func reading(_ read: () throws -> JSONRPCCall) -> Reading {
        guard let call = try? read() else { return .unreadable }
        switch call.params {
        case .sendMessage(let request):
            return .call(jsonrpc: call.jsonrpc, id: call.id, method: call.method, request: request)
        case .invalid: return .invalidParams
        case .missing: return .missingParams
        default: return .call(jsonrpc: call.jsonrpc, id: call.id, method: call.method, request: nil)
        }
    }

    static let message = #"{"messageId":"m","role":"ROLE_USER","parts":[{"text":"hi"}]}"#

    static let wellFormed = Body("well formed", params: #"{"message":\#(message),"metadata":{"k":[1,"x"]}}"#)

    static let doubtful: [Body] = [
        Body(
            "a part with two texts",
            params: #"{"message":{"messageId":"m","role":"ROLE_USER","parts":[{"text":"a","text":"b"}]}}"#),
        Body(
            "messageId and message_id",
            params: #"{"message":{"messageId":"m","message_id":"n","role":"ROLE_USER","parts":[]}}"#),
        Body(
            "a repeated role",
            params: #"{"message":{"messageId":"m","role":"ROLE_USER","role":"ROLE_AGENT","parts":[]}}"#),
        Body("metadata with a repeated name", params: #"{"message":\#(message),"metadata":{"k":1,"k":2}}"#),
        Body(
            "a data part with a repeated name",
            params: #"{"message":{"messageId":"m","role":"ROLE_USER","parts":[{"data":{"a":1,"a":2}}]}}"#),
        Body("a number that rounds to zero", params: #"{"message":\#(message),"metadata":{"n":1e-400}}"#),
        Body(
            "historyLength and history_length",
            params: #"{"message":\#(message),"configuration":{"historyLength":1,"history_length":2}}"#),
        Body(
            "a repeated message",
            params: #"{"message":\#(message),"message":{"messageId":"x","role":"ROLE_AGENT","parts":[]}}"#),
        Body(
            "a repeated method", params: #"{"message":\#(message)}"#,
            envelope: #""jsonrpc":"2.0","id":1,"method":"GetTask","method":"SendMessage""#),
        Body(
            "a repeated id", params: #"{"message":\#(message)}"#,
            envelope: #""jsonrpc":"2.0","id":1,"id":"two","method":"SendMessage""#),
        Body(
            "invalid UTF-8 in a text",
            raw: Data(
                #"{"jsonrpc":"2.0","id":1,"method":"SendMessage","params":{"message":{"messageId":"m","role":"ROLE_USER","parts":[{"text":"a"#
                    .utf8) + [0xFF, 0xFE] + Data(#""}]}}}"#.utf8)),
    ]

    @Test func theFastReaderTakesAWellFormedCall() throws {
        let fast = try #require(JSONRPCCall.fast(Self.wellFormed.bytes))
        let expected = Self.reading { try A2AJSON.decode(JSONRPCCall.self, from: Self.wellFormed.bytes) }
        #expect(Self.reading { fast } == expected)
        guard case .call(_, .number(1), "SendMessage", let request?) = expected else {
            Issue.record("Codable read \(expected)")
            return
        }
        #expect(request.message.parts == [.text("hi")])
    }

    @Test(arguments: doubtful)
    func doubtfulBodiesAreLeftToCodable(_ body: Body) {
        #expect(JSONRPCCall.fast(body.bytes) == nil)
        let read = Self.reading { try JSONRPCCall.read(body.bytes) }
        let codable = Self.reading { try A2AJSON.decode(JSONRPCCall.self, from: body.bytes) }
        #expect(read == codable)
    }
}
