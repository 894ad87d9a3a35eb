/// How long to wait before starting a crashed child again: doubling from ``initial`` up to ``maximum``,
/// and back to ``initial`` once a run lasted ``resetAfter``.
struct RestartBackoff: Sendable {
    var initial: Duration = .milliseconds(500)
    var maximum: Duration = .seconds(30)
    /// A run at least this long counts as healthy, so the next crash is treated as the first.
    var resetAfter: Duration = .seconds(30)
    private var current: Duration?

    init(initial: Duration = .milliseconds(500), maximum: Duration = .seconds(30), resetAfter: Duration = .seconds(30))
    {
        self.initial = initial
        self.maximum = maximum
        self.resetAfter = resetAfter
    }

    /// The delay before the next start, after a run that lasted `uptime`.
    mutating func delay(afterUptime uptime: Duration) -> Duration {
        let next: Duration
        if let current, uptime < resetAfter {
            next = min(current * 2, maximum)
        } else {
            next = initial
        }
        current = next
        return next
    }
}
