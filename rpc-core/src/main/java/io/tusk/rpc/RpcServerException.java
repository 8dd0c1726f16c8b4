package io.tusk.rpc;

import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcErrorCodeProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcStatusProto;
import java.io.IOException;

/**
 * A failure of the RPC layer itself rather than of the called method: thrown by engines on the
 * server side to choose the response's status and error code.
 *
 * <p>Travels as {@code org.apache.hadoop.ipc.RpcServerException}, the name Hadoop clients know.
 */
@WireName("org.apache.hadoop.ipc.RpcServerException")
public class RpcServerException extends IOException {
  private static final long serialVersionUID = 1L;

  private final RpcErrorCodeProto errorCode;

  /** An ERROR_RPC_SERVER failure. */
  public RpcServerException(String message) {
    this(message, RpcErrorCodeProto.ERROR_RPC_SERVER);
  }

  public RpcServerException(String message, RpcErrorCodeProto errorCode) {
    super(message);
    this.errorCode = errorCode;
  }

  public RpcServerException(String message, RpcErrorCodeProto errorCode, Throwable cause) {
    super(message, cause);
    this.errorCode = errorCode;
  }

  /** The code sent in the response header's {@code errorDetail}. */
  public RpcErrorCodeProto errorCode() {
    return errorCode;
  }

  /** FATAL for the FATAL_* codes (the connection is then closed), ERROR otherwise. */
  public RpcStatusProto status() {
    return errorCode.getNumber() >= RpcErrorCodeProto.FATAL_UNKNOWN.getNumber()
        ? RpcStatusProto.FATAL
        : RpcStatusProto.ERROR;
  }
}
