import CAvahi
import Logging

/// The entry group of one ``MDNSPublisher`` and the name it currently uses.
///
/// Touched only on the Avahi poll thread or with the poll lock held, hence `@unchecked Sendable`.
final class PublisherRegistration: AvahiSessionDelegate, @unchecked Sendable {
    var name: String
    let type: String
    let port: UInt16
    let txt: [(key: String, value: String)]
    let events: AsyncStream<MDNSPublisherEvent>.Continuation
    let logger: Logger
    var group: OpaquePointer?

    init(
        name: String, type: String, port: UInt16, txt: [(key: String, value: String)],
        events: AsyncStream<MDNSPublisherEvent>.Continuation, logger: Logger
    ) {
        self.name = name
        self.type = type
        self.port = port
        self.txt = txt
        self.events = events
        self.logger = logger
    }

    func sessionDidConnect(_ client: OpaquePointer) {
        if group == nil {
            let userdata = Unmanaged.passUnretained(self).toOpaque()
            group = avahi_entry_group_new(client, entryGroupCallback, userdata)
        }
        guard let group else {
            fail("avahi_entry_group_new", code: avahi_client_errno(client))
            return
        }
        if avahi_entry_group_is_empty(group) != 0 {
            register(in: group)
        }
    }

    func sessionNeedsReset() {
        if let group { avahi_entry_group_reset(group) }
    }

    func sessionDidDisconnect() {
        group = nil
        events.yield(.disconnected)
    }

    /// Adds the service to `group` under the current name and commits it, renaming on a local collision.
    func register(in group: OpaquePointer) {
        while true {
            var list: UnsafeMutablePointer<AvahiStringList>? = nil
            // add_pair prepends, so add in reverse to publish in the given order.
            for pair in txt.reversed() {
                list = avahi_string_list_add_pair(list, pair.key, pair.value)
            }
            let result = avahi_entry_group_add_service_strlst(
                group, Int32(AVAHI_IF_UNSPEC), Int32(AVAHI_PROTO_UNSPEC), AvahiPublishFlags(0), name, type, nil,
                nil, port, list)
            avahi_string_list_free(list)
            if result == AVAHI_ERR_COLLISION {
                rename()
                continue
            }
            guard result >= 0 else {
                fail("avahi_entry_group_add_service_strlst", code: result)
                return
            }
            let committed = avahi_entry_group_commit(group)
            if committed < 0 { fail("avahi_entry_group_commit", code: committed) }
            return
        }
    }

    /// Moves to Avahi's next alternative name (`name #2`, `name #3`, …).
    func rename() {
        let old = name
        if let alternative = avahi_alternative_service_name(name) {
            name = String(cString: alternative)
            avahi_free(alternative)
        }
        logger.info("mdns name collision; renamed", metadata: ["from": "\(old)", "to": "\(name)"])
        events.yield(.renamed(from: old, to: name))
    }

    /// Withdraws the service; called with the poll lock held.
    func withdraw() {
        guard let group else { return }
        avahi_entry_group_reset(group)
        avahi_entry_group_free(group)
        self.group = nil
    }

    func fail(_ operation: String, code: Int32) {
        let reason = MDNSError.reason(code)
        logger.error("mdns registration failed", metadata: ["operation": "\(operation)", "reason": "\(reason)"])
        events.yield(.failed("\(operation): \(reason)"))
    }
}

/// The entry group's state changes; runs on the poll thread (or inside `avahi_entry_group_new`).
private func entryGroupCallback(
    _ group: OpaquePointer?, _ state: AvahiEntryGroupState, _ userdata: UnsafeMutableRawPointer?
) {
    guard let group, let userdata else { return }
    let registration = Unmanaged<PublisherRegistration>.fromOpaque(userdata).takeUnretainedValue()
    switch state {
    case AVAHI_ENTRY_GROUP_ESTABLISHED:
        registration.events.yield(.established(name: registration.name))
    case AVAHI_ENTRY_GROUP_COLLISION:
        registration.rename()
        avahi_entry_group_reset(group)
        registration.register(in: group)
    case AVAHI_ENTRY_GROUP_FAILURE:
        let client = avahi_entry_group_get_client(group)
        registration.fail("entry group", code: avahi_client_errno(client))
    default:
        break
    }
}
