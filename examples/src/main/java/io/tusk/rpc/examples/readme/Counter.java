package io.tusk.rpc.examples.readme;

import io.tusk.rpc.ProtocolInfo;
import java.io.IOException;

/** A Writable protocol: a plain interface; arguments and results travel as ObjectWritables. */
@ProtocolInfo(protocolName = "io.tusk.rpc.examples.readme.Counter", protocolVersion = 1)
public interface Counter {
  long increment(String name, long delta) throws IOException;
}
