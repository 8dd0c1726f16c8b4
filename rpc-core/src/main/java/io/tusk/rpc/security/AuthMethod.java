package io.tusk.rpc.security;

/**
 * How the caller of a connection proved who it is; every {@link io.tusk.rpc.server.CallContext}
 * carries the one its connection used.
 *
 * <p>Only {@link #SIMPLE} exists on the wire today: the client names its user in the connection
 * context and the server takes its word (Hadoop's {@code SIMPLE}, preamble auth byte 0). The other
 * constants are reserved for the security issue (SASL and TLS), so that code written against
 * {@code CallContext.authMethod()} now keeps compiling then; no connection reports them yet.
 *
 * <p>{@link #PROXY} is not a way a connection authenticates: it is the method of a
 * {@link UserIdentity} acting for another (Hadoop's {@code AuthenticationMethod.PROXY}), whose
 * real user carries how the connection authenticated.
 */
public enum AuthMethod {
  /** No authentication: the user named in the connection context, trusted as given. */
  SIMPLE,
  /** Reserved: a delegation token (SASL DIGEST-MD5 in Hadoop). */
  TOKEN,
  /** Reserved: Kerberos (SASL GSSAPI). */
  KERBEROS,
  /** Reserved: a TLS client certificate. */
  CERTIFICATE,
  /** A proxy user: the identity's real user authenticated and impersonates it. */
  PROXY
}
