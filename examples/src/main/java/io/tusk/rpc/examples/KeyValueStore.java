package io.tusk.rpc.examples;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The reference protocol as users see it: a key-value store with plain Java types. Served over
 * the protobuf engine by {@link KeyValueServerSideTranslatorPB}; called through
 * {@link KeyValueClientSideTranslatorPB}. {@link InMemoryKeyValueStore} is the implementation.
 */
public interface KeyValueStore {
  /** Does nothing; proves the server answers. */
  void ping() throws IOException;

  /** Stores {@code value} under {@code key}; returns the previous value, or null. */
  byte[] put(String key, byte[] value) throws IOException;

  /**
   * The value stored under {@code key}.
   *
   * @throws KeyNotFoundException when there is none
   */
  byte[] get(String key) throws IOException;

  /** Removes {@code key}; true when it existed. */
  boolean delete(String key) throws IOException;

  /** The values of those {@code keys} that exist, in the order asked; absent keys are left out. */
  Map<String, byte[]> multiGet(List<String> keys) throws IOException;

  /** Keys starting with {@code prefix} (every key when null), ascending. */
  List<String> listKeys(String prefix) throws IOException;
}
