package dev.lockscope.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/**
 * --version: lockscope's version and build (from build.properties, which Maven fills in), and
 * the Java runtime and OS it runs on. "dev" when the resource is missing.
 */
public final class VersionProvider implements CommandLine.IVersionProvider {
    private static final Properties BUILD = load();

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("/dev/lockscope/build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // no build information: --version says "dev"
        }
        return p;
    }

    private static String build(String key) {
        String v = BUILD.getProperty(key, "");
        return v.isEmpty() || v.startsWith("${") ? null : v;
    }

    public static String version() {
        String v = build("version");
        return v == null ? "dev" : v;
    }

    @Override
    public String[] getVersion() {
        String date = build("date");
        String jdk = build("jdk");
        return new String[] {
            "lockscope " + version(),
            "built " + (date == null ? "(unknown)" : date) + (jdk == null ? "" : " for Java " + jdk + "+"),
            "running on Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + "), "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch"),
        };
    }
}
