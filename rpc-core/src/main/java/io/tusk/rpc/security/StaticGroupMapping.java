package io.tusk.rpc.security;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Fixed answers for named users ({@value GroupMapping#STATIC_OVERRIDES_KEY}), in front of another
 * mapping that answers everyone else. The format is Hadoop's: {@code user=g1,g2;user2=;user3=g3};
 * an empty group list means "no groups" (not "ask the next mapping").
 */
public final class StaticGroupMapping implements GroupMapping {
  private final Map<String, List<String>> overrides;
  private final GroupMapping next;

  private StaticGroupMapping(Map<String, List<String>> overrides, GroupMapping next) {
    this.overrides = Map.copyOf(overrides);
    this.next = next;
  }

  /**
   * Parses {@code spec} and answers the users it names, asking {@code next} for all others.
   *
   * @throws IllegalArgumentException on an entry without {@code =} or with an empty user name
   */
  public static StaticGroupMapping parse(String spec, GroupMapping next) {
    Map<String, List<String>> overrides = new LinkedHashMap<>();
    for (String entry : spec.split(";")) {
      String trimmed = entry.trim();
      if (trimmed.isEmpty()) {
        continue;
      }
      int eq = trimmed.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(GroupMapping.STATIC_OVERRIDES_KEY + ": entry '"
            + trimmed + "' is not user=group1,group2 (in '" + spec + "')");
      }
      LinkedHashSet<String> groups = new LinkedHashSet<>();
      for (String group : trimmed.substring(eq + 1).split(",")) {
        if (!group.isBlank()) {
          groups.add(group.trim());
        }
      }
      overrides.put(trimmed.substring(0, eq).trim(), List.copyOf(new ArrayList<>(groups)));
    }
    return new StaticGroupMapping(overrides, next);
  }

  /** The users this mapping answers itself, with their groups. */
  public Map<String, List<String>> overrides() {
    return overrides;
  }

  @Override
  public List<String> groups(String user) throws IOException {
    List<String> fixed = overrides.get(user);
    return fixed != null ? fixed : next.groups(user);
  }
}
