package io.tusk.rpc.examples;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/** A thread-safe {@link KeyValueStore} in memory, keys kept sorted. Values are not copied. */
public final class InMemoryKeyValueStore implements KeyValueStore {
  private final ConcurrentSkipListMap<String, byte[]> map = new ConcurrentSkipListMap<>();

  @Override
  public void ping() {
  }

  @Override
  public byte[] put(String key, byte[] value) {
    return map.put(key, value);
  }

  @Override
  public byte[] get(String key) throws KeyNotFoundException {
    byte[] value = map.get(key);
    if (value == null) {
      throw new KeyNotFoundException("no such key: " + key);
    }
    return value;
  }

  @Override
  public boolean delete(String key) {
    return map.remove(key) != null;
  }

  @Override
  public Map<String, byte[]> multiGet(List<String> keys) {
    Map<String, byte[]> found = new LinkedHashMap<>();
    for (String key : keys) {
      byte[] value = map.get(key);
      if (value != null) {
        found.put(key, value);
      }
    }
    return found;
  }

  @Override
  public List<String> listKeys(String prefix) {
    if (prefix == null || prefix.isEmpty()) {
      return new ArrayList<>(map.keySet());
    }
    List<String> keys = new ArrayList<>();
    for (String key : map.tailMap(prefix, true).keySet()) {
      if (!key.startsWith(prefix)) {
        break;
      }
      keys.add(key);
    }
    return keys;
  }
}
