package io.tusk.rpc.client;

import java.net.InetAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * Base of the test socket factories: the client only asks for unconnected sockets
 * ({@link #createSocket()}) and connects them itself, so the connecting overloads refuse.
 */
abstract class UnconnectedSocketFactory extends SocketFactory {
  @Override
  public Socket createSocket(String host, int port) {
    throw new UnsupportedOperationException("the client connects unconnected sockets");
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort) {
    throw new UnsupportedOperationException("the client connects unconnected sockets");
  }

  @Override
  public Socket createSocket(InetAddress host, int port) {
    throw new UnsupportedOperationException("the client connects unconnected sockets");
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress,
      int localPort) {
    throw new UnsupportedOperationException("the client connects unconnected sockets");
  }
}
