import Foundation
import Testing

@testable import A2A

/// Unusual and malformed responses: the fast path either reads them as Foundation does or refuses,
/// and `A2AJSON.decode` then gives Foundation's value or Foundation's error.
@Suite("Fast response decoding: fallbacks")
struct FastResponseFallbackTests {
    typealias StreamEnvelope = Envelope<StreamResponse>

    static func outcomes(_ body: String) -> (decode: Outcome<StreamEnvelope>, foundation: Outcome<StreamEnvelope>) {
        outcomes(Data(body.utf8))
    }

    static func outcomes(_ data: Data) -> (decode: Outcome<StreamEnvelope>, foundation: Outcome<StreamEnvelope>) {
        (
            Outcome { Envelope(try A2AJSON.decode(JSONRPCResponse<StreamResponse>.self, from: data)) },
            Outcome { Envelope(try A2AJSON.decodeWithFoundation(JSONRPCResponse<StreamResponse>.self, from: data)) }
        )
    }

    static func refused(_ body: String) -> Bool {
        A2AJSON.fastDecode(JSONRPCResponse<StreamResponse>.self, from: Data(body.utf8)) == nil
    }

    static let status = #""status":{"state":"TASK_STATE_WORKING"}"#
    static let statusUpdate = #"{"jsonrpc":"2.0","id":1,"result":{"statusUpdate":{"taskId":"t","contextId":"c","#

    /// Payloads the fast path reads itself: ProtoJSON defaults, snake_case names, loose bools, odd ids.
    @Test(arguments: [
        #"{"result":{"status_update":{"task_id":"t","context_id":"c","status":{"state":"TASK_STATE_WORKING","timestamp":"2025-06-01T10:00:00.5Z"}}},"id":"x","jsonrpc":"2.0"}"#,
        #"{"result":{"artifact_update":{"task_id":"t","artifact":{"artifact_id":"a","name":"","parts":[{"raw":"-_8","media_type":"application/octet-stream"}]},"append":"TRUE","last_chunk":"false"}}}"#,
        #"{"result":{"message":{"message_id":"m","context_id":"","task_id":"","role":"ROLE_AGENT","parts":null,"reference_task_ids":[],"extensions":[],"kind":"message"}}}"#,
        #"{"result":{"task":{"id":"t","contextId":null,"status":{"state":"TASK_STATE_FAILED","message":null,"timestamp":null},"artifacts":null,"history":[],"metadata":null}}}"#,
        #"{"result":{"task":{"id":"t","status":{"state":"TASK_STATE_COMPLETED","timestamp":"2025-06-01T12:00:00+02:00"},"metadata":{"n":[1e-7,12345678901234567890,-0,0.1,1.7976931348623157e308,2.5e-30]}}}}"#,
        #"{"result":{"message":{"messageId":"m","role":"ROLE_USER","parts":[{"data":null},{"text":null,"url":"u"},{"data":{"a_b":{"c_d":1}}}]}}}"#,
        #"{"result":{"statusUpdate":{"taskId":"t","contextId":"","final":true,"status":{"state":"TASK_STATE_UNSPECIFIED"}}}}"#,
        #"{"jsonrpc":null,"id":1.0,"result":null,"error":null}"#,
        #"{"id":1e2,"result":{"message":{"messageId":"m","role":"ROLE_USER"}}}"#,
        #"{"id":-7,"result":{"artifactUpdate":{"taskId":"t","artifact":{"artifactId":"a"},"append":false,"lastChunk":true}}}"#,
        "{}", " \n{ \"id\" : null }\t ",
        #"{"result":{"message":{"messageId":"m","role":"ROLE_AGENT","parts":[{"text":"\u00e9\ud83d\ude80 déjà"}]}}}"#,
    ])
    func readsUnusualButValidPayloads(_ body: String) {
        #expect(!Self.refused(body))
        let (decode, foundation) = Self.outcomes(body)
        #expect(decode == foundation)
        if case .failure(let error) = foundation { Issue.record("Foundation failed: \(error)") }
    }

