package io.secrettrail.web;

import java.io.IOException;
import java.io.InputStream;

/** Files shipped on the classpath (the OpenAPI document). */
final class Resources {
    private Resources() {}

    static byte[] bytes(String name) throws IOException {
        try (InputStream in = Resources.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing " + name);
            }
            return in.readAllBytes();
        }
    }
}
