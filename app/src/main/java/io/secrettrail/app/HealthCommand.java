package io.secrettrail.app;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ./secrettrail health URL}: exit 0 when the URL answers 200 (for container health checks, which lack curl). */
@Command(
        name = "health",
        mixinStandardHelpOptions = true,
        description = "Exit 0 if URL (default /health/ready on 127.0.0.1:8080) answers 200.")
public final class HealthCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", defaultValue = "http://127.0.0.1:8080/health/ready", paramLabel = "URL")
    URI url;

    @Override
    public Integer call() throws Exception {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            System.out.println(r.statusCode() + " " + r.body().replaceAll("\\s+", " "));
            return r.statusCode() == 200 ? 0 : Main.FATAL;
        } catch (java.io.IOException e) {
            System.out.println("unreachable: " + e);
            return Main.FATAL;
        }
    }
}
