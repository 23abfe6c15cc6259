package io.capstan.provenance;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The Capstan release this code belongs to, as the build wrote it into {@code capstan-version.properties}. */
public final class CapstanVersion {
    /** The release, e.g. {@code 0.1.0}; {@value Provenance#UNKNOWN_VALUE} when the build did not write it. */
    public static final String CURRENT = read();

    private CapstanVersion() {
    }

    private static String read() {
        try (InputStream in = CapstanVersion.class.getResourceAsStream("/io/capstan/capstan-version.properties")) {
            if (in == null) {
                return Provenance.UNKNOWN_VALUE;
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version", "");
            return version.isEmpty() || version.startsWith("${") ? Provenance.UNKNOWN_VALUE : version;
        } catch (IOException e) {
            throw new UncheckedIOException("reading capstan-version.properties", e);
        }
    }
}
