/// Placeholder until the proxy lands.
public struct ProxyConfiguration: Sendable {}