    /// Payloads the fast path refuses; `decode` still returns Foundation's value, or throws its error.
    @Test(arguments: [
        // Forms Codable maps specially: enum numbers, big or fractional ids, an error member.
        Self.statusUpdate + #""status":{"state":3}}}}"#,
        #"{"result":{"message":{"messageId":"m","role":1,"parts":[]}}}"#,
        #"{"id":9007199254740993,"result":null}"#, #"{"id":1.5,"result":null}"#, #"{"id":true,"result":null}"#,
        #"{"id":1,"error":{"code":-32001,"message":"Task not found"},"result":{"bogus":1}}"#,
        // Repeated members, camel and snake twins, names the proto decoder would turn into a field.
        Self.statusUpdate + #""taskId":"u","# + Self.status + "}}}",
        #"{"result":{"statusUpdate":{"taskId":"t","task_id":"u","contextId":"c","# + Self.status + "}}}",
        #"{"result":{"message":{"messageId":"m","role":"ROLE_USER","parts":[{"url":"u","_text":"t"}]}}}"#,
        #"{"result":{"message":{"messageId":"m","role":"ROLE_USER","parts":[{"url":"u"}]},"_message":1}}"#,
        #"{"result":{"message":{"messageId":"m","role":"ROLE_USER","parts":[],"metadata":{"k":1,"k":2}}}}"#,
        #"{"id":1,"id":2,"result":null}"#,
        // Malformed: Foundation's error comes back.
        #"{"result":{"message":{"messageId":"m","role":"user","parts":[]}}}"#,
        #"{"result":{"task":null}}"#, #"{"result":{}}"#,
        #"{"result":{"message":{"messageId":"m","role":"ROLE_USER"},"statusUpdate":null}}"#,
        #"{"result":{"statusUpdate":{"taskId":"t","# + Self.status + "}}}",
        Self.statusUpdate + #""status":{"state":"TASK_STATE_WORKING","timestamp":"yesterday"}}}}"#,
        #"{"result":{"artifactUpdate":{"taskId":"t","artifact":{"artifactId":"a"},"append":"yes"}}}"#,
        #"{"result":{"artifactUpdate":{"taskId":"t","artifact":{"artifactId":"a"},"lastChunk":1}}}"#,
        #"{"result":{"message":{"messageId":"m","role":"ROLE_USER","parts":[{"raw":"%%%"}]}}}"#,
        #"{"result":{"message":{"messageId":"m","role":"ROLE_USER","parts":[{"text":"a","url":"b"}]}}}"#,
        #"{"result":{"message":{"messageId":"m","role":"ROLE_USER","parts":[{}]}}}"#,
        #"{"result":{"message":{"messageId":"m","role":"ROLE_USER","metadata":[1]}}}"#,
        #"{"result":{"message":{"messageId":null,"role":"ROLE_USER"}}}"#,
        #"{"result":{"task":{"id":"t","status":{"state":"TASK_STATE_WORKING"},"history":{}}}}"#,
        "not json", "", #"{"result":1}"#, "[]", #"{"result":{"message":{"messageId":"m","role":"ROLE_USER"}}} x"#,
        "\u{FEFF}{\"id\":1}",
    ])
    func fallsBackToFoundation(_ body: String) {
        #expect(Self.refused(body))
        let (decode, foundation) = Self.outcomes(body)
        #expect(decode == foundation)
    }

