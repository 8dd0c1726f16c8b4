package io.tusk.rpc.conf;

import io.tusk.rpc.internal.ClassLoaders;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * String settings with typed getters, loaded from code, a {@code .properties} file, a Hadoop-style
 * XML file ({@code <configuration><property><name/><value/></property></configuration>}) or a
 * Hadoop configuration directory ({@link #loadDir}, {@link #fromHadoopConfDir}).
 *
 * <p>As in Hadoop: resources added later override earlier ones, except for properties an earlier
 * resource marked {@code <final>true</final>}, which later resources cannot change (their value is
 * ignored, with a warning); {@link #set} from code changes any setting, final or not. Values may
 * use {@code ${name}} (a system property, else another setting) and {@code ${env.NAME}} (an
 * environment variable), expanded when read ({@link #get(String)} and the typed getters;
 * {@link #getRaw} and {@link #toMap()} give the values as written). Not supported: Hadoop's
 * {@code <include>} (XInclude), deprecated-key mapping and {@code ${env.NAME:-default}}.
 *
 * <p>Used at the edges only: servers and clients read the keys they need (see {@link IpcKeys}) once
 * when they are built. A malformed value fails with a message naming the key. Thread-safe.
 */
public final class Configuration {
  private static final Logger LOG = LoggerFactory.getLogger(Configuration.class);

  /** The environment variable naming Hadoop's configuration directory. */
  public static final String HADOOP_CONF_DIR = "HADOOP_CONF_DIR";
  /** The resource {@link #loadDir} always reads first. */
  public static final String CORE_SITE = "core-site.xml";

  private final Map<String, String> values = new ConcurrentHashMap<>();
  /** Keys a loaded resource marked final: later resources cannot change them. */
  private final Set<String> finals = ConcurrentHashMap.newKeySet();

  /** An empty configuration: every getter returns its default. */
  public Configuration() {}

  /** A copy of {@code other}, final marks included. */
  public Configuration(Configuration other) {
    values.putAll(other.values);
    finals.addAll(other.finals);
  }

  /**
   * Loads a Hadoop configuration directory: {@value #CORE_SITE}, then each of
   * {@code extraResources} (file names in {@code dir}, e.g. {@code hdfs-site.xml}), in that order,
   * with Hadoop's precedence (see the class comment). A resource that does not exist is skipped,
   * as Hadoop skips a missing site file.
   *
   * @throws IOException when {@code dir} is not a readable directory, or a resource cannot be read
   *     or parsed (the message names the file)
   */
  public static Configuration loadDir(Path dir, String... extraResources) throws IOException {
    return new Configuration().addDir(dir, extraResources);
  }

  /** Adds the resources of a configuration directory to these settings; see {@link #loadDir}. */
  public Configuration addDir(Path dir, String... extraResources) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException("configuration directory " + dir + " does not exist or is not a "
          + "directory");
    }
    List<String> names = new ArrayList<>();
    names.add(CORE_SITE);
    names.addAll(List.of(extraResources));
    for (String name : names) {
      Path file = dir.resolve(name);
      if (Files.isRegularFile(file)) {
        addResource(file);
      } else {
        LOG.debug("configuration directory {} has no {}: skipped", dir, name);
      }
    }
    return this;
  }

  /**
   * {@link #loadDir} of the directory the environment variable {@value #HADOOP_CONF_DIR} names,
   * or an empty configuration when it is unset or blank.
   *
   * @throws IOException when the variable names no readable directory (the message names the
   *     variable) or a resource cannot be read
   */
  public static Configuration fromHadoopConfDir(String... extraResources) throws IOException {
    return fromHadoopConfDir(System::getenv, extraResources);
  }

  /**
   * {@link #fromHadoopConfDir(String...)} with {@code env} as the environment (for tests and for
   * tools that take the variable from elsewhere).
   */
  public static Configuration fromHadoopConfDir(Function<String, String> env,
      String... extraResources) throws IOException {
    String dir = env.apply(HADOOP_CONF_DIR);
    if (dir == null || dir.isBlank()) {
      return new Configuration();
    }
    try {
      return loadDir(Path.of(dir.trim()), extraResources);
    } catch (IOException e) {
      throw new IOException(HADOOP_CONF_DIR + "=" + dir + ": " + e.getMessage(), e);
    }
  }

  /** Loads a file: XML when its name ends in {@code .xml}, Java properties otherwise. */
  public static Configuration load(Path file) throws IOException {
    Configuration conf = new Configuration();
    conf.addResource(file);
    return conf;
  }

  /** Adds (and overrides with) the settings of a file; see {@link #load(Path)}. */
  public Configuration addResource(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      if (file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".xml")) {
        addXml(in, file.toString());
      } else {
        addProperties(in);
      }
    }
    return this;
  }

  /** Adds the settings of a Java properties stream (UTF-8). */
  public Configuration addProperties(InputStream in) throws IOException {
    Properties props = new Properties();
    try (Reader reader = new java.io.InputStreamReader(in, StandardCharsets.UTF_8)) {
      props.load(reader);
    }
    for (String name : props.stringPropertyNames()) {
      load(name, props.getProperty(name), false, "properties");
    }
    return this;
  }

  /** One property from a resource: Hadoop's rule for final properties. */
  private void load(String name, String value, boolean isFinal, String source) {
    if (finals.contains(name)) {
      if (value != null && !value.equals(values.get(name))) {
        LOG.warn("{}: an attempt to override final parameter: {}; Ignoring.", source, name);
      }
    } else if (value != null) {
      values.put(name, value);
    }
    if (isFinal) {
      finals.add(name);
    }
  }

  /** Adds the settings of a Hadoop-style XML stream; {@code source} names it in errors. */
  public Configuration addXml(InputStream in, String source) throws IOException {
    Document doc;
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setExpandEntityReferences(false);
      DocumentBuilder builder = factory.newDocumentBuilder();
      // Fatal errors are thrown (and reported below with the source); without a handler the
      // JDK parser would also print them to standard error.
      builder.setErrorHandler(new DefaultHandler());
      doc = builder.parse(in);
    } catch (ParserConfigurationException | SAXException e) {
      throw new IOException("cannot parse configuration " + source + ": " + e.getMessage(), e);
    }
    Element root = doc.getDocumentElement();
    if (!"configuration".equals(root.getTagName())) {
      throw new IOException("configuration " + source + ": root element must be <configuration>, "
          + "found <" + root.getTagName() + ">");
    }
    NodeList properties = root.getElementsByTagName("property");
    for (int i = 0; i < properties.getLength(); i++) {
      Element property = (Element) properties.item(i);
      String name = childText(property, "name");
      String value = childText(property, "value");
      if (name == null || name.isBlank()) {
        throw new IOException("configuration " + source + ": <property> #" + (i + 1)
            + " has no <name>");
      }
      String isFinal = childText(property, "final");
      load(name.trim(), value != null ? value.trim() : null,
          isFinal != null && isFinal.trim().equals("true"), source);
    }
    return this;
  }

  private static String childText(Element parent, String tag) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && tag.equals(e.getTagName())) {
        return e.getTextContent();
      }
    }
    return null;
  }

  /** The value with its {@code ${...}} variables expanded, or {@code null} when unset. */
  public String get(String key) {
    return VariableExpansion.expand(key, values.get(key), values::get, System::getenv);
  }

  /** The value (expanded), or {@code defaultValue} when unset. */
  public String get(String key, String defaultValue) {
    String v = get(key);
    return v == null ? defaultValue : v;
  }

  /** The value as written, without variable expansion, or {@code null} when unset. */
  public String getRaw(String key) {
    return values.get(key);
  }

  /** Whether a loaded resource marked {@code key} final. */
  public boolean isFinal(String key) {
    return finals.contains(key);
  }

  public int getInt(String key, int defaultValue) {
    String v = trimmed(key);
    if (v == null) {
      return defaultValue;
    }
    try {
      return Integer.decode(v);
    } catch (NumberFormatException e) {
      throw bad(key, v, "an int");
    }
  }

  public long getLong(String key, long defaultValue) {
    String v = trimmed(key);
    if (v == null) {
      return defaultValue;
    }
    try {
      return Long.decode(v);
    } catch (NumberFormatException e) {
      throw bad(key, v, "a long");
    }
  }

  public boolean getBoolean(String key, boolean defaultValue) {
    String v = trimmed(key);
    if (v == null) {
      return defaultValue;
    }
    if (v.equalsIgnoreCase("true")) {
      return true;
    }
    if (v.equalsIgnoreCase("false")) {
      return false;
    }
    throw bad(key, v, "true or false");
  }

  /**
   * The class named by {@code key}, which must implement {@code xface}; {@code defaultValue} when
   * unset.
   */
  public <U> Class<? extends U> getClass(String key, Class<? extends U> defaultValue,
      Class<U> xface) {
    String v = trimmed(key);
    if (v == null) {
      return defaultValue;
    }
    Class<?> type;
    try {
      type = Class.forName(v, true, ClassLoaders.context());
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException(key + " = " + v + ": class not found", e);
    }
    if (!xface.isAssignableFrom(type)) {
      throw new IllegalArgumentException(key + " = " + v + ": " + type.getName()
          + " does not implement " + xface.getName());
    }
    return type.asSubclass(xface);
  }

  public Configuration set(String key, String value) {
    if (value == null) {
      values.remove(key);
    } else {
      values.put(key, value);
    }
    return this;
  }

  public Configuration setInt(String key, int value) {
    return set(key, Integer.toString(value));
  }

  public Configuration setLong(String key, long value) {
    return set(key, Long.toString(value));
  }

  public Configuration setBoolean(String key, boolean value) {
    return set(key, Boolean.toString(value));
  }

  public Configuration setClass(String key, Class<?> value, Class<?> xface) {
    if (!xface.isAssignableFrom(value)) {
      throw new IllegalArgumentException(value.getName() + " does not implement " + xface.getName());
    }
    return set(key, value.getName());
  }

  public Configuration unset(String key) {
    values.remove(key);
    return this;
  }

  /** A sorted snapshot of every setting, as written (variables not expanded). */
  public Map<String, String> toMap() {
    return new TreeMap<>(values);
  }

  private String trimmed(String key) {
    String v = get(key);
    if (v == null) {
      return null;
    }
    v = v.trim();
    return v.isEmpty() ? null : v;
  }

  private static IllegalArgumentException bad(String key, String value, String expected) {
    return new IllegalArgumentException(key + " = '" + value + "' is not " + expected);
  }

  @Override
  public String toString() {
    return "Configuration" + toMap();
  }
}
