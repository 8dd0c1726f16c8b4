package io.tusk.rpc.examples.cli;

import io.tusk.rpc.conf.Configuration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code --conf-dir DIR} option of {@code serve}, {@code call}, {@code list} and
 * {@code bench}: the settings of a Hadoop configuration directory's {@code core-site.xml} (where
 * Hadoop keeps its {@code ipc.*} keys), read with {@link Configuration#loadDir}. Without the
 * option, the directory {@code HADOOP_CONF_DIR} names, as Hadoop's own commands do; neither: no
 * settings.
 */
final class ConfDir {
  static final Option OPTION = Option.value("DIR", "Hadoop configuration directory whose"
      + " core-site.xml settings apply (default: $" + Configuration.HADOOP_CONF_DIR
      + " if set)", "--conf-dir");

  private ConfDir() {}

  /**
   * The settings {@code line} asks for: {@code --conf-dir}, else {@code HADOOP_CONF_DIR} (read
   * through {@link CommandLine#env}), else none.
   *
   * @throws UsageException when {@code --conf-dir} names no directory
   * @throws IOException when a file of the directory cannot be read or parsed, or
   *     {@code HADOOP_CONF_DIR} names no directory (a failure of the environment, not of the
   *     command line)
   */
  static Configuration load(CommandLine line) throws UsageException, IOException {
    if (line.has(OPTION.name())) {
      Path dir = Path.of(line.required(OPTION.name()));
      if (!Files.isDirectory(dir)) {
        throw new UsageException("--conf-dir " + dir + " is not a directory");
      }
      return Configuration.loadDir(dir);
    }
    return Configuration.fromHadoopConfDir(line::env);
  }
}
