package io.tusk.rpc;

import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcErrorCodeProto;

/** The server hosts no protocol of the requested name for the request's engine. */
@WireName("org.apache.hadoop.ipc.RpcNoSuchProtocolException")
public class RpcNoSuchProtocolException extends RpcServerException {
  private static final long serialVersionUID = 1L;

  public RpcNoSuchProtocolException(String message) {
    super(message, RpcErrorCodeProto.ERROR_NO_SUCH_PROTOCOL);
  }
}
