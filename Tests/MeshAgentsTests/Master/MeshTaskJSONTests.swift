import A2A
import Foundation
import MeshAgents
import Testing

/// The master's hand-written JSON for its tasks and events against their `Codable` conformances, both ways.
@Suite struct MeshTaskJSONTests {
    typealias Fixtures = MeshTaskJSONFixtures

    static func foundation<T: Encodable>(_ value: T) throws -> Data { try MeshJSON.encodeWithFoundation(value) }

    /// Both documents as JSON trees: the same members with the same values, whatever their order or spelling.
    static func sameTree(_ fast: Data, _ foundation: Data) throws -> Bool {
        try JSONDecoder().decode(JSONValue.self, from: fast) == JSONDecoder().decode(JSONValue.self, from: foundation)
    }

    @Test func theFixturesRoundTripThroughCodable() throws {
        for task in Fixtures.tasks {
            #expect(try JSONDecoder().decode(MeshTask.self, from: Self.foundation(task)) == task, "\(task.id)")
        }
        for event in Fixtures.events {
            #expect(try JSONDecoder().decode(MeshTaskEvent.self, from: Self.foundation(event)) == event)
        }
    }

    @Test(arguments: Fixtures.tasks) func fastTaskJSONDecodesWithJSONDecoder(task: MeshTask) throws {
        let fast = try task.jsonData()
        #expect(try JSONDecoder().decode(MeshTask.self, from: fast) == task)
        #expect(try Self.sameTree(fast, Self.foundation(task)), "the same members as Codable writes")
        #expect(try MeshJSON.encode(task) == fast)
    }

    @Test(arguments: Fixtures.tasks) func foundationTaskJSONReadsFast(task: MeshTask) throws {
        let parsed = try #require(JSONParser.parse(try Self.foundation(task)))
        #expect(try MeshTask(parsed: parsed) == task)
    }

    @Test(arguments: Fixtures.tasks) func fastTaskJSONReadsFast(task: MeshTask) throws {
        let fast = try task.jsonData()
        #expect(try MeshTask(parsed: #require(JSONParser.parse(fast))) == task)
        #expect(try MeshJSON.decode(MeshTask.self, from: fast) == task)
    }

    @Test(arguments: Fixtures.events) func eventsRoundTripEveryWay(event: MeshTaskEvent) throws {
        let fast = try event.jsonData()
        let foundation = try Self.foundation(event)
        #expect(try JSONDecoder().decode(MeshTaskEvent.self, from: fast) == event)
        #expect(try Self.sameTree(fast, foundation))
        #expect(try MeshTaskEvent(parsed: #require(JSONParser.parse(foundation))) == event)
        #expect(try MeshTaskEvent(parsed: #require(JSONParser.parse(fast))) == event)
        #expect(try MeshJSON.decode(MeshTaskEvent.self, from: fast) == event)
        #expect(try MeshJSON.encode(event) == fast)
    }

    @Test func everyEventKindIsCovered() {
        let kinds = Set(Fixtures.events.map(\.type))
        #expect(kinds.count == 11)
        #expect(Set(Fixtures.tasks.map(\.state)) == Set(MeshTaskState.allCases))
    }

    /// The dead-letter entry carries the history alone, through the same `encode`.
    @Test func historyListIsWrittenFastAndReadsBack() throws {
        for task in Fixtures.tasks {
            let fast = try MeshJSON.encode(task.history)
            #expect(try JSONDecoder().decode([MeshStepRecord].self, from: fast) == task.history)
            #expect(try Self.sameTree(fast, Self.foundation(task.history)))
        }
    }

    /// Other values still go through `JSONEncoder`, without escaped slashes.
    @Test func otherValuesAreEncodedByFoundation() throws {
        let value = ["url": "https://example.com/a"]
        #expect(try MeshJSON.encode(value) == Self.foundation(value))
        #expect(String(decoding: try MeshJSON.encode(value), as: UTF8.self).contains("https://example.com/a"))
    }

    /// Every stored timestamp is read by hand; the `Date` must be the very one `ISO8601FormatStyle` parses.
    @Test func canonicalTimestampsReadAsTimestampParsesThem() throws {
        var generator = SystemRandomNumberGenerator()
        var millis: [Int64] = [0, 1, 999, 978_307_200_000, 978_307_199_999, 951_782_400_000, 4_102_444_799_999]
        for _ in 0..<3000 { millis.append(Int64.random(in: 0...4_102_444_800_000, using: &generator)) }
        for _ in 0..<1000 {
            millis.append(978_307_200_000 + Int64.random(in: -10_000_000...10_000_000, using: &generator))
        }
        for ms in millis {
            let text = Timestamp(Date(timeIntervalSince1970: Double(ms) / 1000)).description
            let json = Data(#"{"type":"queued","taskId":"t","state":"queued","progress":0,"time":"\#(text)"}"#.utf8)
            let fast = try MeshTaskEvent(parsed: #require(JSONParser.parse(json)))
            #expect(fast.time.date == Timestamp(iso8601: text)?.date, "\(text)")
        }
    }
}
