package io.tusk.rpc.protobuf;

import com.google.protobuf.ServiceException;
import io.tusk.rpc.RemoteException;
import java.io.IOException;

/**
 * Helpers for translators between a user's plain interface (methods throw {@link IOException}) and
 * a PB interface (methods throw {@link ServiceException}).
 *
 * <p>A client-side translator method is one line around the proxy call:
 * <pre>{@code
 * public byte[] get(String key) throws IOException {
 *   return ipc(() -> proxy.get(null, GetRequestProto.newBuilder().setKey(key).build()))
 *       .getValue().toByteArray();
 * }
 * }</pre>
 * and a server-side translator wraps the plain call's {@link IOException} in a
 * {@code new ServiceException(e)}, which the engine unwraps before answering.
 */
public final class ProtobufHelper {
  private ProtobufHelper() {}

  /** A call on a PB interface, e.g. {@code () -> proxy.m(null, request)}. */
  @FunctionalInterface
  public interface IpcCall<T> {
    T call() throws ServiceException;
  }

  /**
   * Runs {@code call} and turns a {@link ServiceException} into the {@link IOException} behind it
   * ({@link #getRemoteException}).
   */
  public static <T> T ipc(IpcCall<T> call) throws IOException {
    try {
      return call.call();
    } catch (ServiceException e) {
      throw getRemoteException(e);
    }
  }

  /**
   * The {@link IOException} a plain interface should throw for {@code e}: the cause when it is an
   * IOException, with a {@link RemoteException} unwrapped ({@link
   * RemoteException#unwrapRemoteException()}) to the type it names when that type is a Tusk
   * framework error or an IOException class loadable here with a {@code (String)} constructor;
   * otherwise a new IOException with {@code e} as its cause.
   */
  public static IOException getRemoteException(ServiceException e) {
    Throwable cause = e.getCause();
    if (cause instanceof RemoteException remote) {
      return remote.unwrapRemoteException();
    }
    if (cause instanceof IOException io) {
      return io;
    }
    return new IOException(e);
  }
}
