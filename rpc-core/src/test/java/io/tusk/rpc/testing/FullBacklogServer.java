package io.tusk.rpc.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * A listening socket on 127.0.0.1 that never accepts and whose accept queue is already full, so
 * that a new connect is never answered: the kernel drops its SYNs and the connect ends only at
 * its own timeout (a server that hangs, a black-holed address, without leaving loopback).
 *
 * <p>No threads. It fills its backlog of one with its own client sockets, connecting until a
 * connect times out; {@link #close()} closes them and the listener.
 */
public final class FullBacklogServer implements AutoCloseable {
  private static final int PROBE_TIMEOUT_MS = 200;
  private static final int MAX_FILLERS = 16;

  private final ServerSocket listener;
  private final List<Socket> fillers = new ArrayList<>();

  private FullBacklogServer() throws IOException {
    listener = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
    try {
      fill();
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Listens and fills the accept queue; a connect to {@link #address()} then hangs. */
  public static FullBacklogServer start() throws IOException {
    return new FullBacklogServer();
  }

  private void fill() throws IOException {
    for (int i = 0; i < MAX_FILLERS; i++) {
      Socket s = new Socket();
      try {
        s.connect(address(), PROBE_TIMEOUT_MS);
        fillers.add(s);
      } catch (SocketTimeoutException e) {
        s.close();
        return; // the queue is full: this connect was never answered
      }
    }
    throw new IOException("the accept queue of " + address() + " did not fill up after "
        + MAX_FILLERS + " connections; does this kernel drop SYNs on a full queue?");
  }

  public InetSocketAddress address() {
    return new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort());
  }

  @Override
  public void close() {
    for (Socket s : fillers) {
      try {
        s.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
    try {
      listener.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
