package io.tusk.rpc.security;

import io.tusk.rpc.Ticker;
import io.tusk.rpc.conf.Configuration;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Maps a user's short name to the groups it belongs to, primary group first: the answer the
 * server's impersonation rules ({@code hadoop.proxyuser.<real>.groups}) and a handler's
 * {@code UserIdentity.groups()} read. Hadoop's counterpart is {@code GroupMappingServiceProvider}
 * behind {@code Groups}.
 *
 * <p>{@link #fromConfiguration} builds what a server or client uses unless given another: the
 * static overrides of {@value #STATIC_OVERRIDES_KEY} first, then the class named by
 * {@value #MAPPING_KEY} ({@link ShellGroupMapping} by default, and for any of Hadoop's own class
 * names), behind a cache of {@value #CACHE_SECS_KEY} seconds.
 *
 * <p>Implementations must be thread-safe: handlers and readers of one server ask at once.
 */
@FunctionalInterface
public interface GroupMapping {
  /** Hadoop's key naming the mapping class; a name under {@code org.apache.hadoop.} means the shell. */
  String MAPPING_KEY = "hadoop.security.group.mapping";
  /** Hadoop's key of fixed answers: {@code user=group1,group2;user2=} (the default is {@code dr.who=;}). */
  String STATIC_OVERRIDES_KEY = "hadoop.user.group.static.mapping.overrides";
  /** Hadoop's default static overrides: the web UI's anonymous user has no groups. */
  String STATIC_OVERRIDES_DEFAULT = "dr.who=;";
  /** Hadoop's key: how long an answer is cached, in seconds (default 300). */
  String CACHE_SECS_KEY = "hadoop.security.groups.cache.secs";
  /** Default of {@link #CACHE_SECS_KEY}. */
  long CACHE_SECS_DEFAULT = 300;
  /** Hadoop's key: how long an empty answer is cached, in seconds (default 30). */
  String NEGATIVE_CACHE_SECS_KEY = "hadoop.security.groups.negative-cache.secs";
  /** Default of {@link #NEGATIVE_CACHE_SECS_KEY}. */
  long NEGATIVE_CACHE_SECS_DEFAULT = 30;

  /**
   * The groups of {@code user}, primary first, without duplicates; empty when the user is unknown.
   *
   * @throws IOException when the lookup itself failed (a timed-out command, an unreachable
   *     directory); callers treat it as "no groups" for authorisation and log it
   */
  List<String> groups(String user) throws IOException;

  /**
   * The mapping {@code conf} describes: static overrides, then the configured class, cached.
   *
   * @throws IllegalArgumentException when {@value #MAPPING_KEY} names a class that cannot be
   *     loaded, does not implement this interface or has no public no-argument constructor
   */
  static GroupMapping fromConfiguration(Configuration conf) {
    return fromConfiguration(conf, Ticker.SYSTEM);
  }

  /** As {@link #fromConfiguration(Configuration)}, with the cache reading {@code ticker}. */
  static GroupMapping fromConfiguration(Configuration conf, Ticker ticker) {
    GroupMapping base = GroupMappings.configuredClass(conf);
    GroupMapping cached = new CachingGroupMapping(base, ticker,
        TimeUnit.SECONDS.toNanos(conf.getLong(CACHE_SECS_KEY, CACHE_SECS_DEFAULT)),
        TimeUnit.SECONDS.toNanos(
            conf.getLong(NEGATIVE_CACHE_SECS_KEY, NEGATIVE_CACHE_SECS_DEFAULT)));
    return StaticGroupMapping.parse(
        conf.get(STATIC_OVERRIDES_KEY, STATIC_OVERRIDES_DEFAULT), cached);
  }
}
