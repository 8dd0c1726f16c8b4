package io.tusk.rpc.server;

import io.tusk.rpc.RpcKind;

/**
 * One protocol implementation hosted by a server.
 *
 * @param kind the engine that serves it
 * @param name the protocol's wire name
 * @param version the protocol version it serves
 * @param protocolClass the interface it was registered for (may be null for raw registrations)
 * @param implementation the object calls are dispatched to
 */
public record ProtocolEntry(RpcKind kind, String name, long version, Class<?> protocolClass,
    Object implementation) {
}
