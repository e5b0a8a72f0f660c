package io.secrettrail.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import picocli.CommandLine.Option;

import io.secrettrail.web.WebConfig;

/** Where the dashboard listens and its access token (from a file or SECRETTRAIL_WEB_TOKEN, never a flag value). */
final class WebOptions {
    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Dashboard address (default: ${DEFAULT-VALUE}); anything but loopback needs an access token.")
    String host;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "A file holding the dashboard's access token (or set SECRETTRAIL_WEB_TOKEN).")
    Path tokenFile;

    /** With {@code web.publicUrl} and {@code web.allowedHosts} from the settings (an unknown {@code web.} key is refused). */
    WebConfig config(int port, java.util.Map<String, String> settings) throws IOException {
        return config(port).withSettings(settings);
    }

    WebConfig config(int port) throws IOException {
        String token = null;
        if (tokenFile != null) {
            token = Files.readString(tokenFile).strip();
        } else if (System.getenv("SECRETTRAIL_WEB_TOKEN") != null && !System.getenv("SECRETTRAIL_WEB_TOKEN").isBlank()) {
            token = System.getenv("SECRETTRAIL_WEB_TOKEN").strip();
        }
        return new WebConfig(host, port, token);
    }
}
