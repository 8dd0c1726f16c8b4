package io.tusk.rpc.interop;

import io.tusk.rpc.examples.KeyNotFoundException;
import io.tusk.rpc.interop.hadoopside.proto.KeyValueProtos.DeleteRequestProto;
import io.tusk.rpc.interop.hadoopside.proto.KeyValueProtos.DeleteResponseProto;
import io.tusk.rpc.interop.hadoopside.proto.KeyValueProtos.EmptyRequestProto;
import io.tusk.rpc.interop.hadoopside.proto.KeyValueProtos.EmptyResponseProto;
import io.tusk.rpc.interop.hadoopside.proto.KeyValueProtos.EntryProto;
import io.tusk.rpc.interop.hadoopside.proto.KeyValueProtos.GetRequestProto;
import io.tusk.rpc.interop.hadoopside.proto.KeyValueProtos.GetResponseProto;
import io.tusk.rpc.interop.hadoopside.proto.KeyValueProtos.ListKeysRequestProto;
import io.tusk.rpc.interop.hadoopside.proto.KeyValueProtos.ListKeysResponseProto;
import io.tusk.rpc.interop.hadoopside.proto.KeyValueProtos.MultiGetRequestProto;
import io.tusk.rpc.interop.hadoopside.proto.KeyValueProtos.MultiGetResponseProto;
import io.tusk.rpc.interop.hadoopside.proto.KeyValueProtos.PutRequestProto;
import io.tusk.rpc.interop.hadoopside.proto.KeyValueProtos.PutResponseProto;
import java.util.concurrent.ConcurrentSkipListMap;
import org.apache.hadoop.thirdparty.protobuf.ByteString;
import org.apache.hadoop.thirdparty.protobuf.RpcController;
import org.apache.hadoop.thirdparty.protobuf.ServiceException;

/**
 * The reference protocol implemented on Hadoop's side, directly over a sorted map and Hadoop's
 * shaded protobuf: what a Hadoop server would host. A missing key fails, as in Tusk's store, with
 * {@link KeyNotFoundException} wrapped in Hadoop's ServiceException.
 */
final class HadoopKeyValueService implements HadoopKeyValueProtocolPB {
  private final ConcurrentSkipListMap<String, ByteString> map = new ConcurrentSkipListMap<>();

  /** The caller of the last {@code ping}, as Hadoop's handler sees it ({@code UGI.toString()}). */
  volatile String lastPingCaller;

  @Override
  public EmptyResponseProto ping(RpcController controller, EmptyRequestProto request) {
    org.apache.hadoop.security.UserGroupInformation caller =
        org.apache.hadoop.ipc.Server.getRemoteUser();
    lastPingCaller = caller == null ? null : caller.toString();
    return EmptyResponseProto.getDefaultInstance();
  }

  @Override
  public PutResponseProto put(RpcController controller, PutRequestProto request) {
    ByteString previous = map.put(request.getKey(), request.getValue());
    PutResponseProto.Builder response = PutResponseProto.newBuilder();
    if (previous != null) {
      response.setPrevious(previous);
    }
    return response.build();
  }

  @Override
  public GetResponseProto get(RpcController controller, GetRequestProto request)
      throws ServiceException {
    ByteString value = map.get(request.getKey());
    if (value == null) {
      throw new ServiceException(new KeyNotFoundException("no such key: " + request.getKey()));
    }
    return GetResponseProto.newBuilder().setValue(value).build();
  }

  @Override
  public DeleteResponseProto delete(RpcController controller, DeleteRequestProto request) {
    return DeleteResponseProto.newBuilder().setExisted(map.remove(request.getKey()) != null)
        .build();
  }

  @Override
  public MultiGetResponseProto multiGet(RpcController controller, MultiGetRequestProto request) {
    MultiGetResponseProto.Builder response = MultiGetResponseProto.newBuilder();
    for (String key : request.getKeysList()) {
      ByteString value = map.get(key);
      if (value != null) {
        response.addEntries(EntryProto.newBuilder().setKey(key).setValue(value));
      }
    }
    return response.build();
  }

  @Override
  public ListKeysResponseProto listKeys(RpcController controller, ListKeysRequestProto request) {
    String prefix = request.hasPrefix() ? request.getPrefix() : "";
    ListKeysResponseProto.Builder response = ListKeysResponseProto.newBuilder();
    for (String key : map.tailMap(prefix, true).keySet()) {
      if (!key.startsWith(prefix)) {
        break;
      }
      response.addKeys(key);
    }
    return response.build();
  }
}