    /// Timestamps the direct reader leaves to Foundation, whatever Foundation makes of them.
    @Test(arguments: ["2025-02-30T00:00:00Z", "2025-01-01T00:00:00.1234567890Z", "2025-01-01T24:00:00Z", "2025-06-01"])
    func oddTimestampsAgreeWithFoundation(_ timestamp: String) {
        let (decode, foundation) = Self.outcomes(
            Self.statusUpdate + #""status":{"state":"TASK_STATE_WORKING","timestamp":"\#(timestamp)"}}}}"#)
        #expect(decode == foundation)
    }

    @Test func invalidUTF8IsFoundationsError() {
        for bytes: [UInt8] in [[0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82]] {
            var data = Data(#"{"result":{"message":{"messageId":"m","role":"ROLE_USER","parts":[{"text":"ab"#.utf8)
            data.append(contentsOf: bytes)
            data.append(contentsOf: Array(#""}]}}}"#.utf8))
            #expect(A2AJSON.fastDecode(JSONRPCResponse<StreamResponse>.self, from: data) == nil)
            let (decode, foundation) = Self.outcomes(data)
            #expect(decode == foundation)
            guard case .failure = foundation else { Issue.record("Foundation accepted \(bytes)"); continue }
        }
        // Valid multi-byte text, at every offset from an 8-byte boundary.
        for prefix in 0..<9 {
            let text = String(repeating: "a", count: prefix) + "é€🚀\u{FFFF}"
            let data = Data(
                #"{"result":{"message":{"messageId":"m","role":"ROLE_USER","parts":[{"text":"\#(text)"}]}}}"#.utf8)
            #expect(!A2AJSON.needsFoundation(data))
            #expect(A2AJSON.fastDecode(JSONRPCResponse<StreamResponse>.self, from: data) != nil)
        }
    }

    /// Foundation rejects a number that rounds to zero although it has a nonzero digit; the parser
    /// reads 0, so such bytes (or anything that might hold one) skip the fast path.
    @Test(arguments: [
        "1e-400", "-1e-400", "1E-0400", "0." + String(repeating: "0", count: 400) + "1", "1e-100", "5e-324", "0e-999",
    ])
    func numbersThatRoundToZeroAreFoundations(_ number: String) {
        for body in [
            #"{"result":{"message":{"messageId":"m","role":"ROLE_USER","metadata":{"n":\#(number)}}}}"#,
            #"{"id":\#(number),"result":{"message":{"messageId":"m","role":"ROLE_USER"}}}"#,
        ] {
            #expect(Self.refused(body))
            let (decode, foundation) = Self.outcomes(body)
            #expect(decode == foundation)
        }
    }

    @Test func ordinaryDashesAndZerosStayOnTheFastPath() {
        let body = #"""
            {"id":0,"result":{"statusUpdate":{"taskId":"1237e-1234-4567e-890123456789","contextId":"a1e-100b",
            "status":{"state":"TASK_STATE_WORKING","timestamp":"2025-01-01T00:00:00.000Z"},
            "metadata":{"z":[0,-0,0.0,1e-7,-2.5E-12,1e-99,0.00000000000000000000000000000001],"t":"3e-7 and 10e-5"}}}}
            """#
        #expect(!A2AJSON.needsFoundation(Data(body.utf8)))
        #expect(!Self.refused(body))
        let (decode, foundation) = Self.outcomes(body)
        #expect(decode == foundation)
    }

    @Test func snakeCaseStillDecodes() throws {
        let body = #"""
            {"jsonrpc":"2.0","id":"r-1","result":{"artifact_update":{"task_id":"t","context_id":"c",
            "artifact":{"artifact_id":"a","parts":[{"text":"x","media_type":"text/plain"}],"metadata":{"snake_key":1}},
            "last_chunk":true}}}
            """#
        let response = try A2AJSON.decode(JSONRPCResponse<StreamResponse>.self, from: Data(body.utf8))
        let expected = TaskArtifactUpdateEvent(
            taskId: "t", contextId: "c",
            artifact: Artifact(
                artifactId: "a", parts: [.text("x", mediaType: "text/plain")], metadata: ["snake_key": 1]),
            lastChunk: true)
        #expect(response.result == .artifactUpdate(expected))
        #expect(response.id == .string("r-1"))
        #expect(!Self.refused(body))
        let message = #"{"message_id":"m","role":"ROLE_USER","reference_task_ids":["r"],"parts":[]}"#
        #expect(try A2AJSON.decode(Message.self, from: Data(message.utf8)).referenceTaskIds == ["r"])
    }
}
