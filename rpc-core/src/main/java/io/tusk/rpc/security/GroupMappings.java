package io.tusk.rpc.security;

import io.tusk.rpc.conf.Configuration;
import java.lang.reflect.InvocationTargetException;

/** Loads the class {@link GroupMapping#MAPPING_KEY} names; kept out of the public interface. */
final class GroupMappings {
  private GroupMappings() {}

  static GroupMapping configuredClass(Configuration conf) {
    String name = conf.get(GroupMapping.MAPPING_KEY);
    // Hadoop's own mappings (JNI with shell fallback, shell, LDAP...) are not on our classpath;
    // every Hadoop default ends at the `id` command on a Unix host, which is what the shell does.
    if (name == null || name.isBlank() || name.startsWith("org.apache.hadoop.")) {
      return new ShellGroupMapping();
    }
    try {
      Class<?> type = Class.forName(name.trim(), true, GroupMappings.class.getClassLoader());
      if (!GroupMapping.class.isAssignableFrom(type)) {
        throw new IllegalArgumentException(GroupMapping.MAPPING_KEY + " = " + name
            + " does not implement " + GroupMapping.class.getName());
      }
      return (GroupMapping) type.getConstructor().newInstance();
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException(
          GroupMapping.MAPPING_KEY + " = " + name + ": no such class on the classpath", e);
    } catch (NoSuchMethodException | InstantiationException | IllegalAccessException
        | InvocationTargetException e) {
      throw new IllegalArgumentException(GroupMapping.MAPPING_KEY + " = " + name
          + ": needs a public no-argument constructor (" + e + ")", e);
    }
  }
}
