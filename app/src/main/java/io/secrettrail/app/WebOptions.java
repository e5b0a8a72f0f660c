package io.secrettrail.app;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the dashboard listens and its access token (from a file or SECRETTRAIL_WEB_TOKEN, never a flag value). */
final class WebOptions {
    @Option(
            names = "--host",
            defaultValue = "127.0.0.1",
            description = "Dashboard address (default: ${DEFAULT-VALUE}); anything but loopback needs an access token.")
    String host;

    @Option(
            names = "--token-file",
            paramLabel = "FILE",
            description = "A file holding the dashboard's access token (or set SECRETTRAIL_WEB_TOKEN).")
    Path tokenFile;
}
