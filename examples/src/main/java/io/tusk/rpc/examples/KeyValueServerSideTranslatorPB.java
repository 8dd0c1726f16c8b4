package io.tusk.rpc.examples;

import com.google.protobuf.ByteString;
import com.google.protobuf.RpcController;
import com.google.protobuf.ServiceException;
import io.tusk.rpc.examples.proto.KeyValueProtos.DeleteRequestProto;
import io.tusk.rpc.examples.proto.KeyValueProtos.DeleteResponseProto;
import io.tusk.rpc.examples.proto.KeyValueProtos.EmptyRequestProto;
import io.tusk.rpc.examples.proto.KeyValueProtos.EmptyResponseProto;
import io.tusk.rpc.examples.proto.KeyValueProtos.EntryProto;
import io.tusk.rpc.examples.proto.KeyValueProtos.GetRequestProto;
import io.tusk.rpc.examples.proto.KeyValueProtos.GetResponseProto;
import io.tusk.rpc.examples.proto.KeyValueProtos.KeyValueService;
import io.tusk.rpc.examples.proto.KeyValueProtos.ListKeysRequestProto;
import io.tusk.rpc.examples.proto.KeyValueProtos.ListKeysResponseProto;
import io.tusk.rpc.examples.proto.KeyValueProtos.MultiGetRequestProto;
import io.tusk.rpc.examples.proto.KeyValueProtos.MultiGetResponseProto;
import io.tusk.rpc.examples.proto.KeyValueProtos.PutRequestProto;
import io.tusk.rpc.examples.proto.KeyValueProtos.PutResponseProto;
import io.tusk.rpc.protobuf.ProtobufRpcEngine;
import io.tusk.rpc.server.Server;
import java.io.IOException;
import java.util.Map;

/**
 * Server side of the key-value protocol: implements the PB interface over a plain
 * {@link KeyValueStore}. Each method converts the request, calls the store, and converts the
 * answer; an {@link IOException} of the store is wrapped in a {@link ServiceException}, which the
 * engine unwraps so the client sees the store's exception class and message.
 */
public final class KeyValueServerSideTranslatorPB implements KeyValueProtocolPB {
  private static final EmptyResponseProto EMPTY = EmptyResponseProto.getDefaultInstance();

  private final KeyValueStore store;

  public KeyValueServerSideTranslatorPB(KeyValueStore store) {
    this.store = store;
  }

  /** Hosts {@code store} on {@code server} as {@link KeyValueProtocolPB}. */
  public static void register(Server server, KeyValueStore store) {
    ProtobufRpcEngine.addProtocol(server, KeyValueProtocolPB.class,
        KeyValueService.newReflectiveBlockingService(new KeyValueServerSideTranslatorPB(store)));
  }

  @Override
  public EmptyResponseProto ping(RpcController controller, EmptyRequestProto request)
      throws ServiceException {
    try {
      store.ping();
      return EMPTY;
    } catch (IOException e) {
      throw new ServiceException(e);
    }
  }

  @Override
  public PutResponseProto put(RpcController controller, PutRequestProto request)
      throws ServiceException {
    try {
      byte[] previous = store.put(request.getKey(), request.getValue().toByteArray());
      PutResponseProto.Builder response = PutResponseProto.newBuilder();
      if (previous != null) {
        response.setPrevious(ByteString.copyFrom(previous));
      }
      return response.build();
    } catch (IOException e) {
      throw new ServiceException(e);
    }
  }

  @Override
  public GetResponseProto get(RpcController controller, GetRequestProto request)
      throws ServiceException {
    try {
      return GetResponseProto.newBuilder()
          .setValue(ByteString.copyFrom(store.get(request.getKey()))).build();
    } catch (IOException e) {
      throw new ServiceException(e);
    }
  }

  @Override
  public DeleteResponseProto delete(RpcController controller, DeleteRequestProto request)
      throws ServiceException {
    try {
      return DeleteResponseProto.newBuilder().setExisted(store.delete(request.getKey())).build();
    } catch (IOException e) {
      throw new ServiceException(e);
    }
  }

  @Override
  public MultiGetResponseProto multiGet(RpcController controller, MultiGetRequestProto request)
      throws ServiceException {
    try {
      MultiGetResponseProto.Builder response = MultiGetResponseProto.newBuilder();
      for (Map.Entry<String, byte[]> e : store.multiGet(request.getKeysList()).entrySet()) {
        response.addEntries(EntryProto.newBuilder().setKey(e.getKey())
            .setValue(ByteString.copyFrom(e.getValue())));
      }
      return response.build();
    } catch (IOException e) {
      throw new ServiceException(e);
    }
  }

  @Override
  public ListKeysResponseProto listKeys(RpcController controller, ListKeysRequestProto request)
      throws ServiceException {
    try {
      return ListKeysResponseProto.newBuilder()
          .addAllKeys(store.listKeys(request.hasPrefix() ? request.getPrefix() : null)).build();
    } catch (IOException e) {
      throw new ServiceException(e);
    }
  }
}
