package io.tusk.rpc.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A peer that accepts connections on 127.0.0.1 and never reads from them: a server that stopped
 * reading (paused, SIGSTOPped, behind a full TCP window). Its receive buffer is set tiny before
 * bind, so a client's writes block after a few kilobytes plus the client's own send buffer.
 *
 * <p>One thread, {@code <name>-accept}, accepts and keeps the sockets; {@link #close()} closes the
 * listener and every accepted socket and joins that thread.
 */
public final class NeverReadingServer implements AutoCloseable {
  private static final int RECEIVE_BUFFER = 4 * 1024;

  private final ServerSocket listener;
  private final Thread acceptor;
  private final List<Socket> accepted = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  private NeverReadingServer(String name) throws IOException {
    listener = new ServerSocket();
    listener.setReceiveBufferSize(RECEIVE_BUFFER); // before bind, so accepted sockets inherit it
    listener.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 50);
    acceptor = new Thread(this::acceptLoop, name + "-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Starts listening; give each test its own {@code name}. */
  public static NeverReadingServer start(String name) throws IOException {
    return new NeverReadingServer(name);
  }

  public InetSocketAddress address() {
    return new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort());
  }

  /** Connections accepted so far. */
  public int acceptedCount() {
    return accepted.size();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket s = listener.accept();
        accepted.add(s);
        if (closed) {
          s.close();
        }
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    try {
      listener.close();
    } catch (IOException e) {
      // closing anyway
    }
    acceptor.join(5_000);
    for (Socket s : accepted) {
      try {
        s.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }
}
