package io.tusk.rpc.examples.cli;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads services out of a {@code FileDescriptorSet}, the file
 * {@code protoc --descriptor_set_out=FILE --include_imports} writes, so that {@code tusk call} can
 * call protocols whose classes it does not have (e.g. Hadoop's {@code ClientNamenodeProtocol}).
 *
 * <p>The files of a set may come in any order; each is built after the files it imports. Every
 * problem is a {@link UsageException} with a one-line reason: the file cannot be read or is not a
 * descriptor set, an import is missing from the set (written without {@code --include_imports}),
 * imports form a cycle, a file is invalid, or the service is not there (the message lists the
 * services the set has).
 */
final class DescriptorSets {
  private DescriptorSets() {}

  /**
   * The service {@code serviceName} of the descriptor set in {@code file}; when
   * {@code serviceName} is null and the set has exactly one service, that one.
   */
  static ServiceDescriptor service(Path file, String serviceName) throws UsageException {
    List<FileDescriptor> files = load(file);
    List<ServiceDescriptor> services = new ArrayList<>();
    for (FileDescriptor fd : files) {
      services.addAll(fd.getServices());
    }
    if (serviceName == null) {
      if (services.size() == 1) {
        return services.get(0);
      }
      throw new UsageException("missing option --service (" + file + " has "
          + names(services) + ")");
    }
    for (ServiceDescriptor service : services) {
      if (service.getFullName().equals(serviceName)) {
        return service;
      }
    }
    throw new UsageException("no service " + serviceName + " in " + file + " (it has "
        + names(services) + ")");
  }

  private static String names(List<ServiceDescriptor> services) {
    if (services.isEmpty()) {
      return "no services";
    }
    List<String> names = new ArrayList<>();
    for (ServiceDescriptor service : services) {
      names.add(service.getFullName());
    }
    return "service(s) " + String.join(", ", names);
  }

  /** Every file of the descriptor set in {@code file}, built in dependency order. */
  static List<FileDescriptor> load(Path file) throws UsageException {
    FileDescriptorSet set;
    try (InputStream in = Files.newInputStream(file)) {
      set = FileDescriptorSet.parseFrom(in);
    } catch (NoSuchFileException e) {
      throw new UsageException("cannot read descriptor set " + file + ": no such file");
    } catch (InvalidProtocolBufferException e) {
      throw new UsageException(file + " is not a FileDescriptorSet (write one with protoc"
          + " --descriptor_set_out=FILE --include_imports): " + oneLine(e.getMessage()));
    } catch (IOException e) {
      throw new UsageException("cannot read descriptor set " + file + ": " + oneLine(
          String.valueOf(e.getMessage())));
    }
    Map<String, FileDescriptorProto> protos = new LinkedHashMap<>();
    for (FileDescriptorProto proto : set.getFileList()) {
      protos.putIfAbsent(proto.getName(), proto);
    }
    if (protos.isEmpty()) {
      throw new UsageException("descriptor set " + file + " holds no files");
    }
    Map<String, FileDescriptor> built = new LinkedHashMap<>();
    for (String name : protos.keySet()) {
      build(file, name, protos, built, new HashSet<>());
    }
    return new ArrayList<>(built.values());
  }

  private static FileDescriptor build(Path file, String name,
      Map<String, FileDescriptorProto> protos, Map<String, FileDescriptor> built,
      Set<String> inProgress) throws UsageException {
    FileDescriptor done = built.get(name);
    if (done != null) {
      return done;
    }
    if (!inProgress.add(name)) {
      throw new UsageException("descriptor set " + file + ": import cycle through " + name);
    }
    FileDescriptorProto proto = protos.get(name);
    FileDescriptor[] dependencies = new FileDescriptor[proto.getDependencyCount()];
    for (int i = 0; i < dependencies.length; i++) {
      String dependency = proto.getDependency(i);
      if (!protos.containsKey(dependency)) {
        throw new UsageException("descriptor set " + file + ": " + name + " imports "
            + dependency + ", which the set does not hold (write it with protoc"
            + " --include_imports)");
      }
      dependencies[i] = build(file, dependency, protos, built, inProgress);
    }
    try {
      FileDescriptor descriptor = FileDescriptor.buildFrom(proto, dependencies);
      built.put(name, descriptor);
      inProgress.remove(name);
      return descriptor;
    } catch (DescriptorValidationException e) {
      throw new UsageException("descriptor set " + file + ": invalid " + name + ": "
          + oneLine(e.getMessage()));
    }
  }

  /** {@code text} on one line (parser messages may span several). */
  static String oneLine(String text) {
    return text.replaceAll("\\s*\\R\\s*", " ").trim();
  }
}
