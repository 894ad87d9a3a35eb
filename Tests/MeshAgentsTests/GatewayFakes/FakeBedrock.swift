import Foundation
import MeshAgents

/// Bedrock's documented Converse answer, and ConverseStream as `application/vnd.amazon.eventstream` frames.
enum FakeBedrock {
    static let inputTokens = 23
    static let outputTokens = 5
    static let words = ["Bedrock", " says", " hi."]
    static var text: String { words.joined() }

    static func reply(_ call: ProviderCall) -> FakeReply {
        if call.path.hasSuffix("/converse") {
            return .json(
                """
                {"output":{"message":{"role":"assistant","content":[{"text":"\(text)"}]}},"stopReason":"end_turn",\
                "usage":{"inputTokens":\(inputTokens),"outputTokens":\(outputTokens),"totalTokens":\(inputTokens + outputTokens)},\
                "metrics":{"latencyMs":42}}
                """, headers: ["x-amzn-requestid": "11111111-2222-3333-4444-555555555555"])
        }
        guard call.path.hasSuffix("/converse-stream") else {
            return .json(#"{"message":"Unknown operation"}"#, status: 404, headers: ["x-amzn-errortype": "UnknownOperationException:http://internal.amazon.com/coral/com.amazon.coral.service/"])
        }
        var frames = [event("messageStart", #"{"p":"abcd","role":"assistant"}"#)]
        for word in words {
            frames.append(event("contentBlockDelta", #"{"contentBlockIndex":0,"delta":{"text":""# + word + #""},"p":"abcdefgh"}"#))
        }
        frames.append(event("contentBlockStop", #"{"contentBlockIndex":0,"p":"ab"}"#))
        frames.append(event("messageStop", #"{"p":"abc","stopReason":"end_turn"}"#))
        frames.append(
            event(
                "metadata",
                #"{"metrics":{"latencyMs":40},"p":"a","usage":{"inputTokens":\#(inputTokens),"outputTokens":\#(outputTokens),"totalTokens":\#(inputTokens + outputTokens)}}"#))
        // Split one frame across two writes, as TCP may.
        let joined = frames.flatMap { $0 }
        let cut = frames[0].count + 7
        return FakeReply(
            headers: ["content-type": "application/vnd.amazon.eventstream"],
            chunks: [Array(joined[..<cut]), Array(joined[cut...])])
    }

    /// One event message, framed here independently of the gateway's decoder (only the CRC is shared, and that
    /// is checked against the standard check value in the tests).
    static func event(_ type: String, _ json: String) -> [UInt8] {
        var headers: [UInt8] = []
        for (name, value) in [(":event-type", type), (":content-type", "application/json"), (":message-type", "event")] {
            headers.append(UInt8(name.utf8.count))
            headers += Array(name.utf8)
            headers.append(7)
            headers += [UInt8(value.utf8.count >> 8), UInt8(value.utf8.count & 0xFF)]
            headers += Array(value.utf8)
        }
        let payload = Array(json.utf8)
        let total = 12 + headers.count + payload.count + 4
        var frame = bigEndian(UInt32(total)) + bigEndian(UInt32(headers.count))
        frame += bigEndian(CRC32.checksum(frame))
        frame += headers + payload
        frame += bigEndian(CRC32.checksum(frame))
        return frame
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }
}
