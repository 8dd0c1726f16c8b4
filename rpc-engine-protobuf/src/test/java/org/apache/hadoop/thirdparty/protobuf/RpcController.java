package org.apache.hadoop.thirdparty.protobuf;

/**
 * Test stand-in with the name of Hadoop's shaded RpcController: only its name matters to method
 * fingerprints, so this module's tests need no Hadoop jar (interop-hadoop uses the real one).
 */
public interface RpcController {
}
