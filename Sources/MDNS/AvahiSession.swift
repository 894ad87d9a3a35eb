import CAvahi
import Logging

/// Receives the state changes of an ``AvahiSession``'s client, on the Avahi poll thread.
protocol AvahiSessionDelegate: AnyObject, Sendable {
    /// The client is connected and the host name is established: (re)create groups and browsers.
    func sessionDidConnect(_ client: OpaquePointer)
    /// The host name is being (re)registered: entry groups must be reset.
    func sessionNeedsReset()
    /// The daemon went away; Avahi has freed every object of the old client, so drop the pointers unfreed.
    func sessionDidDisconnect()
}

/// An Avahi threaded poll with one client that reconnects when avahi-daemon restarts.
///
/// Its mutable state is touched only on the poll thread (in callbacks), with the poll lock held, or before
/// the poll starts and after it stops, which is why it is `@unchecked Sendable`.
final class AvahiSession: @unchecked Sendable {
    let poll: OpaquePointer
    var client: OpaquePointer?
    let delegate: any AvahiSessionDelegate
    let logger: Logger

    private init(poll: OpaquePointer, delegate: any AvahiSessionDelegate, logger: Logger) {
        self.poll = poll
        self.delegate = delegate
        self.logger = logger
    }

    /// Connects to avahi-daemon and starts the poll thread; throws when no daemon is running.
    static func start(delegate: any AvahiSessionDelegate, logger: Logger) throws -> AvahiSession {
        guard let poll = avahi_threaded_poll_new() else {
            throw MDNSError.avahi(operation: "avahi_threaded_poll_new", reason: "out of memory")
        }
        let session = AvahiSession(poll: poll, delegate: delegate, logger: logger)
        do {
            // Callbacks can fire inside avahi_client_new, before `client` is stored; they use their argument.
            session.client = try session.newClient()
            if avahi_client_get_state(session.client) == AVAHI_CLIENT_CONNECTING {
                throw MDNSError.daemonNotRunning(reason: "no answer from avahi-daemon on the system D-Bus")
            }
        } catch {
            if let client = session.client { avahi_client_free(client) }
            avahi_threaded_poll_free(poll)
            throw error
        }
        avahi_threaded_poll_start(poll)
        return session
    }

    /// A client that waits for the daemon instead of failing when it goes away.
    func newClient() throws -> OpaquePointer {
        var error: Int32 = 0
        let userdata = Unmanaged.passUnretained(self).toOpaque()
        guard
            let client = avahi_client_new(
                avahi_threaded_poll_get(poll), AVAHI_CLIENT_NO_FAIL, avahiClientCallback, userdata, &error)
        else {
            throw MDNSError.daemonNotRunning(reason: MDNSError.reason(error))
        }
        return client
    }

    /// Runs `body` with the poll lock held, as every call from outside the poll thread must.
    func withLock<Result>(_ body: () throws -> Result) rethrows -> Result {
        avahi_threaded_poll_lock(poll)
        defer { avahi_threaded_poll_unlock(poll) }
        return try body()
    }

    /// Stops the poll thread, then frees the client and the poll, in the only order that is safe.
    func shutdown() {
        // Stopping while holding the lock would deadlock: the poll thread waits for it.
        avahi_threaded_poll_stop(poll)
        if let client {
            avahi_client_free(client)
            self.client = nil
        }
        avahi_threaded_poll_free(poll)
    }
}

/// The client's state changes; runs on the poll thread (or inside `avahi_client_new`).
private func avahiClientCallback(
    _ client: OpaquePointer?, _ state: AvahiClientState, _ userdata: UnsafeMutableRawPointer?
) {
    guard let client, let userdata else { return }
    let session = Unmanaged<AvahiSession>.fromOpaque(userdata).takeUnretainedValue()
    switch state {
    case AVAHI_CLIENT_S_RUNNING:
        session.delegate.sessionDidConnect(client)
    case AVAHI_CLIENT_S_COLLISION, AVAHI_CLIENT_S_REGISTERING:
        session.delegate.sessionNeedsReset()
    case AVAHI_CLIENT_FAILURE:
        let code = avahi_client_errno(client)
        session.logger.warning(
            "avahi client failed; reconnecting", metadata: ["reason": "\(MDNSError.reason(code))"])
        session.delegate.sessionDidDisconnect()
        // Avahi's own tools recover this way: free the dead client and wait for the daemon with a new one.
        avahi_client_free(client)
        session.client = nil
        do {
            session.client = try session.newClient()
        } catch {
            session.logger.error("cannot create a new avahi client", metadata: ["error": "\(error)"])
        }
    default:
        break
    }
}
