import Foundation
import Testing

@testable import MeshAgents

/// The master's waits on event-loop timers: the change signal's timeout, the step deadline and cancellation.
@Suite("Master timers")
struct MasterTimerTests {
    @Test func aSignalWaitEndsAtItsTimeout() async {
        let signal = ChangeSignal()
        let clock = ContinuousClock()
        let began = clock.now
        #expect(await signal.wait(timeout: .milliseconds(80)) == nil)
        #expect(clock.now - began >= .milliseconds(75))
    }

    @Test func aChangeWakesTheWaitAndAPendingOneIsKept() async throws {
        let signal = ChangeSignal()
        signal.fire(.running)
        // Fired before anyone waited: the next wait returns it at once.
        #expect(await signal.wait(timeout: .seconds(30)) == .running)
        let clock = ContinuousClock()
        let began = clock.now
        async let woken = signal.wait(timeout: .seconds(30))
        try await Task.sleep(for: .milliseconds(50))
        signal.fire(.completed)
        #expect(await woken == .completed)
        #expect(clock.now - began < .seconds(20), "woken by the fire, not by the 30 s timeout")
    }

    @Test func anEarlierTimeoutDoesNotEndALaterWait() async throws {
        let signal = ChangeSignal()
        // The first wait ends at once on a change that was already there; its timer was due in 100 ms.
        signal.fire(.running)
        #expect(await signal.wait(timeout: .milliseconds(100)) == .running)
        // A timer never fires early, so nothing but that old timer could end this wait before 400 ms.
        let clock = ContinuousClock()
        let began = clock.now
        #expect(await signal.wait(timeout: .milliseconds(400)) == nil)
        #expect(clock.now - began >= .milliseconds(390))
    }

    @Test func cancellingAWaitEndsItAtOnce() async {
        let signal = ChangeSignal()
        let clock = ContinuousClock()
        let began = clock.now
        let waiting = Task { await signal.wait(timeout: .seconds(60)) }
        try? await Task.sleep(for: .milliseconds(30))
        waiting.cancel()
        #expect(await waiting.value == nil)
        // Well short of the 60 s timeout; a generous bound, since the parallel suite's load has stalled this
        // process for seconds (CI, 2026-11-22: 10.04 s against a 10 s bound).
        #expect(clock.now - began < .seconds(30))
    }

    @Test func sleepReturnsAtTheDeadlineAndThrowsWhenCancelled() async throws {
        let clock = ContinuousClock()
        let began = clock.now
        try await EventLoopTimer.sleep(until: began + .milliseconds(60))
        #expect(clock.now - began >= .milliseconds(55))
        let sleeping = Task { try await EventLoopTimer.sleep(until: clock.now + .seconds(60)) }
        try await Task.sleep(for: .milliseconds(20))
        sleeping.cancel()
        await #expect(throws: CancellationError.self) { try await sleeping.value }
        #expect(clock.now - began < .seconds(30), "the 60 s sleep ended well before its deadline")
        // A deadline already past returns at once.
        try await EventLoopTimer.sleep(until: clock.now - .seconds(1))
    }

    @Test func aDeadlineStopsTheBodyOrLetsItFinish() async throws {
        let late = try await withDeadline(ContinuousClock.now + .milliseconds(50)) {
            try await Task.sleep(for: .seconds(30))
            return 1
        }
        #expect(late == nil)
        let inTime = try await withDeadline(ContinuousClock.now + .seconds(30)) { 2 }
        #expect(inTime == 2)
    }
}
