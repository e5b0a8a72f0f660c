package io.secrettrail.ingest.aws;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * One JSON POST to an AWS API whose SDK module does not resolve from the registry this project builds
 * against (Cost Explorer, Security Hub): SigV4 signed by the SDK's own {@link AwsV4HttpSigner}, sent on the
 * SDK's HTTP client, with SecretTrail's user-agent marker, the answer read up to a bound.
 */
final class SignedPost {
    private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

    private SignedPost() {}

    /** The wait between attempts of a hand-signed call: 1 s doubling up to 30 s, times a jitter of 0.5 to 1. */
    static io.secrettrail.core.RetryPolicy backoff(java.time.Clock clock) {
        return new io.secrettrail.core.RetryPolicy(clock)
                .first(java.time.Duration.ofSeconds(1))
                .cap(java.time.Duration.ofSeconds(30))
                .jitter(0.5, 1.0);
    }

    /** What came back: status, the headers (names as sent) and at most {@code maxBody} bytes of body. */
    record Answer(int status, Map<String, java.util.List<String>> headers, byte[] body) {
        Optional<String> header(String name) {
            return headers.entrySet().stream()
                    .filter(e ->
                            e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty())
                    .map(e -> e.getValue().get(0))
                    .findFirst();
        }
    }

    /** Thrown when an answer is longer than the caller reads. */
    static final class TooLarge extends IOException {
        TooLarge(int max) {
            super("answered with more than " + max + " bytes; the read is stopped");
        }
    }

    /**
     * Signs and sends one request, as {@code signingName} in {@code region}.
     *
     * @param headers besides the user agent (Content-Type, X-Amz-Target ...)
     */
    static Answer post(
            SdkHttpClient http,
            AwsCredentialsProvider credentials,
            URI uri,
            Map<String, String> headers,
            byte[] body,
            String signingName,
            String region,
            int maxBody)
            throws IOException {
        SdkHttpRequest.Builder b = SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(uri)
                // signed by hand, outside the SDK's clients: the marker of SecretTrail's own calls is added here
                .putHeader("User-Agent", UserAgent.marker());
        headers.forEach(b::putHeader);
        AwsCredentialsIdentity identity = credentials.resolveIdentity().join();
        SignedRequest signed = SIGNER.sign(r -> r.identity(identity)
                .request(b.build())
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, signingName)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder()
                        .request(signed.request())
                        .contentStreamProvider(signed.payload().orElse(null))
                        .build())
                .call();
        byte[] answer;
        try (InputStream in = response.responseBody().map(s -> (InputStream) s).orElse(InputStream.nullInputStream())) {
            answer = in.readNBytes(maxBody + 1);
        }
        if (answer.length > maxBody) {
            throw new TooLarge(maxBody);
        }
        return new Answer(
                response.httpResponse().statusCode(), response.httpResponse().headers(), answer);
    }
}
