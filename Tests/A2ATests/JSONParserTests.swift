import A2A
import Foundation
import Testing

/// The fast path reads well-formed requests exactly as `Codable` does, and refuses anything else.
@Suite("JSONParser")
struct JSONParserTests {
    static let requests = [
        #"{"message":{"messageId":"m","role":"ROLE_USER","parts":[{"text":"hi"}]}}"#,
        #"{"message":{"message_id":"m","context_id":"c","task_id":"t","role":"ROLE_USER","parts":[{"text":"a\"b\\c\n\u00e9\ud83d\ude80\/"}],"reference_task_ids":["x"]},"configuration":{"history_length":"3","return_immediately":"true"}}"#,
        #"{"tenant":"","message":{"messageId":"m","contextId":"","role":"ROLE_USER","parts":[{"raw":"AAEC/w==","filename":"","mediaType":"application/octet-stream"},{"url":"https://x/y","metadata":{"k":[1,2.5,-3e2,true,null,"s"]}},{"data":{"nested":{"a":[{"b":false}]}}},{"data":null}],"metadata":{"trace_id":"x"},"extensions":["e"]},"configuration":{"acceptedOutputModes":["text/plain"],"taskPushNotificationConfig":{"url":"http://h/hook","token":"t","authentication":{"scheme":"Bearer","credentials":"c"}},"historyLength":2,"returnImmediately":false},"metadata":{"m":1}}"#,
        "  {\"message\" : {\"messageId\" : \"m\" ,\n\t\"role\":\"ROLE_USER\",\"parts\":[ {\"text\":\"\"} ] } }  ",
    ]

    @Test(arguments: requests)
    func readsLikeCodable(_ body: String) throws {
        let data = Data(body.utf8)
        let parsed = try #require(JSONParser.parse(data))
        let fast = try SendMessageRequest(parsed: parsed)
        let slow = try A2AJSON.decode(SendMessageRequest.self, from: data)
        #expect(fast == slow)
    }

    @Test(arguments: [
        "", "{", #"{"a":1}x"#, #"{"a":01}"#, #"{"a":.5}"#, #"{"a":"\x"}"#, #"{"a":"\ud800"}"#, "[1,]", #"{"a" 1}"#,
        "{\"a\":\"\u{01}\"}", String(repeating: "[", count: 100) + String(repeating: "]", count: 100), "nul", "tru",
    ])
    func refusesInvalidJSON(_ body: String) {
        #expect(JSONParser.parse(Data(body.utf8)) == nil)
    }

    @Test(arguments: [
        #"{"message":{"messageId":"m","role":"user","parts":[]}}"#,
        #"{"message":{"messageId":"m","role":"ROLE_USER","parts":[{}]}}"#,
        #"{"message":{"messageId":"m","role":"ROLE_USER","parts":[{"text":"a","url":"b"}]}}"#,
        #"{"message":{"messageId":5,"role":"ROLE_USER","parts":[]}}"#,
        #"{"configuration":{}}"#,
        #"{"message":{"messageId":"m","role":"ROLE_USER","parts":[{"raw":"%%"}]}}"#,
    ])
    func refusesWhatCodableRejects(_ body: String) throws {
        let data = Data(body.utf8)
        let parsed = try #require(JSONParser.parse(data))
        #expect(throws: (any Error).self) { try SendMessageRequest(parsed: parsed) }
        #expect(throws: (any Error).self) { try A2AJSON.decode(SendMessageRequest.self, from: data) }
    }

    @Test func numbersAndEscapes() throws {
        let parsed = try #require(JSONParser.parse(Data(#"{"n":[0,-0.5,1e3,12345678901],"s":"\t\"\u0041"}"#.utf8)))
        guard case .object(let members) = parsed, case .array(let numbers) = members[0].value, case .string(let text) = members[1].value
        else { Issue.record("unexpected shape"); return }
        #expect(numbers.count == 4)
        if case .number(let big) = numbers[3] { #expect(big == 12_345_678_901) }
        #expect(text == "\t\"A")
    }
}
