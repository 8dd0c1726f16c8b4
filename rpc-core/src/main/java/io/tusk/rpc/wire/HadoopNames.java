package io.tusk.rpc.wire;

import io.tusk.rpc.ProtocolSignature;
import io.tusk.rpc.RPC;
import io.tusk.rpc.RetriableException;
import io.tusk.rpc.RpcNoSuchMethodException;
import io.tusk.rpc.RpcNoSuchProtocolException;
import io.tusk.rpc.RpcServerException;
import io.tusk.rpc.VersionedProtocol;

/**
 * The Hadoop class names that travel on the wire (exception class names of error answers,
 * protocol and class names of Writable calls) or that Tusk recognises by reflection. The numbers
 * of the wire format are in {@link RpcConstants}.
 *
 * <p>A name that Tusk has a class for is derived from that class's {@link io.tusk.rpc.WireName}
 * ({@link WireNames#of(Class)}), so the annotation is the one place it is spelled; only the names
 * of Hadoop classes Tusk has no twin of are written out here. Not compile-time constants: they
 * are read from the annotations when this class initialises. Called by rpc-core's server and
 * client and by the engines.
 */
public final class HadoopNames {
  private HadoopNames() {}

  /** {@code org.apache.hadoop.ipc.RpcServerException}: failures of the RPC layer. */
  public static final String RPC_SERVER_EXCEPTION = WireNames.of(RpcServerException.class);

  /** {@code org.apache.hadoop.ipc.RPC$VersionMismatch}: the answer to a bad IPC version. */
  public static final String VERSION_MISMATCH = WireNames.of(RPC.VersionMismatch.class);

  /** {@code org.apache.hadoop.ipc.RpcNoSuchMethodException}. */
  public static final String RPC_NO_SUCH_METHOD_EXCEPTION =
      WireNames.of(RpcNoSuchMethodException.class);

  /** {@code org.apache.hadoop.ipc.RpcNoSuchProtocolException}. */
  public static final String RPC_NO_SUCH_PROTOCOL_EXCEPTION =
      WireNames.of(RpcNoSuchProtocolException.class);

  /** {@code org.apache.hadoop.ipc.RetriableException}: "try again later". */
  public static final String RETRIABLE_EXCEPTION = WireNames.of(RetriableException.class);

  /**
   * {@code org.apache.hadoop.ipc.VersionedProtocol}, also the protocol name of the Writable calls
   * of its methods.
   */
  public static final String VERSIONED_PROTOCOL = WireNames.of(VersionedProtocol.class);

  /** {@code org.apache.hadoop.ipc.ProtocolSignature}. */
  public static final String PROTOCOL_SIGNATURE = WireNames.of(ProtocolSignature.class);

  /** Hadoop's authentication/authorization failure, which its client unwraps; no Tusk twin. */
  public static final String ACCESS_CONTROL_EXCEPTION =
      "org.apache.hadoop.security.AccessControlException";

  /** Hadoop's answer to an unknown auth protocol byte in the preamble; no Tusk twin. */
  public static final String IPC_EXCEPTION = "org.apache.hadoop.ipc.IpcException";

  /** Hadoop's refusal of an impersonation ({@code hadoop.proxyuser.*} rules). */
  public static final String AUTHORIZATION_EXCEPTION =
      "org.apache.hadoop.security.authorize.AuthorizationException";

  /** Hadoop's {@code @ProtocolInfo} annotation, read by reflection; no Tusk twin on the wire. */
  public static final String PROTOCOL_INFO = "org.apache.hadoop.ipc.ProtocolInfo";
}
