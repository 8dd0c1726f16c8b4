package io.tusk.rpc;

import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcErrorCodeProto;

/** The protocol exists on the server but has no method of the requested name. */
@WireName("org.apache.hadoop.ipc.RpcNoSuchMethodException")
public class RpcNoSuchMethodException extends RpcServerException {
  private static final long serialVersionUID = 1L;

  public RpcNoSuchMethodException(String message) {
    super(message, RpcErrorCodeProto.ERROR_NO_SUCH_METHOD);
  }
}
