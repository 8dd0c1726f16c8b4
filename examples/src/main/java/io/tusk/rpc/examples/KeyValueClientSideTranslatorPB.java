package io.tusk.rpc.examples;

import static io.tusk.rpc.protobuf.ProtobufHelper.ipc;

import com.google.protobuf.ByteString;
import io.tusk.rpc.ProtocolTranslator;
import io.tusk.rpc.RPC;
import io.tusk.rpc.client.Client;
import io.tusk.rpc.client.ConnectionId;
import io.tusk.rpc.examples.proto.KeyValueProtos.DeleteRequestProto;
import io.tusk.rpc.examples.proto.KeyValueProtos.EmptyRequestProto;
import io.tusk.rpc.examples.proto.KeyValueProtos.EntryProto;
import io.tusk.rpc.examples.proto.KeyValueProtos.GetRequestProto;
import io.tusk.rpc.examples.proto.KeyValueProtos.ListKeysRequestProto;
import io.tusk.rpc.examples.proto.KeyValueProtos.MultiGetRequestProto;
import io.tusk.rpc.examples.proto.KeyValueProtos.PutRequestProto;
import io.tusk.rpc.examples.proto.KeyValueProtos.PutResponseProto;
import io.tusk.rpc.protobuf.ProtobufRpcEngine;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Client side of the key-value protocol: implements the plain {@link KeyValueStore} over a
 * {@link KeyValueProtocolPB} proxy. Each method builds the request, calls the proxy inside
 * {@link io.tusk.rpc.protobuf.ProtobufHelper#ipc ipc(...)} (which turns the ServiceException back
 * into the server's IOException) and converts the answer.
 *
 * <p>{@link #close()} stops the proxy, not the {@link Client} it was made with. As a
 * {@link ProtocolTranslator} it stands for its proxy in {@code RPC.getConnectionIdForProxy},
 * {@code RPC.getClient} and {@code RpcClientUtil.isMethodSupported}, as Hadoop's translators do.
 */
public final class KeyValueClientSideTranslatorPB
    implements KeyValueStore, ProtocolTranslator, Closeable {
  private static final EmptyRequestProto EMPTY = EmptyRequestProto.getDefaultInstance();

  private final KeyValueProtocolPB proxy;

  public KeyValueClientSideTranslatorPB(KeyValueProtocolPB proxy) {
    this.proxy = proxy;
  }

  /** A translator over a new proxy to {@code address}, carried by {@code client}. */
  public static KeyValueClientSideTranslatorPB connect(Client client, InetSocketAddress address) {
    ConnectionId remote = ConnectionId.of(address, RPC.getProtocolName(KeyValueProtocolPB.class));
    return new KeyValueClientSideTranslatorPB(new ProtobufRpcEngine().getProxy(
        KeyValueProtocolPB.class, KeyValueProtocolPB.VERSION, remote, client));
  }

  /** The PB proxy underneath (e.g. for {@code RpcClientUtil.isMethodSupported}). */
  public KeyValueProtocolPB proxy() {
    return proxy;
  }

  /** The PB proxy underneath, as {@link #proxy()}. */
  @Override
  public Object getUnderlyingProxyObject() {
    return proxy;
  }

  @Override
  public void ping() throws IOException {
    ipc(() -> proxy.ping(null, EMPTY));
  }

  @Override
  public byte[] put(String key, byte[] value) throws IOException {
    PutResponseProto response = ipc(() -> proxy.put(null,
        PutRequestProto.newBuilder().setKey(key).setValue(ByteString.copyFrom(value)).build()));
    return response.hasPrevious() ? response.getPrevious().toByteArray() : null;
  }

  @Override
  public byte[] get(String key) throws IOException {
    return ipc(() -> proxy.get(null, GetRequestProto.newBuilder().setKey(key).build()))
        .getValue().toByteArray();
  }

  @Override
  public boolean delete(String key) throws IOException {
    return ipc(() -> proxy.delete(null, DeleteRequestProto.newBuilder().setKey(key).build()))
        .getExisted();
  }

  @Override
  public Map<String, byte[]> multiGet(List<String> keys) throws IOException {
    Map<String, byte[]> found = new LinkedHashMap<>();
    for (EntryProto e : ipc(() -> proxy.multiGet(null,
        MultiGetRequestProto.newBuilder().addAllKeys(keys).build())).getEntriesList()) {
      found.put(e.getKey(), e.getValue().toByteArray());
    }
    return found;
  }

  @Override
  public List<String> listKeys(String prefix) throws IOException {
    ListKeysRequestProto.Builder request = ListKeysRequestProto.newBuilder();
    if (prefix != null) {
      request.setPrefix(prefix);
    }
    return ipc(() -> proxy.listKeys(null, request.build())).getKeysList();
  }

  @Override
  public void close() throws IOException {
    if (proxy instanceof Closeable closeable) {
      closeable.close();
    }
  }
}
