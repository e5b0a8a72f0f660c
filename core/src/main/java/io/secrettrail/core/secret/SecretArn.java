package io.secrettrail.core.secret;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A Secrets Manager ARN, full ({@code ...:secret:prod/db-AbC123}) or partial (no 6-character
 * suffix). Whether an ARN is full cannot be told from its text alone when the name itself ends in
 * a dash and six letters, so {@link SecretResolver} asks the inventory first and this shape last.
 */
public record SecretArn(String partition, String region, String account, String resource) {
    /**
     * The shape {@link #parse} reads, as a regular expression: the specification, which the tests hold the
     * hand-written reader to (ingest resolves every event's ARN, and the regex was 5% of the reader's time).
     * DOTALL: a name from an event may hold a line break; it is still that name, in that account.
     */
    static final Pattern ARN = Pattern.compile(
            "^arn:(aws|aws-cn|aws-us-gov|aws-iso[a-z-]*):secretsmanager:([a-z0-9-]+):(\\d{12}):secret:(.+)$",
            Pattern.DOTALL);
    /** The shape {@link #hasSuffixShape} reads, likewise. */
    static final Pattern SUFFIX = Pattern.compile(".+-[A-Za-z0-9]{6}$", Pattern.DOTALL);

    private static final String SERVICE = ":secretsmanager:";
    private static final String SECRET = ":secret:";

    /** Reads {@link #ARN}'s shape; anything else is empty. */
    public static Optional<SecretArn> parse(String text) {
        if (!text.startsWith("arn:aws")) {
            return Optional.empty();
        }
        int service = text.indexOf(SERVICE, 7);
        if (service < 0 || !partition(text, 4, service)) {
            return Optional.empty();
        }
        int regionAt = service + SERVICE.length();
        int region = regionAt;
        while (region < text.length() && (lowerOrDigit(text.charAt(region)) || text.charAt(region) == '-')) {
            region++;
        }
        int account = region + 1;
        if (region == regionAt
                || account + 12 + SECRET.length() >= text.length()
                || text.charAt(region) != ':'
                || !text.startsWith(SECRET, account + 12)) {
            return Optional.empty();
        }
        for (int i = account; i < account + 12; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return Optional.empty();
            }
        }
        return Optional.of(new SecretArn(
                text.substring(4, service),
                text.substring(regionAt, region),
                text.substring(account, account + 12),
                text.substring(account + 12 + SECRET.length())));
    }

    /** aws, aws-cn, aws-us-gov or aws-iso followed by lower-case letters and dashes, in text[from, to). */
    private static boolean partition(String text, int from, int to) {
        String p = text.substring(from, to);
        if (p.equals("aws") || p.equals("aws-cn") || p.equals("aws-us-gov")) {
            return true;
        }
        if (!p.startsWith("aws-iso")) {
            return false;
        }
        for (int i = 7; i < p.length(); i++) {
            char c = p.charAt(i);
            if ((c < 'a' || c > 'z') && c != '-') {
                return false;
            }
        }
        return true;
    }

    private static boolean lowerOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }

    /** The ARN for a name with no suffix: the stable key of a secret that cannot be resolved. */
    public static String partial(String region, String account, String name) {
        return "arn:" + partitionOf(region) + ":secretsmanager:" + region + ":" + account + ":secret:" + name;
    }

    /** The secret's name when this is a full ARN (the resource less its {@code -XXXXXX} suffix). */
    public static String nameOfFull(String fullArn) {
        SecretArn a = parse(fullArn).orElseThrow(() -> new IllegalArgumentException("not a secret ARN: " + fullArn));
        return a.resource().substring(0, a.resource().length() - 7);
    }

    /** Whether the resource ends in a dash and six ASCII letters or digits after at least one character ({@link #SUFFIX}). */
    public boolean hasSuffixShape() {
        int n = resource.length();
        if (n < 8 || resource.charAt(n - 7) != '-') {
            return false;
        }
        for (int i = n - 6; i < n; i++) {
            char c = resource.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
                return false;
            }
        }
        return true;
    }

    public String text() {
        return "arn:" + partition + ":secretsmanager:" + region + ":" + account + ":secret:" + resource;
    }

    static String partitionOf(String region) {
        if (region.startsWith("cn-")) {
            return "aws-cn";
        }
        if (region.startsWith("us-gov-")) {
            return "aws-us-gov";
        }
        return "aws";
    }
}
