package io.tusk.rpc.interop;

import io.tusk.rpc.examples.KeyValueProtocolPB;
import io.tusk.rpc.interop.hadoopside.proto.KeyValueProtos.KeyValueService;
import org.apache.hadoop.ipc.ProtocolInfo;

/**
 * Hadoop's view of the reference protocol: the same name and version as Tusk's
 * {@link KeyValueProtocolPB}, under Hadoop's {@code @ProtocolInfo}, extending the blocking
 * interface that protoc 3.25 generated for Hadoop's shaded protobuf (module interop-hadoop-proto).
 */
@ProtocolInfo(protocolName = KeyValueProtocolPB.NAME, protocolVersion = KeyValueProtocolPB.VERSION)
public interface HadoopKeyValueProtocolPB extends KeyValueService.BlockingInterface {
}
