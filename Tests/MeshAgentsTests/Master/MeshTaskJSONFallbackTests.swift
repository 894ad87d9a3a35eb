import A2A
import Foundation
import MeshAgents
import Testing

/// Documents the fast reader should not, or need not, take: `MeshJSON` answers what `JSONDecoder` answered
/// before, the same value or the same error.
@Suite struct MeshTaskJSONFallbackTests {
    typealias Fixtures = MeshTaskJSONFixtures

    enum Outcome<T: Equatable>: Equatable {
        case value(T)
        case error(String)

        init(_ body: () throws -> T) {
            do { self = .value(try body()) } catch { self = .error(String(describing: error)) }
        }
    }

    static var taskJSON: String { String(decoding: try! Fixtures.singleStepCompleted.jsonData(), as: UTF8.self) }
    static var eventJSON: String { String(decoding: try! Fixtures.events[7].jsonData(), as: UTF8.self) }

    static let whole = ["", "{", "not json", "[]", "null", "42", "{}", #"{"id":1}"#, "\u{FEFF}{}"]

    /// (find, replace) in ``taskJSON``.
    static let taskEdits: [(String, String)] = [
        (#""stepIndex":1"#, #""stepIndex":1.0"#), (#""stepIndex":1"#, #""stepIndex":1e0"#),
        (#""stepIndex":1"#, #""stepIndex":1.5"#), (#""stepIndex":1"#, #""stepIndex":"1""#),
        (#""stepIndex":1"#, #""stepIndex":9007199254740993"#), (#""stepIndex":1"#, #""stepIndex":-0"#),
        (#""round":0,"attempt":1,"history""#, #""round":0,"round":5,"attempt":1,"history""#),
        (#""state":"completed","input""#, #""state":"paused","input""#),
        (#""input":"What is an agent card?","#, ""), (#""input":"What is an agent card?""#, #""input":"\ud800""#),
        (#""input":"What is an agent card?""#, #""input":"a\/b \u00e9 \ud83d\ude80 \u0000""#),
        (#""deadLettered":false"#, #""deadLettered":null"#), (#""deadLettered":false"#, #""deadLettered":0"#),
        (#""owner":"master-1""#, #""owner":null"#), (#""steps":["answer"]"#, #""steps":null"#),
        (#""steps":["answer"]"#, #""steps":["answer",1]"#), (#""history":["#, #""history":{"a":1},"x":["#),
        (
            #""skill":"answer","contextId""#,
            #""pipeline":null,"skill":"answer","metadata":null,"improve":null,"webhook":null,"contextId""#
        ),
        (#""contextId""#, #""improve":{"from":"a","to":"b","threshold":1,"maxRounds":2.0,"x":1},"contextId""#),
        (#""contextId""#, #""improve":{"from":"a","to":"b","threshold":"high","maxRounds":2},"contextId""#),
        (#""contextId""#, #""metadata":{"a":1,"a":2},"contextId""#),
        (#""contextId""#, #""metadata":[1],"contextId""#),
        (#""contextId""#, #""metadata":\#(deep(70)),"contextId""#),
        (#""id":"t-single","#, #""id":"t-single","extra":{"a":[1,null]},"#),
        (#""summary":"The answer: 42""#, #""summary":"The answer: 42","extra":1"#),
        (#""endedAt":"2025-11-21T10:30:02.999Z""#, #""endedAt":null,"score":null"#),
        (#""endedAt":"2025-11-21T10:30:02.999Z""#, #""score":0.1,"score":0.2"#),
        (#""state":"completed","startedAt""#, #""state":"lost","startedAt""#),
        (#"2025-11-21T10:29:59.001Z"#, #"2025-11-21T10:29:59Z"#),
        (#"2025-11-21T10:29:59.001Z"#, #"2025-11-21T12:29:59.001+02:00"#),
        (#"2025-11-21T10:29:59.001Z"#, #"2025-11-21T10:29:59.001234Z"#),
        (#"2025-11-21T10:29:59.001Z"#, #"yesterday"#), (#"2025-11-21T10:29:59.001Z"#, #"2025-02-30T10:29:59.001Z"#),
        (#"2025-11-21T10:29:59.001Z"#, #"2025-11-21T24:00:00.000Z"#),
        (#"2025-11-21T10:29:59.001Z"#, #"1969-12-31T23:59:59.999Z"#),
        (#""createdAt":"2025-11-21T10:29:59.001Z""#, #""createdAt":1"#),
        (#""artifactId":"answer","#, #""artifactId":"answer","name":"","description":null,"extensions":null,"#),
        (#""artifactId":"answer","#, #""artifactId":"answer","metadata":null,"extensions":[],"#),
        (#""artifactId":"answer""#, #""artifactId":null"#), (#""artifactId":"answer","#, ""),
        (#"[{"text":"The answer: 42 — \"exactly\".\n"}]"#, "null"),
        (#"{"text":"The answer"#, #"{"url":"u","text":"The answer"#),
        (#"{"text":"The answer: 42 — \"exactly\".\n"}"#, #"{"text":null,"raw":"AAEC-v8","mediaType":""}"#),
        (#"{"text":"The answer: 42 — \"exactly\".\n"}"#, #"{"raw":"AAEC+v8="}"#),
        (#"{"text":"The answer: 42 — \"exactly\".\n"}"#, #"{"raw":"!!!"}"#),
        (#"{"text":"The answer: 42 — \"exactly\".\n"}"#, #"{"data":{"a":1,"a":2}}"#),
        (#"{"text":"The answer: 42 — \"exactly\".\n"}"#, #"{"data":null,"filename":null}"#),
        (#"{"text":"The answer: 42 — \"exactly\".\n"}"#, #"{"filename":"f"}"#),
        (#"{"text":"The answer: 42 — \"exactly\".\n"}"#, #"{"text":"x","extra":true}"#),
        (#"{"text":"The answer: 42 — \"exactly\".\n"}"#, #"{"text":"x","metadata":{"n":1e400}}"#),
    ]

    /// (find, replace) in ``eventJSON``.
    static let eventEdits: [(String, String)] = [
        (#""type":"step-failed""#, #""type":"stepFailed""#), (#""progress":0.99"#, ""),
        (#""progress":0.99"#, #""progress":"0.99""#), (#""progress":0.99"#, #""progress":1"#),
        (#""attempt":4"#, #""attempt":4.0"#), (#""attempt":4"#, #""attempt":null,"round":null,"score":null"#),
        (#""taskId":"t-running""#, #""taskId":"t-running","extra":[]"#),
        (#""taskId":"t-running""#, #""taskId":"t-running","taskId":"other""#),
        (#""state":"failed""#, #""state":"FAILED""#), (#"2025-12-31T23:59:59.999Z"#, #"2025-12-31T23:59:59.9999Z"#),
    ]

    static func deep(_ levels: Int) -> String {
        String(repeating: #"{"a":"#, count: levels) + "1" + String(repeating: "}", count: levels)
    }

    static func expectSameAsBefore<T: Decodable & Equatable>(_ type: T.Type, _ json: String) {
        let data = Data(json.utf8)
        let before = Outcome { try JSONDecoder().decode(type, from: data) }
        let after = Outcome { try MeshJSON.decode(type, from: data) }
        #expect(after == before, "\(json)")
    }

    @Test func malformedDocumentsGiveTheSameError() {
        for json in Self.whole {
            Self.expectSameAsBefore(MeshTask.self, json)
            Self.expectSameAsBefore(MeshTaskEvent.self, json)
        }
        let task = Self.taskJSON
        for json in [String(task.dropLast()), task + "x", task + " ", " \n" + task] {
            Self.expectSameAsBefore(MeshTask.self, json)
        }
    }

    @Test func editedTasksDecodeAsBefore() throws {
        let base = Self.taskJSON
        for (find, replace) in Self.taskEdits {
            let edited = base.replacingOccurrences(of: find, with: replace)
            #expect(edited != base, "\(find) is in the fixture")
            Self.expectSameAsBefore(MeshTask.self, edited)
        }
    }

    @Test func editedEventsDecodeAsBefore() throws {
        let base = Self.eventJSON
        for (find, replace) in Self.eventEdits {
            let edited = base.replacingOccurrences(of: find, with: replace)
            #expect(edited != base, "\(find) is in the fixture")
            Self.expectSameAsBefore(MeshTaskEvent.self, edited)
        }
    }

    /// Pretty-printed, sorted and with escaped slashes: other writers' JSON is read as well.
    @Test func otherFormattingDecodesAsBefore() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        for task in Fixtures.tasks {
            let json = String(decoding: try encoder.encode(task), as: UTF8.self)
            Self.expectSameAsBefore(MeshTask.self, json)
            #expect(try MeshTask(parsed: #require(JSONParser.parse(Data(json.utf8)))) == task)
        }
    }

    /// The fast reader refuses what it does not know rather than guess; the fallback then reads it.
    @Test func fastReaderRefusesUnknownAndRepeatedMembers() throws {
        let base = Self.taskJSON
        for (find, replace) in [Self.taskEdits[6], Self.taskEdits[23], Self.taskEdits[24], Self.taskEdits[20]] {
            let parsed = try #require(JSONParser.parse(Data(base.replacingOccurrences(of: find, with: replace).utf8)))
            #expect(throws: (any Error).self) { try MeshTask(parsed: parsed) }
        }
    }

    /// `JSONEncoder` refuses NaN and the infinities; so does the fast path (through the same fallback).
    @Test func nonFiniteNumbersFailAsBefore() {
        var task = Fixtures.singleStepCompleted
        task.history[0].score = .nan
        #expect(Outcome { try MeshJSON.encode(task) } == Outcome { try MeshJSON.encodeWithFoundation(task) })
        #expect(Outcome { try MeshJSON.encode(task) } != .value(Data()))
        var event = Fixtures.events[0]
        event.progress = .infinity
        #expect(Outcome { try MeshJSON.encode(event) } == Outcome { try MeshJSON.encodeWithFoundation(event) })
        let history = [task.history[0]]
        #expect(Outcome { try MeshJSON.encode(history) } == Outcome { try MeshJSON.encodeWithFoundation(history) })
    }
}
