package io.tusk.rpc.server;

import io.tusk.rpc.RpcKind;
import java.net.InetSocketAddress;

/**
 * Everything known about the call a handler thread is running: who is calling, from where, on
 * which connection. {@link Server#getCurrentCall()} returns it while the call runs.
 *
 * @param callId the client's call id
 * @param retryCount the client's retry count (0 for a first attempt, as Hadoop's client sends it;
 *     -1 from clients that leave the field unset)
 * @param clientId the client's 16-byte id (do not modify)
 * @param rpcKind the engine kind of the request
 * @param protocol the protocol named in the connection context (may be null)
 * @param user the effective user from the connection context (may be null)
 * @param realUser the real user when the effective user is a proxy (may be null)
 * @param remoteAddress the client's address
 * @param receivedNanos {@link System#nanoTime()} when the request was read
 */
public record CallContext(int callId, int retryCount, byte[] clientId, RpcKind rpcKind,
    String protocol, String user, String realUser, InetSocketAddress remoteAddress,
    long receivedNanos) {
}
