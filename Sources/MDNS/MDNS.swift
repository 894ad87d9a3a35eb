// The mDNS publisher and browser over avahi-daemon (in progress).
