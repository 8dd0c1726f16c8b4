package io.tusk.rpc.testkit;

import java.io.IOException;

/** The line engine's one shape of protocol: a line of text in, a line of text out. */
public interface LineService {
  String apply(String line) throws IOException;
}
