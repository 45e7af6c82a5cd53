package io.sipgw.testing;

import io.sipgw.JaxRsActivator;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;

/** The JAX-RS resource classes ({@code @Path}) among the compiled main classes, found by walking them. */
public final class ResourceClasses {

    private ResourceClasses() {
    }

    public static List<Class<?>> all() {
        try {
            var root = Paths.get(JaxRsActivator.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            try (Stream<java.nio.file.Path> files = Files.walk(root)) {
                return files.map(root::relativize).map(java.nio.file.Path::toString)
                        .filter(f -> f.endsWith(".class") && !f.contains("$"))
                        .map(f -> f.substring(0, f.length() - ".class".length()).replace('/', '.').replace('\\', '.'))
                        .map(ResourceClasses::load)
                        .filter(c -> c.isAnnotationPresent(Path.class))
                        .toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, ResourceClasses.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
