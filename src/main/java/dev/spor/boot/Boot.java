package dev.spor.boot;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Makes {@code spor.war} executable ({@code java -jar spor.war}), as Jenkins does: this class
 * sits at the WAR's root, unpacks the WAR once into a directory named after the WAR's size and
 * date (reused by later starts of the same file; never deleted while running, since shutdown
 * hooks still load classes from it), and starts the embedded launcher with the webapp's
 * classes, its libraries and the Jetty libraries kept apart in {@code WEB-INF/launcher} (which
 * a servlet container ignores). Uses only the JDK.
 */
public final class Boot {
    private static final String LAUNCHER = "dev.spor.launcher.Launcher";

    private Boot() {
    }

    public static void main(String[] args) throws Exception {
        Path war;
        try {
            war = Path.of(Boot.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | NullPointerException e) {
            System.err.println("spor: cannot locate the WAR file this was started from");
            System.exit(1);
            return;
        }
        Path root = unpacked(war);
        List<URL> classpath = new ArrayList<>();
        classpath.add(root.resolve("WEB-INF/classes").toUri().toURL());
        addJars(root.resolve("WEB-INF/lib"), classpath);
        addJars(root.resolve("WEB-INF/launcher"), classpath);
        System.setProperty("spor.webRoot", root.toString());
        ClassLoader loader = new URLClassLoader("spor", classpath.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
        Thread.currentThread().setContextClassLoader(loader);
        Method main = loader.loadClass(LAUNCHER).getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /** The unpacked WAR, unpacking it first unless this very file was unpacked before. */
    private static Path unpacked(Path war) throws IOException {
        String name = "spor-war-" + Files.size(war) + "-" + Files.getLastModifiedTime(war).toMillis();
        Path root = Path.of(System.getProperty("java.io.tmpdir"), name);
        if (Files.isDirectory(root.resolve("WEB-INF"))) {
            return root;
        }
        Path partial = Files.createTempDirectory(name + "-");
        try {
            unpack(war, partial);
            Files.move(partial, root, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteQuietly(partial);
            if (!Files.isDirectory(root.resolve("WEB-INF"))) {
                throw e;
            }
            // another start of the same WAR unpacked it first
        }
        return root;
    }

    private static void unpack(Path war, Path root) throws IOException {
        try (JarFile jar = new JarFile(war.toFile())) {
            Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                Path target = root.resolve(entry.getName()).normalize();
                if (!target.startsWith(root)) {
                    throw new IOException("unsafe entry in WAR: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    try (InputStream in = jar.getInputStream(entry)) {
                        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
    }

    private static void addJars(Path dir, List<URL> classpath) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> jars = Files.list(dir)) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                classpath.add(jar.toUri().toURL());
            }
        }
    }

    private static void deleteQuietly(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary directory is harmless
        }
    }
}
