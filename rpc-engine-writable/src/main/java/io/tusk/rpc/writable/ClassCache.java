package io.tusk.rpc.writable;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link WireClassResolver}'s bounded cache of loaded classes, keyed by (loader, name): two
 * generations of at most {@code generation} entries each. New entries go into the young one; when
 * it is full it becomes the old one and the previous old one is dropped. A hit in the old
 * generation moves the entry back into the young one.
 *
 * <p>So a peer that names endless distinct classes costs at most {@code 2 * generation} entries
 * and cannot empty the cache of the classes the other calls use: those are hit at least once per
 * generation and keep moving back (the crude "clear everything at 4,096" it replaces dropped them
 * all at once). Lookups are lock-free; only the rare rotation synchronizes. Thread-safe.
 */
final class ClassCache {
  record Key(ClassLoader loader, String name) {}

  private final int generation;
  private volatile ConcurrentHashMap<Key, Class<?>> young = new ConcurrentHashMap<>();
  private volatile ConcurrentHashMap<Key, Class<?>> old = new ConcurrentHashMap<>();

  ClassCache(int generation) {
    if (generation < 1) {
      throw new IllegalArgumentException("generation must be positive, not " + generation);
    }
    this.generation = generation;
  }

  /** The cached class, or null. */
  Class<?> get(Key key) {
    Class<?> type = young.get(key);
    if (type == null) {
      type = old.get(key);
      if (type != null) {
        put(key, type);
      }
    }
    return type;
  }

  void put(Key key, Class<?> type) {
    ConcurrentHashMap<Key, Class<?>> current = young;
    if (current.size() >= generation) {
      synchronized (this) {
        if (young == current) {
          old = current;
          young = new ConcurrentHashMap<>();
        }
        current = young;
      }
    }
    current.put(key, type);
  }

  /** Entries held in both generations (an entry may briefly be in both); for tests. */
  int size() {
    return young.size() + old.size();
  }
}
