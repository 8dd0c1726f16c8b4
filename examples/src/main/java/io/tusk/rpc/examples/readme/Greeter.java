package io.tusk.rpc.examples.readme;

import java.io.IOException;

/** What users of the service call: plain Java types, no protobuf. */
public interface Greeter {
  String hello(String name) throws IOException;
}
